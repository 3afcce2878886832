"""Contrasts of domain estimates with their covariance (R `svyby(covmat=TRUE)`, `svycontrast`)
and the covariance of two overlapping waves.

Checks: R's published totals of apiclus1 (tests/api.Rout.save: svytotal(~enroll, dclus1) =
3404940, SE 932235), whose domain totals by stype must add up with their covariance
(svycontrast(svyby(~enroll, ~stype, dclus1, svytotal, covmat=TRUE), c(1, 1, 1)) is the total of
enroll, the off-diagonal terms making up the variance); hand-computed small examples (arithmetic
in the comments); and the identities that hold whatever the data (hypothesis).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.stats import SurveyDesign, compare_waves
from tests.stats.survey_reference import published


class TestPublished:
    def test_domain_totals_add_up_to_the_published_total(self, dclus1):
        by_type = dclus1.total_by("enroll", "stype", covmat=True)
        total = dclus1.contrast(by_type, [1, 1, 1])
        # R (api.Rout.save): svytotal(~enroll, dclus1): 3404940, SE 932235
        assert published(total.value, "3404940")
        assert published(total.se, "932235")
        # the variances alone would not give it: the domains share PSUs (districts)
        independent = math.sqrt(sum(e.variance for e in by_type.values()))
        assert not published(independent, "932235")

    def test_diagonal_is_each_domains_published_variance(self, dclus1):
        # svyby(~ell + meals, ~stype, design=dclus1, svymean): E ell 29.69444 (1.411617)
        means = dclus1.mean_by("ell", "stype", covmat=True)
        matrix = np.array(means.vcov())
        assert published(means["E"].value, "29.69444")
        assert published(math.sqrt(matrix[0, 0]), "1.411617")
        for position, estimate in enumerate(means.values()):
            assert matrix[position, position] == pytest.approx(estimate.variance, rel=1e-12)
        assert np.allclose(matrix, matrix.T)

    def test_jackknife_covariance_of_totals_adds_up(self, dclus1):
        """With replicates, the replicate totals of the domains add up to the replicate totals
        of the whole sample: c'Vc = V(total) exactly (R svrVar on both)."""
        jackknife = dclus1.jackknife()
        by_type = jackknife.total_by("enroll", "stype", covmat=True)
        matrix = np.array(by_type.vcov())
        for position, estimate in enumerate(by_type.values()):
            assert matrix[position, position] == pytest.approx(estimate.variance, rel=1e-10)
        total = jackknife.contrast(by_type, {"E": 1, "H": 1, "M": 1})
        assert total.se == pytest.approx(jackknife.total("enroll").se, rel=1e-10)


class TestByHand:
    @pytest.fixture
    def four(self) -> SurveyDesign:
        # four units, equal weights 1, no strata, no fpc: each row its own PSU
        data = pd.DataFrame({"y": [1.0, 3.0, 2.0, 6.0], "g": ["A", "A", "B", "B"]})
        return SurveyDesign(data)

    def test_domain_means(self, four):
        # mean A = 2, z_A = (y - 2) / 2 on A = (-0.5, 0.5, 0, 0); mean B = 4,
        # z_B = (y - 4) / 2 on B = (0, 0, -1, 1). Both sum to 0 over the 4 PSUs, so
        # V = 4/3 sum z z': V_A = 4/3 * 0.5 = 2/3, V_B = 4/3 * 2 = 8/3, Cov = 0.
        means = four.mean_by("y", "g", covmat=True)
        assert np.allclose(means.vcov(), [[2 / 3, 0.0], [0.0, 8 / 3]])
        difference = four.difference(means, "A", "B")
        # B - A = 2, variance 2/3 + 8/3 = 10/3; df = 4 PSUs - 1 stratum = 3, t_3 = 3.182446
        assert difference.value == pytest.approx(2.0)
        assert difference.se == pytest.approx(math.sqrt(10 / 3))
        assert difference.df == 3
        assert difference.ci_low == pytest.approx(2.0 - 3.182446305284263 * math.sqrt(10 / 3))
        assert not difference.significant

    def test_domain_totals_covary(self, four):
        # z_A = (1, 3, 0, 0), mean 1; z_B = (0, 0, 2, 6), mean 2 (over the 4 PSUs).
        # V_A = 4/3 (0 + 4 + 1 + 1) = 8; V_B = 4/3 (4 + 4 + 0 + 16) = 32;
        # Cov = 4/3 (0*-2 + 2*-2 + -1*0 + -1*4) = -32/3.
        totals = four.total_by("y", "g", covmat=True)
        assert np.allclose(totals.vcov(), [[8.0, -32 / 3], [-32 / 3, 32.0]])
        # A + B: 8 + 32 - 64/3 = 56/3, the variance of the total of y: z = (1, 3, 2, 6),
        # mean 3, 4/3 (4 + 0 + 1 + 9) = 56/3.
        both = four.contrast(totals, {"A": 1.0, "B": 1.0})
        assert both.variance == pytest.approx(56 / 3)
        assert both.variance == pytest.approx(four.total("y").variance)

    def test_two_waves_sharing_two_organisations(self):
        """Wave 1: a, b, c, d (y = 1, 2, 3, 6); wave 2: c, d, e, f (y = 2, 5, 4, 5); each a
        simple random sample of 4 from a frame of N = 16 (weights 4, fpc 16).

        Wave 1: mean 3, z1 = 4 (y - 3) / 16 = (-0.5, -0.25, 0, 0.75);
            V1 = (1 - 4/16) * 4/3 * (0.25 + 0.0625 + 0 + 0.5625) = 0.75 * 4/3 * 0.875 = 0.875.
        Wave 2: mean 4, z2 = (y - 4) / 4 = (-0.5, 0.25, 0, 0.25);
            V2 = 0.75 * 4/3 * (0.25 + 0.0625 + 0 + 0.0625) = 0.375.
        Shared c, d (m = 2): z1 = (0, 0.75) centred (-0.375, 0.375); z2 = (-0.5, 0.25)
            centred (-0.375, 0.375); sum of products 0.28125.
            C = (1 - n1 n2 / (m N)) * m / (m - 1) * 0.28125 = (1 - 16/32) * 2 * 0.28125
              = 0.28125.
        V = 0.875 + 0.375 - 2 * 0.28125 = 0.6875; change = 1; df = 6 organisations - 1.
        """
        first = pd.DataFrame({"id": list("abcd"), "y": [1.0, 2.0, 3.0, 6.0], "w": 4.0, "N": 16.0})
        second = pd.DataFrame({"id": list("cdef"), "y": [2.0, 5.0, 4.0, 5.0], "w": 4.0, "N": 16.0})
        result = compare_waves(
            SurveyDesign(first, weights="w", fpc="N"),
            SurveyDesign(second, weights="w", fpc="N"),
            "y",
            id_column="id",
        )
        assert result.previous.variance == pytest.approx(0.875)
        assert result.current.variance == pytest.approx(0.375)
        change = result.population
        assert change.covariance == pytest.approx(0.28125)
        assert change.shared == 2
        assert change.value == pytest.approx(1.0)
        assert change.se == pytest.approx(math.sqrt(0.6875))
        assert change.df == 5
        # qt(0.975, 5) = 2.570582
        assert change.ci_high == pytest.approx(1.0 + 2.570582 * math.sqrt(0.6875), rel=1e-6)

    def test_waves_without_shared_organisations_add_their_variances(self):
        first = pd.DataFrame({"id": list("abc"), "y": [1.0, 2.0, 4.0]})
        second = pd.DataFrame({"id": list("def"), "y": [2.0, 5.0, 4.0]})
        result = compare_waves(SurveyDesign(first), SurveyDesign(second), "y", "id")
        assert result.population.covariance == 0.0
        assert result.population.se == pytest.approx(
            math.hypot(result.previous.se, result.current.se)
        )


class TestArguments:
    def test_contrast_needs_the_covariance(self, dclus1):
        means = dclus1.mean_by("api00", "stype")
        with pytest.raises(ValueError, match=r"covmat=True"):
            dclus1.contrast(means, [1, -1, 0])

    def test_coefficients_name_domains(self, dclus1):
        means = dclus1.mean_by("api00", "stype", covmat=True)
        with pytest.raises(ValueError, match=r"unknown domain 'X'"):
            dclus1.contrast(means, {"X": 1.0})
        with pytest.raises(ValueError, match=r"a sequence of 3 numbers"):
            dclus1.contrast(means, [1, -1])
        with pytest.raises(TypeError, match=r"'covmat' parameter"):
            dclus1.mean_by("api00", "stype", covmat="yes")


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-1e3, 1e3, allow_nan=False, width=32), min_size=6, max_size=30),
    seed=st.integers(0, 2**16),
)
def test_difference_of_a_domain_with_itself_is_zero_and_pairs_are_antisymmetric(values, seed):
    rng = np.random.default_rng(seed)
    n = len(values)
    data = pd.DataFrame(
        {
            "y": values,
            "g": rng.choice(["a", "b"], n),
            "w": rng.uniform(0.5, 3.0, n),
        }
    )
    data.loc[0, "g"], data.loc[1, "g"] = "a", "b"
    design = SurveyDesign(data, weights="w")
    means = design.mean_by("y", "g", covmat=True)
    matrix = np.array(means.vcov())
    assert np.all(np.linalg.eigvalsh(matrix) >= -1e-9 * max(1.0, np.abs(matrix).max()))
    same = design.contrast(means, {"a": 1.0, "b": 0.0})
    assert same.se == pytest.approx(means["a"].se, rel=1e-9, abs=1e-12)
    forward, backward = design.difference(means, "a", "b"), design.difference(means, "b", "a")
    assert forward.value == pytest.approx(-backward.value)
    assert forward.se == pytest.approx(backward.se, rel=1e-12, abs=1e-15)
