"""The variance method is a methodology parameter (`methodology.variance`), read from the
questionnaire by `estimate_wave`, `barometre estimate` and the web's computation, overridden
by `--variance`; it travels through the YAML writer, XLSForm and SurveyJS, moves no score and
is a cosmetic change in the questionnaire diff (docs/statistics.md, "Variance method")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.comparability import scoring_signature
from barometre.errors import QuestionnaireError
from barometre.files import csv_text
from barometre.interop.surveyjs import read_surveyjs, write_surveyjs
from barometre.interop.versions import diff_questionnaires
from barometre.interop.xlsform import read_xlsform, write_xlsform
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire, parse_questionnaire
from barometre.questionnaire.models import Methodology, Questionnaire, Variance
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave
from tests.helpers import TINY

HLM = load_questionnaire("hlm-2026")
runner = CliRunner()


def with_variance(q: Questionnaire, variance: Variance) -> Questionnaire:
    return q.model_copy(
        update={"methodology": q.methodology.model_copy(update={"variance": variance})}
    )


BOOTSTRAP = Variance(method="bootstrap", replicates=10, seed=4)


def test_the_default_is_the_recalibrated_jackknife():
    assert Methodology().variance == Variance(method="jackknife", replicates=500, seed=0)
    # hlm-2026 writes the default out
    assert HLM.methodology.variance == Variance()


def test_the_yaml_key_is_read():
    text = TINY.replace(
        "title: {fr: Questionnaire de test}",
        "title: {fr: Questionnaire de test}\n"
        "methodology:\n  variance: {method: bootstrap, replicates: 200, seed: 7}",
    )
    q = parse_questionnaire(text)
    assert q.methodology.variance == Variance(method="bootstrap", replicates=200, seed=7)


@pytest.mark.parametrize(
    ("variance", "field"),
    [
        ("{method: bayes}", "methodology.variance.method"),
        ("{method: bootstrap, replicates: 1}", "methodology.variance.replicates"),
        ("{seed: -1}", "methodology.variance.seed"),
        ("{method: jackknife, draws: 3}", "methodology.variance.draws"),
    ],
)
def test_a_bad_variance_names_its_field(variance: str, field: str):
    text = TINY.replace(
        "title: {fr: Questionnaire de test}",
        f"title: {{fr: Questionnaire de test}}\nmethodology:\n  variance: {variance}",
    )
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(text, "tiny.yaml")
    assert field in str(raised.value)
    assert "tiny.yaml" in str(raised.value)


@pytest.mark.parametrize("variance", [BOOTSTRAP, Variance(method="linearisation")])
def test_it_travels_through_yaml_xlsform_and_surveyjs(tmp_path: Path, variance: Variance):
    q = with_variance(HLM, variance)
    assert parse_questionnaire(questionnaire_yaml(q)).methodology.variance == variance
    assert read_xlsform(write_xlsform(q, tmp_path / "q.xlsx")).methodology.variance == variance
    assert read_surveyjs(write_surveyjs(q, tmp_path / "q.json")).methodology.variance == variance


def test_the_default_is_not_written_back():
    assert "variance" not in questionnaire_yaml(parse_questionnaire(TINY))


def test_it_moves_no_score_and_is_a_cosmetic_change():
    q = with_variance(HLM, BOOTSTRAP)
    assert scoring_signature(q) == scoring_signature(HLM)
    diff = diff_questionnaires(HLM, q)
    paths = {c.path: c.effect for c in diff.changes}
    assert paths == {
        "methodology.variance.method": "cosmetic",
        "methodology.variance.replicates": "cosmetic",
        "methodology.variance.seed": "cosmetic",
    }
    assert diff.comparability.comparable and diff.comparability.estimates


@pytest.fixture(scope="module")
def wave():
    sector = simulate_sector(HLM, organisations=200, seed=5)
    return score_responses(HLM, sector.responses).to_file(), sector.frame


def test_estimate_wave_reads_the_questionnaire_s_variance(wave):
    scores, frame = wave
    estimates = estimate_wave(scores, frame, with_variance(HLM, BOOTSTRAP))
    assert estimates.method.variance == "bootstrap (Rao-Wu rescaling, 10 replicates, seed 4)"
    linear = estimate_wave(scores, frame, with_variance(HLM, Variance(method="linearisation")))
    assert linear.method.variance == "linearisation"
    # an explicit argument overrides the questionnaire's
    overridden = estimate_wave(
        scores, frame, with_variance(HLM, BOOTSTRAP), variance="linearisation"
    )
    assert overridden.domains == linear.domains
    assert overridden.method == linear.method


def test_the_command_reads_it_and_variance_overrides_it(wave, tmp_path: Path):
    scores, frame = wave
    (tmp_path / "scores.json").write_text(scores.dumps(), encoding="utf-8")
    (tmp_path / "frame.csv").write_text(csv_text(frame[FRAME_COLUMNS]), encoding="utf-8")
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(questionnaire_yaml(with_variance(HLM, BOOTSTRAP)), encoding="utf-8")
    base = ["estimate", "--scores", str(tmp_path / "scores.json")]
    base += ["--frame", str(tmp_path / "frame.csv"), "-q", str(questionnaire)]
    methods = []
    for extra in ([], ["--variance", "linearisation"], ["--replicates", "12", "--seed", "1"]):
        out = tmp_path / f"estimates-{len(methods)}.json"
        result = runner.invoke(app, [*base, *extra, "-o", str(out)])
        assert result.exit_code == 0, result.output
        methods.append(json.loads(out.read_text(encoding="utf-8"))["method"]["variance"])
    assert methods == [
        "bootstrap (Rao-Wu rescaling, 10 replicates, seed 4)",
        "linearisation",
        "bootstrap (Rao-Wu rescaling, 12 replicates, seed 1)",
    ]


@given(
    method=st.sampled_from(["jackknife", "linearisation", "bootstrap"]),
    replicates=st.integers(min_value=2, max_value=10_000),
    seed=st.integers(min_value=0, max_value=2**31),
)
@settings(max_examples=50, deadline=None)
def test_any_variance_round_trips_through_the_yaml_writer(method, replicates, seed):
    q = with_variance(
        parse_questionnaire(TINY), Variance(method=method, replicates=replicates, seed=seed)
    )
    assert parse_questionnaire(questionnaire_yaml(q)) == q


@given(
    replicates=st.integers(max_value=1),
    seed=st.integers(max_value=-1),
    method=st.text(min_size=1, max_size=12).filter(
        lambda m: m not in ("jackknife", "linearisation", "bootstrap")
    ),
)
@settings(max_examples=50, deadline=None)
def test_any_bad_variance_is_refused(replicates, seed, method):
    for bad in ({"replicates": replicates}, {"seed": seed}, {"method": method}):
        with pytest.raises(ValueError, match="variance"):
            Methodology.model_validate({"variance": bad})
