"""The review's findings on the two-wave change (issue 13): exact small cases computed by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from barometre.stats.design import SurveyDesign
from barometre.stats.waves import compare_waves


def _domain_waves():
    # N = 10; wave 1: a b c d, wave 2: b c d e; domain D = {a, b, c}.
    d1 = pd.DataFrame({"id": list("abcd"), "y": [1.0, 2, 3, 4], "fpc": 10.0})
    d2 = pd.DataFrame({"id": list("bcde"), "y": [2.0, 4, 6, 8], "fpc": 10.0})
    d1["in_d"], d2["in_d"] = d1.id.isin(list("abc")), d2.id.isin(list("abc"))
    a, b = SurveyDesign(d1, fpc="fpc"), SurveyDesign(d2, fpc="fpc")
    return a.subset("in_d"), b.subset("in_d")


def test_domain_covariance_uses_whole_samples():
    # w = 10 / 4 = 2.5. Wave 1 domain a b c: mean 2, total weight 7.5, z = (y - 2) / 3:
    # a -1/3, b 0, c 1/3, d 0. Wave 2 domain b c: mean 3, total 5, z = (y - 3) / 2: b -1/2,
    # c 1/2, d 0, e 0. Shared units b c d (m = 3), n1 = n2 = 4: correction 1 - 16 / 30 = 7/15.
    # z1 on b c d: 0, 1/3, 0 (mean 1/9); z2: -1/2, 1/2, 0 (mean 0): sum of products
    # (-1/9)(-1/2) + (2/9)(1/2) = 1/6. C = 7/15 * 3/2 * 1/6 = 7/60.
    # V1 = 0.6 * 4/3 * 2/9 = 8/45, V2 = 0.6 * 4/3 * 1/2 = 2/5: V = 8/45 + 2/5 - 14/60.
    first, second = _domain_waves()
    change = compare_waves(first, second, "y", "id").population
    assert change.covariance == pytest.approx(7 / 60, rel=1e-12)
    assert change.shared == 2
    assert change.se == pytest.approx(math.sqrt(8 / 45 + 2 / 5 - 14 / 60), rel=1e-12)


def test_replicate_designs_change_is_linearised_when_asked():
    # The same waves with jackknife weights and variance="linearisation": V1, V2 and C of the
    # change are all linearised (the replicate estimator is in test_change_replicates.py).
    first, second = _domain_waves()
    change = compare_waves(
        first.jackknife(), second.jackknife(), "y", "id", variance="linearisation"
    ).population
    assert change.se == pytest.approx(math.sqrt(8 / 45 + 2 / 5 - 14 / 60), rel=1e-12)


def test_census_stratum_in_one_wave_only():
    # Wave 1: a b a census stratum (N 2), c d e sampled from 8; wave 2: a c d e from N = 10.
    # Wave 1 weights 1, 1, 8/3 x 3, total 10, mean (1 + 3 + 8/3 * 12) / 10 = 3.6;
    # z1 = w (y - 3.6) / 10: c -32/75, d 8/75, e 48/75 (mean 8/75: deviations -8/15, 0, 8/15).
    # Wave 2: w 2.5, mean 5, z2 = (y - 5) / 4: c -1/2, d 0, e 5/4 (mean 1/4: -3/4, -1/4, 1).
    # a (census in wave 1) is left out; c d e: N = min(8, 10) = 8, f1 = 3/8, f2 = 4/10,
    # correction 1 - 3/8 * 2/5 * 8 / 3 = 0.6; C = 0.6 * 3/2 * (6/15 + 8/15) = 0.84.
    d1 = pd.DataFrame(
        {
            "id": list("abcde"),
            "y": [1.0, 3, 2, 4, 6],
            "stratum": ["census", "census", "sample", "sample", "sample"],
            "fpc": [2.0, 2, 8, 8, 8],
        }
    )
    d2 = pd.DataFrame({"id": list("acde"), "y": [2.0, 3, 5, 10], "stratum": "sample", "fpc": 10.0})
    first = SurveyDesign(d1, strata="stratum", fpc="fpc")
    second = SurveyDesign(d2, strata="stratum", fpc="fpc")
    change = compare_waves(first, second, "y", "id").population
    assert change.covariance == pytest.approx(0.84, rel=1e-12)
    assert np.isfinite(change.se)
