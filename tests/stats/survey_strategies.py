"""Hypothesis strategies shared by the statistics property tests (named, in one place)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import strategies as st

weights = st.floats(min_value=0.5, max_value=50.0, allow_nan=False, allow_infinity=False)
values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def designs(draw, min_rows: int = 6, max_rows: int = 40) -> pd.DataFrame:
    """Rows with a value y (some missing), a weight w, a stratum s and a cluster c (>= 2
    clusters per stratum), and a category g."""
    n = draw(st.integers(min_rows, max_rows))
    strata = draw(st.integers(1, 3))
    rows = []
    for i in range(n):
        stratum = i % strata
        rows.append(
            {
                "s": f"s{stratum}",
                "c": f"c{(i // strata) % 3}",  # clusters c0, c1, c2 within each stratum
                "w": draw(weights),
                "y": draw(st.one_of(values, st.just(np.nan)))
                if i >= 2 * strata * 3
                else draw(values),
                "g": draw(st.sampled_from(["a", "b", "c"])),
            }
        )
    return pd.DataFrame(rows)


@st.composite
def calibration_problems(draw):
    """A sample where every combination of a (2-3 levels) x b (2-3 levels) occurs, start
    weights, and consistent population margins and cells."""
    levels_a = [f"a{i}" for i in range(draw(st.integers(2, 3)))]
    levels_b = [f"b{i}" for i in range(draw(st.integers(2, 3)))]
    rows = []
    for a, b in itertools.product(levels_a, levels_b):
        for _ in range(draw(st.integers(1, 4))):
            rows.append({"a": a, "b": b, "w": draw(weights), "y": draw(values)})
    data = pd.DataFrame(rows)
    cells = {cell: draw(st.floats(10.0, 1000.0)) for cell in itertools.product(levels_a, levels_b)}
    margin_a = {a: sum(v for (ai, _), v in cells.items() if ai == a) for a in levels_a}
    margin_b = {b: sum(v for (_, bi), v in cells.items() if bi == b) for b in levels_b}
    return data, cells, margin_a, margin_b
