"""The sector pipeline's default variance: the delete-one jackknife, the calibration redone in
every replicate (docs/statistics.md, "The sector estimate"; the coverage simulation
`benchmarks/bench_coverage.py` is why)."""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import pandas as pd
import pytest

from barometre.cli import estimate as cli_estimate
from barometre.errors import StatisticsError
from barometre.questionnaire.models import Methodology
from barometre.stats import SurveyDesign
from barometre.stats.design import SurveyDesign as Design
from barometre.stats.sector import estimate_sector
from barometre.stats.sector.wave import estimate_wave
from tests.stats import synthetic_sector as synth

DOCS = Path(__file__).parents[2] / "docs" / "statistics.md"
T2 = 4.302652729749462  # qt(0.975, 2)


def test_every_entry_point_defaults_to_the_methodology_s_jackknife():
    # the default lives in the methodology, once; every entry point defers to it (None)
    assert Methodology().variance.method == "jackknife"
    assert inspect.signature(estimate_sector).parameters["variance"].default is None
    assert inspect.signature(estimate_wave).parameters["variance"].default is None
    option = inspect.signature(cli_estimate.estimate).parameters["variance"].default
    assert option.default is None


def test_the_docs_say_so():
    text = DOCS.read_text(encoding="utf-8")
    assert "The default is `variance.method: jackknife`" in text
    assert "bench_coverage.py" in text


@pytest.fixture(scope="module")
def balanced():
    cells = {(t, s): 20 for t in synth.ORGANISATION_TYPES for s in synth.SIZES}
    frame = synth.frame(cells, {"84": 0.5, "11": 0.5})
    respondents = (
        frame.groupby(["organisation_type", "size_class"]).head(8)["organisation_id"].tolist()
    )
    return frame, synth.scores(frame, respondents)


def test_the_sector_estimate_uses_it(balanced):
    frame, scores = balanced
    default = estimate_sector(scores, frame)
    explicit = estimate_sector(scores, frame, variance="jackknife")
    assert default.variance_method == "jackknife JK1 (96 replicates)"
    figure, same = (r.domain("sector").figure("global") for r in (default, explicit))
    assert (figure.se, figure.ci_low, figure.df) == (same.se, same.ci_low, same.df)
    linear = estimate_sector(scores, frame, variance="linearisation")
    assert linear.domain("sector").figure("global").se != figure.se


def test_replicates_that_cannot_be_calibrated_fall_back_to_linearisation(balanced, monkeypatch):
    frame, scores = balanced

    def fails(self, mse=False):
        raise StatisticsError("Raking did not converge (made to fail here).")

    monkeypatch.setattr(Design, "jackknife", fails)
    result = estimate_sector(scores, frame)
    assert result.variance_method == "linearisation"
    assert result.weighting.notes[-1].startswith("jackknife not possible (Raking did not")


class TestReplicatesAreRecalibrated:
    """4 organisations, weights 5; post-stratified to 10 and 10 on cells a (y = 1, 3) and
    b (y = 5, 9): the full-sample mean is (10 * 2 + 10 * 7) / 20 = 4.5."""

    @pytest.fixture
    def design(self) -> SurveyDesign:
        data = pd.DataFrame({"y": [1.0, 3.0, 5.0, 9.0], "cell": ["a", "a", "b", "b"], "w": 5.0})
        return SurveyDesign(data, weights="w").poststratify("cell", {"a": 10, "b": 10})

    def test_by_hand(self, design):
        estimate = design.jackknife().mean("y")
        # Replicate 1 drops y = 1: the others get 5 * 4/3; calibrated again, cell a's one row
        # gets 10 and cell b's rows 5 each: (10 * 3 + 5 * 5 + 5 * 9) / 20 = 5.0. Likewise
        # replicate 2: (10 * 1 + 70) / 20 = 4.0; replicate 3: (5 + 15 + 10 * 9) / 20 = 5.5;
        # replicate 4: (20 + 10 * 5) / 20 = 3.5. Their mean is 4.5, and JK1 (no fpc) gives
        # V = (n - 1) / n * sum (theta_r - 4.5)^2 = 3/4 * (0.25 + 0.25 + 1 + 1) = 1.875.
        assert estimate.value == pytest.approx(4.5)
        assert estimate.se == pytest.approx(math.sqrt(1.875))
        # The calibrated replicates (0,10,5,5), (10,0,5,5), (5,5,0,10), (5,5,10,0) have rank 3
        # (the first two and the last two add up to the same vector): R's df = 3 - 1 = 2.
        assert estimate.df == 2
        assert estimate.ci_high == pytest.approx(4.5 + T2 * math.sqrt(1.875))

    def test_without_recalibration_it_would_differ(self, design):
        # The calibrated weights (all 5) times the JK1 factors alone, not calibrated again:
        # replicate 1 gives (3 + 5 + 9) / 3 = 5.667, 2: 5.0, 3: 4.333, 4: 3.0; mean 4.5,
        # V = 3/4 * (1.3611 + 0.25 + 0.0278 + 2.25) = 2.9167, which is not what the design does.
        plain = SurveyDesign(design.data.assign(w=design.weights), weights="w").jackknife()
        assert plain.mean("y").se == pytest.approx(math.sqrt(3 / 4 * (35 / 9)), rel=1e-9)
        assert design.jackknife().mean("y").se != pytest.approx(plain.mean("y").se)
