"""Reading a large CSV file as integer codes: the table of `tabular.read_csv_strict`, without a
Python string per cell.

A responses file of a national wave holds tens of millions of cells that repeat a few thousand
distinct texts (identifiers, roles, items, answers). Arrow's CSV parser reads the file from
disk in blocks, on every core, and keeps each column as a dictionary: an integer code per row
into the column's distinct texts. The file is never held whole in memory, as bytes or as text,
and no Python string is made per cell.

This reader takes only the files of the day, those `tabular` itself reads with Arrow (valid
UTF-8, no quote, no NUL, every line the header's number of cells, no blank line before the
header, no cell near the `csv` module's field size limit, every column asked for found once in
the header). For any other file it returns None, and `read_csv_strict` reads the file and says
what is wrong, so that a file gives the same table, lines and problems whichever reader took
it (tests/test_csv_codes.py).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from barometre.tabular import _UTF8_BOM, _UTF16_BOMS, arrow_options, detect_separator

#: The longest header line looked for (a header is a few hundred bytes).
_HEADER_BYTES = 1 << 16
#: Each column read as codes into its distinct texts.
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
#: The bytes Arrow parses at once (a line must fit in one block; fewer blocks, fewer
#: dictionaries to unify).
_BLOCK_BYTES = 16 << 20


@dataclass(frozen=True)
class CodedColumn:
    """A column as `codes` (int32, one per row) into `values` (its distinct texts, as read)."""

    codes: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class CodedCsv:
    """The columns asked for, by name, and `line`, each row's line in the file (the header is
    line 1)."""

    columns: dict[str, CodedColumn]
    line: np.ndarray

    def __len__(self) -> int:
        return len(self.line)


def read_csv_codes(path: str | Path, columns: list[str]) -> CodedCsv | None:
    """The table `read_csv_strict(path, columns, ...)` gives, as codes; None when the file is
    not one of those this reader takes (see the module's docstring)."""
    header = _header(Path(path))
    if header is None:
        return None
    text = header
    separator = detect_separator(text, columns)
    cells = [cell.strip() for cell in text.split(separator)]
    if any(cells.count(name) != 1 for name in columns):
        return None  # a column missing or repeated: read_csv_strict names it
    names = [f"f{at}" for at in range(len(cells))]
    try:
        table = pa_csv.read_csv(
            str(path),
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, block_size=_BLOCK_BYTES
            ),
            # Bytes that are not UTF-8 fail here (Arrow checks every string cell).
            **arrow_options(separator, dict.fromkeys(names, _DICTIONARY)),
        )
    except (pa.ArrowInvalid, OSError):
        return None  # a row of another width, bytes that are not UTF-8: the exact readers
    columns_read = [table.column(at) for at in range(len(names))]
    del table
    coded = []
    try:
        for at in range(len(names)):
            coded.append(_coded(columns_read[at]))
            columns_read[at] = None  # each column's Arrow buffers freed once coded
    except pa.ArrowException:
        return None  # distinct texts beyond Arrow's capacity: the exact readers
    pa.default_memory_pool().release_unused()
    if not _plain(coded):
        return None
    line = np.arange(2, len(coded[0].codes) + 2, dtype=np.int64)
    blank = _blank_rows(coded)
    if blank is not None:
        keep = np.flatnonzero(~blank)
        line = line[keep]
        coded = [CodedColumn(column.codes[keep], column.values) for column in coded]
    return CodedCsv({name: coded[cells.index(name)] for name in columns}, line)


def _header(path: Path) -> str | None:
    """The first line of the file as text, without its byte order mark; None when it is
    not a plain UTF-8 header (another encoding, a quote, a NUL, a second byte order mark, a
    blank line) or the file cannot be opened."""
    try:
        with path.open("rb") as file:
            start = file.read(_HEADER_BYTES)
    except OSError:
        return None
    if start.startswith(_UTF16_BOMS):
        return None
    skip = len(_UTF8_BOM) if start.startswith(_UTF8_BOM) else 0
    ends = [at for at in (start.find(b"\n", skip), start.find(b"\r", skip)) if at >= 0]
    if not ends:
        return None  # a file of one line, or a header longer than looked for
    try:
        text = start[skip : min(ends)].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip() or text.startswith("\ufeff") or '"' in text or "\x00" in text:
        return None
    return text


def _coded(column: pa.ChunkedArray | None) -> CodedColumn:
    """The codes and distinct texts of a dictionary column read in blocks (one dictionary per
    block, unified: the texts in the order the file first holds them)."""
    assert column is not None
    if column.num_chunks == 0:
        return CodedColumn(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object))
    unified = column.unify_dictionaries() if column.num_chunks > 1 else column
    values = np.asarray(unified.chunk(0).dictionary.to_pylist(), dtype=object)
    codes = np.concatenate(
        [chunk.indices.to_numpy(zero_copy_only=False) for chunk in unified.chunks]
    ).astype(np.int32, copy=False)
    return CodedColumn(codes, values)


def _plain(coded: list[CodedColumn]) -> bool:
    """Whether no cell holds a quote or a NUL, or comes near the `csv` module's field size
    limit (the exact readers tell about those)."""
    longest = csv.field_size_limit() // 2
    for column in coded:
        texts = column.values.tolist()
        joined = "".join(texts)
        if '"' in joined or "\x00" in joined:
            return False
        if texts and max(map(len, texts)) >= longest:
            return False
    return True


def _blank_rows(coded: list[CodedColumn]) -> np.ndarray | None:
    """Which rows have only whitespace in every cell (the `;;;;` Excel leaves under a table);
    None when no row is so."""
    blank: np.ndarray | None = None
    for column in coded:
        empty = np.fromiter(
            (not text.strip() for text in column.values.tolist()),
            dtype=bool,
            count=len(column.values),
        )
        if not empty.any():
            return None
        rows = empty[column.codes]
        blank = rows if blank is None else blank & rows
        if not blank.any():
            return None
    return blank
