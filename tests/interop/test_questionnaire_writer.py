"""`questionnaire_yaml`: the YAML text of a questionnaire reads back to an equal model."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from barometre.questionnaire import load_questionnaire, parse_questionnaire
from barometre.questionnaire.models import Methodology, Questionnaire, RecommendationWeights
from barometre.questionnaire.writer import questionnaire_yaml
from tests.helpers import tiny_questionnaire
from tests.interop.questionnaire_strategy import questionnaires

HLM = load_questionnaire("hlm-2026")


def test_hlm_2026_reads_back_equal():
    text = questionnaire_yaml(HLM)
    assert parse_questionnaire(text, "hlm.yaml") == HLM


def test_written_to_a_file_and_loaded(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(questionnaire_yaml(tiny_questionnaire()), encoding="utf-8")
    assert load_questionnaire(path) == tiny_questionnaire()


def test_only_what_differs_from_the_defaults_is_written():
    text = questionnaire_yaml(tiny_questionnaire())
    # tiny's methodology is the default one, its items' weights mostly 1 and scored
    assert "methodology" not in text
    assert "scored: true" not in text
    assert "weight: 1\n" not in text
    assert "weight: 2" in text  # a_single
    assert "scored: false" in text  # ctx_family


def test_a_changed_methodology_is_written_and_read_back():
    methodology = Methodology(
        version="2",
        coverage_threshold=0.5,
        disclosure_minimum=11,
        recommendation=RecommendationWeights(
            horizons=["0-12", "12-24"], effort_horizon={"S": 0, "M": 1, "L": 1}
        ),
    )
    changed = HLM.model_copy(update={"methodology": methodology})
    text = questionnaire_yaml(changed)
    assert "disclosure_minimum: 11" in text
    assert "coverage_threshold: 0.5" in text
    assert "calibration_min_cell" not in text  # a default
    assert parse_questionnaire(text) == changed


def test_the_text_is_deterministic():
    assert questionnaire_yaml(HLM) == questionnaire_yaml(load_questionnaire("hlm-2026"))


def test_numbers_keep_their_exact_value():
    item = HLM.items[0]
    tricky = item.model_copy(update={"weight": 0.1 + 0.2})  # 0.30000000000000004
    changed = HLM.model_copy(update={"items": [tricky, *HLM.items[1:]]})
    assert parse_questionnaire(questionnaire_yaml(changed)).items[0].weight == 0.1 + 0.2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires())
def test_random_questionnaires_read_back_equal(questionnaire: Questionnaire):
    assert parse_questionnaire(questionnaire_yaml(questionnaire)) == questionnaire
