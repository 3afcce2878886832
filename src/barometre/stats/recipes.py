"""Building calibration models from the arguments of `poststratify`, `rake` and `calibrate`.

Each builder checks its arguments, matches the population's levels with the sample's and
returns a `CalibrationModel`: the model matrix (indicators of the levels of each margin, numeric
columns, an intercept when only numeric totals and a population size are given) and the targets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from barometre.errors import StatisticsError
from barometre.stats.arguments import check_choice, check_columns, check_positive_int, fail
from barometre.stats.calibration import METHODS, CalibrationModel, Method
from barometre.stats.margins import Margin, as_columns, build_margin, check_same_total


def poststratify_model(data: pd.DataFrame, cells, population) -> CalibrationModel:
    owner = "SurveyDesign.poststratify"
    columns = check_columns(data, cells, "cells", owner)
    margin = build_margin(data, columns, population, "population", owner)
    return CalibrationModel(
        kind="poststratify",
        matrix=margin.indicators,
        targets=margin.counts,
        margins=(margin,),
        numeric=(),
    )


def rake_model(data: pd.DataFrame, margins, max_iter: int, tol: float) -> CalibrationModel:
    owner = "SurveyDesign.rake"
    check_positive_int(max_iter, "max_iter", owner)
    _check_tol(tol, owner)
    if not isinstance(margins, Mapping) or not margins:
        fail("margins", owner, "a non-empty mapping {column: {level: population count}}", margins)
    built = [
        build_margin(data, as_columns(key, "margins", owner, data), spec, "margins", owner)
        for key, spec in margins.items()
    ]
    check_same_total(built)
    return CalibrationModel(
        kind="rake",
        matrix=np.hstack([m.indicators for m in built]),
        targets=np.concatenate([m.counts for m in built]),
        margins=tuple(built),
        numeric=(),
        max_iter=max_iter,
        tol=tol,
    )


def calibrate_model(
    data: pd.DataFrame,
    totals,
    method: Method,
    bounds,
    population_size,
    max_iter: int,
    tol: float,
) -> CalibrationModel:
    owner = "SurveyDesign.calibrate"
    method = check_choice(method, "method", owner, METHODS)
    check_positive_int(max_iter, "max_iter", owner)
    _check_tol(tol, owner)
    low, high = _check_bounds(bounds, method, owner)
    if not isinstance(totals, Mapping) or not totals:
        fail(
            "totals",
            owner,
            "a non-empty mapping {column: {level: count}} for categorical margins or "
            "{column: total} for numeric columns",
            totals,
        )
    margins: list[Margin] = []
    numeric: list[tuple[str, float]] = []
    for key, spec in totals.items():
        columns = as_columns(key, "totals", owner, data)
        if isinstance(spec, int | float | np.number) and not isinstance(spec, bool):
            numeric.append((_numeric_column(data, columns, spec, owner), float(spec)))
        else:
            margins.append(build_margin(data, columns, spec, "totals", owner))
    check_same_total(margins)
    blocks, targets = _categorical_blocks(margins)
    intercept = _intercept(margins, population_size, owner)
    if intercept is not None:
        blocks.insert(0, np.ones((len(data), 1)))
        targets.insert(0, np.array([intercept]))
    for column, total in numeric:
        blocks.append(data[column].to_numpy(dtype=float)[:, None])
        targets.append(np.array([total]))
    return CalibrationModel(
        kind="calibrate",
        matrix=np.hstack(blocks),
        targets=np.concatenate(targets),
        margins=tuple(margins),
        numeric=tuple(numeric),
        has_intercept=intercept is not None,
        method=method,
        bounds=(low, high),
        max_iter=max_iter,
        tol=tol,
    )


def _categorical_blocks(margins: list[Margin]):
    """Indicators of every level of the first margin, of all but the first level of the others
    (full rank: each margin's indicators already add up to the intercept)."""
    blocks, targets = [], []
    for index, margin in enumerate(margins):
        skip = 1 if index > 0 else 0
        blocks.append(margin.indicators[:, skip:])
        targets.append(margin.counts[skip:])
    return blocks, targets


def _intercept(margins: list[Margin], population_size, owner: str) -> float | None:
    if population_size is None:
        if not margins:
            fail(
                "population_size",
                owner,
                "given when totals has no categorical margin (the calibration needs the "
                "population size as its intercept)",
                population_size,
            )
        return None
    if (
        isinstance(population_size, bool)
        or not isinstance(population_size, int | float)
        or not (math.isfinite(population_size) and population_size > 0)
    ):
        fail("population_size", owner, "None or a finite number greater than 0", population_size)
    if margins:
        check_same_total([*margins, _size_margin(float(population_size))])
        return None
    return float(population_size)


def _size_margin(size: float) -> Margin:
    return Margin(("population_size",), ("all",), np.array([size]), np.zeros(0, dtype=int))


def _numeric_column(data: pd.DataFrame, columns: tuple[str, ...], total, owner: str) -> str:
    if len(columns) != 1:
        fail("totals", owner, "a single column name for a numeric total", columns)
    column = columns[0]
    if not math.isfinite(float(total)):
        fail("totals", owner, f"a finite total for column {column!r}", total)
    values = pd.to_numeric(data[column], errors="coerce")
    if values.isna().any():
        raise StatisticsError(
            f"Column {column!r} used for calibration has missing or non-numeric values; every "
            "respondent needs a value to be calibrated."
        )
    return column


def _check_tol(tol, owner: str) -> None:
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 < tol < 1:
        fail("tol", owner, "a number strictly between 0 and 1", tol)


def _check_bounds(bounds, method: str, owner: str) -> tuple[float, float]:
    if bounds is None:
        if method == "logit":
            fail(
                "bounds",
                owner,
                "a pair (low, high) of finite numbers with low < 1 < high for method='logit'",
                bounds,
            )
        return -math.inf, math.inf
    if (
        not isinstance(bounds, tuple | list)
        or len(bounds) != 2
        or any(isinstance(b, bool) or not isinstance(b, int | float) for b in bounds)
        or not bounds[0] < 1 < bounds[1]
        or (method == "logit" and not all(math.isfinite(b) for b in bounds))
    ):
        fail(
            "bounds",
            owner,
            "None or a pair (low, high) with low < 1 < high (finite for method='logit')",
            bounds,
        )
    return float(bounds[0]), float(bounds[1])
