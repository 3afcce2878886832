"""The coverage simulation of `make bench` runs, prints its table, and computes the library's own
figures (a tiny deterministic run: no timing, 20 samples)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from barometre.stats.sector.weighting import weight_to_frame

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_coverage.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_coverage", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_coverage"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def population(bench):
    from barometre.questionnaire import load_questionnaire

    return bench.population(load_questionnaire("hlm-2026"))


def test_prints_the_table(bench, capsys):
    bench.main(["--samples", "20", "--no-timing"])
    out = capsys.readouterr().out
    assert "20 samples of 154 responding organisations" in out
    assert "lin z   lin t  jack t" in out
    for row in ("sector all                 global", "organisation_type SEM", "size_class <1500"):
        assert row in out
    assert "jackknife, t       lowest" in out


def test_samples_are_seeded_and_of_the_demo_size(bench, population):
    first, again = bench.draw(population, 3), bench.draw(population, 3)
    assert (first == again).all() and len(first) == 154 and len(set(first)) == 154
    assert not np.array_equal(first, bench.draw(population, 4))


def test_the_truth_is_the_mean_over_the_frame(bench, population):
    table = population.table
    assert len(table) == 570
    assert population.truth[0, 0] == pytest.approx(table["global"].mean())  # NaN left out
    oph = table[table["organisation_type"] == "OPH"]
    assert population.truth[1, 0] == pytest.approx(oph["global"].mean())


def test_vectorised_figures_are_the_librarys(bench, population):
    rows = bench.draw(population, 0)
    figures = bench.estimate(population, rows)
    respondents = population.table.iloc[rows].reset_index(drop=True)
    design, _ = weight_to_frame(respondents, population.frame, population.min_cell)
    jackknife = design.jackknife()
    masks = population.masks[rows]
    for d in (0, 1, 4, 6):
        for j in (0, 3, len(population.indicators) - 1):
            column = population.indicators[j]
            linear = design.subset(masks[:, d]).mean(column)
            replicate = jackknife.subset(masks[:, d]).mean(column)
            assert figures.value[d, j] == pytest.approx(linear.value, rel=1e-12)
            assert figures.se["linearisation"][d, j] == pytest.approx(linear.se, rel=1e-9)
            assert figures.se["jackknife"][d, j] == pytest.approx(replicate.se, rel=1e-9)
            assert figures.df["jackknife"][d] == replicate.df
            assert figures.df["linearisation"][d] == linear.df
