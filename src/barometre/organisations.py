"""The frame: the population of organisations of a wave (family, size, department, region).

The frame CSV has the columns `organisation_id,name,family,dwellings,department`; the region is
derived from the department and the size class from the dwellings, with the ELAN law's
thresholds. Reading it checks every row and reports every problem with its line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from barometre.errors import FrameError, Problem, gettext_noop, problem
from barometre.geo import normalise_department, region_of
from barometre.tabular import read_csv_strict

FAMILIES = ("OPH", "ESH", "COOP", "SEM")
FRAME_COLUMNS = ["organisation_id", "name", "family", "dwellings", "department"]
#: ELAN law thresholds (2018): fewer than 1,500 dwellings, 1,500 to 12,000, more than 12,000.
SIZE_CLASSES = ("<1500", "1500-12000", ">12000")
SIZE_BOUNDS = (1500, 12000)


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
    table = read_csv_strict(path, FRAME_COLUMNS, FrameError)
    return check_frame(table, str(path))


def check_frame(table: pd.DataFrame, source: str = "<frame>") -> pd.DataFrame:
    problems: list[Problem] = []
    lines = (
        table["line"]
        if "line" in table.columns
        else pd.Series(np.arange(len(table)) + 2, index=table.index)
    )

    def report(mask: pd.Series, code: str, template: str, column: str) -> None:
        for line, value in zip(lines[mask], frame.loc[mask, column], strict=True):
            problems.append(
                problem(
                    f"{source}:{line}", code, template, value=value, families=", ".join(FAMILIES)
                )
            )

    if table.empty:
        raise FrameError(
            source, [problem(source, "empty_frame", gettext_noop("the frame has no organisation"))]
        )
    frame = table[FRAME_COLUMNS].copy()
    for column in FRAME_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    ids = frame["organisation_id"]
    report(ids == "", "empty_value", gettext_noop("organisation_id is empty"), "organisation_id")
    report(
        ids.duplicated() & (ids != ""),
        "duplicate_organisation",
        gettext_noop("organisation '%(value)s' is listed more than once"),
        "organisation_id",
    )
    report(
        ~frame["family"].isin(FAMILIES),
        "unknown_family",
        gettext_noop("unknown family '%(value)s' (families: %(families)s)"),
        "family",
    )
    dwellings = pd.to_numeric(frame["dwellings"], errors="coerce")
    report(
        dwellings.isna(),
        "not_a_number",
        gettext_noop("dwellings '%(value)s' is not a number"),
        "dwellings",
    )
    report(
        dwellings < 0, "negative_size", gettext_noop("dwellings %(value)s is negative"), "dwellings"
    )
    region = region_of(frame["department"])
    report(
        region.isna(),
        "unknown_department",
        gettext_noop("unknown department '%(value)s' (INSEE code such as 01, 2A, 75, 974)"),
        "department",
    )
    if problems:
        problems.sort(key=lambda p: int(p.location.rsplit(":", 1)[1]))
        raise FrameError(source, problems)
    frame["dwellings"] = dwellings.astype(int)
    frame["department"] = normalise_department(frame["department"])
    frame["region"] = region
    frame["size_class"] = size_class_of(frame["dwellings"])
    return frame.reset_index(drop=True)
