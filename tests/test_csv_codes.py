"""A large file is read as integer codes (`csv_codes.read_csv_codes`, issue 14): the table it
gives is the one `read_csv_strict` gives, cell for cell and line for line, and it steps aside
(None) for every file it does not take, so that `read_csv_strict` says what is wrong."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from barometre import csv_codes
from barometre.csv_codes import read_csv_codes
from barometre.errors import InputError
from barometre.tabular import read_csv_strict
from tests.strategies import draw_csv_text

#: Cells of every kind but quotes: whitespace of all sorts, a byte order mark, accents, NUL.
CELL_CHARS = [*"aZ0 .", *"\xa0\u2003\x85\x0c\x1f\ufeffé’€"]
CELL = st.one_of(
    st.sampled_from(["", " ", "NA", "0.5", "\xa0", "\x85", "x\x00", 'a"b']),
    st.text(st.sampled_from(CELL_CHARS), max_size=5),
)


def as_table(coded, columns: list[str]) -> pd.DataFrame:
    """The coded columns as `read_csv_strict`'s table: texts, then `line`."""
    table = pd.DataFrame(
        {
            name: pd.Series(coded.columns[name].values[coded.columns[name].codes], dtype=object)
            for name in columns
        }
    )
    table["line"] = coded.line
    return table


def strict(path, columns: list[str]):
    try:
        return read_csv_strict(path, columns, InputError)
    except InputError as exc:
        return [(p.location, p.code) for p in exc.problems]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_codes_are_the_table_read_csv_strict_gives(tmp_path, data):
    text, columns, _separator = draw_csv_text(data, CELL, CELL)
    encoded = text.encode(
        data.draw(st.sampled_from(["utf-8", "cp1252"]), label="encoding"), "replace"
    )
    bom = data.draw(st.sampled_from([b"", b"\xef\xbb\xbf"]), label="byte order mark")
    path = tmp_path / "f.csv"
    path.write_bytes(bom + encoded)
    coded = read_csv_codes(path, columns)
    expected = strict(path, columns)
    if coded is None:
        event("left to read_csv_strict")
        return
    event("read as codes")
    assert isinstance(expected, pd.DataFrame), expected
    got = as_table(coded, columns)
    expected = expected.astype({name: object for name in columns})
    expected["line"] = expected["line"].astype(np.int64)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))


def test_the_codes_are_int32_into_the_distinct_texts_in_the_order_of_the_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id;v\nB;1\nA;2\nB;1\n;\n", encoding="utf-8")
    coded = read_csv_codes(path, ["v", "id"])
    assert coded is not None
    assert coded.columns["id"].codes.dtype == np.int32
    assert coded.columns["id"].values.tolist() == ["B", "A", ""]  # "" of the blank row
    assert coded.columns["id"].codes.tolist() == [0, 1, 0]
    assert coded.line.tolist() == [2, 3, 4]


@pytest.mark.parametrize(
    "raw",
    [
        b'id,v\n"A",1\n',  # a quote
        b"id,v\nA,\xe9\n",  # not UTF-8 (Windows-1252)
        b"\xff\xfei\x00d\x00",  # UTF-16
        b"id,v\nA,1\x00\n",  # a NUL
        b"\nid,v\nA,1\n",  # a blank line before the header
        b"id,v\nA\n",  # a row shorter than the header
        b"id,v\nA,1,2\n",  # longer
        b"id,label\nA,1\n",  # a column missing
        b"id,v,v\nA,1,2\n",  # a column twice
        b"id,v",  # a header alone, without its line end
        b"\xef\xbb\xbf\xef\xbb\xbfid,v\nA,1\n",  # a second byte order mark
    ],
)
def test_other_files_are_left_to_read_csv_strict(tmp_path, raw: bytes):
    path = tmp_path / "f.csv"
    path.write_bytes(raw)
    assert read_csv_codes(path, ["id", "v"]) is None


def test_a_missing_file_is_left_to_read_csv_strict(tmp_path):
    assert read_csv_codes(tmp_path / "absent.csv", ["id"]) is None
    assert read_csv_codes(tmp_path, ["id"]) is None


@pytest.fixture
def field_size_limit():
    """The `csv` module's default limit (another library may have raised it: frictionless)."""
    before = csv.field_size_limit(131_072)
    yield 131_072
    csv.field_size_limit(before)


def test_a_cell_near_the_field_size_limit_is_left_to_read_csv_strict(tmp_path, field_size_limit):
    path = tmp_path / "f.csv"
    path.write_text("id,v\nA," + "x" * (field_size_limit // 2) + "\n", encoding="utf-8")
    assert read_csv_codes(path, ["id", "v"]) is None
    path.write_text("id,v\nA," + "x" * (field_size_limit // 2 - 1) + "\n", encoding="utf-8")
    assert read_csv_codes(path, ["id", "v"]) is not None


def test_a_file_of_many_blocks_reads_as_read_csv_strict(tmp_path, monkeypatch):
    """Arrow reads a large file in blocks, each with its dictionary: the codes are unified
    (blocks of 64 KiB here: a hundred of them, lines astride their ends)."""
    monkeypatch.setattr(csv_codes, "_BLOCK_BYTES", 1 << 16)
    header = "organisation_id;respondent_id;item_id;answer"
    rows = [
        f"ORG-{n % 997};ORG-{n % 997}-R{n % 7};item_{n % 13};{'é' * (n % 3)}{n}"
        for n in range(200_000)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + ("\r\n".join([header, *rows, ";;;", ";;;"]) + "\r\n").encode()
    )
    columns = ["answer", "organisation_id"]
    coded = read_csv_codes(path, columns)
    assert coded is not None
    expected = read_csv_strict(path, columns, InputError).astype(
        {"answer": object, "organisation_id": object}
    )
    pd.testing.assert_frame_equal(as_table(coded, columns), expected)
