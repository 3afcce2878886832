"""Files without quotes are read by Arrow's CSV parser (issue 14: a responses file of two
million rows in a fraction of the time pandas takes); what it gives, a table or problems, is
what the `csv` module line by line gives, and it steps aside (None) for the rest."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from barometre import tabular
from barometre.errors import InputError, ResponsesError
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.tabular import SEPARATORS, read_csv_strict, read_csv_upload
from tests.strategies import draw_csv_text


def by_arrow(text: str, columns: list[str], separator: str):
    try:
        return tabular._parse_without_quotes(
            text.encode("utf-8"), text, columns, InputError, "f.csv", separator
        )
    except InputError as exc:
        return [(p.location, p.code, p.message) for p in exc.problems]


def line_by_line(text: str, columns: list[str], separator: str):
    try:
        return tabular._parse_line_by_line(text, columns, InputError, "f.csv", separator)
    except InputError as exc:
        return [(p.location, p.code, p.message) for p in exc.problems]


#: Cells without quotes or NUL: separators, line breaks, every kind of whitespace (ASCII,
#: no-break, em and next-line spaces, form feed, unit separator), a byte order mark, accents.
CELL_CHARS = [*"aZ0 .", *"\xa0\u2003\x85\x0c\x1f\ufeffé’€"]
#: What breaks a cell or a line when it is not quoted.
BREAKING = [*",;\t\r\n"]
SIMPLE_CELL = st.one_of(
    st.sampled_from(["", " ", "NA", "0.5", "\xa0", "\x85"]),
    st.text(st.sampled_from(CELL_CHARS), max_size=5),
)
ANY_CELL = st.text(st.sampled_from(CELL_CHARS + BREAKING), max_size=5)


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_arrow_reads_any_text_without_quotes_as_the_csv_module(data):
    text, columns, separator = draw_csv_text(data, SIMPLE_CELL, st.one_of(SIMPLE_CELL, ANY_CELL))
    read_with = data.draw(st.sampled_from([separator, *SEPARATORS]), label="read with")
    arrow = by_arrow(text, columns, read_with)
    if arrow is None:
        event("left to the other parsers")
        return
    expected = line_by_line(text, columns, read_with)
    if isinstance(expected, pd.DataFrame):
        event("a table")
        assert isinstance(arrow, pd.DataFrame), arrow
        pd.testing.assert_frame_equal(arrow, expected)
    else:
        event("problems")
        assert arrow == expected


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("id,v\nA,1\nB,\n", [2, 3]),
        ("id;v\r\nA;1\r\n;\r\n\r\nB;NA\r\n", [2, 5]),  # Excel's ";" and empty lines skipped
        ("id\tv\rA\t1\rB\t\xa0", [2, 3]),  # lone CR, no final line end, a no-break space
        (" id ,v,other\nA,1,x\n", [2]),
    ],
    ids=["comma", "excel", "CR-tab", "padded-header"],
)
def test_the_files_of_the_day_are_read_by_arrow(text: str, lines: list[int]):
    table = by_arrow(text, ["id", "v"], text[text.index("v") - 1])
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["id", "v", "line"]
    assert list(table["line"]) == lines
    assert pd.api.types.is_string_dtype(table["id"])
    assert table["id"].tolist()[0] == "A"


@pytest.mark.parametrize(
    "text",
    [
        "id,v\nA\n",  # a row shorter than the header (pandas pads it)
        "id,v\nA,1,2\n",  # longer (the csv module says where)
        "id,v\n  \nA,1\n",  # a line of spaces
        "\nid,v\nA,1\n",  # the header after a blank line
        ",\nid,v\nA,1\n",
    ],
)
def test_other_files_are_left_to_pandas_and_the_csv_module(text: str):
    assert by_arrow(text, ["id"], ",") is None


def test_a_bad_byte_is_left_to_the_decoder():
    assert (
        tabular._parse_without_quotes(b"id,v\nA,\xff\n", "", ["id"], InputError, "f", ",") is None
    )


def test_a_missing_column_is_told_on_the_header_line():
    assert by_arrow("id;label\nA;x\n", ["id", "v"], ";") == [
        (
            "f.csv:1",
            "missing_column",
            "missing column(s) v; the first line must name the columns, as in: id;v",
        )
    ]


def test_a_large_responses_file_reads_as_the_csv_module_reads_it(tmp_path):
    """Thousands of rows, a BOM, semicolons, CRLF, accents, Excel's trailing ";;;;" lines."""
    header = ";".join(RESPONSE_COLUMNS)
    rows = [
        f"ORG-{n % 97};ORG-{n % 97}-R{n % 7};direction;item_{n % 13};{'é' * (n % 3)}{n % 5}"
        for n in range(5000)
    ]
    text = "\r\n".join([header, *rows, ";;;;", ";;;;"]) + "\r\n"
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = read_csv_strict(path, RESPONSE_COLUMNS, ResponsesError)
    expected = tabular._parse_line_by_line(text, RESPONSE_COLUMNS, ResponsesError, "r", ";")
    pd.testing.assert_frame_equal(table, expected)
    assert list(table["line"][:2]) == [2, 3] and len(table) == 5000
    _, found = read_csv_upload(path.read_bytes(), RESPONSE_COLUMNS, ResponsesError, "r")
    assert (found.encoding, found.separator, found.bom, found.line_ending) == (
        "utf-8",
        ";",
        True,
        "\r\n",
    )
