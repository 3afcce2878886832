"""A large responses table is checked and scored in parts (issue 14: a million respondents in
a few gigabytes): the result is the same, number for number and text for text, as in one go,
and so are the problems and their order, whatever the size of the parts."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.errors import ResponsesError
from barometre.files import csv_text
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring import engine
from barometre.scoring.response_rows import ResponseRows
from barometre.scoring.responses_file import read_responses
from barometre.scoring.result import ScoreResult
from barometre.simulate import simulate_sector

QUESTIONNAIRES = ["hlm-2026", "example-data-pathway", "example-digital-services"]
WHOLE = 10**12  # parts larger than any table: one go


@cache
def sector(name: str, organisations: int = 90, seed: int = 5):
    questionnaire = load_questionnaire(name)
    responses = simulate_sector(
        questionnaire, organisations=organisations, response_rate=1.0, seed=seed
    ).responses
    return questionnaire, build_field_tables(questionnaire), responses


def assert_same(whole: ScoreResult, parts: ScoreResult) -> None:
    for name in ScoreResult.__dataclass_fields__:
        expected, got = getattr(whole, name), getattr(parts, name)
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
        else:
            assert got == expected, name
    assert parts.dumps() == whole.dumps()


@pytest.mark.parametrize("name", QUESTIONNAIRES)
def test_parts_of_organisations_and_of_respondents_give_the_same_scores(name: str):
    questionnaire, tables, responses = sector(name)
    whole = engine.score_responses(questionnaire, responses, tables=tables, part_rows=WHOLE)
    assert len(whole.organisations) == 90
    people = int(whole.organisations["n_respondents"].sum())
    assert people > 2 * 64  # enough respondents for parts of 64
    for part_rows, part_people in ((len(responses) // 7, 64), (300, 128), (1, 64)):
        parts = engine.score_responses(
            questionnaire, responses, tables=tables, part_rows=part_rows, part_people=part_people
        )
        assert_same(whole, parts)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    part_rows=st.integers(1, 20_000),
    part_people=st.sampled_from([64, 128, 192]),
    shuffle=st.integers(0, 2**32 - 1),
)
def test_any_parts_of_a_file_in_any_order_give_the_same_scores(part_rows, part_people, shuffle):
    """The rows of a file need not be sorted: a part takes whole organisations wherever
    their rows are, in the file's order."""
    questionnaire, tables, responses = sector("hlm-2026")
    order = np.random.default_rng(shuffle).permutation(len(responses))
    shuffled = responses.iloc[order].reset_index(drop=True)
    whole = engine.score_responses(questionnaire, shuffled, tables=tables, part_rows=WHOLE)
    parts = engine.score_responses(
        questionnaire, shuffled, tables=tables, part_rows=part_rows, part_people=part_people
    )
    assert_same(whole, parts)


def problems_of(run) -> list[tuple[str, str, str]]:
    with pytest.raises(ResponsesError) as caught:
        run()
    return [(p.location, p.code, p.message) for p in caught.value.problems]


def test_the_problems_are_the_same_in_the_same_order():
    questionnaire, tables, responses = sector("hlm-2026")
    broken = responses.copy()
    last = len(broken) - 1
    broken.loc[3, "item_id"] = "no_such_item"  # first organisation
    broken.loc[last, "answer"] = "not an option"  # last organisation
    broken.loc[last - 5, "role"] = "nobody"
    broken = pd.concat([broken, broken.iloc[[10, 10]]], ignore_index=True)  # answered thrice

    def run(part_rows: int):
        return lambda: engine.score_responses(
            questionnaire, broken, tables=tables, part_rows=part_rows, part_people=64
        )

    expected = problems_of(run(WHOLE))
    assert {code for _, code, _ in expected} >= {"unknown_item", "duplicate_answer"}
    for part_rows in (1, 500, 5000):
        assert problems_of(run(part_rows)) == expected


def test_a_respondent_of_two_organisations_of_different_parts_is_told():
    questionnaire, tables, responses = sector("hlm-2026")
    broken = responses.copy()
    first, last = broken["organisation_id"].iloc[0], broken["organisation_id"].iloc[-1]
    assert first != last
    moved = broken.index[broken["respondent_id"] == broken["respondent_id"].iloc[0]][-1]
    broken.loc[moved, "organisation_id"] = last
    expected = problems_of(
        lambda: engine.score_responses(questionnaire, broken, tables=tables, part_rows=WHOLE)
    )
    assert [code for _, code, _ in expected] == ["inconsistent_respondent"]
    assert (
        problems_of(
            lambda: engine.score_responses(questionnaire, broken, tables=tables, part_rows=1)
        )
        == expected
    )


def test_a_part_of_the_rows_is_coded_as_its_own_table():
    _, _, responses = sector("hlm-2026")
    rows = ResponseRows.of_frame(responses)
    at = np.flatnonzero(responses["organisation_id"].isin(["SYN-0007", "SYN-0003"]).to_numpy())
    part = rows.take(at)
    alone = ResponseRows.of_frame(responses.iloc[at].reset_index(drop=True))
    for name, column in alone.columns.items():
        assert part.columns[name].values.tolist() == column.values.tolist(), name
        assert part.columns[name].codes.tolist() == column.codes.tolist(), name
    assert part.line.tolist() == (at + 2).tolist()


@pytest.mark.parametrize("quoted", [False, True], ids=["read as codes", "read as text"])
def test_a_file_is_scored_as_its_table(tmp_path, quoted: bool):
    questionnaire, tables, responses = sector("hlm-2026")
    text = csv_text(responses)
    if quoted:  # a quote: the file is read as text, by read_responses
        text = text.replace("\nSYN-0002,", '\n"SYN-0002",', 1)
    path = tmp_path / "responses.csv"
    path.write_text(text, encoding="utf-8")
    expected = engine.score_responses(
        questionnaire, read_responses(path), source=str(path), tables=tables
    )
    assert_same(expected, engine.score_responses_file(questionnaire, path, tables=tables))
    # In parts, from the file's int32 codes (or its table of texts).
    parts = engine.score_responses_file(questionnaire, path, tables=tables, part_rows=2_000)
    assert_same(expected, parts)


def test_a_bad_file_tells_the_same_problems_whichever_reader(tmp_path):
    questionnaire, _tables, responses = sector("hlm-2026")
    broken = responses.copy()
    broken.loc[5, "item_id"] = "no_such_item"
    path = tmp_path / "responses.csv"
    path.write_text(csv_text(broken), encoding="utf-8")
    expected = problems_of(
        lambda: engine.score_responses(questionnaire, read_responses(path), source=str(path))
    )
    assert expected and expected[0][0] == f"{path}:7"
    assert problems_of(lambda: engine.score_responses_file(questionnaire, path)) == expected


@pytest.mark.parametrize("part_people", [100, 0, -64])
def test_parts_of_respondents_must_start_at_multiples_of_64(part_people: int):
    questionnaire, tables, responses = sector("hlm-2026")
    with pytest.raises(ValueError, match="positive multiple of 64"):
        engine.score_responses(questionnaire, responses, tables=tables, part_people=part_people)
