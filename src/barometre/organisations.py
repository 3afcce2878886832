"""The frame: the population of organisations of a wave (family, size, department, region).

The frame CSV has the columns `organisation_id,name,family,dwellings,department`; the region is
derived from the department and the size class from the dwellings, with the ELAN law's
thresholds. Reading it checks every row and reports every problem with its line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from barometre.errors import FrameError, Problem
from barometre.geo import normalise_department, region_of
from barometre.tabular import read_csv_strict

FAMILIES = ("OPH", "ESH", "COOP", "SEM")
FAMILY_LABELS = {
    "OPH": "Office public de l'habitat",
    "ESH": "Entreprise sociale pour l'habitat",
    "COOP": "Société coopérative d'HLM",
    "SEM": "Société d'économie mixte (EPL)",
}
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

    def report(mask: pd.Series, code: str, messages: pd.Series) -> None:
        for line, text in zip(lines[mask], messages[mask], strict=True):
            problems.append(Problem(f"{source}:{line}", code, text))

    frame = table[FRAME_COLUMNS].copy()
    for column in FRAME_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    report(
        frame["organisation_id"] == "",
        "empty_value",
        pd.Series("organisation_id is empty", index=frame.index),
    )
    report(
        frame["organisation_id"].duplicated() & (frame["organisation_id"] != ""),
        "duplicate_organisation",
        "organisation '" + frame["organisation_id"] + "' is listed more than once",
    )
    report(
        ~frame["family"].isin(FAMILIES),
        "unknown_family",
        "unknown family '" + frame["family"] + "' (families: " + ", ".join(FAMILIES) + ")",
    )
    dwellings = pd.to_numeric(frame["dwellings"], errors="coerce")
    report(
        dwellings.isna(), "not_a_number", "dwellings '" + frame["dwellings"] + "' is not a number"
    )
    report(dwellings < 0, "negative_size", "dwellings " + frame["dwellings"] + " is negative")
    region = region_of(frame["department"])
    report(
        region.isna(),
        "unknown_department",
        "unknown department '" + frame["department"] + "' (INSEE code such as 01, 2A, 75, 974)",
    )
    if problems:
        problems.sort(key=lambda p: int(p.location.rsplit(":", 1)[1]))
        raise FrameError(source, problems)
    frame["dwellings"] = dwellings.astype(int)
    frame["department"] = normalise_department(frame["department"])
    frame["region"] = region
    frame["size_class"] = size_class_of(frame["dwellings"])
    return frame.reset_index(drop=True)
