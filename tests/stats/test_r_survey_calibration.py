"""Post-stratification, raking and calibration against published outputs of R `survey`.

Sources (cran/survey): tests/kalton.Rout.save (Kalton and Flores-Cervantes 2003, tables A-G),
tests/rakecheck.Rout.save, tests/api.Rout.save, tests/testoutput/caleg.Rout.save,
inst/doc/domain.tex, inst/doc/survey.tex.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometre.stats import SurveyDesign
from tests.stats.survey_reference import SCHWIDE_POPULATION, STYPE_POPULATION, published

# Cells in the order (a1,b1), (a2,b1), (a3,b1), (a4,b1), (a1,b2), ... (tests/kalton.R)
CELLS = [(a, b) for b in (1, 2, 3) for a in (1, 2, 3, 4)]
SAMPLE = [20, 50, 100, 30, 40, 140, 50, 100, 40, 310, 50, 70]
POPULATION = [80, 60, 170, 55, 40, 150, 60, 165, 55, 340, 200, 125]


@pytest.fixture(scope="module")
def kalton() -> pd.DataFrame:
    rows = [cell for cell, count in zip(CELLS, SAMPLE, strict=True) for _ in range(count)]
    return pd.DataFrame(rows, columns=["a", "b"])


def margins():
    cells = dict(zip(CELLS, POPULATION, strict=True))
    a = {i: sum(n for (ai, _), n in cells.items() if ai == i) for i in (1, 2, 3, 4)}
    b = {j: sum(n for (_, bj), n in cells.items() if bj == j) for j in (1, 2, 3)}
    return cells, a, b


def factors(design: SurveyDesign, data: pd.DataFrame) -> np.ndarray:
    """Adjustment factor of each cell, rows a1..a4, columns b1..b3 (start weights are 1)."""
    table = np.zeros((4, 3))
    for a, b in CELLS:
        table[a - 1, b - 1] = design.weights[((data["a"] == a) & (data["b"] == b)).to_numpy()][0]
    return table


def assert_table(actual: np.ndarray, printed: str) -> None:
    expected = np.array([[float(x) for x in row.split()] for row in printed.strip().split("/")])
    assert np.all(np.abs(actual - expected) <= 0.005 + 1e-9), (actual, expected)


class TestKaltonFloresCervantes:
    def test_table_a_poststratification(self, kalton):
        cells, _, _ = margins()
        design = SurveyDesign(kalton).poststratify(["a", "b"], cells)
        assert_table(
            factors(design, kalton),
            "4.00 1.00 1.38 / 1.20 1.07 1.10 / 1.70 1.20 4.00 / 1.83 1.65 1.79",
        )

    def test_table_b_raking(self, kalton):
        _, a, b = margins()
        expected = "1.81 1.45 2.02 / 1.08 0.87 1.21 / 2.20 1.76 2.45 / 1.83 1.47 2.04"
        assert_table(factors(SurveyDesign(kalton).rake({"a": a, "b": b}), kalton), expected)
        raking = SurveyDesign(kalton).calibrate({"a": a, "b": b}, method="raking")
        assert_table(factors(raking, kalton), expected)

    def test_table_c_linear_calibration(self, kalton):
        _, a, b = margins()
        design = SurveyDesign(kalton).calibrate({"a": a, "b": b})
        assert_table(
            factors(design, kalton),
            "1.82 1.50 1.97 / 1.09 0.78 1.24 / 2.19 1.88 2.34 / 1.83 1.52 1.98",
        )

    def test_table_d_greg_on_numeric_totals(self, kalton):
        cells, _, _ = margins()
        data = kalton.assign(a_num=kalton["a"].astype(float), b_num=kalton["b"].astype(float))
        totals = {
            "a_num": sum(a * n for (a, _), n in cells.items()),
            "b_num": sum(b * n for (_, b), n in cells.items()),
        }
        design = SurveyDesign(data).calibrate(totals, population_size=sum(POPULATION))
        assert_table(
            factors(design, data),
            "1.21 1.17 1.14 / 1.43 1.40 1.36 / 1.66 1.62 1.59 / 1.88 1.85 1.81",
        )

    def test_table_g_bounded_calibration(self, kalton):
        _, a, b = margins()
        logit = SurveyDesign(kalton).calibrate({"a": a, "b": b}, method="logit", bounds=(0.5, 2.2))
        assert_table(
            factors(logit, kalton),
            "1.87 1.46 1.98 / 1.08 0.74 1.27 / 2.17 2.09 2.18 / 1.89 1.49 1.99",
        )
        truncated = SurveyDesign(kalton).calibrate({"a": a, "b": b}, bounds=(0.5, 2.2))
        assert_table(
            factors(truncated, kalton),
            "1.81 1.48 1.99 / 1.08 0.75 1.26 / 2.20 2.00 2.20 / 1.83 1.50 2.00",
        )
        for design in (logit, truncated):
            g = design.weights
            assert g.min() >= 0.5 - 1e-9 and g.max() <= 2.2 + 1e-9


class TestRakedClusterSample:
    """dclus1 raked on stype and sch.wide (tests/rakecheck.Rout.save)."""

    def test_rake_linearisation(self, dclus1):
        raked = dclus1.rake({"stype": STYPE_POPULATION, "sch.wide": SCHWIDE_POPULATION})
        mean = raked.mean("api00")
        assert published(mean.value, "641.23") and published(mean.se, "23.704")
        # calibrate(dclus1, ~stype+sch.wide, poptotals, calfun="raking"): 3647280, SE 400603
        total = raked.total("enroll")
        assert published(total.value, "3647280") and published(total.se, "400603")

    def test_calibrate_raking_gives_the_same_weights(self, dclus1):
        margins_ = {"stype": STYPE_POPULATION, "sch.wide": SCHWIDE_POPULATION}
        raked = dclus1.rake(margins_)
        calibrated = dclus1.calibrate(margins_, method="raking")
        np.testing.assert_allclose(calibrated.weights, raked.weights, rtol=1e-8)
        assert published(calibrated.mean("api00").se, "23.704")

    def test_rake_with_a_joint_margin(self, dclus1, apipop):
        # rake(dclus1, list(~stype+sch.wide, ~comp.imp), list(pop.table, pop.imp)) and
        # calibrate(dclus1, ~stype*sch.wide+comp.imp, poptotals1, calfun="raking"): 642.61 (R's
        # rake stops at epsilon=1 and prints 642.62 / 22.732), SE 22.731
        table = apipop.groupby(["stype", "sch.wide"]).size()
        joint = {key: int(count) for key, count in table.items()}
        raked = dclus1.rake({("stype", "sch.wide"): joint, "comp.imp": {"No": 1712, "Yes": 4482}})
        mean = raked.mean("api00")
        assert published(mean.value, "642.61") and published(mean.se, "22.731")


class TestPostStratifiedClusterSample:
    """R prints SE 23.921 for the post-stratified mean; we get 23.92049, one unit of the last
    printed digit away (the total's SE, 406292.6, rounds to the printed 406293)."""

    def test_poststratify_on_school_type(self, dclus1):
        # tests/api.Rout.save: postStratify(dclus1, ~stype, pop.types)
        design = dclus1.poststratify("stype", STYPE_POPULATION)
        mean, total = design.mean("api00"), design.total("enroll")
        assert published(mean.value, "642.31") and published(mean.se, "23.921", units=1)
        assert published(total.value, "3680893") and published(total.se, "406293")

    def test_population_as_a_dataframe(self, dclus1):
        table = pd.DataFrame({"stype": ["E", "H", "M"], "Freq": [4421, 755, 1018]})
        design = dclus1.poststratify(["stype"], table)
        assert published(design.mean("api00").se, "23.921", units=1)

    def test_linear_calibration_on_the_same_cells(self, dclus1):
        # caleg.Rout.save: calibrate(dclus1, ~stype, pop.totals): 642.31, SE 23.921
        poststratified = dclus1.poststratify("stype", STYPE_POPULATION)
        design = dclus1.calibrate({"stype": STYPE_POPULATION})
        np.testing.assert_allclose(design.weights, poststratified.weights, rtol=1e-12)
        assert published(design.mean("api00").value, "642.31")
        assert design.mean("api00").se == pytest.approx(poststratified.mean("api00").se)
        assert published(design.total("enroll").se, "406293")


class TestGregCalibration:
    def test_calibration_on_a_numeric_total(self, dclus1):
        # inst/doc/survey.tex: calibrate(dclus1, ~api99, c(6194, 3914069))
        design = dclus1.calibrate({"api99": 3914069}, population_size=6194)
        assert published(design.mean("api00").value, "666.72")
        assert published(design.mean("api00").se, "3.2959")
        assert published(design.total("enroll").value, "3357372")
        assert published(design.total("enroll").se, "243227")

    def test_domain_means_under_calibration(self, dclus1):
        # inst/doc/domain.tex: gclus1 <- calibrate(dclus1, ~stype+api99, c(pop.totals,
        # api99=3914069)); svymean(~api00, subset(gclus1, comp.imp=="Yes")): 672.049, SE
        # 6.518153; svyglm(api00 ~ comp.imp - 1): No 649.706 (12.563)
        design = dclus1.calibrate({"stype": STYPE_POPULATION, "api99": 3914069})
        domains = design.mean_by("api00", "comp.imp")
        assert published(domains["Yes"].value, "672.049")
        assert published(domains["Yes"].se, "6.518153")
        assert published(domains["No"].value, "649.706")
        assert published(domains["No"].se, "12.563")

    def test_calibrated_margins_are_met(self, dclus1, apiclus1):
        design = dclus1.calibrate({"stype": STYPE_POPULATION, "api99": 3914069})
        weights = design.weights
        for level, count in STYPE_POPULATION.items():
            assert weights[(apiclus1["stype"] == level).to_numpy()].sum() == pytest.approx(count)
        assert weights @ apiclus1["api99"].to_numpy() == pytest.approx(3914069)

    def test_calibration_steps_are_recorded(self, dclus1):
        design = dclus1.poststratify("stype", STYPE_POPULATION).rake(
            {"sch.wide": SCHWIDE_POPULATION}
        )
        assert design.is_calibrated and not dclus1.is_calibrated
        assert design.calibration == ("poststratify on stype", "rake on sch.wide")
