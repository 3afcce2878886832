"""The change between two waves with replicate designs (issue 13): each wave's replicate
variance, the covariance from the linearised correlation, C = rho_lin sqrt(V1 V2), and the
panel change's replicate variance in the current wave's design (docs/statistics.md, *Change
between waves*). Expected values by hand, and by an independent numpy delete-one jackknife
written here (not the library's replicate code)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from barometre.errors import StatisticsError
from barometre.stats.design import SurveyDesign
from barometre.stats.waves import compare_waves
from tests.stats.test_wave_change_review import _domain_waves  # N = 10, y 1 2 3 4 / 2 4 6 8


def t975(df: float) -> float:
    return float(stats.t.ppf(0.975, df))


def jk1_domain_mean_variance(
    y: np.ndarray, rows: np.ndarray, population: float, cells=None, counts=None
) -> tuple[float, np.ndarray]:
    """The JK1 variance of the weighted mean of y over `rows` for a simple random sample of
    n from `population` (base weights N / n), optionally post-stratified on `cells` to
    `counts` in every replicate; and the replicate weights (n x n). R `as.svrepdesign(type=
    "JK1")`: replicate r drops unit r and multiplies the others by n / (n - 1); variance
    (1 - n / N) (n - 1) / n sum_r (theta_r - mean theta)^2."""
    n = len(y)
    base = np.ones(n) if math.isinf(population) else np.full(n, population / n)
    weights = np.empty((n, n))
    for r in range(n):
        w = base * n / (n - 1)
        w[r] = 0.0
        if cells is not None:
            for cell, count in counts.items():
                inside = cells == cell
                w[inside] *= count / w[inside].sum()
        weights[:, r] = w
    thetas = np.array(
        [weights[rows, r] @ y[rows] / weights[rows, r].sum() for r in range(n)], dtype=float
    )
    variance = (1 - n / population) * (n - 1) / n * float(((thetas - thetas.mean()) ** 2).sum())
    return variance, weights


def test_population_change_takes_replicate_variances_and_the_linearised_correlation():
    # Linearised (test_wave_change_review.py): V1 = 8/45, V2 = 2/5, C = 7/60.
    # JK1 of wave 1's domain mean (a b c of a b c d): dropping a, b, c, d leaves the domain
    # means 2.5, 2, 1.5, 2 (mean 2, squares 0.5); scale (1 - 4/10) x 3/4 = 0.45: V1 = 0.225.
    # Wave 2 (b c of b c d e): 4, 2, 3, 3 (mean 3, squares 2): V2 = 0.45 x 2 = 0.9.
    # rho = (7/60) / sqrt(8/45 x 2/5) = (7/60) / (4/15) = 7/16; C = 7/16 x sqrt(0.225 x 0.9)
    # = 7/16 x 0.45 = 0.196875; V = 0.225 + 0.9 - 2 x 0.196875 = 0.73125.
    first, second = _domain_waves()
    for design, expected in ((first, 0.225), (second, 0.9)):
        data = design.data
        numpy_v, _ = jk1_domain_mean_variance(data["y"].to_numpy(), data["in_d"].to_numpy(), 10.0)
        assert numpy_v == pytest.approx(expected, rel=1e-12)
    result = compare_waves(first.jackknife(), second.jackknife(), "y", "id")
    change = result.population
    assert result.previous.se**2 == pytest.approx(0.225, rel=1e-12)
    assert result.current.se**2 == pytest.approx(0.9, rel=1e-12)
    assert change.correlation == pytest.approx(7 / 16, rel=1e-12)
    assert change.correlation_clipped is False
    assert change.covariance == pytest.approx(0.196875, rel=1e-12)
    assert change.se == pytest.approx(math.sqrt(0.73125), rel=1e-12)
    assert change.value == pytest.approx(3 - 2)
    # df as the linearised change: the stacked design, a b c in either wave, 1 stratum.
    assert change.df == 2
    assert change.ci_low == pytest.approx(1 - t975(2) * math.sqrt(0.73125), rel=1e-12)
    assert change.variance_method.startswith("jackknife JK1")
    # variance="linearisation" gives the linearised estimator on the same designs.
    linear = compare_waves(
        first.jackknife(), second.jackknife(), "y", "id", variance="linearisation"
    )
    assert linear.population.se == pytest.approx(math.sqrt(8 / 45 + 2 / 5 - 14 / 60), rel=1e-12)
    assert linear.population.covariance == pytest.approx(7 / 60, rel=1e-12)
    assert linear.population.correlation is None
    assert linear.population.variance_method == "linearisation"


def test_linearisation_designs_give_the_linearised_change_by_default():
    first, second = _domain_waves()
    change = compare_waves(first, second, "y", "id").population
    assert change.covariance == pytest.approx(7 / 60, rel=1e-12)
    assert change.se == pytest.approx(math.sqrt(8 / 45 + 2 / 5 - 14 / 60), rel=1e-12)
    assert (change.correlation, change.variance_method) == (None, "linearisation")


def _post_stratified_waves():
    # Wave 2: a-f, post-stratified to cells x (10 organisations) and y (20), N = 30; wave 1:
    # a b c d g. The panel: a b c d, with paired differences d = y2 - y1.
    d1 = pd.DataFrame(
        {"id": list("abcdg"), "y": [40.0, 55, 60, 30, 70], "cell": list("xxyyy"), "fpc": 30.0}
    )
    d2 = pd.DataFrame(
        {
            "id": list("abcdef"),
            "y": [45.0, 50, 70, 42, 66, 35],
            "cell": list("xxyyxy"),
            "fpc": 30.0,
        }
    )
    counts = {"x": 10.0, "y": 20.0}
    first = SurveyDesign(d1, fpc="fpc").poststratify("cell", counts)
    second = SurveyDesign(d2, fpc="fpc").poststratify("cell", counts)
    return first, second, d1, d2, counts


def test_panel_change_on_the_jackknife_is_the_replicate_variance_of_the_domain_mean():
    first, second, d1, d2, counts = _post_stratified_waves()
    before = d2["id"].map(d1.set_index("id")["y"]).to_numpy(dtype=float)
    d = d2["y"].to_numpy() - before  # 5, -5, 10, 12 on a b c d; NaN on e f
    panel = np.isfinite(d)
    variance, replicates = jk1_domain_mean_variance(
        np.nan_to_num(d), panel, 30.0, d2["cell"].to_numpy(), counts
    )
    weights = second.weights
    value = float(weights[panel] @ d[panel] / weights[panel].sum())
    # df: the rank of the replicate weights of the column's domain (every row of wave 2)
    # minus 1, as R `degf` of a replicate design (qr tolerance 1e-5). Post-stratified, the
    # three replicates dropping a unit of cell x add up to (10 on x, 20 on y) x 1, and so do
    # the three of cell y: rank 5, df 4.
    df = np.linalg.matrix_rank(replicates, tol=1e-5 * np.linalg.norm(replicates, 2)) - 1
    result = compare_waves(first.jackknife(), second.jackknife(), "y", "id")
    assert result.panel is not None
    assert result.panel.n == 4
    assert result.panel.value == pytest.approx(value, rel=1e-12)
    assert result.panel.se == pytest.approx(math.sqrt(variance), rel=1e-10)
    assert result.panel.df == df == 4
    assert result.panel.ci_high == pytest.approx(value + t975(df) * math.sqrt(variance), rel=1e-10)
    assert result.panel.variance_method.startswith("jackknife JK1")
    # Linearised on request: the calibrated design's linearisation variance of the domain mean
    # (not the replicates'), as with a linearisation design.
    linear = compare_waves(first.jackknife(), second.jackknife(), "y", "id", "linearisation")
    plain = compare_waves(first, second, "y", "id")
    assert linear.panel is not None and plain.panel is not None
    assert linear.panel.se == pytest.approx(plain.panel.se, rel=1e-12)
    assert linear.panel.se != pytest.approx(result.panel.se, rel=1e-3)


def test_a_linearised_correlation_beyond_one_is_bounded_and_said():
    # Without fpc (weights 1, N infinite), wave 1 a b c d e and wave 2 a b c d f, both with the
    # values 0, 10, 0, 10, 5: z = (y - 5) / 5 = -1, 1, -1, 1, 0 in each wave.
    # V_lin = n / (n - 1) sum z^2 = 5/4 x 4 = 5 in each wave; the shared a b c d (m 4, mean
    # z 0): C_lin = m / (m - 1) sum z1 z2 = 4/3 x 4 = 16/3, so rho = 16/15 > 1 (the shared
    # organisations carry more spread than either whole wave) and V1 + V2 - 2 C_lin < 0.
    d1 = pd.DataFrame({"id": list("abcde"), "y": [0.0, 10, 0, 10, 5]})
    d2 = pd.DataFrame({"id": list("abcdf"), "y": [0.0, 10, 0, 10, 5]})
    first, second = SurveyDesign(d1), SurveyDesign(d2)
    with pytest.raises(StatisticsError, match="negative"):
        compare_waves(first, second, "y", "id")  # 5 + 5 - 32/3 < 0: still an error
    result = compare_waves(first.jackknife(), second.jackknife(), "y", "id").population
    assert result.correlation_clipped is True
    assert result.correlation == 1.0
    # JK1 of a mean without fpc: s^2 / n = (4 x 25 / 4) / 5 = 5 in each wave, as V_lin (for
    # the mean of a simple random sample the delete-one jackknife is the linearisation
    # variance); C = rho sqrt(V1 V2) with rho bounded to 1.
    v1, v2 = (
        jk1_domain_mean_variance(d["y"].to_numpy(), np.ones(5, dtype=bool), math.inf)[0]
        for d in (d1, d2)
    )
    assert (v1, v2) == (pytest.approx(5.0), pytest.approx(5.0))
    assert result.covariance == pytest.approx(math.sqrt(v1 * v2), rel=1e-12)
    # bounded, the variance is (sqrt V1 - sqrt V2)^2 = 0 here (the same values twice)
    assert result.se == pytest.approx(0.0, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), sizes=st.tuples(st.integers(4, 9), st.integers(4, 9)))
def test_any_two_jackknife_waves_combine_their_pieces_by_the_formula(data, sizes):
    # Two waves from 12 organisations (fpc 12), integer scores: V = V1 + V2 - 2 rho sqrt(V1 V2)
    # with V_t the independent numpy JK1 variance and rho the linearised correlation
    # (the linearised pieces from the linearisation designs), |rho| <= 1.
    ids = [f"o{i}" for i in range(12)]
    keys = [
        data.draw(st.lists(st.sampled_from(ids), min_size=n, max_size=n, unique=True))
        for n in sizes
    ]
    values = [[float(data.draw(st.integers(0, 100))) for _ in k] for k in keys]
    frames = [
        pd.DataFrame({"id": k, "y": v, "fpc": 12.0}) for k, v in zip(keys, values, strict=True)
    ]
    designs = [SurveyDesign(f, fpc="fpc") for f in frames]
    linear = compare_waves(*designs, "y", "id")
    v_lin = [d.mean("y").se ** 2 for d in designs]
    v_rep = [
        jk1_domain_mean_variance(f["y"].to_numpy(), np.ones(len(f), dtype=bool), 12.0)[0]
        for f in frames
    ]
    result = compare_waves(*(d.jackknife() for d in designs), "y", "id").population
    scale = math.sqrt(v_lin[0] * v_lin[1])
    rho = linear.population.covariance / scale if scale > 0 else 0.0
    bounded = min(max(rho, -1.0), 1.0)
    assert result.correlation == pytest.approx(bounded, rel=1e-9, abs=1e-12)
    assert result.correlation_clipped == (abs(rho) > 1.0)
    expected = v_rep[0] + v_rep[1] - 2 * bounded * math.sqrt(v_rep[0] * v_rep[1])
    assert result.se**2 == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert result.df == linear.population.df


def test_an_unknown_variance_is_refused_naming_the_parameter():
    first, second = _domain_waves()
    with pytest.raises(ValueError, match=r"'variance' parameter of compare_waves"):
        compare_waves(first, second, "y", "id", variance="jackknife")  # type: ignore[arg-type]
