"""Structural promises of the reference questionnaire `hlm-2026`.

The questionnaire is content, but the reports, the typology and the wave comparisons rely on its
shape: the dimension ids, a fact indicator in each dimension, axes on every scored item, both
axes well represented, every role asked something, the context items and an English
translation of every text. These tests pin that shape.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pandas as pd
import pytest
import yaml
from pydantic import BaseModel

from barometre.questionnaire import builtin_path, effective_options, load_questionnaire
from barometre.questionnaire.models import Item, Localized, Methodology, Questionnaire
from barometre.scoring import score_responses

DIMENSION_IDS = [
    "strategie",
    "relation_locataire",
    "patrimoine",
    "outils_internes",
    "donnees_securite",
    "competences_culture",
    "inclusion_responsable",
    "innovation",
]
ROLES = ["direction", "numerique", "clientele", "patrimoine", "proximite", "support"]
KINDS = {"scale", "single", "multi", "status", "percent", "number", "yesno", "text"}
LEVELS = ["tres_faible", "faible", "intermediaire", "avancee"]

#: Dimensions without a fact indicator (percent/number), each with the reason. Every dimension
#: of hlm-2026 has one, so this stays empty; add an entry here, with its reason, before removing
#: the last fact indicator of a dimension.
DIMENSIONS_WITHOUT_FACT: dict[str, str] = {}


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire("hlm-2026")


def facts(q: Questionnaire) -> list[Item]:
    return [i for i in q.scored_items if i.kind in {"percent", "number"}]


def localized_texts(node: object, where: str = "") -> Iterator[tuple[str, Localized]]:
    """Every localized text of a model, with its path (labels, helps, options, rows...)."""
    if isinstance(node, Localized):
        yield where, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from localized_texts(getattr(node, name), f"{where}.{name}")
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            label = getattr(value, "id", None) or getattr(value, "code", None) or index
            yield from localized_texts(value, f"{where}[{label}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from localized_texts(value, f"{where}.{key}")


# --- loading -----------------------------------------------------------------------------------


def test_loads_by_builtin_name_from_the_package(questionnaire):
    assert builtin_path("hlm-2026").is_file()
    assert questionnaire.id == "hlm-2026"
    assert questionnaire.version == "2026.1"


def test_methodology_block_is_written_out_and_equals_the_defaults(questionnaire):
    raw = yaml.safe_load(builtin_path("hlm-2026").read_text(encoding="utf-8"))
    written = raw["methodology"]
    assert set(written) == {
        "version",
        "coverage_threshold",
        "levels",
        "typology",
        "borderline",
        "status_ladder",
        "disclosure_minimum",
        "calibration_min_cell",
        "variance",
        "recommendation",
    }
    assert questionnaire.methodology == Methodology()
    # at least 5 organisations behind any figure that leaves an organisation (methodology §6-7)
    assert (written["disclosure_minimum"], written["calibration_min_cell"]) == (5, 5)
    # methodology §8: effort costs S 1, M 2, L 3, family factor 1.5, horizons 0-6, 6-18, 18-36
    assert written["recommendation"] == {
        "effort_cost": {"S": 1, "M": 2, "L": 3},
        "effort_horizon": {"S": 0, "M": 1, "L": 2},
        "horizons": ["0-6", "6-18", "18-36"],
        "family_factor": 1.5,
        "roadmap_size": 8,
    }
    assert [(s["code"], s["score"]) for s in written["status_ladder"]] == [
        ("not_considered", 0),
        ("planned", 10),
        ("piloting", 40),
        ("partial", 70),
        ("generalised", 100),
    ]


# --- dimensions and items ----------------------------------------------------------------------


def test_roles_are_the_six_sector_roles(questionnaire):
    assert [r.code for r in questionnaire.roles] == ROLES


def test_dimensions_have_the_expected_ids_and_every_level_descriptor(questionnaire):
    ids = [d.id for d in questionnaire.dimensions]
    assert len(ids) >= 8
    assert ids[: len(DIMENSION_IDS)] == DIMENSION_IDS
    for dimension in questionnaire.dimensions:
        assert dimension.description is not None, dimension.id
        assert sorted(dimension.descriptors) == sorted(LEVELS), dimension.id


def test_item_count_and_kinds(questionnaire):
    assert 50 <= len(questionnaire.items) <= 90
    assert {i.kind for i in questionnaire.items} == KINDS


def test_each_dimension_has_enough_items_for_the_coverage_rule(questionnaire):
    per_dimension = Counter(i.dimension for i in questionnaire.scored_items)
    for dimension_id in DIMENSION_IDS:
        assert per_dimension[dimension_id] >= 5, dimension_id


def test_each_dimension_has_items_answered_by_several_roles(questionnaire):
    for dimension_id in DIMENSION_IDS:
        shared = [
            i
            for i in questionnaire.scored_items
            if i.dimension == dimension_id and len(i.roles) >= 2
        ]
        assert len(shared) >= 3, dimension_id


def test_every_scored_item_has_dimension_axis_and_roles(questionnaire):
    for item in questionnaire.scored_items:
        assert item.dimension in DIMENSION_IDS, item.id
        assert item.axis in {"tech", "transfo"}, item.id
        assert item.roles, item.id


def test_every_role_is_asked_scored_questions(questionnaire):
    asked = Counter(role for item in questionnaire.scored_items for role in item.roles)
    for role in ROLES:
        assert asked[role] >= 5, role


def test_direction_answers_the_strategy(questionnaire):
    strategy = [i for i in questionnaire.scored_items if i.dimension == "strategie"]
    assert sum("direction" in i.roles for i in strategy) >= len(strategy) // 2


# --- fact indicators ---------------------------------------------------------------------------


def test_each_dimension_has_a_fact_indicator_or_a_stated_exception(questionnaire):
    with_fact = {i.dimension for i in facts(questionnaire)}
    for dimension_id in DIMENSION_IDS:
        if dimension_id in DIMENSIONS_WITHOUT_FACT:
            assert dimension_id not in with_fact, f"{dimension_id} has a fact now: drop the entry"
        else:
            assert dimension_id in with_fact, dimension_id


def test_fact_indicators_are_complete(questionnaire):
    for item in facts(questionnaire):
        assert item.goalposts is not None, item.id
        assert item.better in {"higher", "lower"}, item.id
        assert item.unit is not None, item.id
        assert item.reference_role in item.roles, item.id
        if item.kind == "percent":
            assert min(item.goalposts.worst, item.goalposts.best) >= 0, item.id
            assert max(item.goalposts.worst, item.goalposts.best) <= 100, item.id


def test_emails_per_employee_is_lower_is_better(questionnaire):
    emails = questionnaire.item("int_emails")
    assert emails.kind == "number"
    assert emails.better == "lower"
    assert emails.goalposts.best < emails.goalposts.worst


# --- option kinds ------------------------------------------------------------------------------


def test_scored_scales_explain_every_level(questionnaire):
    for item in questionnaire.scored_items:
        if item.kind == "scale":
            assert all(o.description is not None for o in item.options), item.id


def test_status_tables_have_three_to_six_rows(questionnaire):
    tables = [i for i in questionnaire.items if i.kind == "status"]
    assert len(tables) >= 2
    for item in tables:
        assert 3 <= len(item.rows) <= 6, item.id


def test_multi_items_have_a_none_of_these_option(questionnaire):
    multis = [i for i in questionnaire.scored_items if i.kind == "multi"]
    assert multis
    for item in multis:
        exclusive = [o for o in item.options if o.exclusive]
        assert len(exclusive) == 1, item.id


def test_text_items_are_open_comments(questionnaire):
    texts = [i for i in questionnaire.items if i.kind == "text" and i.context is None]
    assert 1 <= len(texts) <= 2
    for item in texts:
        assert not item.is_scored
        assert set(item.roles) == set(ROLES), item.id


# --- context -----------------------------------------------------------------------------------


def test_perceived_maturity_self_rating(questionnaire):
    item = questionnaire.context_item("perceived_maturity")
    assert item is not None
    assert item.kind == "scale"
    assert not item.is_scored
    assert [o.code for o in item.options] == [str(n) for n in range(1, 11)]
    assert set(item.roles) == set(ROLES)


def test_organisation_type_context_item(questionnaire):
    item = questionnaire.context_item("organisation_type")
    assert item is not None
    assert item.kind == "single"
    assert not item.is_scored
    assert {o.code: o.label.fr for o in item.options} == {
        "OPH": "Office public de l'habitat",
        "ESH": "Entreprise sociale pour l'habitat",
        "COOP": "Société coopérative d'HLM",
        "SEM": "Société d'économie mixte (EPL)",
    }
    assert "direction" in item.roles


def test_dwellings_and_department_context_items(questionnaire):
    dwellings = questionnaire.context_item("dwellings")
    assert dwellings is not None
    assert dwellings.kind == "number"
    assert not dwellings.is_scored
    assert dwellings.minimum == 0
    assert dwellings.unit.fr == "logements"
    assert "direction" in dwellings.roles

    department = questionnaire.context_item("department")
    assert department is not None
    assert department.kind == "text"
    assert "direction" in department.roles


# --- languages ---------------------------------------------------------------------------------


def test_every_text_has_an_english_translation(questionnaire):
    texts = list(localized_texts(questionnaire))
    assert len(texts) > 500
    missing = [where for where, text in texts if not text.en]
    assert missing == []


# --- axes and typology -------------------------------------------------------------------------


def test_both_axes_carry_between_35_and_65_percent_of_scored_weight(questionnaire):
    weight = Counter()
    for item in questionnaire.scored_items:
        weight[item.axis] += item.weight
    total = weight["tech"] + weight["transfo"]
    for axis in ("tech", "transfo"):
        assert 0.35 <= weight[axis] / total <= 0.65, (axis, weight)


def _answers(q: Questionnaire, best_axis: set[str]) -> pd.DataFrame:
    """One respondent per role; best answers on the axes in `best_axis`, worst on the others."""
    rows = []
    for item in q.scored_items:
        best = item.axis in best_axis
        options = effective_options(item, q.methodology)
        if item.kind in {"percent", "number"}:
            value = item.goalposts.best if best else item.goalposts.worst
            answer = f"{value:g}"
        elif item.kind == "multi":
            plain = [o.code for o in options if not o.exclusive]
            none = [o.code for o in options if o.exclusive]
            answer = "|".join(plain) if best else none[0]
        else:
            ranked = sorted(options, key=lambda o: o.score)
            answer = (ranked[-1] if best else ranked[0]).code
        fields = [f"{item.id}.{r.id}" for r in item.rows] if item.kind == "status" else [item.id]
        for role in item.roles:
            for field in fields:
                rows.append(("org", f"r-{role}", role, field, answer))
    columns = ["organisation_id", "respondent_id", "role", "item_id", "answer"]
    return pd.DataFrame(rows, columns=columns)


@pytest.mark.parametrize(
    ("best_axis", "family"),
    [
        ({"tech", "transfo"}, "pionnier"),
        ({"tech"}, "timide"),
        (set(), "conservateur"),
        ({"transfo"}, "prudent"),
    ],
)
def test_axes_separate_the_families(questionnaire, best_axis, family):
    """Equipment without measured usage, buy-in or value comes out timide, and so on."""
    result = score_responses(questionnaire, _answers(questionnaire, best_axis))
    organisation = result.organisations.loc["org"]
    assert organisation["family"] == family
    assert result.dimension_scores.loc["org"].notna().all()
