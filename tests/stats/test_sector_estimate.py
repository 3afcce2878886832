"""The sector estimate on hand-built frames: post-stratification when every organisation type x
size class cell has 5 respondents, raking (with collapsed regions) otherwise, suppression below
5."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.errors import FrameError, InputError
from barometre.stats.sector import estimate_sector
from tests.stats import synthetic_sector as synth

REGIONS = {"84": 0.3, "11": 0.3, "76": 0.25, "53": 0.1, "94": 0.05}


def records_json(result) -> dict:
    """The parts of the estimates file made from a sector estimate, as JSON."""
    return {
        "frame": result.frame_record().model_dump(mode="json"),
        "method": result.method_record().model_dump(mode="json"),
        "indicators": result.indicators_record().model_dump(mode="json"),
        "weighting": result.weighting_record().model_dump(mode="json"),
        "domains": result.domains_record().model_dump(mode="json"),
    }


def every_cell(count: int) -> dict[tuple[str, str], int]:
    return {(t, s): count for t in synth.ORGANISATION_TYPES for s in synth.SIZES}


@pytest.fixture(scope="module")
def balanced():
    """12 cells of 20 organisations, 8 respondents in each (sampling fraction 40 %)."""
    frame = synth.frame(every_cell(20), REGIONS)
    respondents = (
        frame.groupby(["organisation_type", "size_class"]).head(8)["organisation_id"].tolist()
    )
    return frame, synth.scores(frame, respondents)


@pytest.fixture(scope="module")
def sparse():
    """SEM <1500 has 20 organisations but only 2 respondents; region 94 has 2 respondents."""
    frame = synth.frame(every_cell(20), REGIONS)
    heads = frame.groupby(["organisation_type", "size_class"]).head(8)
    drop = heads[(heads["organisation_type"] == "SEM") & (heads["size_class"] == "<1500")].index[2:]
    heads = heads.drop(drop)
    heads = heads.drop(heads[heads["region"] == "94"].index[2:])
    respondents = heads["organisation_id"].tolist()
    return frame, synth.scores(frame, respondents, seed=2)


class TestPostStratification:
    def test_is_chosen_when_every_cell_is_large_enough(self, balanced):
        frame, scores = balanced
        result = estimate_sector(scores, frame)
        assert result.weighting.method == "poststratification"
        assert len(result.weighting.cells) == 12
        assert all(
            c.population == 20 and c.responding_organisations == 8 for c in result.weighting.cells
        )
        assert result.frame_size == 240 and result.responding_organisations == 96
        assert result.sampling_fraction == pytest.approx(0.4)

    def test_sector_mean_and_se_by_hand(self, balanced):
        frame, scores = balanced
        result = estimate_sector(scores, frame, variance="linearisation")
        data = scores.merge(frame, on="organisation_id")
        cell = data.groupby(["organisation_type", "size_class"])["global"]
        # post-stratified mean: sum over cells of N_c / N * cell mean
        expected = (cell.mean() * 20 / 240).sum()
        # linearisation with calibration residuals: z_i = (N_c / n_c)(y_i - cell mean) / N,
        # V = (1 - n / N) * n / (n - 1) * sum z_i^2 (the z_i sum to 0)
        z = (20 / 8) * (data["global"] - cell.transform("mean")) / 240
        variance = (1 - 96 / 240) * 96 / 95 * (z**2).sum()
        figure = result.domain("sector").figure("global")
        assert figure.value == pytest.approx(expected)
        assert figure.se == pytest.approx(np.sqrt(variance))
        assert figure.unweighted_value == pytest.approx(data["global"].mean())
        # Student's t with the domain's df, 96 organisations - 1 = 95: qt(0.975, 95) = 1.985251
        assert figure.n == 96 and figure.ci_method == "wald (student)" and figure.df == 95
        assert figure.ci_high - figure.value == pytest.approx(1.985251 * figure.se, rel=1e-6)
        assert figure.effective_n == pytest.approx(96 / figure.deff)

    def test_every_indicator_in_every_domain(self, balanced):
        frame, scores = balanced
        result = estimate_sector(scores, frame)
        variables = [(d.variable, d.level) for d in result.domains]
        assert variables[:8] == [
            ("sector", "all"),
            ("organisation_type", "OPH"),
            ("organisation_type", "ESH"),
            ("organisation_type", "COOP"),
            ("organisation_type", "SEM"),
            ("size_class", "<1500"),
            ("size_class", "1500-12000"),
            ("size_class", ">12000"),
        ]
        assert [v for v, _ in variables[8:]] == ["region"] * 5
        indicators = [f.indicator for f in result.domain("sector").figures]
        assert indicators == [
            "global",
            "dimension:strategy",
            "dimension:data",
            "dimension:services",
            "tech",
            "transfo",
            "level:tres_faible",
            "level:faible",
            "level:intermediaire",
            "level:avancee",
            "typology:pionnier",
            "typology:timide",
            "typology:conservateur",
            "typology:prudent",
        ]

    def test_shares_add_up_and_stay_in_the_unit_interval(self, balanced):
        frame, scores = balanced
        sector = estimate_sector(scores, frame).domain("sector")
        levels = [f for f in sector.figures if f.indicator.startswith("level:")]
        assert sum(f.value for f in levels) == pytest.approx(1.0)
        for figure in levels:
            assert 0 <= figure.ci_low <= figure.value <= figure.ci_high <= 1

    def test_domain_estimates_keep_the_whole_design(self, balanced):
        frame, scores = balanced
        oph_domain = estimate_sector(scores, frame).domain("organisation_type", "OPH")
        data = scores.merge(frame, on="organisation_id")
        oph = data[data["organisation_type"] == "OPH"].groupby("size_class")["global"].mean()
        assert oph_domain.figure("global").value == pytest.approx(oph.mean())  # 3 equal cells
        assert oph_domain.population == 60 and oph_domain.organisations == 24


class TestRaking:
    def test_is_chosen_when_a_cell_is_small(self, sparse):
        frame, scores = sparse
        result = estimate_sector(scores, frame)
        report = result.weighting
        assert report.method == "raking"
        assert "SEM <1500 (2)" in report.reason
        assert [m.variable for m in report.margins] == ["organisation_type", "size_class", "region"]

    def test_small_regions_are_collapsed_and_reported(self, sparse):
        frame, scores = sparse
        report = estimate_sector(scores, frame).weighting
        region = report.margins[2]
        assert region.collapsed
        for group in region.groups:
            assert group.responding_organisations >= 5
            assert group.population == int(frame["region"].isin(group.members).sum())
        assert any("pools" in note for note in report.notes)

    def test_weights_reproduce_the_frame_margins(self, sparse):
        frame, scores = sparse
        result = estimate_sector(scores, frame, variance="jackknife")
        data = scores.merge(frame, on="organisation_id")
        from barometre.stats.sector.weighting import weight_to_frame

        design, _ = weight_to_frame(data, frame, 5)
        for variable in ("organisation_type", "size_class"):
            achieved = pd.Series(design.weights).groupby(data[variable].to_numpy()).sum()
            np.testing.assert_allclose(achieved, frame[variable].value_counts()[achieved.index])
        assert result.variance_method == f"jackknife JK1 ({len(scores)} replicates)"


class TestSuppression:
    def test_small_domains_carry_no_number(self):
        frame = synth.frame(every_cell(10), REGIONS)
        heads = frame.groupby(["organisation_type", "size_class"]).head(6)
        scores = synth.scores(frame, heads["organisation_id"].tolist())
        small_region = frame[frame["region"] == "94"]["organisation_id"]
        scores = scores[~scores["organisation_id"].isin(small_region.iloc[3:])]
        scores.loc[scores.index[:70], "data"] = np.nan  # "data" scored for few organisations
        result = estimate_sector(scores, frame)
        region = result.domain("region", "94")
        assert region.suppressed and region.population is None and region.organisations is None
        assert "fewer than 5" in region.reason
        for figure in region.figures:
            assert figure.suppressed and figure.value is None and figure.se is None
            assert figure.ci_low is None and figure.n is None and figure.deff is None
        oph_domain = result.domain("organisation_type", "OPH")
        data_figure = oph_domain.figure("dimension:data")
        merged = scores.merge(frame, on="organisation_id")
        expected_n = merged[merged["organisation_type"] == "OPH"]["data"]
        assert data_figure.suppressed == (expected_n.notna().sum() < 5)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_no_figure_rests_on_fewer_than_five(self, data):
        counts = {cell: data.draw(st.integers(1, 8)) for cell in every_cell(0)}
        frame = synth.frame(counts, REGIONS)
        respond = data.draw(st.lists(st.booleans(), min_size=len(frame), max_size=len(frame)))
        chosen = frame["organisation_id"][np.array(respond)].tolist()
        if len(chosen) < 2:
            chosen = frame["organisation_id"].head(2).tolist()
        scores = synth.scores(frame, chosen, seed=data.draw(st.integers(0, 100)))
        missing = data.draw(st.lists(st.booleans(), min_size=len(scores), max_size=len(scores)))
        scores.loc[np.array(missing), "services"] = np.nan
        result = estimate_sector(scores, frame)
        merged = scores.merge(frame, on="organisation_id")
        for domain in result.domains:
            rows = (
                merged
                if domain.variable == "sector"
                else merged[merged[domain.variable] == domain.level]
            )
            for figure in domain.figures:
                column = {"level": "level", "typology": "family"}.get(
                    figure.indicator.split(":")[0], figure.indicator.split(":")[-1]
                )
                n = int(rows[column].notna().sum())
                if len(rows) < 5 or n < 5 or figure.suppression == "complementary":
                    assert figure.suppressed
                    assert figure.suppression == (
                        "primary" if len(rows) < 5 or n < 5 else "complementary"
                    )
                    numbers = [
                        figure.value,
                        figure.se,
                        figure.ci_low,
                        figure.ci_high,
                        figure.unweighted_value,
                        figure.deff,
                        figure.effective_n,
                    ]
                    assert all(x is None for x in numbers)
                    # A complementary cell keeps its count (at least the minimum).
                    assert figure.n == (n if figure.suppression == "complementary" else None)
                else:
                    assert not figure.suppressed and figure.n == n
        text = json.dumps(records_json(result), allow_nan=False)
        assert "NaN" not in text


class TestJson:
    def test_records_are_json_ready(self, sparse):
        frame, scores = sparse
        result = estimate_sector(scores, frame, variance="bootstrap", replicates=50, seed=3)
        payload = json.loads(json.dumps(records_json(result), allow_nan=False))
        assert payload["frame"] == {
            "organisations": 240,
            "responding_organisations": len(scores),
            "sampling_fraction": len(scores) / 240,
        }
        assert payload["weighting"]["method"] == "raking"
        assert payload["method"]["variance"].startswith("bootstrap (Rao-Wu rescaling, 50")
        sector = payload["domains"]["sector"][0]
        assert set(sector) == {
            "level",
            "suppressed",
            "suppression",
            "reason",
            "population",
            "organisations",
            "global",
            "axes",
            "dimensions",
            "shares",
        }
        assert set(sector["dimensions"]) == set(synth.DIMENSIONS)
        assert set(sector["shares"]["typology"]) == {
            "pionnier",
            "timide",
            "conservateur",
            "prudent",
        }
        assert set(sector["global"]) == {
            "suppressed",
            "suppression",
            "reason",
            "n",
            "value",
            "unweighted_value",
            "se",
            "ci_low",
            "ci_high",
            "ci_method",
            "df",
            "deff",
            "effective_n",
        }

    def test_seeded_bootstrap_is_reproducible(self, sparse):
        frame, scores = sparse
        first = estimate_sector(scores, frame, variance="bootstrap", replicates=40, seed=9)
        second = estimate_sector(scores, frame, variance="bootstrap", replicates=40, seed=9)
        assert records_json(first) == records_json(second)


class TestInputs:
    def test_frame_problems_are_listed_together(self, balanced):
        frame, scores = balanced
        broken = frame.copy()
        broken.loc[0, "organisation_type"] = "HLM"
        broken.loc[1, "size_class"] = ">12000"  # 800 dwellings
        with pytest.raises(FrameError) as error:
            estimate_sector(scores, broken)
        codes = [p.code for p in error.value.problems]
        assert codes == ["unknown_organisation_type", "size_class_mismatch"]

    def test_unknown_organisation_and_out_of_range_score(self, balanced):
        frame, scores = balanced
        broken = scores.copy()
        broken.loc[0, "organisation_id"] = "NOPE"
        broken.loc[1, "global"] = 120.0
        with pytest.raises(InputError) as error:
            estimate_sector(broken, frame)
        assert {p.code for p in error.value.problems} == {
            "unknown_organisation",
            "score_out_of_range",
        }

    def test_bad_variance_method(self, balanced):
        frame, scores = balanced
        with pytest.raises(ValueError, match=r"The 'variance' parameter of estimate_sector"):
            estimate_sector(scores, frame, variance="exact")
