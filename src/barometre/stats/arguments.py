"""Checks of the arguments of the statistics API, with one message recipe.

Every message reads "The 'x' parameter of Y must be .... Got ... instead." (scikit-learn's form),
so that a caller learns which argument, of which function, what was expected and what came in.
Wrong values raise `ValueError`, wrong types `TypeError`; statistical failures (no convergence,
empty cells) are `StatisticsError` and are raised elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any, NoReturn, TypeVar

import pandas as pd

from barometre.stats.results import DEFF_REFERENCES, DeffReference

#: A string option: `check_choice` returns the value typed as its choices (a `Literal`).
Choice = TypeVar("Choice", bound=str)


def fail(
    parameter: str, owner: str, expected: str, got: Any, *, kind: type[Exception] = ValueError
) -> NoReturn:
    """Raise `kind` with the house message for argument `parameter` of `owner`."""
    raise kind(f"The '{parameter}' parameter of {owner} must be {expected}. Got {got!r} instead.")


def check_choice(value: Any, parameter: str, owner: str, choices: Collection[Choice]) -> Choice:
    """`value` must be one of `choices` (strings); it is returned typed as one of them."""
    for choice in choices:
        if isinstance(value, str) and value == choice:
            return choice
    options = ", ".join(repr(c) for c in choices)
    fail(parameter, owner, f"one of {options}", value)


def check_column(data: pd.DataFrame, value: Any, parameter: str, owner: str) -> str:
    """`value` must be the name of a column of `data`."""
    if not isinstance(value, str) or value not in data.columns:
        fail(parameter, owner, "the name of a column of the data", value)
    return value


def check_columns(data: pd.DataFrame, value: Any, parameter: str, owner: str) -> tuple[str, ...]:
    """A column name or a non-empty list of column names, returned as a tuple."""
    names = (value,) if isinstance(value, str) else value
    if (
        not isinstance(names, Sequence)
        or isinstance(names, str)
        or len(names) == 0
        or any(not isinstance(n, str) or n not in data.columns for n in names)
    ):
        fail(
            parameter, owner, "a column name or a non-empty list of column names of the data", value
        )
    if len(set(names)) != len(names):
        fail(parameter, owner, "a list of distinct column names", value)
    return tuple(names)


def check_positive_int(value: Any, parameter: str, owner: str, minimum: int = 1) -> int:
    """An integer at least `minimum` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        fail(parameter, owner, f"an integer greater than or equal to {minimum}", value)
    return value


def check_positive_float(value: Any, parameter: str, owner: str) -> float:
    """A finite number strictly greater than 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and value > 0)
    ):
        fail(parameter, owner, "a finite number greater than 0", value)
    return float(value)


def check_probability(value: Any, parameter: str, owner: str) -> float:
    """A number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        fail(parameter, owner, "a number strictly between 0 and 1", value)
    return float(value)


def check_deff(value: Any, owner: str) -> DeffReference | None:
    """None, 'wor' or 'wr'; a boolean is refused because it cannot say which reference."""
    if value is None:
        return None
    if isinstance(value, bool):
        fail(
            "deff",
            owner,
            "None, 'wor' (simple random sampling without replacement) or 'wr' "
            "(with replacement); True meant 'wor' in R, say deff='wor'",
            value,
        )
    return check_choice(value, "deff", owner, DEFF_REFERENCES)
