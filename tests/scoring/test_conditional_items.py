"""Conditional questions (`relevant`): rules between parts, scores by hand, answers refused.

`CONDITIONAL` below, read as a respondent meets it:
  tools          multi (crm, erp, none exclusive), every respondent
  has_site       yesno, every respondent
  site_services  multi, shown when has_site = yes; its option crm_link (weight 2) only when
                 tools has crm ticked; forms and payment weigh 1
  site_audit     scale 0-4 (linear: 0, 25, 50, 75, 100), shown when site_services has
                 payment ticked (so never when site_services is not shown: a cascade)
  governance     single none 0 / partial 50 / full 100, every respondent
  gov_review     yesno, shown when governance = partial OR tools has erp
  practices      status table (r1, r2 of weight 1: half the item each), shown when
                 governance is partial or full AND tools has crm or erp
Dimensions: d1 (tech) = has_site, site_services, site_audit; d2 (transfo) = the others.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import Code, QuestionnaireError, ResponsesError
from barometre.interop.versions import diff_questionnaires
from barometre.questionnaire import build_field_tables, parse_questionnaire
from barometre.questionnaire.relevance import (
    drop_hidden_answers,
    shown_for,
    shown_to_respondents,
)
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.scoring import score_responses
from barometre.scoring.answer_check import AnswerRules
from barometre.scoring.answers import score_answers

CONDITIONAL = """
id: conditional
version: "1"
title: {fr: Questions conditionnelles}
roles:
  - {code: dg, label: {fr: Direction}}
  - {code: dsi, label: {fr: Numérique}}
dimensions:
  - {id: d1, label: {fr: Site}}
  - {id: d2, label: {fr: Pilotage}}
items:
  - id: tools
    kind: multi
    dimension: d2
    axis: transfo
    roles: [dg, dsi]
    label: {fr: Outils}
    options:
      - {code: crm, label: {fr: GRC}}
      - {code: erp, label: {fr: PGI}}
      - {code: none, label: {fr: Aucun}, exclusive: true}
  - {id: has_site, kind: yesno, dimension: d1, axis: tech, roles: [dg, dsi], label: {fr: Un site}}
  - id: site_services
    kind: multi
    dimension: d1
    axis: tech
    roles: [dg, dsi]
    relevant: {item: has_site, in: [yes]}
    label: {fr: Services du site}
    options:
      - {code: forms, label: {fr: Formulaires}}
      - {code: payment, label: {fr: Paiement}}
      - {code: crm_link, label: {fr: Lien GRC}, weight: 2, relevant: {item: tools, in: [crm]}}
  - id: site_audit
    kind: scale
    dimension: d1
    axis: tech
    roles: [dg, dsi]
    relevant: {item: site_services, in: [payment]}
    label: {fr: Audit du paiement}
    options:
      - {code: "0", label: {fr: Jamais}}
      - {code: "1", label: {fr: Rarement}}
      - {code: "2", label: {fr: Parfois}}
      - {code: "3", label: {fr: Souvent}}
      - {code: "4", label: {fr: Toujours}}
  - id: governance
    kind: single
    dimension: d2
    axis: transfo
    roles: [dg, dsi]
    label: {fr: Gouvernance}
    options:
      - {code: none, label: {fr: Aucune}, score: 0}
      - {code: partial, label: {fr: Partielle}, score: 50}
      - {code: full, label: {fr: Complète}, score: 100}
  - id: gov_review
    kind: yesno
    dimension: d2
    axis: transfo
    roles: [dg, dsi]
    relevant:
      any_of:
        - {item: governance, in: [partial]}
        - {item: tools, in: [erp]}
    label: {fr: Revue}
  - id: practices
    kind: status
    dimension: d2
    axis: transfo
    roles: [dg, dsi]
    relevant:
      all_of:
        - {item: governance, in: [partial, full]}
        - {item: tools, in: [crm, erp]}
    label: {fr: Pratiques}
    rows:
      - {id: r1, label: {fr: Pratique 1}}
      - {id: r2, label: {fr: Pratique 2}}
"""

QUESTIONNAIRE = parse_questionnaire(CONDITIONAL, "conditional")
TABLES = build_field_tables(QUESTIONNAIRE)
RULES = AnswerRules.from_tables(TABLES)
COLUMNS = ["organisation_id", "respondent_id", "role", "item_id", "answer"]


def responses(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def answers_of(org: str, person: str, role: str, answers: dict[str, str]) -> list[tuple]:
    return [(org, person, role, item, value) for item, value in answers.items()]


A = answers_of(
    "O1",
    "a",
    "dsi",
    {"tools": "crm", "has_site": "yes", "site_services": "forms|crm_link", "governance": "none"},
)
B = answers_of(
    "O2",
    "b",
    "dsi",
    {
        "tools": "erp",
        "has_site": "yes",
        "site_services": "payment",
        "site_audit": "4",
        "governance": "partial",
        "gov_review": "no",
        "practices.r1": "partial",
        "practices.r2": "NA",
    },
)
C = answers_of(
    "O3",
    "c",
    "dg",
    {
        "tools": "erp",
        "has_site": "no",
        "site_services": "",  # an empty answer to a hidden item: fine
        "governance": "partial",
        "gov_review": "yes",
        "practices.r1": "generalised",
        "practices.r2": "planned",
    },
)
D = answers_of("O4", "d", "dg", {"tools": "crm", "has_site": "DK", "governance": "none"})


def problems(rows) -> list[tuple[str, str]]:
    with pytest.raises(ResponsesError) as raised:
        score_answers(responses(rows), TABLES, "r.csv")
    return [(p.location, p.code) for p in raised.value.problems]


# --- scores by hand ---------------------------------------------------------------------------


def test_scores_by_hand():
    result = score_responses(QUESTIONNAIRE, responses(A + B + C + D))
    d1, d2 = result.dimension_scores["d1"], result.dimension_scores["d2"]
    # A: site_services over the options shown to A, all three (A ticked crm): forms 1 +
    #    crm_link 2 of 1 + 1 + 2 = 3/4 -> 75; site_audit hidden (no payment): not applicable.
    #    d1 = (has_site 100 + 75) / 2 = 87.5; d2 = (tools crm 1/2 -> 50 + governance 0) / 2 = 25
    assert d1["O1"] == pytest.approx(87.5)
    assert d2["O1"] == pytest.approx(25.0)
    assert result.organisations.loc["O1", "global"] == pytest.approx((87.5 + 25) / 2)  # 56.25
    # B: crm_link hidden (no crm): payment 1 of forms 1 + payment 1 -> 50; site_audit shown,
    #    4 -> 100. d1 = (100 + 50 + 100) / 3 = 83.33...
    #    gov_review and practices shown (partial; erp): d2 = (erp 50 + partial 50 + review 0
    #    + r1 partial 70 x .5, r2 NA left out) / (1 + 1 + 1 + .5) = 135 / 3.5 = 38.571...
    assert d1["O2"] == pytest.approx(250 / 3)
    assert d2["O2"] == pytest.approx(135 / 3.5)
    # C: has_site no -> site_services hidden (NA), and site_audit with it (a cascade).
    #    d1 = has_site 0 alone -> 0, coverage 1/1.
    #    gov_review shown (partial), practices shown (partial and erp), each row half its weight:
    #    d2 = (tools 50 + governance 50 + gov_review 100 + 100 x .5 + 10 x .5) / 4 = 255/4 = 63.75
    assert d1["O3"] == pytest.approx(0.0)
    assert result.dimension_coverage.loc["O3", "d1"] == pytest.approx(1.0)
    assert d2["O3"] == pytest.approx(63.75)
    # D: has_site DK meets no condition: site_services hidden (NA), has_site missing ->
    #    d1 coverage 0/1 -> no score. gov_review and practices hidden (governance none, no erp):
    #    d2 = (tools 50 + governance 0) / 2 = 25 with coverage 2/2 (the hidden ones left out).
    assert math.isnan(d1["O4"])
    assert result.dimension_coverage.loc["O4", "d1"] == pytest.approx(0.0)
    assert d2["O4"] == pytest.approx(25.0)
    assert result.dimension_coverage.loc["O4", "d2"] == pytest.approx(1.0)


def test_a_hidden_item_is_not_applicable_even_without_a_row():
    scored = score_answers(responses(D), TABLES)
    status = scored.set_index("field_id")["status"]
    # site_services, site_audit (a cascade), gov_review and both rows of practices: "na"
    # rows added for d
    assert status["site_services"] == status["site_audit"] == "na"
    assert status["gov_review"] == "na"
    assert status["practices.r1"] == status["practices.r2"] == "na"
    assert status["has_site"] == "dk"


def test_an_unanswered_condition_item_meets_no_condition():
    rows = answers_of("O9", "e", "dsi", {"governance": "full"})
    status = score_answers(responses(rows), TABLES).set_index("field_id")["status"]
    # has_site unanswered: site_services hidden, and so site_audit (a cascade)
    assert status["site_services"] == "na"
    assert status["site_audit"] == "na"


def test_when_every_condition_is_met_nothing_is_added():
    result = score_answers(responses(B), TABLES)
    assert list(result["field_id"]) == [row[3] for row in B]


# --- answers refused in a responses file -----------------------------------------------------


def test_an_answer_to_a_hidden_item_is_refused():
    rows = A + answers_of("O1", "a", "dsi", {"site_audit": "3"})
    assert problems(rows) == [("r.csv:6", Code.NOT_RELEVANT)]
    with pytest.raises(ResponsesError) as raised:
        score_answers(responses(rows), TABLES, "r.csv")
    message = raised.value.problems[0].message
    assert "site_audit" in message and "site_services in payment" in message


def test_not_applicable_and_empty_are_accepted_for_a_hidden_item_but_dont_know_is_not():
    ok = A + answers_of("O1", "a", "dsi", {"site_audit": "NA"})
    assert (
        score_answers(responses(ok), TABLES).set_index("field_id").loc["site_audit", "status"]
        == "na"
    )
    refused = A + answers_of("O1", "a", "dsi", {"site_audit": "DK"})
    assert problems(refused) == [("r.csv:6", Code.NOT_RELEVANT)]


def test_a_hidden_option_chosen_is_refused():
    rows = answers_of(
        "O2", "b", "dsi", {"tools": "erp", "has_site": "yes", "site_services": "crm_link"}
    )
    assert problems(rows) == [("r.csv:4", Code.OPTION_NOT_RELEVANT)]


def test_a_hidden_status_row_answered_is_refused():
    rows = D + answers_of("O4", "d", "dg", {"practices.r1": "planned"})
    assert problems(rows) == [("r.csv:5", Code.NOT_RELEVANT)]


# --- the web: answers kept, not counted ------------------------------------------------------


def test_hidden_answers_are_dropped_for_scoring_in_a_cascade():
    # has_site changed to no after site_services and site_audit were answered: both kept in
    # the web's database, both hidden now (site_audit because site_services is hidden)
    rows = answers_of(
        "O1",
        "a",
        "dsi",
        {
            "tools": "erp|crm",
            "has_site": "no",
            "site_services": "payment",
            "site_audit": "4",
            "governance": "none",
        },
    )
    kept = drop_hidden_answers(responses(rows), TABLES.relevance)
    assert list(kept["answer"]) == ["erp|crm", "no", "", "", "none"]
    shown = RULES.shown({r[3]: r[4] for r in rows})
    # practices too (governance none)
    assert shown.hidden_items == {"site_services", "site_audit", "practices"}
    # the engine scores what is left: d1 = has_site 0 alone
    result = score_responses(QUESTIONNAIRE, kept)
    assert result.dimension_scores.loc["O1", "d1"] == pytest.approx(0.0)


def test_a_hidden_tick_is_dropped_and_the_others_kept():
    rows = answers_of(
        "O2", "b", "dsi", {"tools": "erp", "has_site": "yes", "site_services": "crm_link|forms"}
    )
    kept = drop_hidden_answers(responses(rows), TABLES.relevance)
    assert kept.set_index("item_id").loc["site_services", "answer"] == "forms"
    # forms 1 of forms 1 + payment 1 (crm_link hidden) -> 50
    scored = score_answers(kept, TABLES).set_index("field_id")
    assert scored.loc["site_services", "score"] == pytest.approx(50.0)


def test_one_web_answer_is_checked_with_the_respondents_answers():
    answers = {"tools": "erp", "has_site": "no"}
    assert RULES.check("dsi", "site_services", "forms") is None  # without answers: kept
    assert RULES.check("dsi", "site_services", "forms", answers) == Code.NOT_RELEVANT
    assert RULES.check("dsi", "site_services", "NA", answers) is None
    answers = {"tools": "erp", "has_site": "yes"}
    assert RULES.check("dsi", "site_services", "forms|crm_link", answers) == (
        Code.OPTION_NOT_RELEVANT
    )
    assert RULES.check("dsi", "site_services", "forms|zz", answers) == Code.NOT_AN_OPTION_MULTI
    found = RULES.problem("dsi", "site_services", "crm_link", answers)
    assert found is not None and found.code == Code.ANSWER_NOT_AN_OPTION


# --- AnswerRules agrees with score_answers; one respondent agrees with all at once -----------

FIELD_VALUES = {
    "tools": ["crm", "erp", "none", "crm|erp", "none|crm", "NA", "DK", ""],
    "has_site": ["yes", "no", "NA", "DK", "", "oui"],
    "site_services": ["forms", "payment", "crm_link", "payment|crm_link", "NA", "DK", "", "x"],
    "site_audit": ["0", "4", "NA", "DK", "", "9"],
    "governance": ["none", "partial", "full", "NA", "DK", ""],
    "gov_review": ["yes", "no", "NA", "DK", ""],
    "practices.r1": ["planned", "generalised", "NA", "DK", "", "done"],
    "practices.r2": ["planned", "NA", ""],
}


@st.composite
def one_respondent(draw):
    role = draw(st.sampled_from(["dg", "dsi"]))
    asked = sorted(RULES.asked_fields(role), key=list(FIELD_VALUES).index)
    chosen = {f: draw(st.sampled_from(FIELD_VALUES[f])) for f in asked if draw(st.booleans())}
    return role, chosen


@settings(max_examples=300, deadline=None)
@given(one_respondent())
def test_answer_rules_agree_with_the_engine(respondent):
    role, chosen = respondent
    rows = answers_of("o", "r", role, chosen)
    first: dict[int, str] = {}
    try:
        score_answers(responses(rows), TABLES, "x")
    except ResponsesError as exc:
        for found in exc.problems:
            line = int(found.location.split(":")[1])
            first.setdefault(line, found.code)
    for line, (field_id, value) in enumerate(chosen.items(), start=2):
        assert RULES.check(role, field_id, value, chosen) == first.get(line), (field_id, value)


@settings(max_examples=200, deadline=None)
@given(st.lists(one_respondent(), min_size=1, max_size=6))
def test_every_respondent_at_once_is_each_alone(people):
    rows = [
        row
        for n, (role, chosen) in enumerate(people)
        for row in answers_of("o", f"p{n}", role, chosen)
    ]
    frame = responses(rows) if rows else responses([])
    table = shown_to_respondents(
        TABLES.relevance, frame["respondent_id"], frame["item_id"], frame["answer"]
    )
    for n, (_role, chosen) in enumerate(people):
        at = table.respondents.get_indexer([f"p{n}"])[0]
        if at < 0:
            continue  # nothing answered
        alone = shown_for(TABLES.relevance, chosen)
        for item_id, shown in table.items.items():
            assert bool(shown[at]) == alone.item_shown(item_id)
        for (item_id, code), shown in table.options.items():
            assert bool(shown[at]) == alone.option_shown(item_id, code)


# --- the questionnaire file ------------------------------------------------------------------


def test_written_back_and_read_again_is_the_same_questionnaire():
    assert parse_questionnaire(questionnaire_yaml(QUESTIONNAIRE)) == QUESTIONNAIRE


def test_a_bare_yes_in_a_condition_is_the_code_yes():
    # YAML reads `yes` as true; in a condition it is the option code
    relevant = QUESTIONNAIRE.item("site_services").relevant
    assert relevant is not None and relevant.in_ == ["yes"]


def test_a_changed_condition_breaks_comparability():
    changed = parse_questionnaire(
        CONDITIONAL.replace(
            "relevant: {item: has_site, in: [yes]}", "relevant: {item: has_site, in: [no]}"
        )
    )
    diff = diff_questionnaires(QUESTIONNAIRE, changed)
    change = diff.change("items.site_services.relevant")
    assert change.effect == "breaking"
    assert (change.old, change.new) == ("has_site in yes", "has_site in no")


def _with(old: str, new: str) -> str:
    assert old in CONDITIONAL
    return CONDITIONAL.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: nowhere, in: [yes]}",
            Code.RELEVANT_UNKNOWN_ITEM,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: governance, in: [full]}",
            Code.RELEVANT_LATER_ITEM,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: site_services, in: [forms]}",  # itself
            Code.RELEVANT_LATER_ITEM,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: has_site, in: [maybe]}",
            Code.RELEVANT_UNKNOWN_OPTION,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: has_site, in: [NA]}",
            Code.RELEVANT_UNKNOWN_OPTION,
        ),
        (
            "relevant: {item: site_services, in: [payment]}",
            "relevant: {item: practices, in: [planned]}",
            Code.RELEVANT_LATER_ITEM,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: has_site}",
            Code.RELEVANT_FORM,
        ),
        (
            "relevant: {item: has_site, in: [yes]}",
            "relevant: {item: has_site, in: [yes], any_of: [{item: tools, in: [crm]}]}",
            Code.RELEVANT_FORM,
        ),
        (
            "relevant: {item: tools, in: [crm]}",
            "relevant: {item: tools, in: [sap]}",
            Code.RELEVANT_UNKNOWN_OPTION,
        ),
        (
            "    roles: [dg, dsi]\n    label: {fr: Outils}",
            "    roles: [dsi]\n    label: {fr: Outils}",
            Code.RELEVANT_ROLES,
        ),
    ],
)
def test_conditions_that_cannot_be_evaluated_are_refused(old, new, code):
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(_with(old, new), "q.yaml")
    assert code in [p.code for p in raised.value.problems]


def test_a_condition_on_a_number_is_refused_with_its_item_and_line():
    text = _with(
        "  - {id: has_site, kind: yesno,",
        "  - {id: staff, kind: number, dimension: d1, axis: tech, roles: [dg, dsi], label: "
        "{fr: Effectif}, goalposts: {worst: 0, best: 10}, better: higher}\n"
        "  - {id: has_site, kind: yesno,",
    ).replace("relevant: {item: has_site, in: [yes]}", "relevant: {item: staff, in: ['3']}")
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(text, "q.yaml")
    [found] = raised.value.problems
    assert found.code == Code.RELEVANT_KIND
    assert found.location.startswith("q.yaml:") and "site_services" in found.location
    assert "staff" in found.message and "number" in found.message


# --- the interchange formats -----------------------------------------------------------------


def test_xlsform_carries_the_conditions_and_reads_them_back():
    import io

    from openpyxl import load_workbook
    from pyxform.xls2xform import convert

    from barometre.interop.xlsform import parse_xlsform, xlsform_bytes

    data = xlsform_bytes(QUESTIONNAIRE)
    assert parse_xlsform(data, "c.xlsx") == QUESTIONNAIRE
    survey = list(load_workbook(io.BytesIO(data))["survey"].iter_rows(values_only=True))
    header = survey[0]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in survey[1:]}
    assert rows["site_services"]["relevant"] == "${has_site} = 'yes'"
    assert rows["site_services"]["choice_filter"] == (
        "name != 'crm_link' or (selected(${tools}, 'crm'))"
    )
    assert rows["site_audit"]["relevant"] == "selected(${site_services}, 'payment')"
    assert rows["gov_review"]["relevant"] == (
        "(${governance} = 'partial') or (selected(${tools}, 'erp'))"
    )
    assert rows["practices"]["relevant"] == (
        "(${governance} = 'partial' or ${governance} = 'full') and "
        "(selected(${tools}, 'crm') or selected(${tools}, 'erp'))"
    )
    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(data), warnings=warnings).xform
    assert "instance('site_services')/root/item[name != 'crm_link' or" in xform


def test_xlsform_puts_the_roles_first_and_reads_them_apart():
    from barometre.interop.xlsform import parse_xlsform, xlsform_bytes

    only_dg = parse_questionnaire(
        CONDITIONAL.replace(
            "    roles: [dg, dsi]\n    relevant: {item: site_services",
            "    roles: [dsi]\n    relevant: {item: site_services",
        )
    )
    assert parse_xlsform(xlsform_bytes(only_dg)) == only_dg


def test_a_plain_xlsform_relevant_is_read_or_refused_with_its_cell():
    import io

    from openpyxl import Workbook

    from barometre.interop.xlsform import XlsFormError, parse_xlsform

    def workbook(relevant: str) -> bytes:
        book = Workbook()
        survey = book.active
        survey.title = "survey"
        for row in (
            ["type", "name", "label", "relevant", "barometre::axis"],
            ["select_one n", "q1", "Q1", None, "tech"],
            ["select_one n", "q2", "Q2", None, "transfo"],
            ["select_one n", "q3", "Q3", relevant, "tech"],
        ):
            survey.append(row)
        choices = book.create_sheet("choices")
        for row in (["list_name", "name", "label"], ["n", "1", "Un"], ["n", "2", "Deux"]):
            choices.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    read = parse_xlsform(workbook("${q1} = '1' or ${q2} = '2'"), "plain.xlsx")
    relevant = read.item("q3").relevant
    assert relevant is not None and relevant.any_of is not None
    assert [(c.item, c.in_) for c in relevant.conditions] == [("q1", ["1"]), ("q2", ["2"])]
    with pytest.raises(XlsFormError) as raised:
        parse_xlsform(workbook("${q1} > 2"), "plain.xlsx")
    [found] = raised.value.problems
    assert found.code == Code.XLSFORM_RELEVANT_UNREADABLE
    assert found.location == "plain.xlsx survey!D4"
    assert "${q1} > 2" in found.message


def test_surveyjs_carries_the_conditions_and_reads_them_back():
    import json

    from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text

    data = json.loads(surveyjs_text(QUESTIONNAIRE))
    assert parse_surveyjs(data, "c.json") == QUESTIONNAIRE
    questions = {e["name"]: e for p in data["pages"] for e in p["elements"]}
    assert questions["site_services"]["visibleIf"] == "{has_site} = 'yes'"
    [crm_link] = [c for c in questions["site_services"]["choices"] if c["value"] == "crm_link"]
    assert crm_link["visibleIf"] == "{tools} contains 'crm'"
    assert questions["practices"]["visibleIf"] == (
        "({governance} anyof ['partial', 'full']) and ({tools} anyof ['crm', 'erp'])"
    )


def test_the_simulator_answers_only_what_is_shown():
    import numpy as np

    from barometre.simulate.respondents import draw_answers

    respondents = pd.DataFrame(
        {
            "respondent_id": [f"r{n}" for n in range(40)],
            "organisation_id": [f"O{n}" for n in range(40)],
            "role": ["dg", "dsi"] * 20,
        }
    )
    organisations = pd.DataFrame(
        {
            "organisation_id": [f"O{n}" for n in range(40)],
            "tech_latent": np.linspace(-2, 2, 40),
            "transfo_latent": np.linspace(2, -2, 40),
            "organisation_type": "OPH",
            "dwellings": 1000,
            "department": "59",
        }
    )
    answers = draw_answers(respondents, organisations, TABLES, np.random.default_rng(3))
    score_answers(answers, TABLES)  # no answer its conditions hide: accepted
    assert (answers["item_id"] == "site_services").any()


def test_a_path_item_may_be_conditional():
    from tests.scoring.test_path_items import PATH_QUESTIONNAIRE

    text = PATH_QUESTIONNAIRE.replace(
        "items:\n  - id: open_data\n    kind: path\n",
        "items:\n  - {id: gate, kind: yesno, dimension: d1, axis: transfo, roles: [dg, dsi],"
        " label: {fr: Ouverture}}\n  - id: open_data\n    kind: path\n"
        '    relevant: {item: gate, in: ["yes"]}\n',
    )
    tables = build_field_tables(parse_questionnaire(text))
    rows = [
        ("o", "r1", "dsi", "gate", "yes"),
        ("o", "r1", "dsi", "open_data", "yes|yes|no"),
        ("o", "r2", "dsi", "gate", "no"),
    ]
    scored = score_answers(responses(rows), tables).set_index(["respondent_id", "field_id"])
    # r1: the path yes, yes, no ends at automatic: no -> 60; r2: not shown -> not applicable
    assert scored.loc[("r1", "open_data"), "score"] == pytest.approx(60.0)
    assert scored.loc[("r2", "open_data"), "status"] == "na"
    with pytest.raises(ResponsesError) as raised:
        score_answers(responses([*rows, ("o", "r2", "dsi", "open_data", "no")]), tables)
    assert [p.code for p in raised.value.problems] == [Code.NOT_RELEVANT]
