"""Identifiers, lengths and NUL characters in a responses file (issue 10, findings 8, 10 and
11): each refused with its line and column, nothing scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.errors import ResponsesError
from barometre.scoring import score_responses
from barometre.scoring.answers import MAX_ANSWER_LENGTH
from barometre.scoring.responses_file import read_responses
from tests.helpers import responses, tiny_questionnaire


def errors_of(rows) -> list:
    with pytest.raises(ResponsesError) as caught:
        score_responses(tiny_questionnaire(), responses(rows), source="r.csv")
    return caught.value.problems


@pytest.mark.parametrize(
    "identifier",
    ["../../../x", "a/b", "a\\b", ".", "..", "O 1", "é", "x" * 65, "O1\x00", "O1;DROP"],
)
@pytest.mark.parametrize("column", ["organisation_id", "respondent_id"])
def test_an_identifier_outside_the_safe_characters_is_refused(identifier: str, column: str):
    row = {"organisation_id": "O1", "respondent_id": "R1"} | {column: identifier}
    [found] = errors_of(
        [(row["organisation_id"], row["respondent_id"], "numerique", "a_scale", "2")]
    )
    assert (found.code, found.location) == ("invalid_identifier", "r.csv:2")
    assert found.message.startswith(f"{column} '")
    assert "1 to 64 letters (A-Z, a-z), digits, '-', '_' or '.'" in found.message


@pytest.mark.parametrize("identifier", ["O1", "SYN-0003", "a.b_c-D", "x" * 64, "..."])
def test_safe_identifiers_are_accepted(identifier: str):
    result = score_responses(
        tiny_questionnaire(),
        responses([(identifier, identifier, "numerique", "a_scale", "2")]),
    )
    assert list(result.organisations.index) == [identifier]


def test_a_text_answer_is_at_most_the_limit_once_stripped():
    limit = "y" * MAX_ANSWER_LENGTH
    score_responses(
        tiny_questionnaire(),
        responses([("O1", "R1", "direction", "ctx_comment", f"  {limit}  ")]),
    )
    [found] = errors_of(
        [
            ("O1", "R1", "direction", "a_scale", "2"),
            ("O1", "R1", "direction", "ctx_comment", "z" * 2_000_000),
        ]
    )
    assert (found.code, found.location) == ("answer_too_long_in_file", "r.csv:3")
    assert found.message == (
        "the answer to item 'ctx_comment' has 2000000 characters: at most 4000"
    )


def test_a_long_answer_to_a_coded_item_is_told_once_and_never_quoted_whole():
    [found] = errors_of([("O1", "R1", "direction", "a_scale", "9" * 10_000)])
    assert found.code == "answer_too_long_in_file"
    assert len(found.message) < 100


def test_a_nul_character_in_an_answer_is_refused():
    [found] = errors_of([("O1", "R1", "direction", "ctx_comment", "before\x00after")])
    assert (found.code, found.location) == ("nul_character", "r.csv:2")
    assert "'answer'" in found.message


def test_other_problems_quote_an_excerpt_of_the_value():
    [found] = errors_of([("O1", "R1", "direction", "a_single", "w" * 3000)])
    assert found.code == "not_an_option"
    assert len(found.message) < 200


def test_a_responses_file_with_a_path_for_an_organisation_is_refused(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        "organisation_id,respondent_id,role,item_id,answer\n"
        "O1,R1,numerique,a_scale,2\n"
        "../../../x,R2,numerique,a_scale,2\n",
        encoding="utf-8",
    )
    with pytest.raises(ResponsesError) as caught:
        score_responses(tiny_questionnaire(), read_responses(path), source=str(path))
    [found] = caught.value.problems
    assert (found.code, found.location) == ("invalid_identifier", f"{path}:3")
