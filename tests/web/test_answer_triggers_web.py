"""The web gives the recommendations the organisation's answers: a sheet triggered by an answer
appears in the provisional results (answers sent) and in a computed wave's report (every answer
given), with the answer in its "why" line; the sector's own library (scores only) reads none.

Gamma answers the tiny questionnaire at its worst (tests/web/test_provisional_results.py):
a_single "x", worth 0. The sheet `choix-x` (impact 2, effort M: cost 2, for timides) is
triggered by a_single "x": gap (100 - 0) / 100 = 1, priority 2 x 1 / 2 = 1 (Gamma, all at its
worst, is no timide: no family factor)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from barometre.formatting import NNBSP
from barometre.questionnaire import parse_questionnaire
from barometre.recommend import load_library
from barometre.web.organisations import report as web_report
from barometre.web.organisations.models import Organisation
from barometre.web.organisations.report import dashboard_results
from tests.recommend.test_answer_triggers import sheet
from tests.web.test_provisional_results import TINY_MINIMUM_2, WORST, _answer, _computed, _wave


@pytest.fixture
def answer_library(tmp_path: Path, monkeypatch):
    text = sheet("choix-x", "  - {item: a_single, chosen: [x]}", families="[timide]")
    (tmp_path / "choix-x.md").write_text(text, encoding="utf-8")
    library = load_library(tmp_path, parse_questionnaire(TINY_MINIMUM_2, "tiny.yaml"))
    monkeypatch.setattr(web_report, "_library", lambda questionnaire: library)
    return library


def _plan(wave):
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="GAMMA")
    )
    assert results.report is not None
    return results.report


def test_provisional_results_are_triggered_by_the_answers_sent(db, answer_library):
    wave = _wave()
    _answer(wave, "GAMMA", "direction", WORST)
    # the report speaks the active language: French here, whatever an earlier test activated
    with translation.override("fr"):
        report = _plan(wave)
    assert [(r.sheet.id, r.priority) for r in report.plan.triggered] == [("choix-x", 1.0)]
    assert report.why["choix-x"] == f"Choix{NNBSP}: réponse «{NNBSP}x{NNBSP}»."


def test_a_computed_wave_s_report_is_triggered_by_every_answer_given(db, answer_library):
    wave = _wave()
    # never sent: the computation counts it, and so do the recommendations
    _answer(wave, "GAMMA", "direction", WORST, sent=False)
    report = _plan(_computed(wave))
    assert [(r.sheet.id, r.priority) for r in report.plan.triggered] == [("choix-x", 1.0)]


def test_the_sector_library_reads_no_answers(db, monkeypatch):
    wave = _wave()
    _answer(wave, "GAMMA", "direction", WORST)
    read = []
    monkeypatch.setattr(web_report, "answers_of_responses", lambda *a, **k: read.append(a) or {})
    _plan(wave)
    assert read == []
