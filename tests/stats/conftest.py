"""Fixtures of the statistics tests: the reference data of tests/data/survey (see PROVENANCE.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from barometre.stats import SurveyDesign
from tests.stats.survey_reference import DATA


@pytest.fixture(scope="session")
def apistrat() -> pd.DataFrame:
    return pd.read_csv(DATA / "apistrat.csv")


@pytest.fixture(scope="session")
def apiclus1() -> pd.DataFrame:
    return pd.read_csv(DATA / "apiclus1.csv")


@pytest.fixture(scope="session")
def apipop() -> pd.DataFrame:
    return pd.read_csv(DATA / "apipop.csv")


@pytest.fixture(scope="session")
def dstrat(apistrat) -> SurveyDesign:
    """R: svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)."""
    return SurveyDesign(apistrat, weights="pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="session")
def dclus1(apiclus1) -> SurveyDesign:
    """R: svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)."""
    return SurveyDesign(apiclus1, weights="pw", ids="dnum", fpc="fpc")


@pytest.fixture(scope="session")
def fpc_data() -> pd.DataFrame:
    """R survey `data(fpc)`, printed in full in tests/testoutput/fpc.Rout.save."""
    return pd.DataFrame(
        {
            "stratid": [1, 1, 1, 1, 1, 2, 2, 2],
            "psuid": [1, 2, 3, 4, 5, 1, 2, 3],
            "weight": [3, 3, 3, 3, 3, 4, 4, 4],
            "nh": [5, 5, 5, 5, 5, 3, 3, 3],
            "Nh": [15, 15, 15, 15, 15, 12, 12, 12],
            "x": [2.8, 4.1, 6.8, 6.8, 9.2, 3.7, 6.6, 4.2],
        }
    )
