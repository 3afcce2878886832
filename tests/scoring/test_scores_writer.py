"""The scores file written column by column (`ScoreResult.dumps`, `json_chunks`, the fast
`to_file`) is the file the records give, byte for byte.

The reference is the way the file was made before issue 14: one `OrganisationScores` per
organisation, read cell by cell from the tables (`.loc`, `.at`), written by
`ScoresFile.dumps()` (`json.dumps`, indented). It is kept here, as it was, and compared on
random tables: NaN, infinities, -0.0, numbers `json` writes with an exponent, numbers
rounding to a level's bound, missing texts, texts JSON must escape, absent roles, weights
that are zero or not numbers, and tables whose rows are not in the organisations' order.
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.contracts.base import rounded
from barometre.contracts.scores import (
    Axes,
    Context,
    DimensionScore,
    OrganisationScores,
    QuestionnaireRef,
    ScoresFile,
)
from barometre.contracts.vocabulary import FAMILIES, ORGANISATION_TYPES
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.result import ORGANISATION_KEYS, ScoreResult, methodology_ref
from barometre.simulate import simulate_sector

WITH_TYPOLOGY = load_questionnaire("hlm-2026")
NAMED_AXES = load_questionnaire("example-digital-services")
WITHOUT_TYPOLOGY = load_questionnaire("example-data-pathway")


# --- the reference: the records, cell by cell, as before ----------------------------------


def _number(value: object) -> float | None:
    return rounded(cast(float, value))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    return bool(value) if isinstance(value, bool | np.bool_) else None


def reference_organisation(result: ScoreResult, org: str) -> OrganisationScores:
    row = result.organisations.loc[org]
    return OrganisationScores(
        organisation_id=org,
        n_respondents=int(row["n_respondents"]),
        respondents_by_role={k: int(v) for k, v in result.roles.loc[org].items() if v},
        global_index=_number(row["global"]),
        level=_text(row["level"]),
        family=_text(row["family"]),  # type: ignore[arg-type]
        borderline=_flag(row["borderline"]),
        axes=Axes(tech=_number(row["tech"]), transfo=_number(row["transfo"])),
        axes_se=Axes(tech=_number(row["tech_se"]), transfo=_number(row["transfo_se"])),
        axes_coverage=Axes(
            tech=_number(result.axis_coverage.at[org, "tech"]),
            transfo=_number(result.axis_coverage.at[org, "transfo"]),
        ),
        perception_gap=_number(row["perception_gap"]),
        perceived_maturity=_number(row["perceived_maturity"]),
        perceived_gap=_number(row["perceived_gap"]),
        context=Context(
            organisation_type=_text(row["declared_organisation_type"]),  # type: ignore[arg-type]
            dwellings=_number(row["dwellings"]),
            department=_text(row["department"]),
        ),
        dimensions={
            dim: DimensionScore(
                score=_number(result.dimension_scores.at[org, dim]),
                level=_text(result.dimension_levels.at[org, dim]),
                coverage=_number(result.dimension_coverage.at[org, dim]),
                dispersion=_number(result.dimension_dispersion.at[org, dim]),
                perception_gap=_number(result.dimension_perception_gap.at[org, dim]),
            )
            for dim in result.dimension_ids
        },
        items={item: _number(v) for item, v in result.item_scores.loc[org].items()},
        item_weights={
            item: float(_number(v) or 0.0)
            for item, v in result.item_weights.loc[org].items()
            if v > 0
        },
    )


def reference_file(result: ScoreResult) -> ScoresFile:
    return ScoresFile(
        questionnaire=QuestionnaireRef(
            id=result.questionnaire_id, version=result.questionnaire_version
        ),
        methodology=methodology_ref(result.methodology),
        organisations=tuple(reference_organisation(result, o) for o in result.organisations.index),
    )


def assert_written_as_the_records(result: ScoreResult) -> None:
    expected = reference_file(result)
    text = expected.dumps()
    assert result.dumps() == text
    assert "".join(result.json_chunks(batch=1)) == text
    assert "".join(result.json_chunks(batch=2)) == text
    assert result.to_file() == expected
    assert result.to_file().dumps() == text


# --- the engine's own results ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("questionnaire", "respondents"),
    [(WITH_TYPOLOGY, None), (WITH_TYPOLOGY, 1), (NAMED_AXES, None), (WITHOUT_TYPOLOGY, None)],
    ids=["hlm-2026", "hlm-2026-one-respondent", "named-axes", "no-typology"],
)
def test_a_simulated_wave_is_written_as_its_records(questionnaire, respondents):
    sector = simulate_sector(
        questionnaire,
        organisations=60,
        response_rate=0.5,
        seed=3,
        respondents_per_organisation=respondents,
    )
    assert_written_as_the_records(score_responses(questionnaire, sector.responses))


def test_the_keys_are_those_of_the_record_in_its_order():
    fields = OrganisationScores.model_fields
    assert tuple(field.alias or name for name, field in fields.items()) == ORGANISATION_KEYS


# --- random tables ---------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-4, max_value=1e-4),  # written with an exponent by json
    st.sampled_from(
        [
            0.0,
            -0.0,
            50.0,
            49.99999999999999,
            -8.1348e-06,
            1e-05,
            5e-11,
            4e-11,
            1e300,
            math.nan,
            123456789.123456789,
        ]
    ),
)
TEXTS = st.one_of(
    st.none(),
    st.just(math.nan),
    st.text(max_size=6),
    st.sampled_from(['say "hi"', "back\\slash", "tab\tnew\nline", "é\u2028\x7f\x1f", "75"]),
)
DIMENSIONS = ["strategie", "patrimoine"]
ITEMS = ["i_a", "i_b", "i_c"]
ROLES = ["direction", "support", "numerique"]


@st.composite
def score_results(draw) -> ScoreResult:
    questionnaire = draw(st.sampled_from([WITH_TYPOLOGY, NAMED_AXES, WITHOUT_TYPOLOGY]))
    ids = draw(st.lists(st.from_regex(r"[A-Z]{1,3}-[0-9]{1,3}", fullmatch=True), unique=True))
    n = len(ids)

    def numbers(columns: list[str]) -> pd.DataFrame:
        values = draw(st.lists(st.lists(NUMBERS, min_size=n, max_size=n), min_size=len(columns)))
        frame = pd.DataFrame(
            {c: pd.Series(v, dtype=float) for c, v in zip(columns, values, strict=False)},
            columns=columns,
        )
        return frame.set_axis(ids) if n else frame.set_axis(pd.Index([], dtype=object))

    def texts(choices: st.SearchStrategy) -> list[Any]:
        return draw(st.lists(choices, min_size=n, max_size=n))

    organisations = numbers(
        [
            "global",
            "tech",
            "transfo",
            "tech_se",
            "transfo_se",
            "perception_gap",
            "perceived_maturity",
            "perceived_score",
            "perceived_gap",
        ]
    )
    organisations.insert(
        0, "n_respondents", draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    )
    organisations["level"] = pd.Series(texts(TEXTS), index=organisations.index, dtype=object)
    organisations["family"] = pd.Series(
        texts(st.one_of(st.none(), st.sampled_from(FAMILIES))),
        index=organisations.index,
        dtype=object,
    )
    organisations["borderline"] = pd.Series(
        texts(st.sampled_from([True, False, None, np.True_, math.nan])),
        index=organisations.index,
        dtype=object,
    )
    organisations["declared_organisation_type"] = pd.Series(
        texts(st.one_of(st.none(), st.sampled_from(ORGANISATION_TYPES))),
        index=organisations.index,
        dtype=object,
    )
    organisations["dwellings"] = draw(
        st.sampled_from(
            [
                pd.Series(texts(st.integers(0, 10**6)), index=organisations.index, dtype="int64"),
                pd.Series(texts(NUMBERS), index=organisations.index, dtype=float),
            ]
        )
    )
    organisations["department"] = pd.Series(texts(TEXTS), index=organisations.index, dtype=object)
    roles = pd.DataFrame(
        {role: draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)) for role in ROLES},
        index=organisations.index,
        dtype="int64",
    )
    levels = pd.DataFrame(
        {dim: texts(TEXTS) for dim in DIMENSIONS}, index=organisations.index, dtype=object
    )
    weights = numbers(ITEMS)
    # a table in another row order is read by organisation, as `.loc` reads it
    if n > 1 and draw(st.booleans()):
        weights = weights.iloc[::-1]
    return ScoreResult(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        methodology=questionnaire.methodology,
        dimension_ids=DIMENSIONS,
        organisations=organisations,
        dimension_scores=numbers(DIMENSIONS),
        dimension_coverage=numbers(DIMENSIONS),
        dimension_levels=levels,
        dimension_dispersion=numbers(DIMENSIONS),
        dimension_perception_gap=numbers(DIMENSIONS),
        axis_coverage=numbers(["tech", "transfo"]),
        item_scores=numbers(ITEMS),
        item_weights=weights,
        roles=roles,
    )


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # rounding 1e300
@settings(max_examples=150, deadline=None)
@given(result=score_results())
def test_any_result_is_written_as_its_records(result: ScoreResult):
    assert_written_as_the_records(result)


# --- figures checked by hand ----------------------------------------------------------------


def hand_made(**changes: Any) -> ScoreResult:
    """One organisation, O-1, every number given; `changes` replace cells of its row."""
    row: dict[str, Any] = {
        "n_respondents": 2,
        "global": 49.99999999999999,  # rounded to 10 decimals: 50.0
        "level": "intermediaire",
        "tech": 1e-05,
        "transfo": -0.0,
        "tech_se": math.nan,
        "transfo_se": math.inf,
        "family": "prudent",
        "borderline": False,
        "perception_gap": -8.1348e-06,
        "perceived_maturity": 6.7,
        "perceived_score": 63.0,
        "perceived_gap": 1 / 3,
        "declared_organisation_type": None,
        "dwellings": 5848,
        "department": 'Paris "75"',
    } | changes
    index = pd.Index(["O-1"])
    one = pd.DataFrame({"strategie": [25.0]}, index=index)
    return ScoreResult(
        questionnaire_id=WITH_TYPOLOGY.id,
        questionnaire_version=WITH_TYPOLOGY.version,
        methodology=WITH_TYPOLOGY.methodology,
        dimension_ids=["strategie"],
        organisations=pd.DataFrame([row], index=index),
        dimension_scores=one,
        dimension_coverage=one * 0 + 1.0,
        dimension_levels=pd.DataFrame({"strategie": ["faible"]}, index=index),
        dimension_dispersion=one * math.nan,
        dimension_perception_gap=one * 0 + 2.5e-10,
        axis_coverage=pd.DataFrame({"tech": [1.0], "transfo": [0.75]}, index=index),
        item_scores=pd.DataFrame({"a": [math.nan], "b": [100.0]}, index=index),
        item_weights=pd.DataFrame({"a": [0.0], "b": [4e-11]}, index=index),
        roles=pd.DataFrame({"direction": [2], "support": [0]}, index=index),
    )


def test_a_record_is_written_as_json_writes_it():
    text = hand_made().dumps()
    start = text.index('  "organisations": [\n') + len('  "organisations": [\n')
    assert text[start:] == (
        "    {\n"
        '      "organisation_id": "O-1",\n'
        '      "n_respondents": 2,\n'
        '      "respondents_by_role": {\n'
        '        "direction": 2\n'
        "      },\n"
        '      "global": 50.0,\n'
        '      "level": "intermediaire",\n'
        '      "family": "prudent",\n'
        '      "borderline": false,\n'
        '      "axes": {\n'
        '        "tech": 1e-05,\n'
        '        "transfo": 0.0\n'
        "      },\n"
        '      "axes_se": {\n'
        '        "tech": null,\n'
        '        "transfo": null\n'
        "      },\n"
        '      "axes_coverage": {\n'
        '        "tech": 1.0,\n'
        '        "transfo": 0.75\n'
        "      },\n"
        '      "perception_gap": -8.1348e-06,\n'
        '      "perceived_maturity": 6.7,\n'
        '      "perceived_gap": 0.3333333333,\n'
        '      "context": {\n'
        '        "organisation_type": null,\n'
        '        "dwellings": 5848.0,\n'
        '        "department": "Paris \\"75\\""\n'
        "      },\n"
        '      "dimensions": {\n'
        '        "strategie": {\n'
        '          "score": 25.0,\n'
        '          "level": "faible",\n'
        '          "coverage": 1.0,\n'
        '          "dispersion": null,\n'
        '          "perception_gap": 2e-10\n'
        "        }\n"
        "      },\n"
        '      "items": {\n'
        '        "a": null,\n'
        '        "b": 100.0\n'
        "      },\n"
        '      "item_weights": {\n'
        '        "b": 0.0\n'  # positive, but 0 at 10 decimals
        "      }\n"
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_without_a_typology_no_family_borderline_or_axes():
    result = hand_made()
    result = ScoreResult(
        **{**result.__dict__, "methodology": WITHOUT_TYPOLOGY.methodology}  # type: ignore[arg-type]
    )
    organisation = json.loads(result.dumps())["organisations"][0]
    assert list(organisation) == [
        key
        for key in ORGANISATION_KEYS
        if key not in ("family", "borderline", "axes", "axes_se", "axes_coverage")
    ]


def test_no_organisation_is_an_empty_list():
    result = hand_made()
    empty = ScoreResult(
        **{
            name: value.iloc[:0] if isinstance(value, pd.DataFrame) else value
            for name, value in result.__dict__.items()
        }
    )
    text = empty.dumps()
    assert text.endswith('  "organisations": []\n}\n')
    assert json.loads(text)["organisations"] == []


def test_a_family_outside_the_vocabulary_is_refused_before_anything_is_written():
    chunks = hand_made(family="audacieux").json_chunks()
    with pytest.raises(ValueError, match="family: not in the vocabulary: \\['audacieux'\\]"):
        next(chunks)
