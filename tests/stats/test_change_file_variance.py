"""The wave-change file says how its variance was computed: the covariance C of the overlap,
the organisations in both waves it rests on and the degrees of freedom of each interval, from
two tiny waves computed by hand (one frame cell, so each wave's calibration is a rescaling).

The frame: 20 organisations, all OPH with fewer than 1,500 dwellings, so that
`weight_to_frame` post-stratifies on one cell: every respondent of a wave of n weighs 20 / n,
the finite population correction is 1 - n / 20, and the calibration residual of a mean's
influence is the influence itself (it sums to 0 over the cell). For a simple random sample
without replacement, with z_i = w_i (y_i - ybar) / sum(w):

    V(ybar) = (1 - n / N) n / (n - 1) sum z_i^2 = (1 - n / N) s^2 / n
    C = (1 - n1 n2 / (m N)) m / (m - 1) sum_shared (z1_i - z1bar)(z2_i - z2bar)

(docs/statistics.md, *Covariance of two waves*), and the Student quantile at the df. These are
the linearised change (`variance="linearisation"`); with the methodology's default jackknife,
each wave's delete-one jackknife (the cell calibrated again in every replicate) and the
covariance from the linearised correlation, computed by hand below too.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from barometre.contracts.change import ChangeFile, Difference
from barometre.contracts.scores import ScoresFile
from barometre.organisations import FRAME_COLUMNS
from barometre.stats.sector.wave import compare_wave_scores
from tests.helpers import one_respondent, score_rows, tiny_questionnaire
from tests.test_contracts import FULL

TINY = tiny_questionnaire()
N = 20
FRAME = pd.DataFrame(
    {
        "organisation_id": [f"O{i:02d}" for i in range(1, N + 1)],
        "name": [f"Organisme {i}" for i in range(1, N + 1)],
        "organisation_type": "OPH",
        "dwellings": 1000,
        "department": "75",
    }
)[FRAME_COLUMNS]
TEMPLATE = score_rows(one_respondent(FULL, org="O01")).to_file()


def wave(values: dict[str, float]) -> ScoresFile:
    """A scores file whose organisations have these global indices (the rest as the template)."""
    [template] = TEMPLATE.organisations
    return TEMPLATE.model_copy(
        update={
            "organisations": tuple(
                template.model_copy(update={"organisation_id": key, "global_index": value})
                for key, value in values.items()
            )
        }
    )


def t975(df: float) -> float:
    return float(stats.t.ppf(0.975, df))


# Wave 1: O01-O05; wave 2: the same five (they moved by 5, 0, 10, 5, 10) and O06-O10.
BEFORE = {"O01": 40.0, "O02": 50.0, "O03": 60.0, "O04": 70.0, "O05": 80.0}
AFTER = {
    "O01": 45.0,
    "O02": 50.0,
    "O03": 70.0,
    "O04": 75.0,
    "O05": 90.0,
    "O06": 30.0,
    "O07": 40.0,
    "O08": 55.0,
    "O09": 65.0,
    "O10": 90.0,
}


@pytest.fixture(scope="module")
def change() -> ChangeFile:
    return compare_wave_scores(
        wave(BEFORE), FRAME, wave(AFTER), FRAME, TINY, variance="linearisation"
    )


@pytest.fixture(scope="module")
def jackknife_change() -> ChangeFile:
    assert TINY.methodology.variance.method == "jackknife"  # the default methodology's
    return compare_wave_scores(wave(BEFORE), FRAME, wave(AFTER), FRAME, TINY)


def test_the_population_change_gives_its_covariance_shared_organisations_and_df(change):
    y1, y2 = np.array(list(BEFORE.values())), np.array(list(AFTER.values()))
    n1, n2, m = len(y1), len(y2), 5
    # Each wave's variance: V = (1 - n / N) s^2 / n. Wave 1: mean 60, s^2 = 1000 / 4 = 250,
    # V1 = 0.75 x 250 / 5 = 37.5. Wave 2: mean 61, sum of squares 3790, V2 = 0.5 x 3790/9/10.
    v1 = (1 - n1 / N) * y1.var(ddof=1) / n1
    v2 = (1 - n2 / N) * y2.var(ddof=1) / n2
    assert v1 == pytest.approx(37.5)
    assert v2 == pytest.approx(0.5 * 3790 / 9 / 10)
    # Influences with equal weights: z = (y - ybar) / n; the five shared organisations O01-O05.
    z1 = (y1 - y1.mean()) / n1  # -4, -2, 0, 2, 4
    z2 = (y2[:m] - y2.mean()) / n2  # -1.6, -1.1, 0.9, 1.4, 2.9
    # z1bar = 0, so the centred sum is sum z1 z2 = 6.4 + 2.2 + 0 + 2.8 + 11.6 = 23
    products = np.sum((z1 - z1.mean()) * (z2 - z2.mean()))
    c = (1 - n1 * n2 / (m * N)) * m / (m - 1) * products  # 0.5 x 5/4 x 23 = 14.375
    assert c == pytest.approx(14.375)
    se = np.sqrt(v1 + v2 - 2 * c)
    # Stacked design: 10 organisations in either wave, 1 stratum: df 9.
    df = 10 - 1
    population = change.indicator("global").population
    assert population.suppressed is False
    assert population.value == pytest.approx(61 - 60, abs=1e-12)
    assert population.covariance == pytest.approx(c, rel=1e-12)
    assert population.shared == m
    assert population.df == df
    assert population.se == pytest.approx(se, rel=1e-12)
    assert population.ci_low == pytest.approx(1 - t975(df) * se, rel=1e-12)
    assert population.ci_high == pytest.approx(1 + t975(df) * se, rel=1e-12)
    assert population.n == n1 + n2


def test_the_panel_change_gives_the_current_designs_df_and_no_covariance(change):
    # d = 5, 0, 10, 5, 10 (mean 6, sum of squared deviations 70). In wave 2 (w = 2, panel
    # weight 10) z = (d - 6) / 5 on the panel, 0 on O06-O10 (mean 0 over the 10 rows):
    # V = (1 - 10/20) x 10/9 x 70/25. Its df: the later wave's design, 10 organisations with a
    # value minus 1 stratum = 9 (the panel is a domain of that design), not 5 - 1.
    d = np.array([5.0, 0.0, 10.0, 5.0, 10.0])
    v = (1 - 10 / N) * 10 / 9 * np.sum((d - d.mean()) ** 2) / 25
    assert v == pytest.approx(0.5 * 10 / 9 * 70 / 25)
    panel = change.indicator("global").panel
    assert panel.suppressed is False
    assert panel.value == pytest.approx(6.0)
    assert panel.se == pytest.approx(np.sqrt(v), rel=1e-12)
    assert panel.df == 9
    assert panel.ci_high == pytest.approx(6 + t975(9) * np.sqrt(v), rel=1e-12)
    assert panel.covariance is None and panel.shared is None
    assert panel.n == 5


def test_a_covariance_resting_on_too_few_organisations_is_not_given():
    # Two organisations (O04, O05) in both waves, fewer than the disclosure minimum of 5: the
    # population change is published (5 and 7 organisations), its C is not; the panel is
    # suppressed (n 2). Stacked design: 10 organisations, 1 stratum, df 9.
    after = {f"O{i:02d}": 40.0 + 5 * i for i in range(4, 11)}
    change = compare_wave_scores(wave(BEFORE), FRAME, wave(after), FRAME, TINY)
    population = change.indicator("global").population
    assert population.suppressed is False and population.covariance is None
    assert (population.shared, population.df) == (2, 9)
    panel = change.indicator("global").panel
    assert panel.suppressed and (panel.df, panel.covariance, panel.shared) == (None, None, None)


def test_the_method_says_the_change_is_linearised_when_asked(change):
    assert (change.method.variance, change.method.variance_fallback) == ("linearisation", None)
    for text in (change.method.population, change.method.panel):
        assert "linearised" in text and "the variance method asked for" in text
        assert "replicate" not in text
    assert "V1, V2 and C are linearised" in change.method.population
    assert "`df`" in change.method.population and "`df`" in change.method.panel


def test_with_the_jackknife_the_method_says_replicates_and_the_linearised_correlation(
    jackknife_change,
):
    method = jackknife_change.method
    assert (method.variance, method.variance_fallback) == ("jackknife", None)
    assert "V1 and V2 are each wave's jackknife variance" in method.population
    assert "C = rho sqrt(V1 V2)" in method.population
    assert "bounded to [-1, 1]" in method.population
    assert "cannot be paired across two waves" in method.population
    assert "the jackknife variance of that domain mean" in method.panel
    assert "rank of its replicate weights" in method.panel


def test_with_the_jackknife_the_population_change_is_the_linearised_one_here(
    jackknife_change, change
):
    # One cell: each replicate is calibrated again to the 20 organisations, so a replicate
    # mean is the mean of the n - 1 others, and the JK1 variance of a wave's mean,
    # (1 - n / N) (n - 1) / n sum (ybar_(i) - ybar)^2 = (1 - n / N) s^2 / n, is the linearised
    # one: V1 = 37.5, V2 = 0.5 x 3790 / 90; rho sqrt(V1 V2) is then C = 14.375.
    population, linear = (c.indicator("global").population for c in (jackknife_change, change))
    assert population.covariance == pytest.approx(14.375, rel=1e-12)
    assert population.se == pytest.approx(linear.se, rel=1e-12)
    assert population.df == linear.df == 9


def test_with_the_jackknife_the_panel_change_is_the_replicate_variance(jackknife_change):
    # d = 5, 0, 10, 5, 10 on O01-O05 of the 10 organisations of wave 2. Replicate i drops one
    # organisation and weighs the 9 others 20 / 9: dropping a panel organisation leaves the
    # mean of the 4 other d, (30 - d_i) / 4; dropping O06-O10 leaves 6. The replicates' mean
    # is 6 ((150 - 30) / 4 / 5 = 6 on the panel), the deviations (6 - d_i) / 4 = 0.25, 1.5,
    # -1, 0.25, -1 (squares 4.375) and 0 for O06-O10; JK1 scale (1 - 10/20) x 9/10 = 0.45:
    # V = 0.45 x 4.375 = 1.96875 (linearised: 0.5 x 10/9 x 70/25 = 1.556). df: the 10
    # replicates, rank 10, minus 1.
    panel = jackknife_change.indicator("global").panel
    assert panel.value == pytest.approx(6.0)
    assert panel.se == pytest.approx(np.sqrt(1.96875), rel=1e-12)
    assert panel.df == 9
    assert panel.ci_low == pytest.approx(6 - t975(9) * np.sqrt(1.96875), rel=1e-12)


def test_the_change_file_round_trips_and_an_older_file_still_loads(change, tmp_path):
    path = tmp_path / "change.json"
    path.write_text(change.dumps(), encoding="utf-8")
    again = ChangeFile.read(path)
    assert again == change
    assert again.indicator("global").population.covariance == pytest.approx(14.375)
    # A format-2 file written before the fields were recorded: no df, covariance, shared.
    data = json.loads(path.read_text(encoding="utf-8"))
    for indicator in data["indicators"].values():
        for kind in ("population", "panel"):
            for key in ("df", "covariance", "shared"):
                indicator[kind].pop(key, None)
    old = ChangeFile.load(data, "old.json")
    population = old.indicator("global").population
    assert (population.df, population.covariance, population.shared) == (None, None, None)
    assert population.se == change.indicator("global").population.se


def test_a_difference_without_the_new_fields_reads_them_as_null():
    old = Difference.model_validate({"suppressed": False, "value": 1.0, "se": 0.5, "n": 12})
    assert (old.df, old.covariance, old.shared) == (None, None, None)


@settings(max_examples=30, deadline=None)
@given(
    data=st.data(),
    sizes=st.tuples(st.integers(5, 12), st.integers(5, 12)),
)
def test_any_two_waves_give_the_hand_formula_of_c_and_the_stacked_df(data, sizes):
    # Two waves drawn from the 20 organisations (fewer than 20: no census cell), integer
    # scores: the file's C is the formula's, df = organisations in either wave - 1 stratum.
    ids = list(FRAME["organisation_id"])
    score = st.integers(0, 100).map(float)
    first = data.draw(
        st.lists(st.sampled_from(ids), min_size=sizes[0], max_size=sizes[0], unique=True)
    )
    second = data.draw(
        st.lists(st.sampled_from(ids), min_size=sizes[1], max_size=sizes[1], unique=True)
    )
    y1 = {key: data.draw(score) for key in sorted(first)}
    y2 = {key: data.draw(score) for key in sorted(second)}
    population = compare_wave_scores(
        wave(y1), FRAME, wave(y2), FRAME, TINY, variance="linearisation"
    ).indicator("global")
    population = population.population
    shared = sorted(set(y1) & set(y2))
    n1, n2, m = len(y1), len(y2), len(shared)
    assert population.shared == m
    assert population.df == len(set(y1) | set(y2)) - 1
    if 0 < m < 5:
        assert population.covariance is None
        return
    mean1, mean2 = np.mean(list(y1.values())), np.mean(list(y2.values()))
    z1 = np.array([(y1[k] - mean1) / n1 for k in shared])
    z2 = np.array([(y2[k] - mean2) / n2 for k in shared])
    c = (
        0.0
        if m < 2
        else (1 - n1 * n2 / (m * N)) * m / (m - 1) * np.sum((z1 - z1.mean()) * (z2 - z2.mean()))
    )
    assert population.covariance == pytest.approx(c, rel=1e-9, abs=1e-9)
