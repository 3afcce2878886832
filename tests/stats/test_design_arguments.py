"""Bad arguments get the house message; statistical dead ends raise StatisticsError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometre.errors import StatisticsError
from barometre.stats import SurveyDesign
from tests.stats.survey_reference import SCHWIDE_POPULATION, STYPE_POPULATION


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 4.0, 5.0, np.nan],
            "g": ["a", "a", "b", "b", "b", "a"],
            "w": [2.0, 2.0, 3.0, 3.0, 3.0, 2.0],
            "s": ["x", "x", "x", "y", "y", "y"],
        }
    )


class TestConstructor:
    def test_data_must_be_a_dataframe(self):
        with pytest.raises(TypeError, match=r"The 'data' parameter of SurveyDesign must be"):
            SurveyDesign([1, 2, 3])

    def test_unknown_column(self, small):
        with pytest.raises(
            ValueError,
            match=r"The 'weights' parameter of SurveyDesign must be "
            r"the name of a column of the data\. Got 'pw' "
            r"instead\.",
        ):
            SurveyDesign(small, weights="pw")

    def test_weights_must_not_be_negative(self, small):
        with pytest.raises(
            ValueError, match=r"finite numbers >= 0 \(column 'w', row 2\)\. Got -1\.0 instead"
        ):
            SurveyDesign(small.assign(w=[2.0, 2.0, -1.0, 3.0, 3.0, 2.0]), weights="w")

    def test_fpc_constant_within_strata(self, small):
        with pytest.raises(ValueError, match=r"'fpc' parameter .* constant within each stratum"):
            SurveyDesign(small.assign(N=[10, 11, 10, 10, 10, 10]), strata="s", fpc="N")

    def test_fpc_not_below_the_sample(self, small):
        with pytest.raises(ValueError, match=r"at least the number of sampled PSUs"):
            SurveyDesign(small.assign(N=2), fpc="N")

    def test_missing_stratum(self, small):
        with pytest.raises(ValueError, match=r"'strata' parameter .* without missing values"):
            SurveyDesign(small.assign(s=["x", None, "x", "y", "y", "y"]), strata="s")


class TestEstimationArguments:
    def test_deff_must_name_a_reference(self, small):
        design = SurveyDesign(small, weights="w")
        with pytest.raises(
            ValueError,
            match=r"The 'deff' parameter of SurveyDesign.mean must be "
            r"one of 'wor', 'wr'\. Got 'srs' instead\.",
        ):
            design.mean("y", deff="srs")
        with pytest.raises(ValueError, match=r"True meant 'wor' in R"):
            design.mean("y", deff=True)

    def test_categorical_column_for_a_mean(self, small):
        with pytest.raises(ValueError, match=r"numeric column \(use share\(\) for categories\)"):
            SurveyDesign(small).mean("g")

    def test_share_method(self, small):
        with pytest.raises(
            ValueError,
            match=r"'method' parameter of SurveyDesign.share must be "
            r"one of 'logit', 'korn-graubard', 'wald'",
        ):
            SurveyDesign(small).share("g", "a", method="exact")

    def test_quantile_probability(self, small):
        with pytest.raises(ValueError, match=r"'q' parameter .* strictly between 0 and 1"):
            SurveyDesign(small).quantile("y", 1.5)

    def test_empty_domain(self, small):
        design = SurveyDesign(small).subset(np.zeros(6, dtype=bool))
        with pytest.raises(StatisticsError, match=r"No respondent with a value of column 'y'"):
            design.mean("y")

    def test_deff_wor_needs_weights_above_the_sample_size(self, small):
        with pytest.raises(StatisticsError, match=r"deff='wor' needs the weights"):
            SurveyDesign(small).mean("y", deff="wor")
        assert SurveyDesign(small).mean("y", deff="wr").deff > 0

    def test_missing_values_are_a_domain(self, small):
        estimate = SurveyDesign(small, weights="w").mean("y")
        assert estimate.n == 5
        assert estimate.value == pytest.approx((2 + 4 + 9 + 12 + 15) / 13)
        assert estimate.unweighted_value == pytest.approx(3.0)


class TestCalibrationErrors:
    def test_level_without_respondent_names_column_and_level(self, dclus1):
        with pytest.raises(StatisticsError, match=r"No respondent in column 'stype', level 'X'"):
            dclus1.rake({"stype": {**STYPE_POPULATION, "X": 10}, "sch.wide": SCHWIDE_POPULATION})

    def test_level_missing_from_the_margin(self, dclus1):
        with pytest.raises(
            StatisticsError,
            match=r"Respondents in column 'stype', level 'H' have "
            r"no population count",
        ):
            dclus1.poststratify("stype", {"E": 4421, "M": 1018})

    def test_margins_must_agree_on_the_population_size(self, dclus1):
        with pytest.raises(StatisticsError, match=r"disagree on the population size"):
            dclus1.rake({"stype": STYPE_POPULATION, "sch.wide": {"No": 1, "Yes": 2}})

    def test_rake_that_does_not_converge_names_the_margin(self, dclus1):
        with pytest.raises(
            StatisticsError,
            match=r"Raking did not converge in 1 iterations: .*"
            r"column '(stype|sch\.wide)', level",
        ):
            dclus1.rake({"stype": STYPE_POPULATION, "sch.wide": SCHWIDE_POPULATION}, max_iter=1)

    def test_impossible_bounds_do_not_converge(self, dclus1):
        with pytest.raises(StatisticsError, match=r"did not converge"):
            dclus1.calibrate({"stype": STYPE_POPULATION}, bounds=(0.99, 1.01))

    def test_bounds_must_surround_one(self, dclus1):
        with pytest.raises(ValueError, match=r"The 'bounds' parameter of SurveyDesign.calibrate"):
            dclus1.calibrate({"stype": STYPE_POPULATION}, bounds=(1.5, 3))
        with pytest.raises(
            ValueError, match=r"finite numbers with low < 1 < high for method='logit'"
        ):
            dclus1.calibrate({"stype": STYPE_POPULATION}, method="logit")

    def test_numeric_totals_need_a_population_size(self, dclus1):
        with pytest.raises(ValueError, match=r"'population_size' parameter"):
            dclus1.calibrate({"api99": 3914069})

    def test_missing_value_in_a_calibration_column(self, dclus1, apiclus1):
        design = dclus1.with_column("t", apiclus1["stype"].where(apiclus1.index > 0))
        with pytest.raises(
            StatisticsError,
            match=r"Column 't' used for calibration has a "
            r"missing value at row 0",
        ):
            design.poststratify("t", STYPE_POPULATION)

    def test_calibrate_the_whole_design_first(self, dclus1, apiclus1):
        domain = dclus1.subset((apiclus1["stype"] == "E").to_numpy())
        with pytest.raises(StatisticsError, match=r"Calibrate the whole design"):
            domain.poststratify("stype", STYPE_POPULATION)


def test_designs_are_immutable(dclus1):
    before = dclus1.weights
    dclus1.poststratify("stype", STYPE_POPULATION)
    np.testing.assert_array_equal(dclus1.weights, before)
    assert not dclus1.is_calibrated and dclus1.replicate_weights is None


def test_weight_diagnostics(small):
    diagnostics = SurveyDesign(small, weights="w").weight_diagnostics()
    # weights 2, 2, 3, 3, 3, 2: sum 15, sum of squares 39 -> Kish deff 6 * 39 / 225
    assert diagnostics.kish_deff == pytest.approx(6 * 39 / 225)
    assert diagnostics.effective_n == pytest.approx(225 / 39)
    assert diagnostics.cv_weights == pytest.approx(np.sqrt(6 * 39 / 225 - 1))
