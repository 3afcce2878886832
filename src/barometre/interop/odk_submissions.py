"""Submissions collected on ODK or KoboToolbox, read into the responses format.

A form exported by `barometre questionnaire export Q --format xlsform` is collected on ODK
Collect, Enketo or KoboToolbox; their exports give one row per submission and one column per
question (CSV or XLSX). `read_odk_submissions(path, q)` reads such an export against the
questionnaire `q` it was made from and returns the answers as a responses table (the columns of
docs/responses-format.md), with a `MappingReport` of the columns matched, unknown and missing.

Columns are named as the tools export them: by the XLSForm name, bare (`str_board`) or with its
group path (Kobo `strategie/str_board`, ODK Central `strategie-str_board`); a status row is
`ITEM__ROW`; a select_multiple is one cell of space-separated choices (`web app`) and/or one
0/1 column per choice (`q/web`); a number or a text takes "not applicable" or "don't know" in
its companion question `ITEM__special`. The respondent is the submission: its instance id
(`meta/instanceID`, ODK Central's `KEY`, Kobo's `_uuid`) made an identifier (`uuid:` dropped,
any other character than a letter, digit, `-`, `_` or `.` replaced by `-`). Every answer is
checked by `barometre score`'s own rules (`scoring.answers.score_answers`), and every problem
is told with its row and column; then nothing is returned.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from barometre.errors import Code, Problem, ResponsesError, excerpt, problem
from barometre.identifiers import IDENTIFIER_MAX_LENGTH, is_identifier
from barometre.interop.mapping import MappingReport
from barometre.interop.xlsform import (
    ORGANISATION_NAME,
    ROLE_NAME,
    path_step_name,
    special_name,
    xlsform_names,
)
from barometre.questionnaire import build_field_tables
from barometre.questionnaire.models import (
    DONT_KNOW,
    MULTI_SEPARATOR,
    NOT_APPLICABLE,
    Questionnaire,
)
from barometre.scoring.answers import RESPONSE_COLUMNS, score_answers
from barometre.tabular import decode_csv, detect_separator, parse_csv_text

#: Largest export read, in bytes.
MAX_SUBMISSIONS_BYTES = 64 * 1024 * 1024
#: Columns of a submission's id, in the order they are looked for.
ID_COLUMNS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
#: Columns the tools add that hold no answer: not reported as unknown.
METADATA_COLUMNS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "email",
        "audit",
        "SubmissionDate",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
        "KEY",
        "instanceID",
    }
)
_METADATA_PREFIXES = ("_", "meta/", "meta-", "formhub/", "formhub-")
_TICKED = frozenset({"1", "1.0", "true", "yes", "oui"})
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class _Column:
    """What a column of the export holds: an answer field (`field`), one choice of a
    select_multiple (`option`), the NA/DK of an item (`special`)."""

    field: str
    option: str | None = None
    special: bool = False
    step: str | None = None  # a step of a path item (`ITEM__STEP`)


@dataclass(frozen=True)
class _Table:
    """The export as text cells, with each row's number and each column's letter; the cells
    of a workbook that held a boolean (shown `TRUE` / `FALSE`), as (row position, column)."""

    cells: pd.DataFrame
    rows: np.ndarray
    where: str  # "csv" or the sheet's title
    booleans: frozenset[tuple[int, str]] = frozenset()


def read_odk_submissions(path: str | Path, q: Questionnaire) -> tuple[pd.DataFrame, MappingReport]:
    """The answers of an ODK / KoboToolbox export (CSV or XLSX) as a responses table, and
    what was matched; raises `ResponsesError` with every problem (row and column)."""
    source = Path(path)
    name = str(source)
    try:
        size = source.stat().st_size
        if size > MAX_SUBMISSIONS_BYTES:
            raise ResponsesError(
                name,
                [problem(name, Code.FILE_TOO_LARGE, size=size, limit=MAX_SUBMISSIONS_BYTES)],
            )
        raw = source.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ResponsesError(name, [problem(name, Code.FILE_NOT_FOUND)]) from None
    if source.suffix.lower() in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        table = _read_xlsx(raw, name)
    else:
        table = _read_csv(raw, name)
    return odk_submissions(table, q, name)


def _read_csv(raw: bytes, name: str) -> _Table:
    text, _found = decode_csv(raw, name, ResponsesError)
    separator = detect_separator(text, [ROLE_NAME, ORGANISATION_NAME])
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    header = [cell.strip() for cell in next(csv.reader([first], delimiter=separator), [])]
    columns = list(dict.fromkeys(cell for cell in header if cell))
    cells = parse_csv_text(text, columns, ResponsesError, name, separator)
    rows = cells.pop("line").to_numpy()
    return _Table(cells=cells.fillna(""), rows=rows, where="csv")


def _read_xlsx(raw: bytes, name: str) -> _Table:
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is no workbook
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ResponsesError(
            name, [problem(name, Code.XLSFORM_NOT_A_WORKBOOK, detail=detail)]
        ) from None
    sheet = workbook.worksheets[0]  # Kobo puts repeat groups on the next sheets
    title = sheet.title
    records: list[list[str]] = []
    numbers: list[int] = []
    #: the cells that held a boolean: (position of the record, position of the column)
    flags: list[tuple[int, int]] = []
    try:
        # read_only: the sheet's XML is parsed only now, row by row
        values = sheet.iter_rows(values_only=True)
        header = [_text(cell).strip() for cell in next(values, ())]
        for number, row in enumerate(values, start=2):
            texts = [_text(cell) for cell in row]
            if any(t.strip() for t in texts):
                flags.extend(
                    (len(records), i)
                    for i, cell in enumerate(row[: len(header)])
                    if isinstance(cell, bool)
                )
                records.append((texts + [""] * len(header))[: len(header)])
                numbers.append(number)
    except Exception as exc:  # a damaged sheet raises what its XML parser raises
        detail = excerpt(" ".join(str(exc).split()) or type(exc).__name__)
        where = f"{name} {title}"
        raise ResponsesError(
            name, [problem(where, Code.XLSFORM_DAMAGED_SHEET, sheet=title, detail=detail)]
        ) from None
    finally:
        workbook.close()
    if not header or not any(header):
        raise ResponsesError(name, [problem(name, Code.EMPTY_FILE)])
    keep = [i for i, column in enumerate(header) if column and header.index(column) == i]
    cells = pd.DataFrame(
        [[record[i] for i in keep] for record in records],
        columns=[header[i] for i in keep],
        dtype=object,
    )
    cells.attrs["letters"] = {header[i]: get_column_letter(i + 1) for i in keep}
    kept = set(keep)
    booleans = frozenset((record, header[i]) for record, i in flags if i in kept)
    return _Table(
        cells=cells, rows=np.array(numbers, dtype=np.int64), where=title, booleans=booleans
    )


def _text(value: object) -> str:
    """A cell as text: a boolean as a spreadsheet shows it (`TRUE`, `FALSE`), a whole number
    without `.0`, a number as Python writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def respondent_identifier(instance: str) -> str:
    """A submission's instance id as a respondent identifier, always the same for the same
    id: `uuid:` dropped, other characters than letters, digits, `-`, `_`, `.` made `-`;
    one too long (or `.` / `..`) is replaced by `s-` and 32 hexadecimal digits of its hash."""
    text = instance.strip().removeprefix("uuid:")
    cleaned = _NOT_IDENTIFIER.sub("-", text)
    if cleaned and is_identifier(cleaned) and len(cleaned) <= IDENTIFIER_MAX_LENGTH:
        return cleaned
    return "s-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _columns(q: Questionnaire) -> dict[str, _Column]:
    """Every XLSForm name the export may use, with what it holds."""
    known: dict[str, _Column] = {}
    for field_id, name in xlsform_names(q).items():
        known[name] = _Column(field_id)
    for item in q.items:
        special = special_name(item)
        if special:
            known[special] = _Column(item.id, special=True)
        for step in item.steps:
            known[path_step_name(item, step.id)] = _Column(item.id, step=step.id)
    return known


def _resolve(header: str, known: dict[str, _Column], multi: dict[str, set[str]]) -> _Column | None:
    """What a column holds, from its name with or without the group path."""
    parts = header.split("/")
    found = _by_name(parts[-1], known)
    if found is not None:
        return found
    if len(parts) >= 2:
        question = _by_name(parts[-2], known)
        if question is not None and parts[-1] in multi.get(question.field, set()):
            return _Column(question.field, option=parts[-1])
    return None


def _by_name(segment: str, known: dict[str, _Column]) -> _Column | None:
    if segment in known:
        return known[segment]
    # ODK Central joins groups with "-": the longest known name the segment ends with
    for name in sorted(known, key=len, reverse=True):
        if segment.endswith(f"-{name}"):
            return known[name]
    return None


def _is_metadata(header: str) -> bool:
    return header in METADATA_COLUMNS or header.startswith(_METADATA_PREFIXES)


def odk_submissions(
    table: _Table, q: Questionnaire, name: str
) -> tuple[pd.DataFrame, MappingReport]:
    """`read_odk_submissions` on a table already read."""
    cells = table.cells
    letters: dict[str, str] = cells.attrs.get("letters", {})
    problems: list[tuple[int, int, Problem]] = []
    order = {column: index for index, column in enumerate(cells.columns)}

    def at(row: int, column: str) -> str:
        if table.where == "csv":
            return f"{name}:{row} column {column!r}"
        return f"{name} {table.where}!{letters.get(column, '?')}{row}"

    def tell(row: int, header: str, found: Problem) -> None:
        problems.append((row, order.get(header, -1), found))

    known = _columns(q)
    multi = {
        item.id: {o.code for o in item.options} | {NOT_APPLICABLE, DONT_KNOW}
        for item in q.items
        if item.kind == "multi"
    }
    columns: dict[str, _Column] = {}
    unknown: list[str] = []
    fixed: dict[str, str] = {}
    for header in cells.columns:
        last = header.split("/")[-1].split("-")[-1] if header not in ID_COLUMNS else header
        if last in (ROLE_NAME, ORGANISATION_NAME) and last not in fixed:
            fixed[last] = header
            continue
        found = _resolve(header, known, multi)
        if found is not None:
            columns[header] = found
        elif not _is_metadata(header):
            unknown.append(header)
    id_column = next((c for c in ID_COLUMNS if c in cells.columns), None)
    missing_columns = [c for c in (ORGANISATION_NAME, ROLE_NAME) if c not in fixed]
    if id_column is None:
        missing_columns.append(" or ".join(ID_COLUMNS))
    if missing_columns:
        raise ResponsesError(
            name,
            [problem(name, Code.ODK_MISSING_COLUMN, column=column) for column in missing_columns],
        )
    assert id_column is not None
    rows = table.rows
    # a boolean is a tick of a split select_multiple column, and nothing else: told, and the
    # cell read as empty (no second problem about it)
    read = {*columns, *fixed.values(), id_column}
    blanked: set[tuple[int, str]] = set()
    for i, header in sorted(table.booleans, key=lambda cell: (cell[0], order[cell[1]])):
        if header not in read or columns.get(header, _Column("")).option is not None:
            continue
        if not blanked:
            cells = cells.copy()
        row = int(rows[i])
        value = str(cells.iat[i, order[header]])
        tell(row, header, problem(at(row, header), Code.ODK_BOOLEAN_CELL, value=value))
        cells.iat[i, order[header]] = ""
        blanked.add((i, header))
    organisations = cells[fixed[ORGANISATION_NAME]].astype(str).str.strip()
    roles = cells[fixed[ROLE_NAME]].astype(str).str.strip()
    instances = cells[id_column].astype(str).str.strip()
    respondents = instances.map(respondent_identifier)
    organisation_texts: list[str] = organisations.tolist()
    role_texts: list[str] = roles.tolist()
    instance_texts: list[str] = instances.tolist()
    respondent_texts: list[str] = respondents.tolist()
    role_codes = {role.code for role in q.roles}
    usable = np.ones(len(cells), dtype=bool)
    first_row: dict[str, int] = {}
    for i in range(len(cells)):
        row = int(rows[i])
        organisation, role, instance = organisation_texts[i], role_texts[i], instance_texts[i]
        if organisation == "" or not is_identifier(organisation):
            usable[i] = False
            if (i, fixed[ORGANISATION_NAME]) in blanked:
                pass
            elif organisation == "":
                tell(
                    row,
                    fixed[ORGANISATION_NAME],
                    problem(
                        at(row, fixed[ORGANISATION_NAME]),
                        Code.EMPTY_VALUE,
                        column=ORGANISATION_NAME,
                    ),
                )
            else:
                tell(
                    row,
                    fixed[ORGANISATION_NAME],
                    problem(
                        at(row, fixed[ORGANISATION_NAME]),
                        Code.INVALID_IDENTIFIER,
                        column=ORGANISATION_NAME,
                        value=excerpt(organisation),
                        limit=str(IDENTIFIER_MAX_LENGTH),
                    ),
                )
        if role not in role_codes:
            usable[i] = False
            if (i, fixed[ROLE_NAME]) in blanked:
                pass
            elif role == "":
                tell(
                    row,
                    fixed[ROLE_NAME],
                    problem(at(row, fixed[ROLE_NAME]), Code.EMPTY_VALUE, column=ROLE_NAME),
                )
            else:
                tell(
                    row,
                    fixed[ROLE_NAME],
                    problem(
                        at(row, fixed[ROLE_NAME]),
                        Code.UNKNOWN_ROLE,
                        role=excerpt(role),
                        declared=", ".join(sorted(role_codes)),
                    ),
                )
        if instance == "":
            usable[i] = False
            if (i, id_column) not in blanked:
                tell(
                    row, id_column, problem(at(row, id_column), Code.EMPTY_VALUE, column=id_column)
                )
            continue
        first = first_row.setdefault(respondent_texts[i], row)
        if first != row:
            usable[i] = False
            tell(
                row,
                id_column,
                problem(
                    at(row, id_column),
                    Code.ODK_DUPLICATE_SUBMISSION,
                    submission=excerpt(instance),
                    first=first,
                ),
            )

    answers, source_column = _answers(cells, columns, q)
    long = _long(answers, source_column, organisations, respondents, roles, usable)
    if len(long):
        try:
            score_answers(long, build_field_tables(q), name)
        except ResponsesError as exc:
            submissions = long["submission"].to_numpy(dtype=np.int64)
            origins = long["column"].tolist()
            for told in exc.problems:
                index = int(told.location.rsplit(":", 1)[1]) - 1
                row = int(rows[submissions[index]])
                header = str(origins[index])
                moved = replace(told, location=at(row, header))
                problems.append((row, order.get(header, -1), moved))
    if problems:
        problems.sort(key=lambda p: (p[0], p[1]))
        raise ResponsesError(name, [p for _, _, p in problems])
    matched = {column.field for column in columns.values()}
    fields = list(xlsform_names(q))
    report = MappingReport(
        matched=tuple(f for f in fields if f in matched),
        unknown=tuple(unknown),
        missing=tuple(f for f in fields if f not in matched),
        submissions=len(cells),
        answers=len(long),
    )
    return long[RESPONSE_COLUMNS].reset_index(drop=True), report


def _answers(
    cells: pd.DataFrame, columns: dict[str, _Column], q: Questionnaire
) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """One answer column per field, and the export's column each was read from."""
    answers: dict[str, pd.Series] = {}
    source: dict[str, str] = {}
    specials: dict[str, tuple[str, pd.Series]] = {}
    ticks: dict[str, list[tuple[str, str]]] = {}
    steps: dict[str, dict[str, tuple[str, pd.Series]]] = {}
    multi_items = {item.id for item in q.items if item.kind == "multi"}
    for header, column in columns.items():
        values = cells[header].astype(str).str.strip()
        if column.special:
            specials.setdefault(column.field, (header, values))
        elif column.step is not None:
            steps.setdefault(column.field, {}).setdefault(column.step, (header, values))
        elif column.option is not None:
            ticks.setdefault(column.field, []).append((header, column.option))
        elif column.field not in answers:
            if column.field in multi_items:
                values = values.map(lambda cell: MULTI_SEPARATOR.join(cell.split()))
            answers[column.field] = values
            source[column.field] = header
    for field, split in ticks.items():
        if field in answers:
            continue  # the space-separated cell says it all
        order = [o.code for o in q.item(field).options] + [NOT_APPLICABLE, DONT_KNOW]
        split.sort(key=lambda pair: order.index(pair[1]))
        ticked = pd.DataFrame(
            {
                option: cells[header].astype(str).str.strip().str.lower().isin(_TICKED)
                for header, option in split
            }
        )
        answers[field] = (
            ticked.apply(
                lambda row: MULTI_SEPARATOR.join(code for code, on in row.items() if on), axis=1
            ).astype(object)
            if len(ticked)
            else pd.Series([], dtype=object)
        )
        source[field] = split[0][0]
    for field, by_step in steps.items():
        answers[field], source[field] = _path_answer(q.item(field).steps, by_step, len(cells))
    for field, (header, values) in specials.items():
        given = values != ""
        base = answers.get(field, pd.Series([""] * len(values), index=values.index, dtype=object))
        answers[field] = base.where(~given, values)
        if field not in source:
            source[field] = header
        else:
            # a NA / DK is told at the companion column
            source[f"{field}\0special"] = header
            answers[f"{field}\0special"] = given
    return answers, source


def _path_answer(
    steps, by_step: dict[str, tuple[str, pd.Series]], count: int
) -> tuple[pd.Series, str]:
    """A path item's answer from its steps' columns: the answers given, in the order of the
    steps, joined by `|` (the form asks a step only when the path reaches it, so the steps
    not reached are empty). Told at the first step's column."""
    ordered = [by_step[step.id] for step in steps if step.id in by_step]
    joined = pd.Series([""] * count, index=ordered[0][1].index, dtype=object)
    for _header, values in ordered:  # a loop over the steps, not the submissions
        given = values != ""
        joined = joined.where(~given, joined.where(joined == "", joined + MULTI_SEPARATOR) + values)
    return joined, ordered[0][0]


def _long(
    answers: dict[str, pd.Series],
    source: dict[str, str],
    organisations: pd.Series,
    respondents: pd.Series,
    roles: pd.Series,
    usable: np.ndarray,
) -> pd.DataFrame:
    """The answers as a responses table, one row per answer given, with the submission (its
    position) and the column it came from; `line` numbers the rows 1, 2... (problems of the
    engine name it)."""
    parts = []
    for field, values in answers.items():
        if "\0" in field:
            continue
        given = (values.to_numpy(dtype=object) != "") & usable
        if not given.any():
            continue
        index = np.flatnonzero(given)
        special = answers.get(f"{field}\0special")
        column = np.full(len(index), source[field], dtype=object)
        if special is not None:
            column[special.to_numpy(dtype=bool)[index]] = source[f"{field}\0special"]
        parts.append(
            pd.DataFrame(
                {
                    "organisation_id": organisations.to_numpy(dtype=object)[index],
                    "respondent_id": respondents.to_numpy(dtype=object)[index],
                    "role": roles.to_numpy(dtype=object)[index],
                    "item_id": field,
                    "answer": values.to_numpy(dtype=object)[index],
                    "submission": index,
                    "column": column,
                }
            )
        )
    columns = [*RESPONSE_COLUMNS, "submission", "column"]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    long = pd.concat(parts, ignore_index=True)
    # in the export's order: submission by submission, in the questionnaire's field order
    long = long.sort_values("submission", kind="stable").reset_index(drop=True)
    long["line"] = np.arange(1, len(long) + 1)
    return long
