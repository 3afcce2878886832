"""The languages a questionnaire declares (docs/questionnaire-format.md, "Languages").

`languages: [en]` makes an English questionnaire: its texts need English, not French; a text
in a language it does not declare is refused; a file without the key keeps French as its
default and English optional. The English questionnaire loads, validates, scores, is written
back and goes through XLSForm and SurveyJS unchanged.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.errors import Code, QuestionnaireError
from barometre.i18n import LANGUAGES
from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text
from barometre.interop.versions import diff_questionnaires
from barometre.interop.xlsform import parse_xlsform, xlsform_bytes
from barometre.questionnaire import parse_questionnaire
from barometre.questionnaire.languages import shown
from barometre.questionnaire.models import Localized
from barometre.questionnaire.writer import questionnaire_yaml
from tests.helpers import one_respondent, score_rows

#: A small English-only maturity self-assessment (no French anywhere).
ENGLISH = """
id: dma
version: "1"
languages: [en]
title: {en: Digital maturity self-assessment}
roles:
  - {code: manager, label: {en: Manager}}
  - {code: it, label: {en: IT lead}}
dimensions:
  - id: strategy
    label: {en: Digital strategy}
    descriptors:
      faible: {en: "A plan exists: fund it."}
  - id: data
    label: {en: Data management}
items:
  - id: plan
    kind: scale
    dimension: strategy
    axis: transfo
    roles: [manager, it]
    label: {en: "How far is your digital plan?"}
    help: {en: The plan the board adopted.}
    options:
      - {code: "0", label: {en: None}}
      - {code: "1", label: {en: Drafted}}
      - {code: "2", label: {en: Adopted}}
  - id: sponsor
    kind: yesno
    dimension: strategy
    axis: transfo
    roles: [manager]
    label: {en: A board member sponsors digital}
  - id: practices
    kind: status
    dimension: data
    axis: tech
    roles: [it]
    label: {en: "How far are these practices?"}
    rows:
      - {id: catalogue, label: {en: Data catalogue}}
      - {id: quality, label: {en: Data quality checks}, weight: 3}
  - id: online
    kind: percent
    dimension: data
    axis: tech
    roles: [it]
    label: {en: Share of services online}
    unit: {en: "%"}
    goalposts: {worst: 0, best: 80}
    better: higher
"""


def _english(text: str = ENGLISH):
    return parse_questionnaire(text, "dma.yaml")


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(QuestionnaireError) as error:
        parse_questionnaire(text, "dma.yaml")
    return [(p.code, p.message.split(":")[0]) for p in error.value.problems]


def _codes_and_fields(text: str) -> list[tuple[str, str]]:
    """(code, field) of each problem: the field is what the message names first after the
    location (`items.2.rows.0.label.en`)."""
    with pytest.raises(QuestionnaireError) as error:
        parse_questionnaire(text, "dma.yaml")
    return [(p.code, p.message.split(":", 1)[0]) for p in error.value.problems]


# --- the model -------------------------------------------------------------------------------


def test_an_english_only_questionnaire_loads():
    q = _english()
    assert q.languages == ["en"]
    assert (q.declared_languages, q.default_language) == (("en",), "en")
    assert q.title == Localized(en="Digital maturity self-assessment")
    assert q.title.fr is None
    # asked in French, a text falls back to the questionnaire's default language
    assert q.title.get("fr") == "Digital maturity self-assessment"
    assert q.title.language_of("fr") == "en"
    assert q.text(q.item("plan").label, "fr") == "How far is your digital plan?"


def test_a_file_without_languages_keeps_french_first_and_english_optional():
    text = ENGLISH.replace("languages: [en]\n", "").replace("{en: ", "{fr: ")
    q = parse_questionnaire(text, "fr.yaml")
    assert q.languages is None
    assert (q.declared_languages, q.default_language) == (("fr", "en"), "fr")
    assert q.title.get("en") == "Digital maturity self-assessment"  # no English: the French


def test_get_falls_back_to_the_default_given_and_then_to_the_text_there_is():
    both = Localized(fr="Oui", en="Yes")
    assert (both.get("fr"), both.get("en")) == ("Oui", "Yes")
    assert both.get("de", "en") == "Yes"  # a language it lacks: the default given
    assert both.get("de") == "Oui"  # no default: the product's first language it has
    assert Localized(en="Yes").get("fr", "fr") == "Yes"  # the only text there is
    assert Localized(fr="Oui", en="").get("en") == "Oui"  # an empty English is no text


def test_the_text_shown_says_its_language_when_it_is_not_the_readers():
    text = Localized(en="Channels")
    assert (shown(text, "fr"), shown(text, "fr").lang) == ("Channels", "en")
    assert (shown(text, "en"), shown(text, "en").lang) == ("Channels", "")
    assert (shown(None, "fr"), shown(None, "fr").lang) == ("", "")


# --- validation ------------------------------------------------------------------------------


def test_french_is_not_required_of_an_english_questionnaire_but_english_is():
    text = ENGLISH.replace(
        "{id: catalogue, label: {en: Data catalogue}}", "{id: catalogue, label: {fr: Catalogue}}"
    )
    assert _codes_and_fields(text) == [
        (Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "items.2.rows.0.label.en"),
        (Code.TEXT_IN_UNDECLARED_LANGUAGE, "items.2.rows.0.label.fr"),
    ]


def test_a_text_in_a_language_not_declared_is_refused_with_its_field_and_line():
    text = ENGLISH.replace(
        "title: {en: Digital maturity self-assessment}",
        "title: {en: Digital maturity self-assessment, fr: Autodiagnostic}",
    ).replace("label: {en: A board member sponsors digital}", "label: {en: Sponsor, fr: Parrain}")
    with pytest.raises(QuestionnaireError) as error:
        parse_questionnaire(text, "dma.yaml")
    found = [(p.location, p.code, p.message) for p in error.value.problems]
    assert found == [
        (
            "dma.yaml",
            Code.TEXT_IN_UNDECLARED_LANGUAGE,
            "title.fr: a text in 'fr', a language the questionnaire does not declare "
            "(languages: en): add it to 'languages' or remove the text",
        ),
        (
            # ENGLISH opens with an empty line: `- id: sponsor` is its 28th line
            "dma.yaml:28 item 'sponsor'",
            Code.TEXT_IN_UNDECLARED_LANGUAGE,
            "items.1.label.fr: a text in 'fr', a language the questionnaire does not declare "
            "(languages: en): add it to 'languages' or remove the text",
        ),
    ]


def test_a_questionnaire_without_languages_still_needs_french():
    text = ENGLISH.replace("languages: [en]\n", "")
    found = _codes_and_fields(text)
    # every text of the file lacks French: title, 2 roles, 2 dimensions, 1 descriptor, then
    # plan (label, help, 3 options), sponsor, practices (label, 2 rows), online (label, unit)
    assert len(found) == 1 + 2 + 2 + 1 + 5 + 1 + 3 + 2
    assert set(code for code, _ in found) == {Code.TEXT_WITHOUT_DEFAULT_LANGUAGE}
    assert found[0] == (Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "title.fr")
    assert (Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "dimensions.0.descriptors.faible.fr") in found
    assert (Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "items.0.options.2.label.fr") in found


def test_the_default_is_the_first_language_listed():
    text = ENGLISH.replace("languages: [en]", "languages: [en, fr]").replace(
        "label: {en: Manager}", "label: {fr: Direction}"
    )
    assert _codes_and_fields(text) == [(Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "roles.0.label.en")]
    q = _english(
        ENGLISH.replace("languages: [en]", "languages: [en, fr]").replace(
            "label: {en: Manager}", "label: {en: Manager, fr: Direction}"
        )
    )
    assert (q.default_language, q.roles[0].label.get("fr"), q.roles[1].label.get("fr")) == (
        "en",
        "Direction",
        "IT lead",  # no French: the default language's text
    )


def test_bad_language_lists_are_refused():
    assert _problems(ENGLISH.replace("languages: [en]", "languages: [en, en]")) == [
        (Code.DUPLICATE_LANGUAGE, "language 'en' is listed more than once in 'languages'")
    ]
    assert [c for c, _ in _problems(ENGLISH.replace("languages: [en]", "languages: [de]"))] == [
        Code.LITERAL_ERROR
    ]
    assert [c for c, _ in _problems(ENGLISH.replace("languages: [en]", "languages: []"))] == [
        Code.INVALID_VALUE
    ]


def test_the_products_default_texts_are_not_the_files():
    # the default levels and status ladder have French and English: an English questionnaire
    # keeps them without declaring French; its own levels must be English
    q = _english()
    assert q.methodology.levels[0].label == Localized(fr="Très faible", en="Very low")
    levels = (
        "methodology:\n  levels:\n    - {code: low, label: {fr: Bas}, min: 0}\n"
        "    - {code: high, label: {en: High}, min: 50}\n"
    )
    text = ENGLISH.replace("roles:\n", levels + "roles:\n", 1).replace("faible:", "low:")
    assert _codes_and_fields(text) == [
        (Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, "methodology.levels.0.label.en"),
        (Code.TEXT_IN_UNDECLARED_LANGUAGE, "methodology.levels.0.label.fr"),
    ]


# --- scoring, writing back, interchange --------------------------------------------------


def test_an_english_questionnaire_scores_as_computed_by_hand():
    q = _english()
    manager = one_respondent({"plan": "1", "sponsor": "yes"}, role="manager")
    it = one_respondent(
        {
            "plan": "2",
            "practices.catalogue": "generalised",
            "practices.quality": "planned",
            "online": "20",
        },
        role="it",
    )
    result = score_rows(manager + it, q)
    # plan: a linear scale of 3 levels, 0 / 50 / 100; the mean of 50 (manager) and 100 (it) = 75
    # sponsor: yes = 100; strategy = (75 + 100) / 2 = 87.5
    assert result.dimension_scores.at["O1", "strategy"] == pytest.approx(87.5)
    # practices: (1 x 100 + 3 x 10) / 4 = 32.5; online: 20 / 80 x 100 = 25
    # data = (32.5 + 25) / 2 = 28.75
    assert result.dimension_scores.at["O1", "data"] == pytest.approx(28.75)


def test_it_is_written_back_and_read_to_the_same_questionnaire():
    q = _english()
    text = questionnaire_yaml(q)
    assert "languages: [en]\ntitle: {en: Digital maturity self-assessment}\n" in text
    assert "fr:" not in text
    assert parse_questionnaire(text, "back.yaml") == q


def test_a_questionnaire_without_languages_is_written_without_the_key():
    q = parse_questionnaire(ENGLISH.replace("languages: [en]\n", "").replace("{en: ", "{fr: "))
    assert "languages" not in questionnaire_yaml(q)


def test_it_round_trips_through_xlsform():
    q = _english()
    back = parse_xlsform(xlsform_bytes(q), "dma.xlsx")
    assert back == q
    two = q.model_copy(update={"languages": ["en", "fr"], "title": Localized(en="DMA", fr="AMN")})
    assert parse_xlsform(xlsform_bytes(two), "two.xlsx") == two


def test_it_round_trips_through_surveyjs():
    q = _english()
    form = json.loads(surveyjs_text(q))
    assert form["locale"] == "en"
    assert form["title"] == {"default": "Digital maturity self-assessment"}
    assert form["barometre"]["languages"] == ["en"]
    assert parse_surveyjs(form, "dma.json") == q
    two = q.model_copy(update={"languages": ["en", "fr"], "title": Localized(en="DMA", fr="AMN")})
    assert parse_surveyjs(json.loads(surveyjs_text(two)), "two.json") == two


def test_a_change_of_languages_is_cosmetic():
    q = _english()
    changes = diff_questionnaires(q, q.model_copy(update={"languages": ["en", "fr"]})).changes
    assert [(c.path, c.effect) for c in changes] == [("languages", "cosmetic")]
    # no key and the same languages written out are the same questionnaire's languages
    french = parse_questionnaire(ENGLISH.replace("languages: [en]\n", "").replace("{en: ", "{fr: "))
    same = french.model_copy(update={"languages": ["fr", "en"]})
    assert diff_questionnaires(french, same).changes == []


# --- properties ------------------------------------------------------------------------------

texts = st.dictionaries(
    st.sampled_from(LANGUAGES), st.text(min_size=1, max_size=5), min_size=1
).map(lambda found: Localized(**found))


@given(texts, st.sampled_from(LANGUAGES), st.sampled_from(LANGUAGES))
def test_a_text_is_in_the_language_asked_else_in_the_default(text, language, default):
    got = text.get(language, default)
    expected_language = (
        language if getattr(text, language) else default if getattr(text, default) else None
    )
    if expected_language is not None:
        assert (got, text.language_of(language, default)) == (
            getattr(text, expected_language),
            expected_language,
        )
    else:  # neither: the first text it has
        assert got == getattr(text, text.languages[0])
    assert got  # a text always shows something


@given(
    st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True),
    st.sets(st.sampled_from(LANGUAGES), min_size=1),
)
def test_a_title_is_refused_exactly_for_a_missing_default_or_an_undeclared_language(
    languages, title_languages
):
    title = ", ".join(f"{code}: T{code}" for code in sorted(title_languages))
    body = ENGLISH.split("roles:", 1)[1].replace("{en: ", "{" + languages[0] + ": ")
    declared = ", ".join(languages)
    text = f'id: x\nversion: "1"\nlanguages: [{declared}]\ntitle: {{{title}}}\nroles:{body}'
    expected = []
    if languages[0] not in title_languages:
        expected.append((Code.TEXT_WITHOUT_DEFAULT_LANGUAGE, f"title.{languages[0]}"))
    expected += [
        (Code.TEXT_IN_UNDECLARED_LANGUAGE, f"title.{code}")
        for code in LANGUAGES
        if code in title_languages and code not in languages
    ]
    if expected:
        assert _codes_and_fields(text) == expected
    else:
        assert parse_questionnaire(text).declared_languages == tuple(languages)


def test_an_english_form_with_french_only_texts_is_read_as_a_french_questionnaire():
    # SurveyJS: a form in English (no locale) whose question is titled in French only
    form = {
        "title": "Small survey",
        "pages": [
            {
                "name": "services",
                "barometre": {"axis": "tech"},
                "elements": [
                    {
                        "type": "radiogroup",
                        "name": "sat",
                        "title": {"fr": "Satisfaction"},
                        "choices": [{"value": 1, "text": "Low"}, {"value": 2, "text": "High"}],
                    },
                    {
                        "type": "boolean",
                        "name": "sponsor",
                        "title": "A sponsor",
                        "barometre": {"axis": "transfo"},
                    },
                ],
            }
        ],
    }
    q = parse_surveyjs(form, "mixed.json")
    assert q.languages is None
    assert q.item("sat").label == Localized(fr="Satisfaction")
    assert q.title == Localized(fr="Small survey", en="Small survey")
    # in English throughout, it is an English questionnaire
    form["pages"][0]["elements"][0]["title"] = "Satisfaction"
    q = parse_surveyjs(form, "english.json")
    assert (q.languages, q.item("sat").label) == (["en"], Localized(en="Satisfaction"))


def test_an_english_workbook_is_an_english_questionnaire_unless_a_text_lacks_english():
    from tests.interop.test_xlsform import _workbook

    sheets: dict[str, list[list[object]]] = {
        "survey": [
            ["type", "name", "label::English (en)", "label::Français (fr)", "barometre::axis"],
            ["select_one yn", "q_portal", "Tenant portal", "Espace locataire", "tech"],
            ["select_one yn", "q_sponsor", "Sponsor", None, "transfo"],
        ],
        "choices": [
            ["list_name", "name", "label::English (en)", "barometre_score"],
            ["yn", "yes", "Yes", 100],
            ["yn", "no", "No", 0],
        ],
        "settings": [["form_title", "default_language"], ["Small form", "English (en)"]],
    }
    q = parse_xlsform(_workbook(sheets), "en.xlsx")
    assert q.languages == ["en", "fr"]  # English first, and the French columns it has
    assert q.item("q_portal").label == Localized(en="Tenant portal", fr="Espace locataire")
    assert q.item("q_sponsor").label == Localized(en="Sponsor")
    # a question in French only: the workbook is read as a French questionnaire
    sheets["survey"][2][2:4] = [None, "Parrain"]
    q = parse_xlsform(_workbook(sheets), "mixed.xlsx")
    assert q.languages is None
    assert q.item("q_sponsor").label == Localized(fr="Parrain")
    assert q.item("q_portal").label == Localized(fr="Espace locataire", en="Tenant portal")


def test_the_english_workbook_converts_with_pyxform_english_by_default():
    import io

    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(xlsform_bytes(_english())), warnings=warnings)
    assert warnings == []
    assert '<translation lang="English (en)" default="true()">' in result.xform


def test_the_questionnaire_pdf_marks_the_english_texts_of_a_french_pdf():
    from bs4 import BeautifulSoup

    from barometre.reports.questionnaire_pdf import questionnaire_html

    page = BeautifulSoup(questionnaire_html(_english(), "fr"), "html.parser")
    heading = page.find("h1")
    assert (heading.get_text(strip=True), heading.get("lang")) == (
        "Digital maturity self-assessment",
        "en",
    )
    label = page.find("h3").find("span")
    assert (label.get_text(strip=True), label.get("lang")) == (
        "How far is your digital plan?",
        "en",
    )
    # in English, nothing is marked
    assert not BeautifulSoup(questionnaire_html(_english(), "en"), "html.parser").select(
        "body [lang]"
    )


def test_the_organisation_report_marks_the_english_texts_of_a_french_report():
    from bs4 import BeautifulSoup

    from barometre.recommend.sheets import Library
    from barometre.reports.organisation import build_organisation_report
    from barometre.reports.render import organisation_html

    q = _english()
    answers = one_respondent({"plan": "2", "sponsor": "yes"}, role="manager") + one_respondent(
        {"plan": "2", "practices.catalogue": "planned", "practices.quality": "planned"},
        role="it",
    )
    scores = score_rows(answers, q).to_file()
    report = build_organisation_report(scores, "O1", q, Library(sheets=[]), language="fr")
    cells = BeautifulSoup(organisation_html(report), "html.parser").find_all("td")
    strategy = [c for c in cells if c.get_text(strip=True) == "Digital strategy"]
    assert strategy and all(c.get("lang") == "en" for c in strategy)
    # the product's default levels have French: shown in French, without a lang of their own
    assert any(c.get_text(strip=True) == "Avancée" and c.get("lang") is None for c in cells)
