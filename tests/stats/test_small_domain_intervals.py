"""t intervals with the design's degrees of freedom, as R (`degf()` of the domain's design).

R's rules (survey, surveyrep.R and survey.R):
- `degf.survey.design2`: the PSUs with a non-zero weight minus their strata; a domain
  (`subset`, `svyby`) keeps its rows only, so PSUs holding a row of the domain minus their strata;
- `degf.svyrep.design`: `qr(weights(design, "analysis"), tol=1e-5)$rank - 1`, recomputed by
  `[.svyrep.design` on the domain's rows.
The interval is value +/- qt(0.975, df) SE (R `confint(..., df=degf(design))`), and a share
uses the same df (R `svyciprop`: `df=degf(design)`), whether or not every row has a value.
Every expected value below is worked out by hand.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.stats import SurveyDesign
from barometre.stats.estimators import QuantileVarianceWarning

T4 = 2.7764451051977934  # qt(0.975, 4)


@pytest.fixture
def ten() -> pd.DataFrame:
    """10 organisations, equal weights; region R5 holds 5 of them (y = 2, 4, 6, 8, 10)."""
    return pd.DataFrame(
        {
            "y": [2.0, 4.0, 6.0, 8.0, 10.0, 1.0, 3.0, 5.0, 7.0, 9.0],
            "region": ["R5"] * 5 + ["other"] * 5,
            "level": ["a", "a", "b", None, "a", "a", "b", "b", "a", "b"],
        }
    )


class TestDomainOfFive:
    def test_mean_gets_t4_by_hand(self, ten):
        design = SurveyDesign(ten)
        estimate = design.mean_by("y", "region")["R5"]
        # mean 6; z_i = (y_i - 6) / 5 on the domain, 0 elsewhere: -0.8, -0.4, 0, 0.4, 0.8;
        # V = n / (n - 1) * sum (z - mean z)^2 = 10 / 9 * 1.6 = 1.7778, SE = 1.3333
        se = math.sqrt(10 / 9 * 1.6)
        assert estimate.value == pytest.approx(6.0)
        assert estimate.se == pytest.approx(se)
        # df = 5 PSUs of the domain - 1 stratum = 4: 6 -/+ 2.776445 * 1.333333
        assert estimate.df == 4 and estimate.ci_method == "wald (student)"
        assert estimate.ci_low == pytest.approx(6.0 - T4 * se)  # 2.298073
        assert estimate.ci_high == pytest.approx(6.0 + T4 * se)  # 9.701927
        assert estimate.ci_low == pytest.approx(2.298073, abs=1e-6)

    def test_subset_gives_the_same_interval(self, ten):
        design = SurveyDesign(ten)
        by = design.mean_by("y", "region")["R5"]
        sub = design.subset((ten["region"] == "R5").to_numpy()).mean("y")
        assert (sub.value, sub.se, sub.ci_low, sub.ci_high, sub.df) == pytest.approx(
            (by.value, by.se, by.ci_low, by.ci_high, by.df)
        )

    def test_total_gets_t4(self, ten):
        design = SurveyDesign(ten)
        total = design.total_by("y", "region")["R5"]
        # z_i = y_i in the domain, 0 elsewhere: mean 3, sum (z - 3)^2 = 1+1+9+25+49 + 5*9 = 130;
        # V = 10 / 9 * 130
        se = math.sqrt(10 / 9 * 130)
        assert total.value == pytest.approx(30.0) and total.se == pytest.approx(se)
        assert total.df == 4 and total.ci_high == pytest.approx(30.0 + T4 * se)

    def test_whole_design_df_is_n_minus_one(self, ten):
        estimate = SurveyDesign(ten).mean("y")
        # qt(0.975, 9) = 2.262157
        assert estimate.df == 9
        assert estimate.ci_high - estimate.value == pytest.approx(2.262157 * estimate.se, rel=1e-6)

    def test_a_single_organisation_has_no_df_and_falls_back_to_normal(self):
        data = pd.DataFrame({"y": [1.0, 2.0, 3.0], "g": ["a", "b", "b"]})
        estimate = SurveyDesign(data).mean_by("y", "g")["a"]
        assert estimate.df == 0 and estimate.ci_method == "wald (normal)"


class TestRDegfRule:
    def test_linearisation_counts_psus_minus_strata_of_the_domain(self):
        # strata A (PSUs a1, a2) and B (b1, b2, b3); the domain holds rows of a1, a2 and b1:
        # 3 PSUs - 2 strata = 1
        data = pd.DataFrame(
            {
                "stratum": ["A", "A", "A", "B", "B", "B", "B"],
                "psu": ["a1", "a1", "a2", "b1", "b2", "b3", "b3"],
                "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
                "d": [True, False, True, True, False, False, False],
            }
        )
        design = SurveyDesign(data, strata="stratum", ids="psu")
        assert design.degrees_of_freedom == 5 - 2
        assert design.subset("d").degrees_of_freedom == 1
        assert design.subset("d").mean("y").df == 1

    def test_rows_without_a_value_still_count(self, ten):
        """R counts the domain's design, not the rows with a value (item: df of shares)."""
        design = SurveyDesign(ten)
        share = design.share_by("level", "a", "region")["R5"]
        # 5 organisations in R5, one without a level: n = 4, df = 5 - 1 = 4 (not 3)
        assert share.n == 4 and share.df == 4
        data = ten.assign(y=ten["y"].where(ten.index != 0))
        mean = SurveyDesign(data).mean_by("y", "region")["R5"]
        assert mean.n == 4 and mean.df == 4

    def test_jackknife_df_is_the_rank_of_the_domain_replicates_minus_one(self, ten):
        # JK1 without calibration: replicate r drops unit r, the others get 10/9. On the 5 rows
        # of R5 the 10 columns span the 5 vectors (10/9)(1 - e_j) and (10/9) 1: rank 5, df 4.
        design = SurveyDesign(ten).jackknife()
        assert design.degrees_of_freedom == 9  # rank 10 - 1
        estimate = design.mean_by("y", "region")["R5"]
        assert estimate.df == 4
        assert estimate.ci_high - estimate.value == pytest.approx(T4 * estimate.se)

    def test_calibration_lowers_the_rank_of_the_replicates(self, ten):
        # Post-stratified on region (2 cells), every replicate reproduces both counts: the
        # replicate weights lie in {w : X'w = N}, an affine space of dimension 10 - 2 that spans
        # a linear space of dimension 9, so rank 9 and R's df = 8 (not 9).
        design = SurveyDesign(ten.assign(w=2.0), weights="w")
        calibrated = design.poststratify("region", {"R5": 10, "other": 10}).jackknife()
        replicates = calibrated.replicate_weights
        assert replicates is not None and np.linalg.matrix_rank(replicates) == 9
        assert calibrated.degrees_of_freedom == 8
        assert calibrated.mean("y").df == 8

    def test_bootstrap_df_is_at_most_replicates_minus_one(self, ten):
        # 3 bootstrap replicates: rank at most 3, so df <= 2 (R: rank - 1)
        design = SurveyDesign(ten).bootstrap(replicates=3, seed=1)
        replicates = design.replicate_weights
        assert replicates is not None
        assert design.degrees_of_freedom == np.linalg.matrix_rank(replicates) - 1 <= 2


class TestQuantilesOnJackknife:
    def test_warns_as_r_does(self, ten):
        design = SurveyDesign(ten).jackknife()
        with pytest.warns(QuantileVarianceWarning, match="not give valid standard errors"):
            design.quantile("y", 0.5)

    def test_bootstrap_and_linearisation_do_not_warn(self, ten):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            SurveyDesign(ten).bootstrap(replicates=20, seed=1).quantile("y", 0.5)
            SurveyDesign(ten).quantile("y", 0.5)


class TestDesignEffectOfAConstant:
    def test_is_undefined_not_zero(self, ten):
        design = SurveyDesign(ten.assign(c=0.1, w=2.0), weights="w")
        calibrated = design.poststratify("region", {"R5": 10, "other": 15})
        for d in (design, calibrated, calibrated.jackknife()):
            estimate = d.mean("c", deff="wr")
            assert estimate.deff is not None and math.isnan(estimate.deff)
            assert estimate.effective_n is None

    @settings(max_examples=40, deadline=None)
    @given(
        value=st.floats(-1e6, 1e6, allow_nan=False),
        weights=st.lists(st.floats(0.5, 50), min_size=2, max_size=12),
    )
    def test_any_constant_has_no_design_effect(self, value, weights):
        data = pd.DataFrame({"c": value, "w": weights})
        estimate = SurveyDesign(data, weights="w").mean("c", deff="wr")
        assert estimate.deff is not None and math.isnan(estimate.deff)


@settings(max_examples=60, deadline=None)
@given(
    y=st.lists(st.floats(0, 100), min_size=3, max_size=15),
    k=st.integers(2, 15),
    weights=st.floats(1.0, 5.0),
)
def test_domain_interval_is_t_at_domain_size_minus_one(y, k, weights):
    """Invariant: without strata or clusters, a domain of k rows gets qt(0.975, k - 1)."""
    from scipy import stats

    k = min(k, len(y))
    data = pd.DataFrame({"y": y, "w": weights, "d": [i < k for i in range(len(y))]})
    estimate = SurveyDesign(data, weights="w").subset("d").mean("y")
    assert estimate.df == k - 1
    half = stats.t.ppf(0.975, k - 1) * estimate.se
    assert estimate.ci_low == pytest.approx(estimate.value - half, abs=1e-9)
    assert estimate.ci_high == pytest.approx(estimate.value + half, abs=1e-9)


def test_a_constant_figure_of_the_sector_estimate_has_no_design_effect():
    from barometre.stats.sector import estimate_sector
    from tests.stats import synthetic_sector as synth

    cells = {(t, s): 20 for t in synth.ORGANISATION_TYPES for s in synth.SIZES}
    frame = synth.frame(cells, {"84": 0.5, "11": 0.5})
    chosen = frame.groupby(["organisation_type", "size_class"]).head(8)["organisation_id"]
    scores = synth.scores(frame, chosen.tolist()).assign(strategy=50.0)
    figure = estimate_sector(scores, frame).domain("sector").figure("dimension:strategy")
    assert figure.value == pytest.approx(50.0) and figure.se == pytest.approx(0.0, abs=1e-9)
    assert figure.deff is None and figure.effective_n is None  # null in the file, "—" shown
    assert figure.record().model_dump()["deff"] is None
