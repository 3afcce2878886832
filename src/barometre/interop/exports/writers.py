"""Writing the tables of a wave in each format: CSV, French-Excel CSV, XLSX (with its codebook
and read-me sheets), SPSS .sav, Stata .dta and Parquet.

Every table is checked and built before anything is written; the file is then written under
a temporary name and renamed (`files.write_atomic`): on bad input nothing is written. Limits of
the formats (docs/exports.md): names at most 64 bytes (SPSS, and the other formats' headers)
or 32 (Stata); variable labels at most 255 bytes (SPSS) or 80 characters (Stata); value labels
at most 120 bytes; an Excel sheet at most 1,048,576 rows (a longer table is refused).

The same inputs give the same bytes: the time of writing that .sav, .dta and .xlsx files keep
(their headers, the workbook's properties and ZIP entries) is set to `FIXED_DATE`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from barometre.errors import Code, problem
from barometre.files import write_atomic
from barometre.i18n import Language
from barometre.interop.exports import labels as L
from barometre.interop.exports.choices import ExportFormat, ExportTable
from barometre.interop.exports.codebook import (
    SHEET_COLUMNS,
    Codebook,
    CodebookColumn,
    MissingCode,
    sheet_rows,
)
from barometre.interop.exports.names import (
    SPSS_LABEL_BYTES,
    SPSS_NAME_BYTES,
    STATA_LABEL_CHARACTERS,
    STATA_NAME_BYTES,
    VALUE_LABEL_BYTES,
    truncate_bytes,
    truncate_characters,
)
from barometre.interop.exports.tables import (
    DK_CODE,
    NA_CODE,
    ExportError,
    Table,
    WaveData,
    available_tables,
    build_tables,
)

#: Rows of an Excel sheet, the header included.
XLSX_MAX_ROWS = 1_048_576
#: Rows written between two calls of the progress callback.
BATCH_ROWS = 50_000
#: The key of the codebook (JSON) in a Parquet file's schema metadata.
PARQUET_CODEBOOK_KEY = b"barometre.codebook"

#: The answers a text field keeps as written, declared user-missing strings in a .sav file.
TEXT_MISSING = ("NA", "DK")
#: Coded answers whose options are ordered: `ordinal` in a .sav file.
ORDERED_KINDS = frozenset({"scale", "status"})
#: The date written for the time of writing (the ZIP format's first day), so that the same
#: inputs give the same bytes: in the .sav header (`dd mmm yy`, `hh:mm:ss`), the .dta header
#: (`dd Mon yyyy hh:mm`), the workbook's `created` and `modified` properties and the dates of
#: its ZIP entries.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
SAV_TIMESTAMP = b"01 Jan 8000:00:00"
DTA_TIMESTAMP = b"01 Jan 1980 00:00"
XLSX_TIMESTAMP = b"1980-01-01T00:00:00Z"
_SAV_DATE_OFFSET = 92
_DTA_HEADER_BYTES = 1024

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportSummary:
    """What was written: the file, its tables, their rows and columns (summed over the
    tables of an XLSX workbook), and the file's size in bytes."""

    path: Path
    format: ExportFormat
    tables: tuple[ExportTable, ...]
    rows: int
    columns: int
    bytes: int


def write_export(
    data: WaveData,
    table: ExportTable | None,
    fmt: ExportFormat,
    out: Path,
    *,
    language: Language = "fr",
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the table `table` of the wave (every available table when None, XLSX only) in
    the format `fmt` to `out`. Labels of the one-label formats (SPSS, Stata, Parquet field
    metadata) are in `language`; the codebook has both. `progress(done, total)` is called as
    rows are written. Raises an `ExportError` (or the inputs' own error) listing every
    problem, and then writes nothing."""
    if table is None and fmt != "xlsx":
        raise ExportError(
            data.source,
            [
                problem(
                    data.source,
                    Code.EXPORT_ONE_TABLE,
                    format=fmt,
                    tables=", ".join(available_tables(data)),
                )
            ],
        )
    names = [table] if table is not None else list(available_tables(data))
    tables = build_tables(data, names)
    if fmt == "xlsx":
        too_long = [
            problem(
                f"table {t.name}",
                Code.EXPORT_SHEET_TOO_LONG,
                table=t.name,
                rows=str(t.rows),
                limit=str(XLSX_MAX_ROWS - 1),
            )
            for t in tables
            if t.rows > XLSX_MAX_ROWS - 1
        ]
        if too_long:
            raise ExportError(data.source, too_long)
    report = _Progress(progress, sum(t.rows for t in tables))
    writer: Callable[[Path], None]
    if fmt == "xlsx":
        writer = lambda tmp: _write_xlsx(tables, tmp, language, report)  # noqa: E731
    else:
        writer = lambda tmp: WRITERS[fmt](tables[0], tmp, language, report)  # noqa: E731
    path = write_atomic(out, writer)
    report.done()
    return ExportSummary(
        path=path,
        format=fmt,
        tables=tuple(t.name for t in tables),
        rows=sum(t.rows for t in tables),
        columns=sum(len(t.columns) for t in tables),
        bytes=path.stat().st_size,
    )


class _Progress:
    def __init__(self, callback: Progress | None, total: int):
        self.callback, self.total, self.count = callback, total, 0

    def add(self, rows: int) -> None:
        self.count += rows
        if self.callback is not None:
            self.callback(min(self.count, self.total), self.total)

    def done(self) -> None:
        if self.callback is not None:
            self.callback(self.total, self.total)


# --- CSV and Parquet (pyarrow) -------------------------------------------------------------


def _arrow(table: Table, codebook: Codebook) -> pa.Table:
    arrays = []
    for column in codebook.columns:
        values = table.frame[column.key]
        if column.type == "string":
            arrays.append(
                pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
            )
        elif column.type == "integer":
            floats = values.to_numpy(dtype=float)
            arrays.append(pa.array(floats, from_pandas=True).cast(pa.int64()))
        else:
            arrays.append(pa.array(values.to_numpy(dtype=float), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=[c.name for c in codebook.columns])


def _write_csv(table: Table, path: Path, language: Language, progress: _Progress) -> None:
    _csv(table, path, progress, french=False)


def _write_csv_fr(table: Table, path: Path, language: Language, progress: _Progress) -> None:
    _csv(table, path, progress, french=True)


def _csv(table: Table, path: Path, progress: _Progress, *, french: bool) -> None:
    codebook = table.codebook()
    arrow = _arrow(table, codebook)
    if french:
        # French Excel: decimal comma; the integers are written as they are.
        arrow = pa.Table.from_arrays(
            [
                pc.replace_substring(col.cast(pa.string()), ".", ",")
                if pa.types.is_floating(col.type)
                else col
                for col in arrow.columns
            ],
            names=arrow.column_names,
        )
    options = pa_csv.WriteOptions(
        include_header=True, delimiter=";" if french else ",", quoting_style="needed"
    )
    with open(path, "wb") as stream:
        if french:
            stream.write("\ufeff".encode())  # the byte order mark that tells Excel UTF-8
        with pa_csv.CSVWriter(stream, arrow.schema, write_options=options) as writer:
            for batch in arrow.to_batches(max_chunksize=BATCH_ROWS):
                writer.write_batch(batch)
                progress.add(batch.num_rows)


def _write_parquet(table: Table, path: Path, language: Language, progress: _Progress) -> None:
    codebook = table.codebook()
    arrow = _arrow(table, codebook)
    fields = [
        arrow.schema.field(c.name).with_metadata(
            {
                "key": c.key,
                "label": c.label(language),
                "label_fr": c.label_fr,
                "label_en": c.label_en,
            }
        )
        for c in codebook.columns
    ]
    schema = pa.schema(fields, metadata={PARQUET_CODEBOOK_KEY: codebook.dumps().encode()})
    arrow = arrow.cast(schema)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in arrow.to_batches(max_chunksize=BATCH_ROWS * 4):
            writer.write_batch(batch)
            progress.add(batch.num_rows)


# --- SPSS and Stata (pyreadstat) -----------------------------------------------------------


def _statistical_frame(table: Table, codebook: Codebook, *, stata: bool) -> pd.DataFrame:
    data: dict[str, np.ndarray | pd.Categorical] = {}
    for column in codebook.columns:
        values = table.frame[column.key]
        if column.type == "string":
            strings = values.to_numpy(dtype=object).copy()
            strings[pd.isna(strings)] = ""
            data[column.name] = strings
        elif stata and column.missing:
            data[column.name] = _stata_cells(values.to_numpy(dtype=float), column.missing)
        else:
            data[column.name] = values.to_numpy(dtype=float)
    return pd.DataFrame(data)


def _stata_cells(floats: np.ndarray, missing: Sequence[MissingCode]) -> pd.Categorical:
    """A numeric column with Stata extended missing values, as pyreadstat writes them: the
    numbers mixed with the codes' letters ('a', 'b'), in a categorical whose categories list
    the numbers first. pyreadstat (1.3, through narwhals) types an object column by its
    first 100 non-empty cells, and took one whose first 100 were all letters for text, then
    failed on its first number; a categorical is typed by its categories instead."""
    cells = floats.astype(object)
    coded = np.zeros(len(floats), dtype=bool)
    for code in missing:
        where = floats == code.code
        cells[where] = code.stata
        coded |= where
    numbers = pd.unique(floats[~coded & ~np.isnan(floats)]).tolist()
    categories = pd.Index(numbers + [code.stata for code in missing], dtype=object)
    return pd.Categorical(cells, categories=categories)


def _file_label(table: Table) -> str:
    q = table.data.questionnaire
    return f"Baromètre {q.id} {q.version}: {table.name}"


def _write_sav(table: Table, path: Path, language: Language, progress: _Progress) -> None:
    import pyreadstat

    codebook = table.codebook(SPSS_NAME_BYTES)
    frame = _statistical_frame(table, codebook, stata=False)
    labels: dict[str, Any] = {}
    values: dict[str, Any] = {}
    missing: dict[str, Any] = {}
    measure: dict[str, str] = {}
    formats: dict[str, str] = {}
    for column in codebook.columns:
        labels[column.name] = truncate_bytes(
            f"[{column.key}] {column.label(language)}", SPSS_LABEL_BYTES
        )
        coded = {
            float(v.code): truncate_bytes(
                _value_label(v.label_fr, v.label_en, language), VALUE_LABEL_BYTES
            )
            for v in column.values
        }
        coded |= {
            m.code: truncate_bytes(
                _value_label(m.label_fr, m.label_en, language), VALUE_LABEL_BYTES
            )
            for m in column.missing
        }
        if coded:
            values[column.name] = coded
        if column.missing:
            missing[column.name] = [m.code for m in column.missing]
        if column.type == "string" and column.question_kind == "text":
            # A text answer keeps NA / DK as written: declared user-missing strings.
            missing[column.name] = list(TEXT_MISSING)
        measure[column.name] = _spss_measure(column)
        if column.type == "integer":
            formats[column.name] = "F10.0"
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=truncate_bytes(_file_label(table), 64),
        column_labels=labels,
        variable_value_labels=values,
        missing_ranges=missing,
        variable_measure=measure,
        variable_format=formats,
    )
    _fix_sav_timestamp(path)
    progress.add(table.rows)


def _spss_measure(column: CodebookColumn) -> str:
    """SPSS's level of measurement: `ordinal` for the answers whose options are ordered (a
    `scale`, a row of a status table, in the ladder's order), `nominal` for the other codes
    and the dichotomies (`single`, `yesno`, a `multi` option, a category) and for text,
    `scale` for numbers, scores and shares."""
    if column.kind == "code" and column.question_kind in ORDERED_KINDS:
        return "ordinal"
    if column.kind in ("code", "dichotomy") or column.type == "string":
        return "nominal"
    return "scale"


def _fix_sav_timestamp(path: Path) -> None:
    """Overwrite the creation date and time of the .sav file header (readstat writes the
    clock's) with `SAV_TIMESTAMP`, so that the same inputs give the same bytes. The header
    record: `$FL2`, product name (60 bytes), layout code, nominal case size, compression,
    weight index, number of cases (4 bytes each), bias (8 bytes), then the creation date
    (9 bytes, `dd mmm yy`) at byte 92 and time (8 bytes, `hh:mm:ss`) at byte 101."""
    with open(path, "r+b") as stream:
        end = _SAV_DATE_OFFSET + len(SAV_TIMESTAMP)
        head = stream.read(end)
        if not head.startswith((b"$FL2", b"$FL3")) or len(head) < end:
            raise AssertionError("not an SPSS system file")  # pragma: no cover
        stream.seek(_SAV_DATE_OFFSET)
        stream.write(SAV_TIMESTAMP)


def _write_dta(table: Table, path: Path, language: Language, progress: _Progress) -> None:
    import pyreadstat

    # pyreadstat names each variable's value-label set after the variable and its column
    # number, within Stata's 32 bytes: the names leave room for that number.
    codebook = table.codebook(STATA_NAME_BYTES - len(str(len(table.columns))))
    frame = _statistical_frame(table, codebook, stata=True)
    labels: dict[str, Any] = {}
    values: dict[str, Any] = {}
    missing: dict[str, Any] = {}
    for column in codebook.columns:
        labels[column.name] = truncate_characters(
            f"[{column.key}] {column.label(language)}", STATA_LABEL_CHARACTERS
        )
        coded: dict[int | str, str] = {
            v.code: truncate_bytes(
                _value_label(v.label_fr, v.label_en, language), VALUE_LABEL_BYTES
            )
            for v in column.values
        }
        coded |= {
            m.stata: truncate_bytes(
                _value_label(m.label_fr, m.label_en, language), VALUE_LABEL_BYTES
            )
            for m in column.missing
        }
        if coded:
            values[column.name] = coded
        if column.missing:
            missing[column.name] = [m.stata for m in column.missing]
    pyreadstat.write_dta(
        frame,
        str(path),
        file_label=truncate_characters(_file_label(table), STATA_LABEL_CHARACTERS),
        column_labels=labels,
        variable_value_labels=values,
        missing_user_values=missing,
    )
    _fix_dta_timestamp(path)
    progress.add(table.rows)


def _fix_dta_timestamp(path: Path) -> None:
    """Overwrite the `<timestamp>` of the .dta header (readstat writes the clock's) with
    `DTA_TIMESTAMP`, so that the same inputs give the same bytes. The header of Stata 117 and
    later: `<release>`, `<byteorder>` (LSF, MSF), `<K>`, `<N>`, `<label>` (its length in 1
    byte for 117, 2 bytes after, then the label), then `<timestamp>`: a length byte, 17, and
    `dd Mon yyyy hh:mm`. The label is walked over by its length, not searched, since it
    could hold any text."""
    with open(path, "r+b") as stream:
        head = stream.read(_DTA_HEADER_BYTES)
        release = re.match(rb"<stata_dta><header><release>(\d+)</release><byteorder>(\w+)<", head)
        label = head.find(b"<label>")
        if release is None or label < 0:
            raise AssertionError("not a Stata 117+ file")  # pragma: no cover
        width = 1 if int(release.group(1)) == 117 else 2
        order: Literal["little", "big"] = "little" if release.group(2) == b"LSF" else "big"
        start = label + len(b"<label>") + width
        end = start + int.from_bytes(head[start - width : start], order)
        marker = b"</label><timestamp>"
        if head[end : end + len(marker)] != marker:
            raise AssertionError("no timestamp in the Stata header")  # pragma: no cover
        at = end + len(marker)
        if head[at] == len(DTA_TIMESTAMP):
            stream.seek(at + 1)
            stream.write(DTA_TIMESTAMP)


def _value_label(french: str, english: str, language: Language) -> str:
    return english if language == "en" else french


# --- XLSX ----------------------------------------------------------------------------------
#
# openpyxl (write-only) writes the workbook: its parts, the read-me and codebook sheets. The
# sheets of the tables, up to millions of cells, are then written as SpreadsheetML directly,
# column by column with pyarrow (openpyxl takes a minute for 60,000 respondents' answers),
# in place of the empty sheets openpyxl left for them.

_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    b'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
#: Characters XML 1.0 does not allow (a text answer could hold one): left out of a cell.
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_NOT_XML_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"  # the same, for pyarrow
_EMPTY_CELL = "<c/>"


def _write_xlsx(tables: list[Table], path: Path, language: Language, progress: _Progress) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    codebooks = [t.codebook() for t in tables]
    readme = workbook.create_sheet("lisez-moi readme")
    q = tables[0].data.questionnaire
    for lang in ("fr", "en"):
        translate = L.french if lang == "fr" else (lambda text: text)
        readme.append([translate(L.README_TITLE)])
        values = {
            "questionnaire": f"{q.id} {q.version}",
            "methodology": q.methodology.version,
            "tables": ", ".join(t.name for t in tables),
            "na": str(NA_CODE),
            "dk": str(DK_CODE),
        }
        for line in L.README_LINES:
            readme.append([translate(line).format(**values)])
        readme.append([])
    for table in tables:
        workbook.create_sheet(table.name)
    sheet = workbook.create_sheet("codebook")
    sheet.append(list(SHEET_COLUMNS))
    for codebook in codebooks:
        for entry in sheet_rows(codebook):
            sheet.append([_xml_safe(v) if isinstance(v, str) else v for v in entry])
    skeleton = path.with_name(path.name + ".skeleton")
    try:
        workbook.save(skeleton)
        # openpyxl names the sheets' parts sheet1.xml, sheet2.xml... in their order.
        data_sheets = {
            f"xl/worksheets/sheet{n}.xml": (table, codebook)
            for n, (table, codebook) in enumerate(zip(tables, codebooks, strict=True), start=2)
        }
        with (
            zipfile.ZipFile(skeleton) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
        ):
            # In name order, each entry dated FIXED_DATE: the same inputs give the same bytes.
            for name in sorted(source.namelist()):
                info = _zip_entry(name)
                if name not in data_sheets:
                    content = source.read(name)
                    if name == "docProps/core.xml":
                        content = _fixed_properties(content)
                    target.writestr(info, content)
                    continue
                table, codebook = data_sheets[name]
                with target.open(info, "w", force_zip64=True) as stream:
                    for chunk in _sheet_chunks(table, codebook, progress):
                        stream.write(chunk)
    finally:
        skeleton.unlink(missing_ok=True)


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def _fixed_properties(core: bytes) -> bytes:
    """The workbook's core properties with the `created` and `modified` dates (openpyxl's
    clock) set to `XLSX_TIMESTAMP`."""
    return _CORE_DATES.sub(rb"\g<1>" + XLSX_TIMESTAMP + rb"\g<2>", core)


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry dated `FIXED_DATE`, compressed (deflate, level 1: fast), read-write for
    its owner and readable by all."""
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]  # what ZipFile.open(info) reads
    info.external_attr = 0o644 << 16
    return info


def _xml_safe(text: str) -> str:
    return re.sub(_NOT_XML, "", text)


def _sheet_chunks(table: Table, codebook: Codebook, progress: _Progress):
    """The sheet's XML: a header row of names, then a row per row of the table."""
    yield _SHEET_HEAD
    header = pa.array([c.name for c in codebook.columns], type=pa.string())
    yield ("<row>" + "".join(_cells(header, "string").to_pylist()) + "</row>").encode()
    arrow = _arrow(table, codebook)
    types = [c.type for c in codebook.columns]
    for batch in arrow.to_batches(max_chunksize=BATCH_ROWS // 5):
        cells = [_cells(column, kind) for column, kind in zip(batch.columns, types, strict=True)]
        rows = pc.binary_join_element_wise("<row>", *cells, "</row>", "")
        yield "".join(rows.to_pylist()).encode()
        progress.add(batch.num_rows)
    yield _SHEET_TAIL


def _cells(values: pa.Array, kind: str) -> pa.Array:
    """One `<c>` element per value: a number, an inline string, or an empty cell."""
    if kind == "string":
        text = pc.replace_substring_regex(values, _NOT_XML_RE2, "")
        for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, raw, escaped)
        cells = pc.binary_join_element_wise(
            '<c t="inlineStr"><is><t xml:space="preserve">', text, "</t></is></c>", ""
        )
    else:
        cells = pc.binary_join_element_wise("<c><v>", values.cast(pa.string()), "</v></c>", "")
    return pc.fill_null(cells, _EMPTY_CELL)


WRITERS: dict[str, Callable[[Table, Path, Language, _Progress], None]] = {
    "csv": _write_csv,
    "csv-fr": _write_csv_fr,
    "sav": _write_sav,
    "dta": _write_dta,
    "parquet": _write_parquet,
}
