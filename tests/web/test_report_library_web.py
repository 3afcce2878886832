"""The web picks the sheets of a wave's reports by the command line's rule
(`recommend.library_for`): the example library shipped for the questionnaire
(example-digital-services), the built-in one where it fits (hlm-2026), else none, and the
report says so."""

from __future__ import annotations

import pytest

from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.loader import builtin_path
from barometre.recommend.library import builtin_library_path
from barometre.reports.render import organisation_html
from barometre.web.organisations import report as web_report
from barometre.web.organisations.models import Organisation
from barometre.web.organisations.report import dashboard_results
from tests.questionnaire.test_example_questionnaires import SERVICES
from tests.web.test_provisional_results import _answer, _wave

pytestmark = pytest.mark.django_db


def test_each_built_in_questionnaire_gets_its_library():
    hlm = web_report._library(load_questionnaire("hlm-2026"))
    assert len(hlm.sheets) == len(list(builtin_library_path().glob("*.md")))
    services = web_report._library(load_questionnaire("example-digital-services"))
    assert sorted(s.id for s in services.sheets) == [
        "feuille-de-route",
        "mediation-numerique",
        "suivi-des-demandes",
    ]
    assert web_report._library(load_questionnaire("example-data-pathway")).sheets == []


def _results(name: str, rows):
    wave = _wave(builtin_path(name).read_text(encoding="utf-8"))
    for role in sorted({r[2] for r in rows}):
        _answer(wave, "GAMMA", role, {r[3]: r[4] for r in rows if r[2] == role})
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="GAMMA")
    )
    assert results.report is not None
    return results.report


def test_the_example_sheets_in_the_provisional_results():
    # R's answers (a front-desk agent alone): mediation-numerique 3 × 1 / 1 = 3 and
    # suivi-des-demandes 2 × 0.9 / 2 = 0.9, worked out by hand in
    # tests/questionnaire/test_example_questionnaires.py
    report = _results("example-digital-services", [r for r in SERVICES if r[0] == "R"])
    priorities = {r.sheet.id: r.priority for r in report.plan.triggered}
    assert priorities == pytest.approx({"mediation-numerique": 3.0, "suivi-des-demandes": 0.9})
    assert not report.no_library


def test_a_questionnaire_without_a_library_says_so():
    rows = [("G", "G-D", "data", "col_backup", "yes")]
    report = _results("example-data-pathway", rows)
    assert report.no_library and not report.plan.triggered
    html = " ".join(organisation_html(report).replace("\u202f", " ").split())
    assert "Pas de recommandations : aucune bibliothèque de fiches" in html
