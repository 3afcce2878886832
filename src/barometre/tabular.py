"""Reading the project's CSV files strictly: required columns, every cell as text.

Files come from people, often saved by Excel: UTF-8 (with or without a byte order mark) or,
when that fails, Windows-1252 (French Excel's "CSV (séparateur : point-virgule)"); the separator
is a comma, a semicolon or a tab, detected on the header line; lines end with LF, CRLF or CR.
What was detected is returned as a `CsvFormat`, which the web shows to the operator.

`NA` stays the text "NA" (it means "not applicable" in a responses file), a decimal comma is just
text, and each row keeps its line number in the file (column `line`, the header being line 1
when it is the first line) so that errors can point at it. Lines whose cells are all empty (the
`;;;;` Excel leaves after a table) are skipped.

Three parsers give the same tables, lines and problems (tests/test_tabular.py and
tests/test_tabular_arrow.py check it on random files). For speed (responses files have
millions of rows), whenever every record is one line of the file, so that a row's line is its
position: Arrow's CSV parser, from the bytes, when the file has no quote and every line the
header's number of cells (the files of the day); else pandas' C parser (quoted cells, short
rows, lines of spaces). And Python's `csv` module, line by line, for the other files (a quoted
cell over several lines, a header after a blank line, a malformed row, an unclosed quote).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from barometre.errors import Code, InputError, Problem, gettext_noop, problem

#: The separators looked for, in the order that breaks ties.
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {
    ",": gettext_noop("comma"),
    ";": gettext_noop("semicolon"),
    "\t": gettext_noop("tab"),
}
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_BLANK_LINE = re.compile(r'[\s,;"]*')


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file was read.

    `encoding` is "utf-8" or "cp1252"; `separator` one of `,` `;` tab; `bom` whether the file
    started with a UTF-8 byte order mark; `line_ending` the first line end of the file ("\\n",
    "\\r\\n" or "\\r"; "" when the file is a single line without one).

    `describe()` is the English text; `template` and `params` are the translatable form, as
    in `errors.problem`; `localized(gettext)` also translates the separator's name (a
    `gettext_noop` message of its own, in `params["separator"]`).
    """

    encoding: str
    separator: str
    bom: bool
    line_ending: str

    template: ClassVar[str] = gettext_noop("read as %(encoding)s, separator: %(separator)s")

    @property
    def params(self) -> dict[str, str]:
        return {
            "encoding": ENCODING_NAMES.get(self.encoding, self.encoding),
            "separator": SEPARATOR_NAMES.get(self.separator, repr(self.separator)),
        }

    def describe(self) -> str:
        return self.template % self.params

    def localized(self, translate: Callable[[str], str]) -> str:
        params = self.params
        if self.separator in SEPARATOR_NAMES:
            params["separator"] = translate(params["separator"])
        return translate(self.template) % params


def read_csv_strict(path: str | Path, columns: list[str], error: type[InputError]) -> pd.DataFrame:
    """Read a CSV file with a header (encoding and separator detected); raise `error` naming
    the file and line when it cannot be read or lacks a column."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise error(source, [problem(source, Code.FILE_NOT_FOUND)]) from None
    table, _format = read_csv_upload(raw, columns, error, source)
    return table


def read_csv_upload(
    raw: bytes, columns: list[str], error: type[InputError], source: str
) -> tuple[pd.DataFrame, CsvFormat]:
    """A CSV given as bytes (an upload): decoded, its separator detected on the header, parsed
    as `parse_csv_text` does; returns the table and how it was read."""
    text, found = decode_csv(raw, source, error)
    separator = detect_separator(text, columns)
    # Valid UTF-8 bytes are the encoding of their text: pandas reads them without encoding again.
    utf8 = raw[len(_UTF8_BOM) :] if found.bom else raw if found.encoding == "utf-8" else None
    table = _parse(text, columns, error, source, separator, utf8)
    return table, CsvFormat(found.encoding, separator, found.bom, found.line_ending)


def decode_csv(raw: bytes, source: str, error: type[InputError]) -> tuple[str, CsvFormat]:
    """The text of a CSV file: UTF-8 (a byte order mark is dropped) or else Windows-1252.

    Raise `error` (a `not_text` code, with the line) for UTF-16 files, NUL bytes and bytes that
    are neither. The `separator` of the returned format is a guess without the expected columns
    (`detect_separator(text)`); pass them to `detect_separator` for a better one.
    """
    refused = _not_text(raw, source)
    if refused is not None:
        raise error(source, [refused])
    bom = raw.startswith(_UTF8_BOM)
    skip = len(_UTF8_BOM) if bom else 0
    try:
        text = raw[skip:].decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        if bom:
            raise error(
                source,
                [
                    problem(
                        _where(raw, skip + exc.start, source),
                        Code.NOT_TEXT_AFTER_BOM,
                        byte=_byte(raw, skip + exc.start),
                    )
                ],
            ) from None
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise error(
                source,
                [
                    problem(
                        _where(raw, exc.start, source), Code.NOT_TEXT, byte=_byte(raw, exc.start)
                    )
                ],
            ) from None
        encoding = "cp1252"
    ending = _LINE_BREAK.search(text)
    return text, CsvFormat(encoding, detect_separator(text), bom, ending.group(0) if ending else "")


def detect_separator(text: str, columns: Iterable[str] | None = None) -> str:
    """The separator of the header (the first line with a cell): among `,` `;` and tab, the
    one that splits it into the most `columns` when they are given; otherwise, or when none
    finds any of them, the most frequent outside quotes; a comma when there is none."""
    header = next((line for line in _lines_of(text) if not _is_blank_line(line)), None)
    if header is None:  # only separators: count them, so that ";;;;" reads as empty
        header = next((line for line in _lines_of(text) if line.strip()), "")
    expected = set(columns or ())
    if expected:
        found = {sep: len(expected & set(_split_header(header, sep))) for sep in SEPARATORS}
        best = max(found.values())
        if best:
            candidates = [sep for sep in SEPARATORS if found[sep] == best]
            if len(candidates) == 1:
                return candidates[0]
            return _most_frequent(header, candidates)
    return _most_frequent(header, list(SEPARATORS))


def parse_csv_text(
    text: str,
    columns: list[str],
    error: type[InputError],
    source: str,
    separator: str | None = ",",
) -> pd.DataFrame:
    """A CSV given as text (a file's content, an upload): the columns asked for, as text, with
    the `line` of each row; `error` lists what is wrong (empty, malformed rows, missing
    columns). `separator=None` detects it (`detect_separator`).

    A row with fewer fields than the header has its last cells empty; rows whose cells are all
    blank are skipped; a header cell is stripped of spaces, a data cell is kept as it is.
    """
    return _parse(text, columns, error, source, separator, None)


def _parse(
    text: str,
    columns: list[str],
    error: type[InputError],
    source: str,
    separator: str | None,
    utf8: bytes | None,
) -> pd.DataFrame:
    """`parse_csv_text`; `utf8`, when given, is `text` encoded in UTF-8."""
    if text.startswith("\ufeff"):
        text = text[1:]
        utf8 = utf8[len(_UTF8_BOM) :] if utf8 is not None else None
    if separator is None:
        separator = detect_separator(text, columns)
    if not text or text.isspace():
        raise error(source, [problem(source, Code.EMPTY_FILE)])
    table = _parse_by_position(text, columns, error, source, separator, utf8)
    if table is None:
        table = _parse_line_by_line(text, columns, error, source, separator)
    return table


def _parse_by_position(
    text: str,
    columns: list[str],
    error: type[InputError],
    source: str,
    separator: str,
    utf8: bytes | None = None,
) -> pd.DataFrame | None:
    """`text` read by Arrow's CSV parser (`_parse_without_quotes`, from `utf8`, `text` in
    UTF-8) or else pandas' C parser when every record is one line and the header the first
    (a row's line is then its position), as `_parse_line_by_line` reads it; None when that
    cannot be told without reading line by line: a quoted cell over several lines, a blank line
    before the header, a row longer than the header, an unclosed quote, a line longer than the
    `csv` module's field size limit, a second byte order mark, another separator."""
    if separator not in SEPARATORS or text.startswith("\ufeff") or _has_long_line(text):
        return None
    data = utf8 if utf8 is not None else text.encode("utf-8")
    if '"' not in text and "\x00" not in text:
        table = _parse_without_quotes(data, text, columns, error, source, separator)
        if table is not None:
            return table
    try:
        cells = pd.read_csv(
            io.BytesIO(data),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,  # an empty line is a record: positions stay lines
            quotechar='"',
            doublequote=True,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError):
        return None  # a malformed row or an unclosed quote: the exact reader says where
    if '"' in text and len(cells) != _count_lines(text):
        return None  # a quoted cell holds a line break
    blank = _blank_records(cells, text.isascii())
    if blank.size and blank[0] == 0:
        return None  # the header is further down: its width is not the table's
    header = [str(cell).strip() for cell in cells.iloc[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise error(source, [_missing(f"{source}:1", header, columns, missing, separator)])
    twice = _repeated(f"{source}:1", header, columns)
    if twice:
        raise error(source, twice)
    keep = np.arange(1, len(cells))
    if blank.size:
        keep = np.setdiff1d(keep, blank, assume_unique=True)
    positions = [header.index(c) for c in columns]
    rows = cells.iloc[1:, positions] if keep.size == len(cells) - 1 else cells.iloc[keep, positions]
    table = rows.set_axis(columns, axis=1).reset_index(drop=True)
    table["line"] = keep + 1
    return table


def _parse_without_quotes(
    data: bytes,
    text: str,
    columns: list[str],
    error: type[InputError],
    source: str,
    separator: str,
) -> pd.DataFrame | None:
    """`_parse_by_position` of a file without a quote or a NUL, read by Arrow's CSV parser
    from `data` (`text` in UTF-8, without a byte order mark): every line break then ends a
    record and every separator a cell, as for the `csv` module. None when a line has another
    number of cells than the first (a row longer or shorter than the header, a line of
    spaces) or a line is too long for Arrow's blocks: pandas' parser says what to do."""
    width = next(_lines_of(text), "").count(separator) + 1
    names = [f"f{at}" for at in range(width)]
    try:
        cells = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            # large strings: pandas keeps them as they are (it would convert others)
            **arrow_options(separator, dict.fromkeys(names, pa.large_string())),
        )
    except pa.ArrowInvalid:
        return None
    if cells.column_names != names:
        return None
    blank = _blank_rows(cells)
    if blank.size and blank[0] == 0:
        return None  # the header is further down: its width is not the table's
    header = [str(cells.column(at)[0].as_py()).strip() for at in range(width)]
    missing = [c for c in columns if c not in header]
    if missing:
        raise error(source, [_missing(f"{source}:1", header, columns, missing, separator)])
    twice = _repeated(f"{source}:1", header, columns)
    if twice:
        raise error(source, twice)
    keep = np.arange(1, cells.num_rows)
    chosen = cells.select([header.index(c) for c in columns]).rename_columns(columns)
    if blank.size:
        keep = np.setdiff1d(keep, blank, assume_unique=True)
        rows = chosen.take(pa.array(keep))
    else:
        rows = chosen.slice(1)
    table = rows.to_pandas()
    table["line"] = keep + 1
    return table


def arrow_options(separator: str, column_types: dict[str, pa.DataType]) -> dict[str, object]:
    """The parse and convert options under which Arrow reads a file without quotes as the
    `csv` module does: every separator ends a cell and every line break a record (an empty
    line too, so that positions stay lines), every cell text as it is (never null)."""
    return {
        "parse_options": pa_csv.ParseOptions(
            delimiter=separator,
            quote_char=False,
            escape_char=False,
            ignore_empty_lines=False,
        ),
        "convert_options": pa_csv.ConvertOptions(
            column_types=column_types,
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _blank_rows(cells: pa.Table) -> np.ndarray:
    """The positions of the rows of `cells` whose cells are only whitespace, in order (as
    `_blank_records`: only the rows whose every cell is empty or starts below "!" or from
    U+0085 on are looked at one by one; strings compare as their UTF-8 bytes, that is in
    code point order)."""
    candidates: np.ndarray | None = None  # all of them
    for column in cells.columns:
        values = column if candidates is None else column.take(pa.array(candidates))
        maybe = pc.or_(pc.less(values, "!"), pc.greater_equal(values, "\x85"))
        found = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
        candidates = found if candidates is None else candidates[found]
        if not candidates.size:
            return candidates
    assert candidates is not None  # a table has at least one column
    rows = cells.take(pa.array(candidates)).to_pylist()
    return candidates[[not "".join(row.values()).strip() for row in rows]]


def _parse_line_by_line(
    text: str, columns: list[str], error: type[InputError], source: str, separator: str
) -> pd.DataFrame:
    """`text` read by the `csv` module line by line, every row with the physical line it starts
    on: the line after the end of the record before it, blank or not (`reader.line_num` counts
    the lines read so far, a quoted cell's line breaks included)."""
    lines = list(_physical_lines(text))
    reader = csv.reader(lines, delimiter=separator, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    starts: list[int] = []
    start = end = 0  # the first and last line of the record read last
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if "".join(record).strip():
                records.append(record)
                starts.append(start)
    except csv.Error as exc:
        # the record that cannot be read starts after the last one read
        raise error(source, [_cannot_read(f"{source}:{end + 1}", str(exc))]) from None
    if not records:
        raise error(source, [problem(source, Code.EMPTY_FILE)])
    # The last record, blank or not (a lone '"' reads as a blank cell), may be an open quote.
    if _unclosed_quote(lines[start - 1 :], separator):
        raise error(source, [_unclosed(f"{source}:{start}")])
    header, rows, lines_of_rows = [c.strip() for c in records[0]], records[1:], starts[1:]
    missing = [c for c in columns if c not in header]
    if missing:
        raise error(
            source, [_missing(f"{source}:{starts[0]}", header, columns, missing, separator)]
        )
    twice = _repeated(f"{source}:{starts[0]}", header, columns)
    if twice:
        raise error(source, twice)
    width = len(header)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    too_long = np.flatnonzero(lengths > width)
    if too_long.size:
        raise error(
            source,
            [
                problem(
                    f"{source}:{lines_of_rows[at]}",
                    Code.MALFORMED_ROW,
                    seen=int(lengths[at]),
                    expected=width,
                )
                for at in too_long
            ],
        )
    for at in np.flatnonzero(lengths < width):  # as pandas reads it: the last cells empty
        rows[at] = rows[at] + [""] * (width - int(lengths[at]))
    body = np.array(rows, dtype=object).reshape(len(rows), width)
    positions = [header.index(c) for c in columns]
    table = pd.DataFrame(
        {c: pd.Series(body[:, at], dtype=str) for c, at in zip(columns, positions, strict=True)},
        columns=columns,
    )
    table["line"] = np.asarray(lines_of_rows, dtype=np.int64)
    return table


def _physical_lines(text: str) -> io.StringIO:
    """The lines of `text` with their ends, split at LF, CRLF and CR only (as csv reads)."""
    return io.StringIO(text, newline="")


def _lines_of(text: str) -> Iterator[str]:
    """The lines of `_physical_lines(text)`, found one after the other (the first ones of a
    large file are read without copying it)."""
    start = 0
    for end in _LINE_BREAK.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def _count_lines(text: str) -> int:
    """How many lines `_physical_lines(text)` has."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks + (text != "" and not text.endswith(("\n", "\r")))


def _has_long_line(text: str) -> bool:
    """Whether a line may be longer than the `csv` module's field size limit (it refuses such
    cells): when every stretch of `limit // 2` characters holds a line break, none is."""
    limit = csv.field_size_limit()
    if len(text) < limit:
        return False
    step = limit // 2
    return step < 2 or any(
        text.find("\n", at, at + step) < 0 and text.find("\r", at, at + step) < 0
        for at in range(0, len(text) - step + 1, step)
    )


def _blank_records(cells: pd.DataFrame, ascii_text: bool) -> np.ndarray:
    """The positions of the records whose cells are only whitespace, in order.

    Such a cell is empty or starts with whitespace: below "!" in ASCII, else also from U+0085
    (NEL) on; only the records where every cell is so are then looked at one by one.
    """
    candidates: np.ndarray | None = None  # all of them
    for column in cells.columns:
        values = cells[column].to_numpy(dtype=object)
        if candidates is not None:
            values = values[candidates]
        maybe = values < "!"
        if not ascii_text:
            maybe |= values >= "\x85"
        candidates = np.flatnonzero(maybe) if candidates is None else candidates[maybe]
        if not candidates.size:
            return candidates
    assert candidates is not None  # a table has at least one column
    rows = cells.iloc[candidates].to_numpy(dtype=object)
    return candidates[[not "".join(row).strip() for row in rows]]


def _is_blank_line(line: str) -> bool:
    """Only spaces, separators and quotes: the `;;;;` Excel leaves under a table."""
    return _BLANK_LINE.fullmatch(line) is not None


def _symbol(separator: str) -> str:
    return "TAB" if separator == "\t" else separator


def _split_header(line: str, separator: str) -> list[str]:
    """The cells of the first record of `line` (a header cell may hold a line break)."""
    record = next(csv.reader(_physical_lines(line), delimiter=separator), [])
    return [cell.strip() for cell in record]


def _most_frequent(line: str, candidates: list[str]) -> str:
    """The candidate found most often outside double quotes (the first one on a tie); a comma
    when none is found."""
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    return next(sep for sep in candidates if counts[sep] == best)


def _unclosed_quote(tail: list[str], separator: str) -> bool:
    """Whether the last record ends inside a quoted cell (csv then takes the rest of the
    file as its text without a word)."""
    try:
        for _record in csv.reader(tail, delimiter=separator, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _not_text(raw: bytes, source: str) -> Problem | None:
    """Files that are not CSV text in any encoding read here: UTF-16 ("Unicode text") and NUL
    bytes."""
    nul = raw.find(b"\x00")
    if raw.startswith(_UTF16_BOMS) or (nul >= 0 and raw.count(b"\x00") * 4 >= len(raw)):
        return problem(f"{source}:1", Code.NOT_TEXT_UTF16)
    if nul >= 0:
        return problem(_where(raw, nul, source), Code.NOT_TEXT_NUL_BYTE)
    return None


def _where(raw: bytes, offset: int, source: str) -> str:
    """The file and line of the byte at `offset`."""
    return f"{source}:{_line_of(raw, offset)}"


def _byte(raw: bytes, offset: int) -> str:
    return f"{raw[offset]:02X}"


def _line_of(raw: bytes, offset: int) -> int:
    return len(_LINE_BREAK_BYTES.findall(raw, 0, offset)) + 1


def _missing(
    where: str, header: list[str], columns: list[str], missing: list[str], separator: str
) -> Problem:
    """Which columns are missing and the header line to write; when the header is one cell
    that another separator splits into more of the expected columns, say so."""
    joined = (", " if separator == "\t" else separator).join(columns)
    if len(header) == 1:
        here = int(header[0] in columns)
        count, found = max(
            ((sum(c in columns for c in _split_header(header[0], s)), s) for s in SEPARATORS),
            key=lambda pair: pair[0] if pair[1] != separator else -1,
        )
        if count > here:
            return problem(
                where,
                Code.MISSING_COLUMN_OTHER_SEPARATOR,
                missing=", ".join(missing),
                found=_symbol(found),
                separator=_symbol(separator),
                expected=joined,
            )
    return problem(
        where,
        Code.MISSING_COLUMN,
        missing=", ".join(missing),
        expected=joined,
    )


def _repeated(where: str, header: list[str], columns: list[str]) -> list[Problem]:
    """A problem for each expected column named more than once in the header (spaces
    trimmed): which of its cells is meant cannot be told. Other repeated names (the empty
    cells Excel leaves after a table) are not read, so they do not matter."""
    found = []
    for column in columns:
        positions = [at + 1 for at, name in enumerate(header) if name == column]
        if len(positions) > 1:
            found.append(
                problem(
                    where,
                    Code.DUPLICATE_COLUMN,
                    column=column,
                    count=len(positions),
                    positions=", ".join(map(str, positions)),
                )
            )
    return found


def _unclosed(where: str) -> Problem:
    return problem(where, Code.MALFORMED_ROW_UNCLOSED_QUOTE)


def _cannot_read(where: str, detail: str) -> Problem:
    return problem(where, Code.MALFORMED_ROW_UNREADABLE, detail=detail.strip())
