"""Checking the frame and the scores given to `estimate_sector`, every problem at once.

frame: organisation_id, name, family (OPH, ESH, COOP, SEM), dwellings, department, region,
size_class ("<1500", "1500-12000", ">12000": fewer than 1,500 dwellings, 1,500 to 12,000, more
than 12,000, the ELAN law's thresholds). scores: one row per responding organisation with
organisation_id, global, tech, transfo, level, family_type and one column per dimension score;
scores are on 0-100 and may be missing (insufficient coverage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.errors import FrameError, InputError, Problem
from barometre.organisations import FAMILIES, SIZE_CLASSES, size_class_of

FRAME_COLUMNS = (
    "organisation_id",
    "name",
    "family",
    "dwellings",
    "department",
    "region",
    "size_class",
)
SCORE_COLUMNS = ("organisation_id", "global", "tech", "transfo", "level", "family_type")
#: Default display orders (methodology §4-5); other values follow in sorted order.
LEVEL_ORDER = ("tres_faible", "faible", "intermediaire", "avancee")
TYPOLOGY_ORDER = ("pionnier", "timide", "conservateur", "prudent")


@dataclass(frozen=True)
class SectorInputs:
    """The checked inputs: frame, respondents (scores joined to their frame row), dimensions."""

    frame: pd.DataFrame
    respondents: pd.DataFrame
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    typology: tuple[str, ...]


def check_inputs(
    scores: pd.DataFrame,
    frame: pd.DataFrame,
    dimensions: Sequence[str] | None,
    level_order: Sequence[str] | None,
    typology_order: Sequence[str] | None,
) -> SectorInputs:
    frame = check_frame(frame)
    respondents, dims = check_scores(scores, frame, dimensions)
    return SectorInputs(
        frame=frame,
        respondents=respondents,
        dimensions=dims,
        levels=_order(respondents["level"], level_order or LEVEL_ORDER),
        typology=_order(respondents["family_type"], typology_order or TYPOLOGY_ORDER),
    )


def check_frame(frame: pd.DataFrame) -> pd.DataFrame:
    source = "frame"
    if not isinstance(frame, pd.DataFrame):
        raise FrameError(source, [Problem(source, "not_a_table", "the frame must be a DataFrame")])
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise FrameError(
            source, [Problem(source, "missing_column", f"missing column(s) {', '.join(missing)}")]
        )
    table = frame.loc[:, list(FRAME_COLUMNS)].reset_index(drop=True)
    problems: list[Problem] = []
    ids = table["organisation_id"].astype(str)
    dwellings = pd.to_numeric(table["dwellings"], errors="coerce")
    expected_size = size_class_of(dwellings)
    for row in range(len(table)):
        where = f"frame row {row} (organisation {ids[row]!r})"
        family, size = table.at[row, "family"], table.at[row, "size_class"]
        if family not in FAMILIES:
            problems.append(
                Problem(
                    where,
                    "unknown_family",
                    f"family {family!r} is not one of {', '.join(FAMILIES)}",
                )
            )
        if size not in SIZE_CLASSES:
            problems.append(
                Problem(
                    where,
                    "unknown_size_class",
                    f"size class {size!r} is not one of {', '.join(SIZE_CLASSES)}",
                )
            )
        elif not np.isnan(dwellings[row]) and size != expected_size[row]:
            problems.append(
                Problem(
                    where,
                    "size_class_mismatch",
                    f"{dwellings[row]:g} dwellings belong to size class "
                    f"{expected_size[row]!r}, not {size!r} (ELAN thresholds 1,500 "
                    "and 12,000)",
                )
            )
        if pd.isna(table.at[row, "region"]):
            problems.append(Problem(where, "missing_region", "the region is missing"))
    for duplicate in sorted(set(ids[ids.duplicated()])):
        problems.append(
            Problem(
                "frame",
                "duplicate_organisation",
                f"organisation {duplicate!r} is listed more than once",
            )
        )
    if problems:
        raise FrameError(source, problems)
    if table.empty:
        raise FrameError(source, [Problem(source, "empty_frame", "the frame has no organisation")])
    table["organisation_id"] = ids
    table["region"] = table["region"].astype(str)
    return table


def check_scores(scores: pd.DataFrame, frame: pd.DataFrame, dimensions: Sequence[str] | None):
    source = "scores"
    if not isinstance(scores, pd.DataFrame):
        raise InputError(source, [Problem(source, "not_a_table", "the scores must be a DataFrame")])
    missing = [c for c in SCORE_COLUMNS if c not in scores.columns]
    dims = (
        tuple(c for c in scores.columns if c not in SCORE_COLUMNS)
        if dimensions is None
        else tuple(dimensions)
    )
    missing += [c for c in dims if c not in scores.columns or c in SCORE_COLUMNS]
    if missing:
        raise InputError(
            source,
            [
                Problem(
                    source, "missing_column", f"missing or invalid column(s) {', '.join(missing)}"
                )
            ],
        )
    table = scores.reset_index(drop=True).copy()
    table["organisation_id"] = table["organisation_id"].astype(str)
    problems: list[Problem] = []
    known = set(frame["organisation_id"])
    for row, org in enumerate(table["organisation_id"]):
        if org not in known:
            problems.append(
                Problem(
                    f"scores row {row}",
                    "unknown_organisation",
                    f"organisation {org!r} is not in the frame",
                )
            )
    for duplicate in sorted(set(table["organisation_id"][table["organisation_id"].duplicated()])):
        problems.append(
            Problem(
                "scores",
                "duplicate_organisation",
                f"organisation {duplicate!r} has more than one row of scores",
            )
        )
    for column in ("global", "tech", "transfo", *dims):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = (values.isna() & table[column].notna()) | (values < 0) | (values > 100)
        problems += [
            Problem(
                f"scores row {row}",
                "score_out_of_range",
                f"{column} = {table.at[row, column]!r} is not a score on 0-100",
            )
            for row in np.flatnonzero(bad.to_numpy())
        ]
        table[column] = values.astype(float)
    if problems:
        raise InputError(source, problems)
    attributes = frame.set_index("organisation_id")[["family", "size_class", "region"]]
    respondents = table.join(attributes, on="organisation_id")
    return respondents, dims


def _order(values: pd.Series, preferred: Sequence[str]) -> tuple[str, ...]:
    seen = {str(v) for v in values.dropna()}
    return tuple(preferred) + tuple(sorted(seen - set(preferred)))
