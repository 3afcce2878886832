"""Replicate weights against published outputs of R `survey` (as.svrepdesign, JK1 with fpc).

Sources (cran/survey): tests/api.Rout.save (both with `survey.replicates.mse` TRUE and FALSE),
tests/rakecheck.Rout.save (calibration redone in every replicate).
"""

from __future__ import annotations

import numpy as np
import pytest

from barometre.errors import StatisticsError
from tests.stats.survey_reference import SCHWIDE_POPULATION, STYPE_POPULATION, published


class TestJackknifeJK1:
    """rclus1 <- as.svrepdesign(dclus1): 15 replicates, scale (1 - 15/757) * 14/15."""

    def test_mean_and_total(self, dclus1):
        design = dclus1.jackknife()
        assert design.variance_method == "jackknife JK1 (15 replicates)"
        assert design.replicate_weights.shape == (183, 15)
        mean, total = design.mean("api00"), design.total("enroll")
        assert published(mean.value, "644.17") and published(mean.se, "26.329")
        assert published(total.value, "3404940") and published(total.se, "932235")

    def test_mse_variances(self, dclus1):
        # options(survey.replicates.mse=TRUE): 26.335
        assert published(dclus1.jackknife(mse=True).mean("api00").se, "26.335")

    def test_a_linear_total_has_the_linearisation_variance(self, dclus1):
        jackknifed = dclus1.jackknife().total("enroll").se
        assert jackknifed == pytest.approx(dclus1.total("enroll").se, rel=1e-10)


class TestCalibratedReplicates:
    def test_poststratification_in_every_replicate(self, dclus1):
        # postStratify(rclus1, ~stype, pop.types): 642.31, SE 26.934 (printed; we get 26.93454),
        # total SE 473431; with MSE variances 26.936 and 473434
        design = dclus1.jackknife().poststratify("stype", STYPE_POPULATION)
        assert published(design.mean("api00").value, "642.31")
        assert published(design.mean("api00").se, "26.934", units=1)
        assert published(design.total("enroll").se, "473431")
        mse = dclus1.jackknife(mse=True).poststratify("stype", STYPE_POPULATION)
        assert published(mse.mean("api00").se, "26.936")
        assert published(mse.total("enroll").se, "473434")

    def test_raking_in_every_replicate(self, dclus1):
        # calibrate(rclus1, ~stype+sch.wide, poptotals, calfun="raking"): 641.23, SE 26.874;
        # total 3647280, SE 463582 (R's rake() stops early and prints 26.873, 463511)
        margins = {"stype": STYPE_POPULATION, "sch.wide": SCHWIDE_POPULATION}
        design = dclus1.jackknife().rake(margins)
        assert published(design.mean("api00").value, "641.23")
        assert published(design.mean("api00").se, "26.874")
        assert published(design.total("enroll").value, "3647280")
        assert published(design.total("enroll").se, "463582")

    def test_order_of_calibration_and_replication_does_not_matter(self, dclus1):
        margins = {"stype": STYPE_POPULATION, "sch.wide": SCHWIDE_POPULATION}
        first = dclus1.rake(margins).jackknife().replicate_weights
        second = dclus1.jackknife().rake(margins).replicate_weights
        np.testing.assert_allclose(first, second, rtol=1e-9)

    def test_every_replicate_meets_the_margins(self, dclus1, apiclus1):
        design = dclus1.calibrate({"stype": STYPE_POPULATION}, method="raking").bootstrap(50, 3)
        for level, count in STYPE_POPULATION.items():
            rows = (apiclus1["stype"] == level).to_numpy()
            np.testing.assert_allclose(design.replicate_weights[rows].sum(axis=0), count)


class TestJackknifeJKn:
    def test_stratified_jackknife_of_a_stratified_mean(self, dstrat):
        # Stratum weight totals are kept by every JKn replicate, so the jackknife variance of the
        # mean equals the linearisation one (R: svymean(~api00, as.svrepdesign(dstrat)))
        design = dstrat.jackknife()
        assert design.variance_method == "jackknife JKn (200 replicates)"
        assert published(design.mean("api00").se, "9.4089")
        assert published(design.total("enroll").se, "114642")

    def test_lonely_psu_is_an_error(self, apistrat):
        from barometre.stats import SurveyDesign

        data = apistrat.assign(stratum=["lonely"] + ["rest"] * (len(apistrat) - 1))
        design = SurveyDesign(data, weights="pw", strata="stratum")
        with pytest.raises(StatisticsError, match="Stratum 'lonely' has only one PSU"):
            design.jackknife()
        with pytest.raises(StatisticsError, match="only one PSU"):
            design.mean("api00")


class TestBootstrap:
    def test_seeded_bootstrap_is_reproducible(self, dclus1):
        first = dclus1.bootstrap(replicates=100, seed=42).mean("api00")
        second = dclus1.bootstrap(replicates=100, seed=42).mean("api00")
        assert first == second
        assert dclus1.bootstrap(replicates=100, seed=43).mean("api00").se != first.se

    def test_bootstrap_se_is_close_to_linearisation(self, dstrat):
        # Rao-Wu rescaling with the fpc in the weights: with 2,000 replicates the SE of a
        # stratified mean is within a few percent of the linearisation SE (9.4089).
        se = dstrat.bootstrap(replicates=2000, seed=1).mean("api00").se
        assert se == pytest.approx(9.4089, rel=0.05)

    def test_replicate_weights_stay_positive_with_an_fpc(self, dstrat):
        assert dstrat.bootstrap(replicates=200, seed=5).replicate_weights.min() > 0

    def test_quantiles_from_the_bootstrap(self, dstrat):
        # Point estimates from tests/testoutput/quantile-new.Rout.save (qrule "math"):
        # api00 q0.25 565, q0.75 756; api99 526 and 728
        design = dstrat.bootstrap(replicates=200, seed=11)
        assert design.quantile("api00", 0.25).value == 565
        assert design.quantile("api00", 0.75).value == 756
        assert design.quantile("api99", 0.25).value == 526
        median = design.quantile("api99", 0.75)
        assert median.value == 728 and median.ci_method == "replicate (student)"
        assert median.se > 0 and median.ci_low < 728 < median.ci_high
