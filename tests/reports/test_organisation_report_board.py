"""The organisation report a director takes to the board: a cover, a one-page summary, "why"
lines that tell the answers (with their score after), definitions, and every word in the
report's language.

A small questionnaire, answered by hand; every expected figure is worked out in the comments.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pypdfium2
import pytest

from barometre.questionnaire.loader import parse_questionnaire
from barometre.recommend import load_library
from barometre.recommend.sheets import Library, Trigger
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html, write_pdf
from barometre.scoring import score_responses

NNBSP, NBSP = "\u202f", "\u00a0"

BOARD = """
id: board
version: "1"
title: {fr: Questionnaire du conseil, en: Board questionnaire}
roles:
  - {code: direction, label: {fr: Direction, en: Management}}
  - {code: numerique, label: {fr: Numérique, en: Digital}}
dimensions:
  - {id: tools, label: {fr: Outils internes, en: Internal tools}}
  - {id: plan, label: {fr: Pilotage, en: Steering}}
items:
  - id: mails
    kind: number
    dimension: tools
    axis: tech
    roles: [direction, numerique]
    reference_role: numerique
    label: {fr: Courriels reçus par salarié et par jour, en: E-mails received per employee per day}
    unit: {fr: courriels par jour, en: e-mails per day}
    minimum: 0
    goalposts: {worst: 90, best: 10}
    better: lower
  - id: budget
    kind: single
    dimension: plan
    axis: transfo
    roles: [direction, numerique]
    label: {fr: Budget du numérique, en: Digital budget}
    options:
      - {code: none, label: {fr: Aucun, en: None}, score: 0}
      - {code: yearly, label: {fr: Annuel, en: Yearly}, score: 41.5}
      - {code: multi, label: {fr: Pluriannuel, en: Multi-year}, score: 100}
"""
Q = parse_questionnaire(BOARD, "board.yaml")

ANSWERS = [
    # SYN-ONE: one respondent. mails 80 → (80 − 90) / (10 − 90) = 0.125 → 12.5;
    # budget "yearly" → 41.5.
    ("SYN-ONE", "one-n", "numerique", "mails", "80"),
    ("SYN-ONE", "one-n", "numerique", "budget", "yearly"),
    # SYN-TWO: the reference role (numerique) answered 40 and 60 → scores 62.5 and 37.5, mean
    # 50; the director's 20 does not count (a reference role gave a figure). 50 is the answer
    # whose score is 50: 90 + (10 − 90) × 0.5 = 50. budget: "none" 0 and "multi" 100 → 50,
    # between "yearly" (41.5) and "multi" (100).
    ("SYN-TWO", "two-n1", "numerique", "mails", "40"),
    ("SYN-TWO", "two-n2", "numerique", "mails", "60"),
    ("SYN-TWO", "two-d", "direction", "mails", "20"),
    ("SYN-TWO", "two-n1", "numerique", "budget", "none"),
    ("SYN-TWO", "two-n2", "numerique", "budget", "multi"),
    # SYN-MANY: 120 e-mails is beyond the worst goalpost: the score is 0, which says "90 or
    # more", not 120.
    ("SYN-MANY", "many-n", "numerique", "mails", "120"),
    ("SYN-MANY", "many-n", "numerique", "budget", "multi"),
]


@pytest.fixture(scope="module")
def scores():
    table = pd.DataFrame(
        ANSWERS, columns=["organisation_id", "respondent_id", "role", "item_id", "answer"]
    )
    return score_responses(Q, table).to_file()


@pytest.fixture(scope="module")
def library() -> Library:
    """Three sheets of the built-in library with triggers on this questionnaire."""
    base = load_library().sheet("boites-partagees-suivi-demandes")

    def sheet(sheet_id: str, trigger: Trigger):
        return base.model_copy(update={"id": sheet_id, "triggers": [trigger], "prerequisites": []})

    return Library(
        sheets=[
            sheet("mail", Trigger(item="mails", below=60)),
            sheet("budget", Trigger(item="budget", below=60)),
            sheet("tools", Trigger(dimension="tools", below=90)),
        ]
    )


def report(scores, library, organisation_id="SYN-ONE", language="en", **options):
    return build_organisation_report(
        scores,
        organisation_id,
        Q,
        library,
        name="Office Test",
        wave="Barometer 2026",
        language=language,
        report_date=date(2026, 12, 1),
        **options,
    )


def test_a_why_line_tells_the_answer_then_its_score(scores, library):
    english = report(scores, library, language="en")
    assert english.why["mail"].startswith(
        "E-mails received per employee per day: 80\u00a0e-mails per day answered "
        "(score 12.5, below 60)"
    )
    assert english.why["budget"].startswith(
        "Digital budget: \u201cYearly\u201d answered (score 41.5, below 60)"
    )
    french = report(scores, library, language="fr")
    assert french.why["mail"].startswith(
        f"Courriels reçus par salarié et par jour{NNBSP}: réponse 80{NBSP}courriels par jour "
        "(score 12,5, sous 60)"
    )
    assert french.why["budget"].startswith(
        f"Budget du numérique{NNBSP}: réponse «{NNBSP}Annuel{NNBSP}» (score 41,5, sous 60)"
    )
    html = organisation_html(english)
    assert "80\u00a0e-mails per day answered (score 12.5, below 60)" in html
    assert "= 12" not in html  # the old line showed the score as if it were the answer


def test_the_reason_carries_the_answer_in_both_languages(scores, library):
    plan = report(scores, library).plan
    (reason,) = next(r for r in plan.triggered if r.sheet.id == "mail").reasons
    assert (reason.id, reason.score, reason.below) == ("mails", 12.5, 60)
    assert reason.answer is not None
    assert (reason.answer.fr, reason.answer.en) == (
        f"80{NBSP}courriels par jour",
        f"80{NBSP}e-mails per day",
    )
    assert reason.consolidated is False


def test_several_respondents_give_the_consolidated_answer(scores, library):
    english = report(scores, library, "SYN-TWO")
    # A mean of scores clamped at the goalposts gives no figure anyone answered: the score only.
    assert english.why["mail"].startswith(
        "E-mails received per employee per day: score 50.0 (below 60)"
    )
    assert english.why["budget"].startswith(
        "Digital budget: on average between \u201cYearly\u201d and \u201cMulti-year\u201d, "
        "consolidated answer (score 50.0, below 60)"
    )
    french = report(scores, library, "SYN-TWO", language="fr")
    assert french.why["mail"].startswith(
        f"Courriels reçus par salarié et par jour{NNBSP}: score 50,0 (sous 60)"
    )


def test_a_figure_beyond_a_goalpost_is_told_as_such(scores, library):
    english = report(scores, library, "SYN-MANY")
    assert english.why["mail"].startswith(
        "E-mails received per employee per day: 90\u00a0e-mails per day or more answered "
        "(score 0.0, below 60)"
    )


def test_a_dimension_trigger_keeps_its_score(scores, library):
    # SYN-ONE's "tools" dimension is its one item: 12.5, below 90.
    assert report(scores, library).why["tools"].startswith("Internal tools: score 12.5 (below 90)")
    assert (
        report(scores, library, language="fr")
        .why["tools"]
        .startswith(f"Outils internes{NNBSP}: score 12,5 (sous 90)")
    )


def test_the_report_opens_with_a_cover_and_a_summary_for_the_board(scores, library):
    html = organisation_html(report(scores, library))
    assert '<html lang="en">' in html
    assert "<title>Digital maturity report — Office Test</title>" in html
    cover = html[html.index('<div class="cover">') : html.index("<section")]
    for shown in (
        "Office Test",
        "Board questionnaire",
        "Wave: Barometer 2026",
        "Report date: 1\u00a0December 2026",
        "Synthetic data",
    ):
        assert shown in cover, shown
    summary = html[html.index("Summary for the board") : html.index("Scores by dimension")]
    # global index: the mean of the dimensions 12.5 and 41.5 = 27.0 (Low, from 25)
    for shown in (
        "Global index: <strong>27.0</strong>",
        "Level: <strong>Low</strong>",
        "Family: <strong>Conservative",
        "Strengths",
        "Steering: 41.5",
        "Areas to work on",
        "Internal tools: 12.5",
        "First recommended actions",
    ):
        assert shown in summary, shown
    assert summary.count("<li>") == 2 + 2 + 3  # two strengths, two areas, the first 3 actions
    french = organisation_html(report(scores, library, language="fr"))
    assert (
        '<html lang="fr">' in french and "Date du rapport\u202f: 1er\u00a0décembre 2026" in french
    )


def test_dispersion_and_management_gap_are_defined(scores, library):
    html = organisation_html(report(scores, library))
    assert (
        "<strong>Dispersion:</strong> how far the organisation&#39;s respondents disagree" in html
    )
    assert (
        "<strong>Management gap:</strong> the mean score of the respondents of the general" in html
    )
    french = organisation_html(report(scores, library, language="fr"))
    assert "<strong>Dispersion\u202f:</strong> le désaccord entre les répondants" in french
    assert "<strong>Écart direction\u202f:</strong> le score moyen des répondants" in french


def test_the_two_axis_chart_speaks_the_report_s_language(scores, library):
    english = report(scores, library).typology_svg
    assert "Pioneers" in english and "Timid adopters" in english
    assert "Pionniers" not in english and "Timides" not in english
    french = report(scores, library, language="fr").typology_svg
    assert "Pionniers" in french and "Timides" in french and "Pioneers" not in french


def test_the_english_pdf_holds_no_french_outside_the_sheets(scores, library, tmp_path):
    """The report's own words, the questionnaire's labels and the numbers are English; the
    sheets' bodies are the library's (bilingual once the library is)."""
    path = write_pdf(
        organisation_html(report(scores, library, for_print=True)), tmp_path / "en.pdf"
    )
    document = pypdfium2.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    own = text[: text.index("Prioritised recommendations")] + text[text.index("Method annex") :]
    french_words = re.compile(
        r"\b(Vague|Famille|Synthèse|répondants|Niveau|Pourquoi|Annexe|Points forts|réponse|"
        r"sous|Couverture|Écart|Pas de|vague précédente|organismes|mois|Pionniers)\b"
    )
    assert french_words.findall(own) == []
    assert not re.search("[éèêàçù]", own), re.search(".{30}[éèêàçù].{30}", own, re.S)
    assert NNBSP not in own  # French typography only in French
    assert "No previous wave for this organisation." in own


def test_ticked_options_and_status_tables_are_told_from_their_score():
    from barometre.questionnaire.models import Item, Localized, Option
    from barometre.recommend.answers import told_answer

    def option(code: str, exclusive: bool = False) -> Option:
        return Option(code=code, label=Localized(fr=code, en=code.upper()), exclusive=exclusive)

    ticks = Item(
        id="ticks",
        kind="multi",
        label=Localized(fr="Cases"),
        roles=["numerique"],
        options=[option("a"), option("b"), option("c"), option("none", exclusive=True)],
    )
    method = Q.methodology

    def told(item: Item, score: float) -> tuple[str, str | None]:
        answer = told_answer(item, score, method)
        assert answer is not None
        return answer.fr, answer.en

    # three options of equal weight: 2 ticked → 66.67; two respondents with 1 and 2 → 50
    assert told(ticks, 200 / 3) == ("2 sur 3 options cochées", "2 of 3 options ticked")
    assert told(ticks, 50.0)[1] == "on average 1.5 of 3 options ticked"
    assert told(ticks, 0.0) == (f"«{NNBSP}none{NNBSP}»", "\u201cNONE\u201d")  # the exclusive one
    weighted = ticks.model_copy(
        update={"options": [*ticks.options[:1], option("b").model_copy(update={"weight": 3.0})]}
    )
    # a (1) ticked out of a + b (1 + 3): 25 % of the list, whatever the count
    assert told(weighted, 25.0) == (
        f"options cochées valant 25{NNBSP}% de la liste",
        "ticked options worth 25% of the list",
    )
    status = Item(
        id="status",
        kind="status",
        label=Localized(fr="Tableau"),
        roles=["numerique"],
        rows=[{"id": "r1", "label": {"fr": "r1"}}, {"id": "r2", "label": {"fr": "r2"}}],
    )
    # the default ladder: planned 10, piloting 40, partly deployed 70
    assert told(status, 40.0)[1] == "on average \u201cPiloting\u201d"
    assert told(status, 55.0)[1] == (
        "on average between \u201cPiloting\u201d and \u201cPartly deployed\u201d"
    )
