"""Bad responses give a clear error naming the line and the reason; nothing is scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.errors import ResponsesError
from barometre.scoring import score_responses
from barometre.scoring.responses_file import read_responses
from tests.helpers import responses, tiny_questionnaire

HEADER = "organisation_id,respondent_id,role,item_id,answer\n"


def errors_of(rows) -> list:
    with pytest.raises(ResponsesError) as caught:
        score_responses(tiny_questionnaire(), responses(rows), source="r.csv")
    return caught.value.problems


def test_unknown_item():
    [problem] = errors_of(
        [("O", "R", "numerique", "a_scale", "2"), ("O", "R", "numerique", "nope", "2")]
    )
    assert problem.location == "r.csv:3"
    assert problem.code == "unknown_item"
    assert "'nope'" in problem.message


def test_a_status_table_is_answered_row_by_row():
    [problem] = errors_of([("O", "R", "numerique", "a_status", "planned")])
    assert "ITEM.ROW" in problem.message


@pytest.mark.parametrize(
    ("item", "answer", "code"),
    [
        ("a_scale", "7", "not_an_option"),
        ("a_multi", "p|zz", "not_an_option_multi"),
        ("a_multi", "p|none", "exclusive_combined"),
        ("a_multi", "p|p", "repeated_option"),
        ("a_pct", "beaucoup", "not_a_number"),
        ("b_mail", "inf", "not_a_number"),
        ("a_pct", "120", "out_of_range"),
        ("b_mail", "-3", "out_of_range"),
        ("b_sponsor", "oui", "not_an_option"),
    ],
)
def test_answers_outside_the_options(item, answer, code):
    [problem] = errors_of([("O", "R", "numerique", item, answer)])
    assert problem.code == code
    assert problem.location == "r.csv:2"
    assert f"'{answer}'" in problem.message


def test_the_options_are_listed():
    [problem] = errors_of([("O", "R", "numerique", "b_plan", "maybe")])
    assert "options: none, draft, done; or NA, DK" in problem.message


def test_role_rules():
    found = errors_of(
        [
            ("O", "R1", "stagiaire", "a_scale", "2"),
            ("O", "R2", "direction", "a_pct", "20"),  # a_pct is not asked to direction
            ("O", "R3", "numerique", "a_scale", "1"),
            ("O", "R3", "clientele", "a_single", "x"),  # same respondent, another role
            ("O", "R4", "numerique", "a_scale", "1"),
            ("O", "R4", "numerique", "a_scale", "2"),  # answered twice
        ]
    )
    assert [p.code for p in found] == [
        "unknown_role",
        "role_not_asked",
        "inconsistent_respondent",
        "duplicate_answer",
    ]
    assert [p.location for p in found] == ["r.csv:2", "r.csv:3", "r.csv:5", "r.csv:7"]


def test_every_problem_is_reported_in_line_order():
    found = errors_of(
        [
            ("O", "R", "numerique", "zz", "1"),
            ("O", "R", "numerique", "a_pct", "x"),
            ("O", "R", "numerique", "a_scale", "9"),
        ]
    )
    assert [p.location for p in found] == ["r.csv:2", "r.csv:3", "r.csv:4"]


def test_missing_column(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        "organisation_id,respondent_id,item_id,answer\nO,R,a_scale,2\n", encoding="utf-8"
    )
    with pytest.raises(ResponsesError) as caught:
        read_responses(path)
    assert caught.value.problems[0].code == "missing_column"
    assert "role" in caught.value.problems[0].message


def test_malformed_csv_names_the_line(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        HEADER + "O,R,numerique,a_scale,2\nO,R,numerique,a_single,x,extra\n", encoding="utf-8"
    )
    with pytest.raises(ResponsesError) as caught:
        read_responses(path)
    problem = caught.value.problems[0]
    assert problem.location == f"{path}:3"
    assert problem.message == "6 fields where the header has 5"


@pytest.mark.parametrize(
    ("raw", "line", "code", "told"),
    [
        # 0x81 is neither UTF-8 nor Windows-1252 (where it is undefined).
        (
            HEADER.encode() + b"O,R,numerique,ctx_comment,trop de r\x81unions\n",
            2,
            "not_text",
            "byte 0x81",
        ),
        ((HEADER + "O,R,numerique,a_scale,2\n").encode("utf-16"), 1, "not_text_utf16", "UTF-16"),
    ],
    ids=["undefined-byte", "utf-16"],
)
def test_not_text(tmp_path: Path, raw: bytes, line: int, code: str, told: str):
    path = tmp_path / "r.csv"
    path.write_bytes(raw)
    with pytest.raises(ResponsesError) as caught:
        read_responses(path)
    [problem] = caught.value.problems
    assert (problem.location, problem.code) == (f"{path}:{line}", code)
    assert told in problem.message
    assert "save" in problem.message and "CSV UTF-8" in problem.message
    assert str(path) in str(caught.value)


def test_a_windows_1252_file_with_semicolons_is_read(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_bytes(  # as French Excel saves "CSV (séparateur : point-virgule)"
        b"organisation_id;respondent_id;role;item_id;answer\r\n"
        b"O;R;numerique;ctx_comment;trop de r\xe9unions, 5 \x80 l\x92unit\xe9\r\n"
        b"O;R;numerique;a_pct;12,5\r\n"
        b";;;;\r\n"
    )
    table = read_responses(path)
    assert table.to_dict("list") == {
        "organisation_id": ["O", "O"],
        "respondent_id": ["R", "R"],
        "role": ["numerique", "numerique"],
        "item_id": ["ctx_comment", "a_pct"],
        "answer": ["trop de réunions, 5 € l’unité", "12,5"],
        "line": [2, 3],
    }


def test_na_is_read_as_not_applicable_not_as_missing(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        HEADER + "O,R,numerique,a_scale,NA\nO,R,numerique,a_single,\n", encoding="utf-8"
    )
    table = read_responses(path)
    assert list(table["answer"]) == ["NA", ""]
    assert list(table["line"]) == [2, 3]
