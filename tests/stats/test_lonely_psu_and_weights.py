"""Lonely PSUs (R `options(survey.lonely.psu=)`), zero weights, fully enumerated frame cells
and the logit calibration without overflow.

R's definitions (R `?surveyoptions`, `?svyCprod`): "fail" gives an error; "remove" or
"certainty" give the stratum a variance contribution of 0; "adjust" centres the stratum at the
population mean rather than the stratum mean (R `onestage`: scale f, no n/(n-1), when
nPSU = 1); "average" replaces the contribution of the stratum by the average contribution of
the other strata (R `onestage`: the sum times nstrat / nokstrat). Values below by hand.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import StatisticsError
from barometre.stats import SurveyDesign
from barometre.stats.sector.weighting import weight_to_frame
from tests.stats import synthetic_sector as synth


@pytest.fixture
def lonely() -> pd.DataFrame:
    # stratum A: y = 1, 3 (two PSUs); stratum B: y = 6, a single PSU; weights 1, no fpc
    return pd.DataFrame({"y": [1.0, 3.0, 6.0], "s": ["A", "A", "B"]})


class TestLonelyPsu:
    def test_fail_is_the_default(self, lonely):
        with pytest.raises(StatisticsError, match=r"Stratum 'B' has only one PSU"):
            SurveyDesign(lonely, strata="s").total("y")

    # Total of y: z = y. Stratum A: deviations from its mean 2 are (-1, 1), scale
    # n/(n-1) = 2: contribution 2 * (1 + 1) = 4.
    @pytest.mark.parametrize(
        ("option", "variance"),
        [
            ("certainty", 4.0),  # B contributes 0
            # B centred at the mean of all PSU totals (1 + 3 + 6) / 3 = 10/3: (8/3)^2 = 64/9
            ("adjust", 4.0 + 64 / 9),
            ("average", 4.0 * 2 / 1),  # 2 strata, 1 with a variance: 4 * 2 / 1
        ],
    )
    def test_total(self, lonely, option, variance):
        design = SurveyDesign(lonely, strata="s", lonely_psu=option)
        assert design.total("y").variance == pytest.approx(variance)

    # Mean 10/3: z = (y - 10/3) / 3 = (-7/9, -1/9, 8/9). Stratum A: mean -4/9, deviations
    # (-1/3, 1/3), times 2: 4/9. Stratum B: centred at the grand mean of z, 0: (8/9)^2.
    @pytest.mark.parametrize(
        ("option", "variance"),
        [("certainty", 4 / 9), ("adjust", 4 / 9 + 64 / 81), ("average", 8 / 9)],
    )
    def test_mean(self, lonely, option, variance):
        design = SurveyDesign(lonely, strata="s", lonely_psu=option)
        assert design.mean("y").variance == pytest.approx(variance)

    def test_adjust_applies_the_fpc_of_the_lonely_stratum(self, lonely):
        # fpc N_B = 4: B's contribution (8/3)^2 times (1 - 1/4); A has no fpc (N = 1000 large)
        data = lonely.assign(N=[1000.0, 1000.0, 4.0], w=1.0)
        design = SurveyDesign(data, weights="w", strata="s", fpc="N", lonely_psu="adjust")
        expected = (1 - 2 / 1000) * 4.0 + 0.75 * 64 / 9
        assert design.total("y").variance == pytest.approx(expected)

    def test_jackknife_treats_a_certainty_stratum_as_a_census(self, lonely):
        # replicates drop y=1 (total 2*3 + 6 = 12) or y=3 (2*1 + 6 = 8); centre 10;
        # JKn: (n_h - 1)/n_h * sum = 1/2 * (4 + 4) = 4, the linearisation value.
        design = SurveyDesign(lonely, strata="s", lonely_psu="certainty").jackknife()
        assert design.total("y").variance == pytest.approx(4.0)

    @pytest.mark.parametrize("option", ["adjust", "average"])
    def test_replicates_refuse_adjust_and_average(self, lonely, option):
        with pytest.raises(StatisticsError, match=r"lonely_psu='fail' or 'certainty'"):
            SurveyDesign(lonely, strata="s", lonely_psu=option).jackknife()

    def test_unknown_option(self, lonely):
        with pytest.raises(ValueError, match=r"'lonely_psu' parameter"):
            SurveyDesign(lonely, strata="s", lonely_psu="remove-it")

    def test_average_needs_a_stratum_with_a_variance(self):
        data = pd.DataFrame({"y": [1.0, 2.0], "s": ["A", "B"]})
        with pytest.raises(StatisticsError, match=r"at least one stratum with two PSUs"):
            SurveyDesign(data, strata="s", lonely_psu="average").total("y")


class TestZeroWeights:
    def test_a_zero_weight_is_a_sampled_unit_outside_the_estimate(self):
        # y = (1, 3, 5), w = (1, 1, 0): mean 2 over the 2 weighted rows; z = w (y - 2) / 2 =
        # (-0.5, 0.5, 0) over 3 PSUs (the zero-weight row counts, as in R), mean 0:
        # V = 3/2 * (0.25 + 0.25) = 0.75 (dropping the row would give 2/1 * 0.5 = 1).
        data = pd.DataFrame({"y": [1.0, 3.0, 5.0], "w": [1.0, 1.0, 0.0]})
        estimate = SurveyDesign(data, weights="w").mean("y")
        assert estimate.value == pytest.approx(2.0)
        assert estimate.variance == pytest.approx(0.75)
        assert estimate.n == 2
        # R degf: rows of weight 0 do not count: 2 PSUs - 1
        assert estimate.df == 1

    def test_zero_weights_equal_a_domain(self, apistrat):
        """R's subset() sets the weights outside the domain to 0: both ways agree."""
        middle = (apistrat["stype"] == "M").to_numpy()
        zeroed = apistrat.assign(w0=np.where(middle, apistrat["pw"], 0.0))
        by_weight = SurveyDesign(zeroed, weights="w0", strata="stype", fpc="fpc").mean("api00")
        by_domain = (
            SurveyDesign(apistrat, weights="pw", strata="stype", fpc="fpc")
            .subset(middle)
            .mean("api00")
        )
        assert by_weight.value == pytest.approx(by_domain.value)
        assert by_weight.se == pytest.approx(by_domain.se)
        assert by_weight.n == by_domain.n

    @pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
    def test_negative_or_non_finite_weights_are_refused(self, bad):
        data = pd.DataFrame({"y": [1.0, 2.0, 3.0], "w": [1.0, bad, 1.0]})
        with pytest.raises(ValueError, match=r"finite numbers >= 0 \(column 'w', row 1\)"):
            SurveyDesign(data, weights="w")

    def test_all_zero_weights_are_refused(self):
        data = pd.DataFrame({"y": [1.0, 2.0], "w": [0.0, 0.0]})
        with pytest.raises(ValueError, match=r"at least one weight above 0"):
            SurveyDesign(data, weights="w")


class TestFullyEnumeratedCell:
    def test_a_census_cell_is_post_stratified_and_adds_no_variance(self):
        cells = {("OPH", "1500-12000"): 12, ("ESH", "1500-12000"): 12, ("SEM", ">12000"): 3}
        frame = synth.frame(cells, {"11": 1.0})
        sampled = frame[frame["organisation_type"] != "SEM"].iloc[::2]
        census = frame[frame["organisation_type"] == "SEM"]
        chosen = [*sampled["organisation_id"], *census["organisation_id"]]
        respondents = synth.scores(frame, chosen).merge(
            frame[["organisation_id", "organisation_type", "size_class", "region"]],
            on="organisation_id",
        )
        design, report = weight_to_frame(respondents, frame, min_cell=5)
        # SEM >12000 has 3 < 5 respondents, but all 3 organisations of the cell answered
        assert report.method == "poststratification"
        assert "fully enumerated" in report.reason
        in_census = (respondents["organisation_type"] == "SEM").to_numpy()
        assert np.allclose(design.weights[in_census], 1.0)
        assert np.allclose(design.weights[~in_census], 2.0)  # 12 / 6 in the other cells
        # a total known exactly from the census cell has no sampling variance
        only_census = np.where(in_census, respondents["global"], 0.0)
        total = design.with_column("census_only", only_census).total("census_only")
        assert total.value == pytest.approx(respondents.loc[in_census, "global"].sum())
        assert total.se == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    high=st.floats(1.5, 1e300),
    low=st.floats(0.0, 0.95),
    target=st.floats(10.0, 1e6),
    seed=st.integers(0, 1000),
)
def test_logit_calibration_emits_no_warning(high, low, target, seed):
    """Large bounds made U (1 - L) exp(a u) overflow (RuntimeWarning); no warning may escape:
    the calibration converges or raises StatisticsError."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"g": rng.choice(["a", "b"], 20), "x": rng.uniform(0, 10, 20)})
    data.loc[0, "g"], data.loc[1, "g"] = "a", "b"
    design = SurveyDesign(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with contextlib.suppress(StatisticsError):
            design.calibrate(
                {"g": {"a": target, "b": 30.0}, "x": 5.0 * (target + 30.0)},
                method="logit",
                bounds=(low, high),
            )


def test_logit_calibration_with_huge_bounds_matches_moderate_ones(apiclus1):
    """When no weight reaches the bounds, the logit calibration with bounds (0.5, 1e300) and
    with (0.5, 1e6) both reproduce the margins; the huge one does so without a warning."""
    design = SurveyDesign(apiclus1, weights="pw", ids="dnum", fpc="fpc")
    population = {"stype": {"E": 4421, "H": 755, "M": 1018}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = design.calibrate(population, method="logit", bounds=(0.5, 1e300))
    counts = pd.Series(huge.weights).groupby(apiclus1["stype"].to_numpy()).sum()
    assert counts.to_dict() == pytest.approx({"E": 4421, "H": 755, "M": 1018})
