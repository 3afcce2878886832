"""Errors in CSV files name the physical line of the file: after blank lines, after quoted cells
holding line breaks, for every line end. The expected lines are counted by hand in each file
below (line 1 is the first line of the file), or, in the property test, by the writer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import FrameError, InputError, ResponsesError
from barometre.organisations import FRAME_COLUMNS, read_frame
from barometre.questionnaire import build_field_tables
from barometre.scoring.answers import RESPONSE_COLUMNS, score_answers
from barometre.scoring.responses_file import read_responses
from barometre.tabular import parse_csv_text, read_csv_upload
from tests.helpers import tiny_questionnaire

TABLES = build_field_tables(tiny_questionnaire())
HEADER = ",".join(RESPONSE_COLUMNS)


def locations(caught: pytest.ExceptionInfo) -> list[tuple[str, str]]:
    return [(p.location, p.code) for p in caught.value.problems]


def score_file(path: Path) -> None:
    score_answers(read_responses(path), TABLES, str(path))


# --- counted by hand ----------------------------------------------------------------------


def test_a_bad_row_after_blank_lines_is_on_its_own_line(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER}\n"  # 1
        "O1,R1,numerique,a_scale,3\n"  # 2
        "\n"  # 3 blank
        ",,,,\n"  # 4 only separators
        "O1,R1,numerique,nope,1\n",  # 5 the bad row
        encoding="utf-8",
    )
    with pytest.raises(ResponsesError) as caught:
        score_file(path)
    assert locations(caught) == [(f"{path}:5", "unknown_item")]


def test_a_bad_row_after_a_cell_over_several_lines(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER}\r\n"  # 1
        'O1,R1,numerique,ctx_comment,"first line\r\n'  # 2 a cell that goes on
        "second line\r\n"  # 3
        '""quoted"" third line"\r\n'  # 4 the cell ends
        "\r\n"  # 5 blank
        "O1,R1,numerique,a_scale,9\r\n"  # 6 not an option
        ",,,,\r\n"  # 7 what Excel leaves
        "O1,R1,numerique,a_pct,140\r\n",  # 8 out of range
        encoding="utf-8",
    )
    with pytest.raises(ResponsesError) as caught:
        score_file(path)
    assert locations(caught) == [
        (f"{path}:6", "not_an_option"),
        (f"{path}:8", "out_of_range"),
    ]


def test_a_frame_row_after_blank_lines_and_a_name_over_two_lines(tmp_path: Path):
    def row(organisation: str, name: str, department: str) -> str:
        values = {
            "organisation_id": organisation,
            "name": name,
            "dwellings": "1200",
            "department": department,
        }
        # the legal form's column, whatever its name: any cell that is not one of the above
        return ";".join(values.get(column, "OPH") for column in FRAME_COLUMNS)

    path = tmp_path / "frame.csv"
    path.write_bytes(
        (
            ";".join(FRAME_COLUMNS) + "\r\n"  # 1
            ";;;;\r\n"  # 2 blank
            + row("A1", '"Office\r\nAlpha"', "59")  # 3 and 4: the name holds a line break
            + "\r\n"
            + "\r\n"  # 5 blank
            + row("A2", "Beta", "99")  # 6 no department 99
            + "\r\n"
        ).encode("cp1252")
    )
    with pytest.raises(FrameError) as caught:
        read_frame(path)
    assert locations(caught) == [(f"{path}:6", "unknown_department")]


def test_a_lone_quote_on_a_line_of_its_own_is_reported_there():
    text = 'a,b\n1,2\n\n"\n3,4\n'  # 1 header, 2 a row, 3 blank, 4 the quote opens (never closed)
    with pytest.raises(InputError) as caught:
        parse_csv_text(text, ["a", "b"], InputError, "f")
    assert locations(caught) == [("f:4", "malformed_row_unclosed_quote")]


def test_a_lone_quote_after_the_last_row_is_reported_on_its_line():
    # a quote alone reads as a blank cell: its record is skipped, not its line
    with pytest.raises(InputError) as caught:
        parse_csv_text('a,b\n1,2\n"\n', ["a", "b"], InputError, "f")
    assert locations(caught) == [("f:3", "malformed_row_unclosed_quote")]


def test_a_record_too_long_to_read_is_reported_where_it_starts():
    default = csv.field_size_limit(8)
    try:
        # 1 header, 2 a row, 3 blank, 4-5 a record whose cell ("x\nyyyyyyyy") is too long
        text = 'a,b\n1,2\n\n3,"x\nyyyyyyyy"\n'
        with pytest.raises(InputError) as caught:
            parse_csv_text(text, ["a", "b"], InputError, "f")
    finally:
        csv.field_size_limit(default)
    assert locations(caught) == [("f:4", "malformed_row_unreadable")]
    assert "field larger than field limit" in caught.value.problems[0].message


# --- random blank lines, cells over several lines, line ends -------------------------------

#: Rows the tiny questionnaire accepts, one respondent each (no duplicate answers).
GOOD = [
    ("numerique", "a_scale", "3"),
    ("numerique", "a_pct", "40"),
    ("direction", "b_mail", "12,5"),
    ("clientele", "a_multi", "p|q"),
    ("numerique", "ctx_comment", "one line"),
    ("numerique", "ctx_comment", "two\nlines"),
    ("clientele", "ctx_comment", 'a "quote", a\r\nCRLF and\rCR'),
    ("direction", "ctx_comment", "\n\nblank lines inside\n\n"),
]
#: A row the engine refuses, with the code it reports.
BAD = [
    (("numerique", "nope", "1"), "unknown_item"),
    (("numerique", "a_scale", "9"), "not_an_option"),
    (("numerique", "a_pct", "101"), "out_of_range"),
    (("direction", "a_pct", "5"), "role_not_asked"),
]
#: Lines without a row: every cell blank (this file's separator is the comma).
BLANK = ["", " ", ",,,,", '""', ' ,"", ', "\t", "\xa0"]


@settings(max_examples=150, deadline=None)
@given(
    line_ending=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    pieces=st.lists(
        st.one_of(
            st.tuples(st.just("blank"), st.sampled_from(BLANK)),
            st.tuples(st.just("good"), st.sampled_from(GOOD)),
        ),
        max_size=12,
    ),
    bad=st.lists(st.sampled_from(BAD), min_size=1, max_size=3),
    where=st.lists(st.integers(0, 12), min_size=3, max_size=3),
    quote_all=st.booleans(),
)
def test_the_reported_line_is_the_physical_line_of_the_bad_row(
    line_ending, encoding, pieces, bad, where, quote_all
):
    # csv.writer quotes a cell holding a line break only when the break is in its line end
    unquoted = {"\n": "\r", "\r": "\r\n", "\r\n": ""}[line_ending]
    pieces = [p for p in pieces if p[0] != "good" or not set(unquoted) & set(p[1][2])]
    for at, row in zip(where, bad, strict=False):
        pieces.insert(min(at, len(pieces)), ("bad", row))
    buffer = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, lineterminator=line_ending, quoting=quoting)
    writer.writerow(RESPONSE_COLUMNS)
    expected = []
    for number, (kind, content) in enumerate(pieces):
        line = physical_lines(buffer.getvalue()) + 1  # the line this piece starts on
        if kind == "blank":
            buffer.write(content + line_ending)
            continue
        (role, item, answer), code = (content, None) if kind == "good" else content
        writer.writerow([f"O{number}", f"O{number}-R", role, item, answer])
        if code is not None:
            expected.append((f"r.csv:{line}", code))

    with pytest.raises(ResponsesError) as caught:
        table, _found = read_csv_upload(
            buffer.getvalue().encode(encoding), RESPONSE_COLUMNS, ResponsesError, "r.csv"
        )
        score_answers(table, TABLES, "r.csv")

    assert locations(caught) == expected


def physical_lines(text: str) -> int:
    """Line ends in `text` as a person's editor counts them: LF, CRLF or a lone CR."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")
