"""Scores → maturity levels, families and the borderline flag (methodology §4-5)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from barometre.contracts.base import DECIMALS
from barometre.questionnaire.models import Methodology, Typology

#: Scores are compared with thresholds after rounding to the decimals the files are written
#: with, so that a score that is 50 in exact arithmetic (e.g. a mean of 10, 40 and 100) is not
#: 49.99999999999999, and a written score and its level never disagree to a reader.
THRESHOLD_DECIMALS = DECIMALS


def _for_comparison(values):
    return np.round(np.asarray(values, dtype=float), THRESHOLD_DECIMALS)


def levels_of(scores: pd.DataFrame | pd.Series, methodology: Methodology):
    """Level code of each score: half-open intervals [min, next min), the last closed at 100;
    under `levels_closed: upper`, (min, next min] with the lowest level [0, next min]."""
    mins = np.array([level.min for level in methodology.levels])
    codes = np.array([level.code for level in methodology.levels], dtype=object)
    values = _for_comparison(scores)
    # "right": a score equal to a minimum opens that level; "left": it closes the level below.
    side: Literal["left", "right"] = "left" if methodology.levels_closed == "upper" else "right"
    position = np.searchsorted(mins, values, side=side) - 1
    labelled = np.where(np.isnan(values), None, codes[np.clip(position, 0, len(codes) - 1)])
    if isinstance(scores, pd.DataFrame):
        return pd.DataFrame(labelled, index=scores.index, columns=scores.columns)
    return pd.Series(labelled, index=scores.index, dtype=object)


def level_index(score: float, methodology: Methodology) -> int:
    """The position in `methodology.levels` of one score's level (the rule of `levels_of`,
    for the texts that name a single score's level)."""
    codes = levels_of(pd.Series([score], dtype=float), methodology)
    code = codes.iloc[0]
    return next((i for i, lv in enumerate(methodology.levels) if lv.code == code), 0)


def reaches(score: float, minimum: float, methodology: Methodology) -> bool:
    """Whether `score` is in the level that starts at `minimum` or above: at least `minimum`
    (levels closed below), above it (levels closed above), after the levels' rounding."""
    value = float(_for_comparison(score))
    if methodology.levels_closed == "upper":
        return value > minimum
    return value >= minimum


def family_of(tech: pd.Series, transfo: pd.Series, methodology: Methodology) -> pd.Series:
    """pionnier / timide / conservateur / prudent from the two axes; None if an axis is missing.
    Called only for a questionnaire that has a typology."""
    typology = _typology(methodology)
    high_tech = _for_comparison(tech) >= typology.tech_threshold
    high_transfo = _for_comparison(transfo) >= typology.transfo_threshold
    family = np.select(
        [high_tech & high_transfo, high_tech & ~high_transfo, ~high_tech & ~high_transfo],
        ["pionnier", "timide", "conservateur"],
        default="prudent",
    ).astype(object)
    family[(tech.isna() | transfo.isna()).to_numpy()] = None
    return pd.Series(family, index=tech.index, dtype=object)


def borderline_of(
    tech: pd.Series,
    transfo: pd.Series,
    tech_se: pd.Series,
    transfo_se: pd.Series,
    methodology: Methodology,
) -> pd.Series:
    """True when an axis lies within `z` standard errors of its threshold (§5)."""
    z = methodology.borderline.z
    typology = _typology(methodology)
    near_tech = (tech - typology.tech_threshold).abs() <= z * tech_se
    near_transfo = (transfo - typology.transfo_threshold).abs() <= z * transfo_se
    flag = (near_tech | near_transfo).astype(object)
    flag[(tech.isna() | transfo.isna()).to_numpy()] = None
    return flag


def _typology(methodology: Methodology) -> Typology:
    if methodology.typology is None:
        raise ValueError("this questionnaire has no typology: no family, no borderline flag")
    return methodology.typology
