"""Shares with intervals in [0, 1] (R svyciprop) and quantiles (R svyquantile, qrule "math").

The logit interval is checked against samplics (test_taylor_estimator.py, proportion of z on
one_stage_fpc.csv with 5 PSUs and f = 5/44: 0.6746988, SE 0.1499394, CI 0.2373558-0.9325327,
Student's t with 4 degrees of freedom, as R svyciprop(method="logit")). The Korn-Graubard
interval is worked out by hand below from the Clopper-Pearson formula.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from barometre.stats import SurveyDesign
from tests.stats.survey_reference import DATA


@pytest.fixture(scope="module")
def one_stage() -> SurveyDesign:
    data = pd.read_csv(DATA / "one_stage_fpc.csv").assign(N=44)
    return SurveyDesign(data, weights="weight", ids="psuid", fpc="N")


class TestLogitShare:
    def test_matches_samplics(self, one_stage):
        share = one_stage.share("z", 1)
        assert share.value == pytest.approx(0.6746988, rel=1e-6)
        assert share.se == pytest.approx(0.1499394, rel=1e-6)
        assert share.ci_low == pytest.approx(0.2373558, rel=1e-6)
        assert share.ci_high == pytest.approx(0.9325327, rel=1e-6)
        assert share.ci_method == "logit" and share.df == 4

    def test_complement(self, one_stage):
        yes, no = one_stage.share("z", 1), one_stage.share("z", 0)
        assert yes.value + no.value == pytest.approx(1.0)
        assert yes.se == pytest.approx(no.se)
        assert yes.ci_low == pytest.approx(1 - no.ci_high)

    def test_share_equals_the_mean_of_the_indicator(self, dclus1, apiclus1):
        share = dclus1.share("stype", "H")
        mean = dclus1.with_column("h", (apiclus1["stype"] == "H").astype(float)).mean("h")
        assert share.value == pytest.approx(mean.value) and share.se == pytest.approx(mean.se)


class TestKornGraubard:
    def test_by_hand(self, dclus1):
        share = dclus1.share("stype", "H", method="korn-graubard")
        p, var, n, df = share.value, share.se**2, share.n, share.df
        # effective sample size, then the df-adjusted one, then Clopper-Pearson
        n_eff = p * (1 - p) / var * (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, df)) ** 2
        assert share.ci_low == pytest.approx(stats.beta.ppf(0.025, n_eff * p, n_eff * (1 - p) + 1))
        assert share.ci_high == pytest.approx(stats.beta.ppf(0.975, n_eff * p + 1, n_eff * (1 - p)))

    def test_zero_share_uses_the_sample_size(self, dclus1):
        share = dclus1.share("stype", "nothing like this", method="korn-graubard")
        assert share.value == 0 and share.ci_low == 0
        # Clopper-Pearson upper bound for 0 successes out of n* = n (t ratio with df 14)
        n_eff = 183 * (stats.t.ppf(0.025, 182) / stats.t.ppf(0.025, 14)) ** 2
        assert share.ci_high == pytest.approx(stats.beta.ppf(0.975, 1, n_eff))

    def test_logit_falls_back_at_the_bounds(self, dclus1):
        share = dclus1.share("stype", "nothing like this")
        assert share.ci_method == "korn-graubard (share at a bound)"
        assert 0 <= share.ci_low <= share.ci_high <= 1


class TestWaldShare:
    def test_student_interval(self, one_stage):
        share = one_stage.share("z", 1, method="wald")
        half = stats.t.ppf(0.975, 4) * share.se
        assert share.ci_low == pytest.approx(share.value - half)
        assert share.ci_high == pytest.approx(share.value + half)


def test_missing_values_are_left_out_of_shares():
    data = pd.DataFrame({"level": ["a", "b", None, "a"], "w": [1.0, 1.0, 5.0, 2.0]})
    share = SurveyDesign(data, weights="w").share("level", "a")
    assert share.n == 3 and share.value == pytest.approx(3 / 4)


class TestQuantiles:
    def test_math_rule_by_hand(self):
        # weights 1, 2, 3, 4 on 10, 20, 30, 40: F(20) = 0.3, F(30) = 0.6
        data = pd.DataFrame({"y": [30.0, 10.0, 40.0, 20.0], "w": [3.0, 1.0, 4.0, 2.0]})
        design = SurveyDesign(data, weights="w")
        assert design.quantile("y", 0.3).value == 20  # F(20) reaches 0.3 exactly
        assert design.quantile("y", 0.31).value == 30
        assert design.quantile("y", 0.5).value == 30
        assert design.quantile("y", 0.05).value == 10

    def test_published_quartiles(self, apistrat):
        # tests/testoutput/quantile-new.Rout.save, qrule "math" on apistrat
        design = SurveyDesign(apistrat, weights="pw", strata="stype")
        assert design.quantile("api00", 0.25).value == 565
        assert design.quantile("api99", 0.75).value == 728

    def test_woodruff_interval_on_a_linearisation_design(self, dclus1):
        median = dclus1.quantile("api00", 0.5)
        assert median.ci_method == "woodruff"
        assert median.ci_low <= median.value <= median.ci_high
        # the interval bounds are values of the sample (qrule "math")
        assert {median.ci_low, median.ci_high} <= set(dclus1.data["api00"])
        half = median.se * stats.t.ppf(0.975, 14)
        assert median.ci_high - median.ci_low == pytest.approx(2 * half)

    def test_quantiles_by_domain(self, dstrat):
        medians = dstrat.quantile_by("api00", "stype", 0.5)
        assert list(medians) == ["E", "H", "M"]
        for level, estimate in medians.items():
            values = dstrat.data.loc[dstrat.data["stype"] == level, "api00"]
            assert estimate.value == float(np.sort(values)[math.ceil(len(values) / 2) - 1])
