"""Shared constants of the statistics tests: where the reference data live, how to compare a
number with a published output, and R survey's population margins for the API data."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "survey"

#: R survey tests/rakecheck.R: population counts of school types and of sch.wide.
STYPE_POPULATION = {"E": 4421, "H": 755, "M": 1018}
SCHWIDE_POPULATION = {"No": 1072, "Yes": 5122}


def published(actual: float, printed: str, units: float = 0.5) -> bool:
    """True when `actual` rounds to the printed figure: "23.704" means |actual - 23.704| <=
    0.0005 (half a unit of the last printed digit; `units=1` allows a whole unit)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(actual - float(printed)) <= units * 10.0**-decimals * (1 + 1e-9) + 1e-12
