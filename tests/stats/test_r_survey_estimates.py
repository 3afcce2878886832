"""Means, totals, domains and design effects against published outputs of R `survey`.

Sources (cran/survey): tests/api.Rout.save (`example(api)`), inst/doc/survey.tex (the vignette
"A survey analysis example"), inst/doc/domain.tex, tests/check.Rout.save,
tests/testoutput/fpc.Rout.save, tests/deff.Rout.save; and svy's test_deff_reference.py quoting
R survey 4.5 on deff_large_fraction.csv.
"""

from __future__ import annotations

import pandas as pd
import pytest

from barometre.stats import SurveyDesign
from tests.stats.survey_reference import DATA, published


class TestStratifiedApi:
    """dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)"""

    def test_mean_of_api00(self, dstrat):
        # svymean(~api00, dstrat): 662.29, SE 9.4089
        estimate = dstrat.mean("api00")
        assert published(estimate.value, "662.29")
        assert published(estimate.se, "9.4089")

    def test_total_of_enroll(self, dstrat):
        # svytotal(~enroll, dstrat, na.rm=TRUE): 3687178, SE 114642
        estimate = dstrat.total("enroll")
        assert published(estimate.value, "3687178")
        assert published(estimate.se, "114642")
        assert estimate.n == 200

    def test_interval_is_student_with_the_design_df(self, dstrat):
        # R: confint(svymean(~api00, dstrat), df=degf(dstrat)); degf = 200 PSUs - 3 strata = 197,
        # qt(0.975, 197) = 1.972079 (scipy agrees to 7 digits)
        estimate = dstrat.mean("api00")
        assert estimate.df == 197 and estimate.ci_method == "wald (student)"
        assert estimate.ci_low == pytest.approx(estimate.value - 1.972079 * estimate.se, rel=1e-7)
        assert estimate.ci_high == pytest.approx(estimate.value + 1.972079 * estimate.se, rel=1e-7)


class TestClusterApi:
    """dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)"""

    def test_mean_and_total(self, dclus1):
        # svymean(~api00, dclus1): 644.17, SE 23.542; svytotal(~enroll): 3404940, SE 932235
        mean, total = dclus1.mean("api00"), dclus1.total("enroll")
        assert published(mean.value, "644.17") and published(mean.se, "23.542")
        assert published(total.value, "3404940") and published(total.se, "932235")

    def test_degrees_of_freedom_are_clusters_minus_one(self, dclus1):
        assert dclus1.degrees_of_freedom == 14

    def test_totals_of_school_types(self, dclus1, apiclus1):
        # svytotal(~stype, dclus1): E 4873.97 (1333.32), H 473.86 (158.70), M 846.17 (167.55)
        expected = {
            "E": ("4873.97", "1333.32"),
            "H": ("473.86", "158.70"),
            "M": ("846.17", "167.55"),
        }
        for level, (value, se) in expected.items():
            design = dclus1.with_column("is_level", (apiclus1["stype"] == level).astype(float))
            estimate = design.total("is_level")
            assert published(estimate.value, value) and published(estimate.se, se)

    def test_domain_means_with_svyby(self, dclus1):
        # svyby(~ell + meals, ~stype, design=dclus1, svymean)
        expected = {
            "E": ("29.69444", "1.411617", "53.09028", "7.070399"),
            "H": ("15.00000", "5.347065", "37.57143", "5.912262"),
            "M": ("22.68000", "2.952862", "43.08000", "6.017110"),
        }
        ell, meals = dclus1.mean_by("ell", "stype"), dclus1.mean_by("meals", "stype")
        assert list(ell) == ["E", "H", "M"]
        for level, (v1, se1, v2, se2) in expected.items():
            assert published(ell[level].value, v1) and published(ell[level].se, se1)
            assert published(meals[level].value, v2) and published(meals[level].se, se2)


class TestFpcData:
    """R survey data(fpc): 8 rows, 2 strata (tests/check.Rout.save, fpc.Rout.save)."""

    def test_with_replacement_design(self, fpc_data):
        design = SurveyDesign(fpc_data, weights="weight", ids="psuid", strata="stratid")
        estimate = design.mean("x")
        assert published(estimate.value, "5.4481") and published(estimate.se, "0.7413")

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"weights": "weight", "fpc": "Nh"},
            {"fpc": "Nh"},  # weights from the fpc, N_h / n_h
            {"weights": "weight", "fpc": "fraction"},  # sampling fractions n_h / N_h
        ],
    )
    def test_finite_population_correction(self, fpc_data, kwargs):
        data = fpc_data.assign(fraction=fpc_data["nh"] / fpc_data["Nh"])
        design = SurveyDesign(data, ids="psuid", strata="stratid", **kwargs)
        assert published(design.mean("x").se, "0.616")

    def test_unweighted_and_clusters_without_strata(self, fpc_data):
        assert published(SurveyDesign(fpc_data, strata="stratid").mean("x").se, "0.7796")
        assert published(SurveyDesign(fpc_data, ids="psuid").mean("x").se, "0.838")
        weighted = SurveyDesign(fpc_data, weights="weight", ids="psuid")
        assert published(weighted.mean("x").se, "0.7938")
        with_fpc = SurveyDesign(fpc_data.assign(N=27), weights="weight", ids="psuid", fpc="N")
        assert published(with_fpc.mean("x").se, "0.7165")

    def test_domain_means_keep_the_whole_design(self, fpc_data):
        # inst/doc/domain.tex: svyby(~x, ~I(x > 4), design=dfpc, svymean)
        design = SurveyDesign(fpc_data, weights="weight", ids="psuid", strata="stratid")
        domains = design.with_column("big", fpc_data["x"] > 4).mean_by("x", "big")
        assert published(domains[False].value, "3.314286")
        assert published(domains[False].se, "0.3117042")
        assert published(domains[True].value, "6.195000")
        assert published(domains[True].se, "0.7555129")
        # subset() gives the same as by=
        alone = design.subset(fpc_data["x"].to_numpy() > 4).mean("x")
        assert alone.se == pytest.approx(domains[True].se, rel=1e-12)


class TestDesignEffects:
    KIGYO = pd.DataFrame(
        {
            "uriage": [15, 143, 21, 51, 337, 50, 274, 145, 15, 86],
            "srs_w": [100] * 10,
            "pps_w": [20, 200, 11, 25, 550, 30, 250, 100, 10, 55],
        }
    )

    def test_srs_without_replacement(self):
        # tests/deff.Rout.save: svymean(~uriage, des.srs, deff=TRUE): 113.700 35.626 1.0101
        design = SurveyDesign(self.KIGYO, weights="srs_w")
        mean, total = design.mean("uriage", deff="wor"), design.total("uriage", deff="wor")
        assert published(mean.value, "113.700") and published(mean.se, "35.626")
        assert mean.deff == pytest.approx(1 / 0.99, rel=1e-9)  # printed 1.010101
        assert published(total.se, "35626") and published(total.deff, "1.0101")

    def test_pps_with_replacement(self):
        # svymean(~uriage, des.pps, deff='replace'): 243.914 48.752 1.9741 (1.974067);
        # svytotal: 305136 184965 18.157 (18.15669)
        design = SurveyDesign(self.KIGYO, weights="pps_w")
        mean, total = design.mean("uriage", deff="wr"), design.total("uriage", deff="wr")
        assert published(mean.value, "243.914") and published(mean.se, "48.752")
        assert published(mean.deff, "1.974067")
        assert published(total.value, "305136") and published(total.se, "184965")
        assert published(total.deff, "18.15669")
        assert total.effective_n == pytest.approx(10 / total.deff)

    def test_large_sampling_fraction(self):
        # R survey 4.5, svydesign(id=~1, strata=~st, weights=~w): SE 1.8976514768,
        # deff=TRUE 5.027365680015, deff="replace" 1.005473136003
        data = pd.read_csv(DATA / "deff_large_fraction.csv")
        design = SurveyDesign(data, weights="w", strata="st")
        wor, wr = design.mean("y", deff="wor"), design.mean("y", deff="wr")
        assert wor.se == pytest.approx(1.8976514768, rel=1e-9)
        assert wor.deff == pytest.approx(5.027365680015, rel=1e-10)
        assert wr.deff == pytest.approx(1.005473136003, rel=1e-10)
        assert wor.deff_reference == "wor" and wr.deff_reference == "wr"

    def test_no_design_effect_unless_asked(self, dstrat):
        estimate = dstrat.mean("api00")
        assert estimate.deff is None and estimate.effective_n is None


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(DATA / "one_stage_fpc.csv")


class TestSamplicsOneStageFpc:
    """samplics tests/estimation/test_taylor_estimator.py on one_stage_fpc.csv (checked there
    against R survey); PSUs are numbered within strata."""

    def test_stratified_clusters(self, data):
        design = SurveyDesign(data, weights="weight", strata="stratid", ids="psuid", fpc="Nh")
        assert design.total("y").value == pytest.approx(853.12)
        assert design.total("y").se == pytest.approx(97.41386, rel=1e-6)
        assert design.mean("y").value == pytest.approx(10.27855, rel=1e-6)
        assert design.mean("y").se == pytest.approx(0.7750964, rel=1e-6)
        totals, means = design.total_by("y", "domain"), design.mean_by("y", "domain")
        assert totals[1].se == pytest.approx(165.5088, rel=1e-6)
        assert totals[2].se == pytest.approx(97.16214, rel=1e-6)
        assert means[1].se == pytest.approx(1.05736, rel=1e-5)
        assert means[2].se == pytest.approx(0.9217838, rel=1e-6)

    def test_clusters_without_strata(self, data):
        design = SurveyDesign(data.assign(N=44), weights="weight", ids="psuid", fpc="N")
        assert design.total("y").se == pytest.approx(153.2627, rel=1e-6)
        assert design.mean("y").se == pytest.approx(1.126881, rel=1e-6)
        assert design.mean_by("y", "domain")[1].se == pytest.approx(1.481254, rel=1e-6)

    def test_elements_with_sampling_fractions(self, data):
        fractions = data["stratid"].map({1: 5 / 15, 2: 6 / 9, 3: 10 / 20})
        design = SurveyDesign(data.assign(f=fractions), weights="weight", strata="stratid", fpc="f")
        assert design.total("y").se == pytest.approx(50.8888, rel=1e-6)
        assert design.mean("y").se == pytest.approx(0.6131181, rel=1e-6)
