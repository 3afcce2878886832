"""When two waves compare (methodology §7): one rule for the core, `barometre compare` and
`barometre estimate`."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.comparability import (
    WaveMethod,
    check_comparable,
    comparability_problem,
    scoring_signature,
)
from barometre.contracts.scores import ScoresFile
from barometre.errors import ComparabilityError
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave
from tests.helpers import TINY, tiny_questionnaire

HLM = load_questionnaire("hlm-2026")
runner = CliRunner()

TINY_1 = tiny_questionnaire()
#: Version 2 changes only a label people read.
LABEL_CHANGED = tiny_questionnaire(
    TINY.replace('version: "1"', 'version: "2"').replace(
        "label: {fr: Sponsor}", "label: {fr: Parrain}"
    )
)
#: Version 2 weighs a_single 3 instead of 2: the same answers score differently.
WEIGHT_CHANGED = tiny_questionnaire(
    TINY.replace('version: "1"', 'version: "2"').replace(
        "    axis: tech\n    weight: 2\n", "    axis: tech\n    weight: 3\n"
    )
)


def method(questionnaire) -> WaveMethod:
    return WaveMethod.of_questionnaire(questionnaire)


def test_the_variants_are_what_they_say():
    assert LABEL_CHANGED.version == WEIGHT_CHANGED.version == "2"
    assert LABEL_CHANGED.item("b_sponsor").label.fr == "Parrain"
    assert WEIGHT_CHANGED.item("a_single").weight == 3
    assert scoring_signature(TINY_1) == scoring_signature(LABEL_CHANGED)
    assert scoring_signature(TINY_1) != scoring_signature(WEIGHT_CHANGED)


def test_the_same_versions_compare():
    assert comparability_problem(method(TINY_1), method(TINY_1)) is None
    assert comparability_problem(WaveMethod.of_file(_scores()), method(HLM)) is None


def test_another_methodology_version_does_not_compare():
    before = WaveMethod("tiny", "1", "9.9")
    reason = comparability_problem(before, method(TINY_1))
    assert reason is not None
    assert "9.9" in reason and TINY_1.methodology.version in reason


def test_another_questionnaire_does_not_compare():
    reason = comparability_problem(method(HLM), method(TINY_1))
    assert reason is not None and "hlm-2026" in reason and "tiny" in reason


def test_a_version_that_changes_only_a_label_compares_when_both_questionnaires_are_given():
    before, after = method(TINY_1), method(LABEL_CHANGED)
    assert comparability_problem(before, after, (TINY_1, LABEL_CHANGED)) is None
    reason = comparability_problem(before, after)  # without them the versions must be equal
    assert reason is not None and "1" in reason and "2" in reason


def test_a_changed_item_weight_does_not_compare():
    before, after = method(TINY_1), method(WEIGHT_CHANGED)
    assert comparability_problem(before, after, (TINY_1, WEIGHT_CHANGED)) is not None
    with pytest.raises(ComparabilityError) as caught:
        check_comparable(before, after, "waves", (TINY_1, WEIGHT_CHANGED))
    [found] = caught.value.problems
    assert found.code == "not_comparable"
    assert str(before) in found.message and str(after) in found.message


# --- the statistics layer refuses waves that do not compare ---------------------------------------


@functools.cache
def _sector():
    return simulate_sector(HLM, organisations=80, seed=41)


@functools.cache
def _scores() -> ScoresFile:
    return score_responses(HLM, _sector().responses).to_file()


def _with_methodology_version(scores: ScoresFile, version: str) -> ScoresFile:
    return scores.model_copy(
        update={"methodology": scores.methodology.model_copy(update={"version": version})}
    )


def test_compare_wave_scores_refuses_another_methodology_version():
    scores, frame = _scores(), _sector().frame
    other = _with_methodology_version(scores, "9.9")
    with pytest.raises(ComparabilityError) as caught:
        compare_wave_scores(other, frame, scores, frame, HLM)
    message = str(caught.value)
    assert "methodology 9.9" in message and f"methodology {HLM.methodology.version}" in message


def test_estimate_wave_refuses_scores_of_another_methodology_version():
    scores, frame = _scores(), _sector().frame
    with pytest.raises(ComparabilityError) as caught:
        estimate_wave(_with_methodology_version(scores, "9.9"), frame, HLM)
    message = str(caught.value)
    assert "methodology 9.9" in message and f"methodology {HLM.methodology.version}" in message


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A frame and its scores file, and the same scores file edited to methodology 9.9 and to
    another questionnaire version."""
    root = tmp_path_factory.mktemp("comparability")
    frame = root / "frame.csv"
    frame.write_text(csv_text(_sector().frame[FRAME_COLUMNS]), encoding="utf-8")
    scores = root / "scores.json"
    scores.write_text(_scores().dumps(), encoding="utf-8")
    data = json.loads(scores.read_text(encoding="utf-8"))
    data["methodology"]["version"] = "9.9"
    methodology = root / "scores-methodology-9.9.json"
    methodology.write_text(json.dumps(data), encoding="utf-8")
    data = json.loads(scores.read_text(encoding="utf-8"))
    data["questionnaire"]["version"] = "2099.1"
    version = root / "scores-questionnaire-2099.json"
    version.write_text(json.dumps(data), encoding="utf-8")
    return {"frame": frame, "scores": scores, "methodology": methodology, "version": version}


def _compare(before: Path, after: Path, frame: Path):
    return runner.invoke(
        app,
        [
            "compare",
            "--before",
            str(before),
            "--before-frame",
            str(frame),
            "--after",
            str(after),
            "--after-frame",
            str(frame),
        ],
    )


def test_barometre_compare_refuses_another_methodology_version(files):
    result = _compare(files["methodology"], files["scores"], files["frame"])
    assert result.exit_code == 2, result.output
    assert "methodology 9.9" in result.output
    assert f"methodology {HLM.methodology.version}" in result.output
    assert "Internal error" not in result.output


def test_barometre_compare_accepts_the_same_versions(files):
    result = _compare(files["scores"], files["scores"], files["frame"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("edited", "before", "after"),
    [
        ("methodology", "methodology 9.9", f"methodology {HLM.methodology.version}"),
        ("version", "hlm-2026 2099.1", f"hlm-2026 {HLM.version}"),
    ],
)
def test_barometre_estimate_refuses_scores_made_with_another_version(files, edited, before, after):
    result = runner.invoke(
        app, ["estimate", "--scores", str(files[edited]), "--frame", str(files["frame"])]
    )
    assert result.exit_code == 2, result.output
    assert before in result.output and after in result.output
    assert "Internal error" not in result.output
