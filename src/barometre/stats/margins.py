"""Population margins for calibration: parsing, matching the sample's levels, model matrices.

A margin is a set of columns (one column, or several for a joint distribution such as
family x size class) with a population count for each level (a value, or a tuple of values for
several columns). Levels are matched by equality of values: 1 and 1.0 match, 1 and "1" do not.
A level with a population count and no respondent cannot be calibrated: `StatisticsError`
naming the column and the level. A respondent in a level without a count is an error too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from barometre.errors import StatisticsError
from barometre.stats.arguments import fail

#: Relative tolerance when checking that several margins agree on the population size.
TOTALS_AGREEMENT = 1e-6


@dataclass(frozen=True, eq=False)
class Margin:
    """Population counts of the levels of `columns` that calibration will hit.

    codes: for each row of the data, the position of its level in `levels`.
    Levels with a zero count and no respondent are dropped.
    """

    columns: tuple[str, ...]
    levels: tuple[Hashable, ...]
    counts: np.ndarray
    codes: np.ndarray

    @property
    def label(self) -> str:
        return " x ".join(self.columns)

    @property
    def total(self) -> float:
        return float(self.counts.sum())

    @cached_property
    def indicators(self) -> np.ndarray:
        """Rows x levels matrix of 0/1 (computed once; do not modify)."""
        matrix = np.zeros((len(self.codes), len(self.levels)))
        matrix[np.arange(len(self.codes)), self.codes] = 1.0
        return matrix

    def level_name(self, position: int) -> str:
        level = self.levels[position]
        if len(self.columns) == 1:
            return f"column {self.columns[0]!r}, level {level!r}"
        assert isinstance(level, tuple)  # several columns: a level is a tuple of their values
        pairs = ", ".join(f"{c}={v!r}" for c, v in zip(self.columns, level, strict=True))
        return f"columns {self.label!r}, level ({pairs})"


def as_columns(key: object, parameter: str, owner: str, data: pd.DataFrame) -> tuple[str, ...]:
    """A margin key: a column name or a tuple of column names."""
    columns = (key,) if isinstance(key, str) else key
    if (
        not isinstance(columns, tuple)
        or not columns
        or any(not isinstance(c, str) or c not in data.columns for c in columns)
    ):
        fail(parameter, owner, "keyed by a column name or a tuple of column names of the data", key)
    return columns


def counts_of(spec: object, columns: tuple[str, ...], parameter: str, owner: str):
    """Levels and counts from a mapping level -> count, a Series or a DataFrame of cells.

    A DataFrame holds the margin's columns plus exactly one column of counts (R's population
    table for postStratify).
    """
    if isinstance(spec, pd.DataFrame):
        others = [c for c in spec.columns if c not in columns]
        if any(c not in spec.columns for c in columns) or len(others) != 1:
            fail(
                parameter,
                owner,
                f"a DataFrame with the columns {list(columns)} and one column of counts",
                list(spec.columns),
            )
        keys = [
            tuple(row) if len(columns) > 1 else row[0]
            for row in spec[list(columns)].itertuples(index=False, name=None)
        ]
        spec = dict(zip(keys, spec[others[0]].tolist(), strict=True))
    elif isinstance(spec, pd.Series):
        spec = spec.to_dict()
    if not isinstance(spec, Mapping) or not spec:
        fail(parameter, owner, "a non-empty mapping from level to population count", spec)
    levels, counts = [], []
    for level, count in spec.items():
        key = _normalise(level, len(columns))
        if key is None:
            fail(
                parameter,
                owner,
                f"keyed by tuples of {len(columns)} values for the columns {list(columns)}",
                level,
            )
        if (
            isinstance(count, bool)
            or not isinstance(count, int | float | np.number)
            or not (math.isfinite(count) and count >= 0)
        ):
            fail(
                parameter,
                owner,
                "a mapping to finite non-negative population counts",
                {level: count},
            )
        levels.append(key)
        counts.append(float(count))
    if len(set(levels)) != len(levels):
        fail(parameter, owner, "a mapping without repeated levels", list(spec))
    return levels, np.array(counts)


def build_margin(
    data: pd.DataFrame, columns: tuple[str, ...], spec: object, parameter: str, owner: str
) -> Margin:
    """Match the data's levels with the population's; drop empty levels; check coverage."""
    levels, counts = counts_of(spec, columns, parameter, owner)
    for column in columns:
        if data[column].isna().any():
            row = int(np.flatnonzero(data[column].isna().to_numpy())[0])
            raise StatisticsError(
                f"Column {column!r} used for calibration has a missing value at row {row}; "
                "every respondent needs a level to be calibrated."
            )
    row_keys = _row_keys(data, columns)
    position = {level: i for i, level in enumerate(levels)}
    codes = np.empty(len(data), dtype=int)
    for row, key in enumerate(row_keys):
        found = position.get(key)
        if found is None:
            name = Margin(columns, (key,), np.ones(1), codes[:0]).level_name(0)
            raise StatisticsError(
                f"Respondents in {name} have no population count in the margin "
                f"of {' x '.join(columns)!r} (first at row {row}); add the level to the margin."
            )
        codes[row] = found
    present = np.bincount(codes, minlength=len(levels)) > 0
    for i in np.flatnonzero(~present & (counts > 0)):
        name = Margin(columns, tuple(levels), counts, codes).level_name(int(i))
        raise StatisticsError(
            f"No respondent in {name} (population count {counts[i]:g}): this level cannot be "
            "calibrated; collapse it with a neighbouring level."
        )
    for i in np.flatnonzero(present & (counts == 0)):
        name = Margin(columns, tuple(levels), counts, codes).level_name(int(i))
        raise StatisticsError(f"Respondents in {name} whose population count is 0.")
    keep = np.flatnonzero(present)
    remap = np.full(len(levels), -1)
    remap[keep] = np.arange(len(keep))
    return Margin(columns, tuple(levels[i] for i in keep), counts[keep], remap[codes])


def check_same_total(margins: list[Margin]) -> None:
    """All margins must describe the same population size."""
    if not margins:
        return
    first = margins[0].total
    for margin in margins[1:]:
        if abs(margin.total - first) > TOTALS_AGREEMENT * max(first, 1.0):
            raise StatisticsError(
                f"The margins disagree on the population size: {margins[0].label!r} adds up to "
                f"{first:g} and {margin.label!r} to {margin.total:g}."
            )


def _normalise(level: object, width: int) -> Hashable | None:
    if width == 1:
        if isinstance(level, tuple):
            return _scalar(level[0]) if len(level) == 1 else None
        return _scalar(level)
    if not isinstance(level, tuple) or len(level) != width:
        return None
    return tuple(_scalar(v) for v in level)


def _scalar(value: object) -> Hashable:
    return value.item() if isinstance(value, np.generic) else value


def _row_keys(data: pd.DataFrame, columns: tuple[str, ...]) -> list[Hashable]:
    lists = [[_scalar(v) for v in data[c].tolist()] for c in columns]
    if len(columns) == 1:
        return lists[0]
    return list(zip(*lists, strict=True))
