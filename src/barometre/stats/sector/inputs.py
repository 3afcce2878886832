"""Checking the frame and the scores given to `estimate_sector`, every problem at once.

frame: organisation_id, name, organisation_type (OPH, ESH, COOP, SEM), dwellings, department,
and optionally region and size_class ("<1500", "1500-12000", ">12000": fewer than 1,500
dwellings, 1,500 to 12,000, more than 12,000, the ELAN law's thresholds); it is checked by the
one frame check, `organisations.check_frame`. scores: one row per responding organisation with
organisation_id, global, tech, transfo, level, family (the typology) and one column per
dimension score; scores are on 0-100 and may be missing (insufficient coverage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.contracts.vocabulary import FAMILIES, ORGANISATION_TYPES, SIZE_CLASSES
from barometre.errors import Code, InputError, Problem, problem
from barometre.organisations import check_frame
from barometre.questionnaire.models import Methodology

__all__ = ["ORGANISATION_TYPES", "SIZE_CLASSES", "SectorInputs", "check_inputs"]

SCORE_COLUMNS = ("organisation_id", "global", "tech", "transfo", "level", "family")
#: Display orders when the caller gives none: the default methodology's levels and the
#: typology's families (methodology §4-5); other values follow in sorted order.
LEVEL_ORDER = tuple(level.code for level in Methodology().levels)
TYPOLOGY_ORDER = FAMILIES


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
        # an empty order (a questionnaire without typology) gives no family at all
        typology=()
        if typology_order is not None and not typology_order
        else _order(respondents["family"], typology_order or TYPOLOGY_ORDER),
    )


def check_scores(scores: pd.DataFrame, frame: pd.DataFrame, dimensions: Sequence[str] | None):
    source = "scores"
    if not isinstance(scores, pd.DataFrame):
        raise InputError(source, [problem(source, Code.NOT_A_TABLE_SCORES)])
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
            [problem(source, Code.MISSING_COLUMN_IN_SCORES, columns=", ".join(missing))],
        )
    table = scores.reset_index(drop=True).copy()
    table["organisation_id"] = table["organisation_id"].astype(str)
    problems: list[Problem] = []
    known = set(frame["organisation_id"])
    for row, org in enumerate(table["organisation_id"]):
        if org not in known:
            problems.append(
                problem(f"scores row {row}", Code.UNKNOWN_ORGANISATION, organisation=repr(org))
            )
    for duplicate in sorted(set(table["organisation_id"][table["organisation_id"].duplicated()])):
        problems.append(
            problem("scores", Code.DUPLICATE_ORGANISATION_IN_SCORES, organisation=repr(duplicate))
        )
    for column in ("global", "tech", "transfo", *dims):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = (values.isna() & table[column].notna()) | (values < 0) | (values > 100)
        problems += [
            problem(
                f"scores row {row}",
                Code.SCORE_OUT_OF_RANGE,
                column=column,
                value=repr(table.at[row, column]),
            )
            for row in np.flatnonzero(bad.to_numpy())
        ]
        table[column] = values.astype(float)
    if problems:
        raise InputError(source, problems)
    attributes = frame.set_index("organisation_id")[["organisation_type", "size_class", "region"]]
    respondents = table.join(attributes, on="organisation_id")
    return respondents, dims


def _order(values: pd.Series, preferred: Sequence[str]) -> tuple[str, ...]:
    seen = {str(v) for v in values.dropna()}
    return tuple(preferred) + tuple(sorted(seen - set(preferred)))
