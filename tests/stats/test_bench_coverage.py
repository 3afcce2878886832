"""The coverage simulation of `make bench` runs, prints its tables, computes the library's own
figures (means, shares, pairwise contrasts, the change between two waves), and its coverage
tally measures what it should on toy cases whose answer is known (tiny deterministic runs: no
timing, 20 samples, 4 pairs of waves)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from barometre.stats.intervals import logit_interval
from barometre.stats.sector.weighting import STRATUM_COLUMN, weight_to_frame

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


@pytest.fixture(scope="module")
def wave(bench, population):
    return bench.second_wave(population)


def test_prints_the_tables(bench, capsys):
    bench.main(["--samples", "20", "--change-samples", "4", "--no-timing"])
    out = capsys.readouterr().out
    assert "20 samples of 154 responding organisations" in out
    assert "lin z   lin t  jack t" in out
    for row in (
        "sector all                   global",
        "sector all                   level:tres_faible",
        "sector all                   typology:pionnier",
        "organisation_type SEM",
        "size_class <1500",
        "organisation_type ESH-OPH    global",
        "size_class >12000-1500-12000 global",
    ):
        assert row in out
    for kind in ("means", "shares", "contrasts"):
        assert f"{kind:<10} jackknife, t       lowest" in out
    assert "no census cell: 4 pairs of waves" in out
    assert "census cells in wave 2 only: 4 pairs of waves" in out
    assert "in wave 2 4 times" in out  # the census scenario has its census stratum every time


def test_change_samples_are_checked(bench):
    with pytest.raises(SystemExit):
        bench.main(["--samples", "20", "--change-samples", "1", "--no-timing"])


def test_samples_are_seeded_and_of_the_demo_size(bench, population):
    first, again = bench.draw(population, 3), bench.draw(population, 3)
    assert (first == again).all() and len(first) == 154 and len(set(first)) == 154
    assert not np.array_equal(first, bench.draw(population, 4))


def test_the_truth_is_the_figure_over_the_frame(bench, population):
    table = population.table
    assert len(table) == 570
    assert population.truth[0, 0] == pytest.approx(table["global"].mean())  # NaN left out
    oph = table[table["organisation_type"] == "OPH"]
    assert population.truth[1, 0] == pytest.approx(oph["global"].mean())
    j = population.indicators.index("level:faible")
    assert population.kinds[j] == "share"
    levels = table["level"].dropna()
    assert population.truth[0, j] == pytest.approx((levels == "faible").mean())
    # 193 "faible" of 534 organisations with a level (570 minus 36 without a global index)
    assert population.truth[0, j] == pytest.approx(193 / 534)
    j = population.indicators.index("typology:pionnier")
    assert population.truth[0, j] == pytest.approx(122 / 569)  # one organisation has no family
    # the contrasts: 4 organisation types give 6 pairs, 3 size classes 3, in the vocabulary's order
    assert [p.label for p in population.pairs[:3]] == ["ESH-OPH", "COOP-OPH", "SEM-OPH"]
    assert len(population.pairs) == 9
    esh = table[table["organisation_type"] == "ESH"]
    assert population.contrast_truth[0, 0] == pytest.approx(
        esh["global"].mean() - oph["global"].mean()
    )


def test_vectorised_figures_are_the_librarys(bench, population):
    rows = bench.draw(population, 0)
    figures = bench.estimate(population, rows)
    respondents = population.table.iloc[rows].reset_index(drop=True)
    design, _ = weight_to_frame(respondents, population.frame, population.min_cell)
    jackknife = design.jackknife()
    masks = population.masks[rows]
    shares = [j for j, kind in enumerate(population.kinds) if kind == "share"]
    for d in (0, 1, 4, 6):
        for j in (0, 3, len(population.means) - 1, shares[0], shares[-1]):
            indicator = population.indicators[j]
            if population.kinds[j] == "mean":
                linear = design.subset(masks[:, d]).mean(indicator)
                replicate = jackknife.subset(masks[:, d]).mean(indicator)
            else:
                prefix, level = indicator.split(":")
                column = "family" if prefix == "typology" else prefix
                linear = design.subset(masks[:, d]).share(column, level, method="logit")
                replicate = jackknife.subset(masks[:, d]).share(column, level, method="logit")
                for estimate, variance in ((linear, "linearisation"), (replicate, "jackknife")):
                    low, high = bench.share_bounds(
                        figures.value[d, j],
                        figures.se[variance][d, j],
                        figures.n[d, j],
                        figures.df[variance][d],
                    )
                    assert (low[0], high[0]) == pytest.approx(
                        (estimate.ci_low, estimate.ci_high), rel=1e-9
                    )
            assert figures.value[d, j] == pytest.approx(linear.value, rel=1e-12)
            assert figures.n[d, j] == linear.n
            assert figures.se["linearisation"][d, j] == pytest.approx(linear.se, rel=1e-9)
            assert figures.se["jackknife"][d, j] == pytest.approx(replicate.se, rel=1e-9)
            assert figures.df["jackknife"][d] == replicate.df
            assert figures.df["linearisation"][d] == linear.df


def test_vectorised_contrasts_are_the_librarys(bench, population):
    rows = bench.draw(population, 1)
    figures = bench.estimate(population, rows)
    respondents = population.table.iloc[rows].reset_index(drop=True)
    design, _ = weight_to_frame(respondents, population.frame, population.min_cell)
    for variance, each in (("linearisation", design), ("jackknife", design.jackknife())):
        for p in (0, 2, 6, 8):
            pair = population.pairs[p]
            for c in (0, 4):
                column = population.indicators[population.compared[c]]
                estimates = each.mean_by(column, pair.variable, covmat=True)
                difference = each.difference(estimates, pair.first, pair.second)
                assert figures.contrast_value[p, c] == pytest.approx(difference.value, rel=1e-9)
                assert figures.contrast_se[variance][p, c] == pytest.approx(difference.se, rel=1e-9)
                assert figures.contrast_df[variance][p] == difference.df


@settings(max_examples=200, deadline=None)
@given(
    p=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-6, 1 - 1e-6)),
    ratio=st.one_of(st.just(0.0), st.floats(1e-3, 50.0)),
    n=st.integers(1, 300),
    df=st.one_of(st.sampled_from([0.0, 1.0, math.inf]), st.floats(1.0, 300.0)),
)
def test_share_bounds_are_the_logit_interval(bench, p, ratio, n, df):
    # SE as a multiple of p (1 - p), as a share's SE is (at most 50: beyond, the library's
    # logit interval overflows exp, a case no share of a real sample reaches)
    se = ratio * (p * (1 - p) if 0 < p < 1 else 0.01)
    low, high = bench.share_bounds(np.array([p]), np.array([se]), np.array([n]), np.array([df]))
    expected_low, expected_high, _method = logit_interval(p, se, n, df)
    assert (low[0], high[0]) == pytest.approx((expected_low, expected_high), rel=1e-9, abs=1e-12)


def test_monte_carlo_standard_error(bench):
    # sqrt(0.95 x 0.05 / 1000) = 0.006892: 0.69 points
    assert bench.mc_se(95.0, 1000) == pytest.approx(0.6892, abs=1e-4)
    assert bench.mc_se(100.0, 50) == 0.0


def _normal_toy(bench, se_factor: float, draws: int = 4000):
    """Estimates N(mu, 1) with SE 1 x se_factor and t intervals at 30 df: the t interval of an
    exactly normal estimate with the right SE covers P(|N(0,1)| <= t_30) = 95.9 %."""
    rng = np.random.default_rng(7)
    tally = bench.Tally.empty((1,))
    mu = np.array([3.0])
    for _ in range(draws):
        value = mu + rng.standard_normal(1)
        se = np.array([se_factor])
        bounds = {m: bench.mean_bounds(value, se, np.array([30.0]), m[-1]) for m in bench.METHODS}
        tally.add(
            mu,
            value,
            np.array([30.0]),
            np.array([True]),
            bounds,
            {"linearisation": se, "jackknife": se},
        )
    return tally


def test_coverage_of_a_normal_toy_is_nominal(bench):
    tally = _normal_toy(bench, 1.0)
    expected = 100 * (2 * stats.norm.cdf(stats.t.ppf(0.975, 30)) - 1)  # 95.94
    tolerance = 3 * bench.mc_se(expected, 4000)  # 3 Monte Carlo SE: 0.94 points
    assert tally.coverage("jackknife, t")[0] == pytest.approx(expected, abs=tolerance)
    assert tally.coverage("linearisation, z")[0] == pytest.approx(95.0, abs=tolerance)
    assert tally.se_ratio("jackknife")[0] == pytest.approx(1.0, abs=0.05)


def test_an_understated_standard_error_is_caught(bench):
    # SE half the truth: the z interval covers P(|N(0,1)| <= 0.98) = 67.3 %
    tally = _normal_toy(bench, 0.5)
    expected = 100 * (2 * stats.norm.cdf(0.5 * stats.norm.ppf(0.975)) - 1)
    assert tally.coverage("linearisation, z")[0] == pytest.approx(expected, abs=2.5)
    assert tally.se_ratio("linearisation")[0] == pytest.approx(0.5, abs=0.03)


def test_coverage_of_a_binomial_share_is_near_nominal(bench):
    """A simple random sample of 400 from an infinite population with p = 0.3: the logit
    interval at SE sqrt(p (1 - p) / n) covers close to 95 % (Agresti: within a point here)."""
    rng = np.random.default_rng(11)
    n, p, draws = 400, 0.3, 4000
    hits = rng.binomial(n, p, size=draws) / n
    se = np.sqrt(hits * (1 - hits) / n)
    low, high = bench.share_bounds(hits, se, np.full(draws, n), np.full(draws, np.inf))
    coverage = 100 * np.mean((low <= p) & (p <= high))
    assert coverage == pytest.approx(95.0, abs=3 * bench.mc_se(95.0, draws) + 0.5)


def test_the_second_wave_moves_scores_by_a_known_amount(bench, population, wave):
    before, after = population.table, wave.table
    assert list(wave.indicators) == [population.indicators[j] for j in population.means]
    assert (before["global"].isna() == after["global"].isna()).all()
    assert wave.truth[0] == pytest.approx(after["global"].mean() - before["global"].mean())
    # the shifts by type average about 2.5 (clipping at 0-100 takes a little off)
    assert 1.5 < wave.truth[0] < 3.5
    assert set(wave.small_cells) == {("OPH", "<1500"), ("SEM", ">12000")}


def test_the_second_wave_keeps_a_random_panel(bench, population, wave):
    rows = bench.draw(population, 5)
    again = bench.draw_second(population, wave, rows, 5, census=False)
    assert len(again) == 154 and len(set(again)) == 154
    assert len(np.intersect1d(rows, again)) == round(0.6 * 154)
    assert np.array_equal(again, bench.draw_second(population, wave, rows, 5, census=False))


def test_the_census_scenario_gives_wave_two_census_strata(bench, population, wave):
    rows = bench.draw(population, 2)
    rows2 = bench.draw_second(population, wave, rows, 2, census=True)
    respondents = wave.table.iloc[rows2].reset_index(drop=True)
    design, report = weight_to_frame(respondents, population.frame, population.min_cell)
    assert report.method == "poststratification"
    census = respondents[design.data[STRATUM_COLUMN] == "census"]
    assert set(zip(census["organisation_type"], census["size_class"], strict=True)) == set(
        wave.small_cells
    )
    assert len(census) == 6  # both small cells, 3 organisations each
    first, _ = weight_to_frame(
        population.table.iloc[rows].reset_index(drop=True), population.frame, population.min_cell
    )
    assert STRATUM_COLUMN not in first.data.columns  # wave 1 is raked: no census stratum
    figures = bench.change(population, wave, rows, rows2)
    assert figures.census_second and not figures.census_first
    # the shared organisations make the waves covary: the change's SE is below V1 + V2's
    assert (figures.covariance > 0).all()
    assert (figures.low < figures.population).all() and (figures.population < figures.high).all()


def test_change_coverage_is_tallied_against_the_truth(bench, population, wave):
    tally = bench.ChangeTally.empty(len(wave.indicators))
    rows = bench.draw(population, 0)
    figures = bench.change(
        population, wave, rows, bench.draw_second(population, wave, rows, 0, census=False)
    )
    tally.add(wave, figures)
    covered = (figures.low <= wave.truth) & (wave.truth <= figures.high)
    assert (tally.population.covered["linearisation, t"] == covered).all()
    assert tally.samples == 1 and tally.population.published.sum() == len(wave.indicators)
    # without the covariance the interval is wider, so it covers at least as often
    assert (
        tally.population.covered["independent, t"] >= tally.population.covered["linearisation, t"]
    ).all()
    # the jackknife's intervals are tallied too, population and panel
    jackknife = (figures.jk_low <= wave.truth) & (wave.truth <= figures.jk_high)
    assert (tally.population.covered["jackknife, t"] == jackknife).all()
    panel = (figures.jk_panel_low <= wave.truth) & (wave.truth <= figures.jk_panel_high)
    assert (tally.panel.covered["jackknife, t"] == panel).all()


def test_the_jackknife_change_is_the_library_s_on_replicate_designs(bench, population, wave):
    # The bench's jackknife change is compare_waves on each wave's re-calibrated jackknife:
    # replicate V1 and V2 with the linearised correlation, and the panel on wave 2's jackknife.
    from barometre.stats.waves import compare_waves

    rows = bench.draw(population, 1)
    rows2 = bench.draw_second(population, wave, rows, 1, census=False)
    figures = bench.change(population, wave, rows, rows2)
    first, _ = weight_to_frame(
        population.table.iloc[rows].reset_index(drop=True), population.frame, population.min_cell
    )
    second, _ = weight_to_frame(
        wave.table.iloc[rows2].reset_index(drop=True), population.frame, population.min_cell
    )
    column = wave.indicators[0]
    c = compare_waves(
        first.jackknife().subset(first.data[column].notna()),
        second.jackknife().subset(second.data[column].notna()),
        column,
        "organisation_id",
    )
    assert c.panel is not None
    assert figures.jk_se[0] == pytest.approx(c.population.se, rel=1e-12)
    assert figures.jk_panel_se[0] == pytest.approx(c.panel.se, rel=1e-12)
    assert c.population.correlation is not None and abs(c.population.correlation) <= 1
