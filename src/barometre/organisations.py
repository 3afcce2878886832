"""The frame: the population of organisations of a wave (type, size, department, region).

The frame CSV has the columns `organisation_id,name,organisation_type,dwellings,department`;
the region is derived from the department and the size class from the dwellings, with the
ELAN law's thresholds. `check_frame` is the one check of a frame, whether it comes from a CSV
file, an upload or a program: it reports every problem with its line (or row).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from barometre.contracts.vocabulary import ORGANISATION_TYPES, SIZE_CLASSES
from barometre.errors import Code, FrameError, Problem, excerpt, problem
from barometre.geo import normalise_department, region_of
from barometre.identifiers import IDENTIFIER_MAX_LENGTH, valid_identifiers
from barometre.tabular import read_csv_strict

__all__ = [
    "FRAME_COLUMNS",
    "ORGANISATION_TYPES",
    "SIZE_CLASSES",
    "check_frame",
    "read_frame",
    "size_class_of",
]

FRAME_COLUMNS = ["organisation_id", "name", "organisation_type", "dwellings", "department"]
#: ELAN law thresholds (2018): fewer than 1,500 dwellings, 1,500 to 12,000, more than 12,000.
SIZE_BOUNDS = (1500, 12000)
#: Longest organisation name (the database column is 200 long).
MAX_NAME_LENGTH = 200
#: Most dwellings an organisation may have: the largest French social landlords own a few
#: hundred thousand, the whole social housing stock is about 5.4 million.
MAX_DWELLINGS = 1_000_000
#: Columns of a frame once checked (the CSV's, then the derived region and size class).
CHECKED_COLUMNS = [*FRAME_COLUMNS, "region", "size_class"]


def size_class_of(dwellings: pd.Series) -> pd.Series:
    """`<1500` below 1,500 dwellings, `>12000` above 12,000, `1500-12000` in between."""
    values = dwellings.to_numpy(dtype=float)
    low, high = SIZE_BOUNDS
    classes = np.select(
        [values < low, values > high], [SIZE_CLASSES[0], SIZE_CLASSES[2]], default=SIZE_CLASSES[1]
    ).astype(object)
    classes[np.isnan(values)] = None
    return pd.Series(classes, index=dwellings.index, dtype=object)


def read_frame(path: str | Path) -> pd.DataFrame:
    """Read and check a frame CSV; returns it with `region` and `size_class` added."""
    try:
        table = read_csv_strict(path, FRAME_COLUMNS, FrameError)
    except FrameError as error:
        raise renamed_column_error(error, _first_line(path)) from None
    return check_frame(table, str(path))


def renamed_column_error(error: FrameError, header_line: str) -> FrameError:
    """A frame written before `family` became `organisation_type`: say which name to use."""
    missing = any(
        p.code in (Code.MISSING_COLUMN, Code.MISSING_COLUMN_OTHER_SEPARATOR)
        and "organisation_type" in p.message
        for p in error.problems
    )
    if not missing or not re.search(r'(^|[,;\t|])\s*"?family"?\s*([,;\t|]|$)', header_line):
        return error
    return FrameError(
        error.source,
        [
            problem(
                f"{error.source}:1",
                Code.RENAMED_COLUMN,
                types=", ".join(ORGANISATION_TYPES),
            )
        ],
    )


def _first_line(path: str | Path) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as stream:
            for line in stream:
                if line.strip():
                    return line
    except OSError:
        pass
    return ""


def check_frame(table: pd.DataFrame, source: str = "frame") -> pd.DataFrame:
    """The checked frame: every problem at once, located by the CSV line (a `line` column, as
    the strict reader gives) or else by the row. `region` is derived from the department unless
    the table gives it; a given `size_class` must agree with the dwellings."""
    if not isinstance(table, pd.DataFrame):
        raise FrameError(source, [problem(source, Code.NOT_A_TABLE)])
    if "family" in table.columns and "organisation_type" not in table.columns:
        raise FrameError(
            source,
            [
                problem(
                    source,
                    Code.RENAMED_COLUMN_IN_TABLE,
                    types=", ".join(ORGANISATION_TYPES),
                )
            ],
        )
    missing = [c for c in FRAME_COLUMNS if c not in table.columns]
    if missing:
        raise FrameError(
            source,
            [
                problem(
                    source,
                    Code.MISSING_COLUMN_IN_FRAME,
                    missing=", ".join(missing),
                )
            ],
        )
    if table.empty:
        raise FrameError(source, [problem(source, Code.EMPTY_FRAME)])
    table = table.reset_index(drop=True)
    by_line = "line" in table.columns
    places = (
        [f"{source}:{line}" for line in table["line"]]
        if by_line
        else [f"{source} row {row}" for row in range(len(table))]
    )
    problems: list[tuple[int, Problem]] = []
    frame = table[FRAME_COLUMNS].copy()
    for column in FRAME_COLUMNS:
        frame[column] = frame[column].map(_cell)

    def report(
        mask: pd.Series, column: str | pd.Series, found: Callable[[str, Any], Problem]
    ) -> None:
        """`found(where, value)` for each row of `mask`, with an excerpt of the row's value of
        `column` (a column's name, or the values themselves)."""
        for row in map(int, np.flatnonzero(mask.to_numpy())):
            if isinstance(column, pd.Series):
                value = column.iat[row]
            elif column in frame.columns:
                value = frame.at[row, column]
            else:
                value = table.at[row, column]
            quoted = excerpt(value) if isinstance(value, str) else value
            problems.append((int(row), found(places[row], quoted)))

    ids = frame["organisation_id"]
    report(
        ids == "",
        "organisation_id",
        lambda where, _: problem(where, Code.EMPTY_VALUE, column="organisation_id"),
    )
    report(
        ~valid_identifiers(ids) & (ids != ""),
        "organisation_id",
        lambda where, value: problem(
            where,
            Code.INVALID_IDENTIFIER,
            column="organisation_id",
            value=value,
            limit=IDENTIFIER_MAX_LENGTH,
        ),
    )
    # The other columns are checked against a closed list (types, departments) or read as a
    # number: only the name is kept as free text.
    names = frame["name"]
    report(
        names.str.contains("\x00", regex=False),
        "name",
        lambda where, _: problem(where, Code.NUL_CHARACTER, column="name"),
    )
    lengths = names.str.len()
    report(
        lengths > MAX_NAME_LENGTH,
        lengths,
        lambda where, length: problem(
            where, Code.NAME_TOO_LONG, length=length, limit=MAX_NAME_LENGTH
        ),
    )
    report(
        ids.duplicated() & (ids != ""),
        "organisation_id",
        lambda where, value: problem(where, Code.DUPLICATE_ORGANISATION, value=value),
    )
    types = ", ".join(ORGANISATION_TYPES)
    report(
        ~frame["organisation_type"].isin(ORGANISATION_TYPES),
        "organisation_type",
        lambda where, value: problem(
            where, Code.UNKNOWN_ORGANISATION_TYPE, value=value, types=types
        ),
    )
    dwellings = pd.to_numeric(frame["dwellings"], errors="coerce")
    dwellings = dwellings.where(np.isfinite(dwellings))  # "inf" and "nan" are not figures
    report(
        dwellings.isna(),
        "dwellings",
        lambda where, value: problem(where, Code.NOT_A_NUMBER_DWELLINGS, value=value),
    )
    report(
        dwellings < 0,
        "dwellings",
        lambda where, value: problem(where, Code.NEGATIVE_SIZE, value=value),
    )
    report(
        (dwellings >= 0) & (dwellings != np.floor(dwellings)),
        "dwellings",
        lambda where, value: problem(where, Code.NOT_WHOLE_DWELLINGS, value=value),
    )
    report(
        dwellings > MAX_DWELLINGS,
        "dwellings",
        lambda where, value: problem(
            where, Code.TOO_MANY_DWELLINGS, value=value, limit=f"{MAX_DWELLINGS:,}"
        ),
    )
    size_class = size_class_of(dwellings)
    if "size_class" in table.columns:
        given = table["size_class"].map(_cell)
        classes = ", ".join(SIZE_CLASSES)
        report(
            ~given.isin(SIZE_CLASSES),
            "size_class",
            lambda where, value: problem(
                where, Code.UNKNOWN_SIZE_CLASS, value=value, classes=classes
            ),
        )
        report(
            given.isin(SIZE_CLASSES) & dwellings.notna() & (given != size_class),
            "size_class",
            lambda where, value: problem(where, Code.SIZE_CLASS_MISMATCH, value=value),
        )
    if "region" in table.columns:
        region = table["region"].map(_cell)
        report(region == "", "region", lambda where, _: problem(where, Code.MISSING_REGION))
    else:
        region = region_of(frame["department"])
        report(
            region.isna(),
            "department",
            lambda where, value: problem(where, Code.UNKNOWN_DEPARTMENT, value=value),
        )
    if problems:
        problems.sort(key=lambda pair: pair[0])
        raise FrameError(source, [p for _row, p in problems])
    frame["dwellings"] = dwellings.astype(int)
    if "region" not in table.columns:
        frame["department"] = normalise_department(frame["department"])
    frame["region"] = region.astype(str)
    frame["size_class"] = size_class
    return frame[CHECKED_COLUMNS].reset_index(drop=True)


def _cell(value: object) -> str:
    """A cell as stripped text; a missing cell is empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
