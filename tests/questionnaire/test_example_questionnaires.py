"""The two example questionnaires (`example-data-pathway`, `example-digital-services`) and the
example library of best-practice sheets: they validate, travel through the YAML writer,
XLSForm and SurveyJS unchanged, score as worked out by hand below, trigger their sheets as
worked out by hand, and go through the command line (simulate, score, report).

Every expected value is computed by hand from the YAML files in
`src/barometre/content/questionnaires/` (the arithmetic in the comments), never copied from
the engine's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.errors import ResponsesError
from barometre.files import csv_text
from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text
from barometre.interop.xlsform import parse_xlsform, xlsform_bytes
from barometre.questionnaire import load_questionnaire, parse_questionnaire
from barometre.questionnaire.loader import BUILTIN, builtin_path
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.recommend import load_library, recommend
from barometre.scoring import score_responses
from barometre.scoring.organisation_answers import answers_of_responses
from barometre.simulate import simulate_sector
from tests.helpers import ROOT

EXAMPLES = ("example-data-pathway", "example-digital-services")
LIBRARY = ROOT / "src/barometre/content/practices-examples/example-digital-services"
COLUMNS = ["organisation_id", "respondent_id", "role", "item_id", "answer"]
runner = CliRunner()


def table(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def organisations(questionnaire: str, rows) -> dict:
    scores = score_responses(load_questionnaire(questionnaire), table(rows)).to_file()
    return {o.organisation_id: o for o in scores.organisations}


# --- both examples: built in, valid, the same through every interchange format --------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_is_built_in_and_validates(name: str):
    assert BUILTIN[name] == f"{name}.yaml" and builtin_path(name).is_file()
    result = runner.invoke(app, ["questionnaire", "validate", name])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{name} 1: ")
    # the header says what it is: an example of the project, its licence, not anyone's model
    header = builtin_path(name).read_text(encoding="utf-8").split("\nid: ")[0]
    assert "EXAMPLE written for the project" in header
    assert "EUPL-1.2" in header and "not a real" in header


def test_the_data_pathway_uses_the_features_it_shows():
    q = load_questionnaire("example-data-pathway")
    method = q.methodology
    assert (q.languages, q.default_language) == (["en", "fr"], "en")
    assert method.typology is None and method.levels_closed == "upper"
    assert method.missing_as_zero is True
    assert [d.missing_as_zero for d in q.dimensions] == [None, None, False]
    assert [level.min for level in method.levels] == [0, 30, 60, 85]
    assert [i.id for i in q.items if i.kind == "path"] == ["col_pathway", "sha_pathway"]
    paper = next(o for o in q.item("col_sources").options if o.code == "paper")
    assert (paper.exclusive, paper.weight, paper.score) == (True, 1, 40)


def test_the_digital_services_use_the_features_they_show():
    q = load_questionnaire("example-digital-services")
    typology = q.methodology.typology
    assert (q.languages, q.default_language) == (["fr", "en"], "fr")
    assert typology is not None and typology.axes is not None
    assert [(a.id, a.threshold) for a in typology.axes] == [("offre", 50), ("organisation", 40)]
    assert q.methodology.levels_closed == "lower"
    assert q.item("dem_procedures").relevant is not None
    assert q.item("acc_feedback").relevant is not None
    assert q.item("acc_feedback").relevant.any_of is not None
    assert next(o for o in q.item("dem_procedures").options if o.code == "paiement").relevant
    assert q.item("dem_online_share").reference_role == "accueil"
    assert [r.id for r in q.item("dem_status").rows] == ["accuse", "suivi", "notification"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_reads_back_the_same_from_yaml_xlsform_and_surveyjs(name: str):
    q = load_questionnaire(name)
    assert parse_questionnaire(questionnaire_yaml(q), "written.yaml") == q
    assert parse_xlsform(xlsform_bytes(q), "form.xlsx") == q
    assert parse_surveyjs(json.loads(surveyjs_text(q)), "form.json") == q


# --- example-data-pathway, scored by hand ----------------------------------------------------
#
# Scores of its answers (from the YAML):
#   col_pathway  path, collect, weight 2 (manager, data):
#                digital: no → 0; partly → 20; yes → once: no → 45; yes → checks: no → 70,
#                yes → 100
#   col_sources  multi, collect (data): web_form 1, app 2, import 1, paper exclusive with
#                weight 1 and score 40, none exclusive (no weight, 0);
#                denominator 1 + 2 + 1 + 1 = 5
#   col_backup   yesno, collect (data)
#   sha_pathway  path, share, weight 2 (manager, data): shared: no → 0; yes → form:
#                document → 20, table → 50, service → terms: no → 75, yes → 100
#   sha_requests single, share (manager): ad_hoc 0, procedure 50, catalogue 100
#   sha_feedback yesno, share (manager, data)
#   peo_owner    yesno, people (manager); peo_skills scale of 5, linear 0/25/50/75/100
#                (manager, data); peo_time single, people (manager): 0 / 40 / 100
# collect and share count an unanswered (or DK) item 0 (methodology missing_as_zero: true);
# people overrides it (missing_as_zero: false): coverage rule, 65 % of the weight answered.
# Levels closed above: starting [0, 30], developing (30, 60], established (60, 85],
# leading (85, 100]. No typology.

PATHWAY = [
    # A: a manager and a data contact
    ("A", "A-M", "manager", "col_pathway", "yes|yes|yes"),  # reaches the last step: 100
    ("A", "A-D", "data", "col_pathway", "no"),  # ends at the first step: 0
    ("A", "A-D", "data", "col_sources", "paper"),  # the weighted exclusive option
    # col_backup: the data contact leaves it empty
    ("A", "A-M", "manager", "sha_pathway", "yes|document"),
    ("A", "A-D", "data", "sha_pathway", "yes|document"),
    ("A", "A-M", "manager", "sha_requests", "catalogue"),
    ("A", "A-M", "manager", "sha_feedback", "yes"),
    ("A", "A-D", "data", "sha_feedback", "yes"),
    ("A", "A-M", "manager", "peo_owner", "yes"),
    ("A", "A-M", "manager", "peo_skills", "2"),
    ("A", "A-D", "data", "peo_skills", "4"),
    # peo_time: the manager leaves it empty
    # B: a manager alone (no data contact)
    ("B", "B-M", "manager", "col_pathway", "partly"),  # ends at the first step: 20
    ("B", "B-M", "manager", "sha_pathway", "yes"),  # stopped before an ending answer
    ("B", "B-M", "manager", "sha_requests", "procedure"),
    ("B", "B-M", "manager", "sha_feedback", "DK"),
    ("B", "B-M", "manager", "peo_owner", "no"),
]


def test_the_data_pathway_scores_as_worked_out_by_hand():
    orgs = organisations("example-data-pathway", PATHWAY)
    a, b = orgs["A"], orgs["B"]

    # A, items (mean of the respondents who scored):
    #   col_pathway  (100 + 0) / 2 = 50
    #   col_sources  paper: 100 × (1 × 40 / 100) / 5 = 8
    #   col_backup   unanswered by the data contact it is asked of: 0 (missing_as_zero)
    #   sha_pathway  (20 + 20) / 2 = 20; sha_requests 100; sha_feedback (100 + 100) / 2 = 100
    #   peo_owner 100; peo_skills (50 + 100) / 2 = 75; peo_time unanswered: None (people
    #   keeps the coverage rule)
    assert a.items == {
        "col_pathway": 50.0,
        "col_sources": 8.0,
        "col_backup": 0.0,
        "sha_pathway": 20.0,
        "sha_requests": 100.0,
        "sha_feedback": 100.0,
        "peo_owner": 100.0,
        "peo_skills": 75.0,
        "peo_time": None,
    }
    # collect = (50 × 2 + 8 × 1 + 0 × 1) / (2 + 1 + 1) = 108 / 4 = 27 → starting
    # share   = (20 × 2 + 100 + 100) / 4 = 240 / 4 = 60, exactly the bound of established:
    #           closed above, (30, 60] → developing (closed below it would be established)
    # people  : coverage 2 / 3 = 0.667 ≥ 0.65 → (100 + 75) / 2 = 87.5 → leading
    #           (had people counted the unanswered peo_time 0: 175 / 3 = 58.3)
    assert {k: (d.score, d.level, d.coverage) for k, d in a.dimensions.items()} == {
        "collect": (27.0, "starting", 1.0),
        "share": (60.0, "developing", 1.0),
        "people": (87.5, "leading", pytest.approx(2 / 3)),
    }
    # global = (27 + 60 + 87.5) / 3 = 174.5 / 3 = 58.1667 → developing
    assert a.global_index == pytest.approx(174.5 / 3)
    assert a.level == "developing"
    # no typology: no family, no axis
    assert (a.family, a.borderline, a.axes.tech, a.axes.transfo) == (None, None, None, None)

    # B, a manager alone:
    #   col_pathway partly: 20; col_sources and col_backup are asked only of the data role,
    #   of which B sent nobody: they leave the denominator (not 0) → collect = 20 → starting
    #   sha_pathway "yes" stops before an ending answer: missing, so 0; sha_feedback DK: 0;
    #   share = (0 × 2 + 50 + 0) / 4 = 12.5 → starting
    #   people: peo_owner 0 only, coverage 1 / 3 < 0.65 → no score; hence no global index
    assert b.items["col_sources"] is None and b.items["col_backup"] is None
    assert (b.items["sha_pathway"], b.items["sha_feedback"]) == (0.0, 0.0)
    assert {k: (d.score, d.level) for k, d in b.dimensions.items()} == {
        "collect": (20.0, "starting"),
        "share": (12.5, "starting"),
        "people": (None, None),
    }
    assert b.dimensions["people"].coverage == pytest.approx(1 / 3)
    assert (b.global_index, b.level) == (None, None)


# --- example-digital-services, scored by hand ------------------------------------------------
#
# Scores of its answers (from the YAML):
#   demarches:
#     dem_portal       yesno, offre
#     dem_tools        multi, offre: suivi_demandes, paiement, signature (weight 1 each),
#                      aucun exclusive (0): 100 × ticked / 3
#     dem_procedures   multi, offre, shown only when dem_portal = yes: rendez_vous 1,
#                      inscription 1, signalement 1, paiement 2 offered only to a respondent
#                      who ticked paiement in dem_tools: 100 × ticked / 5, or / 3 without it
#     dem_status       status, offre, default ladder (not_considered 0, planned 10,
#                      piloting 40, partial 70, generalised 100); rows accuse 1, suivi 1,
#                      notification 2: field weights 0.25, 0.25, 0.5
#     dem_online_share percent, organisation, 0 → 0 and 80 → 100 (score = value × 100 / 80);
#                      the accueil role's figure is the organisation's
#   accompagnement:
#     acc_help         single, organisation: aucun 0, ponctuel 50, permanence 100
#     acc_training     scale of 5, organisation (accueil only): 0 / 25 / 50 / 75 / 100
#     acc_feedback     yesno, offre, shown when dem_portal = yes OR acc_help = permanence
#   pilotage (direction only):
#     pil_plan         scale, organisation: aucun 0, projet 30, ecrit 60, suivi 100
#     pil_budget       single, organisation: aucun 0, annuel 50, pluriannuel 100
#     pil_indicators   yesno, organisation, shown when pil_plan is ecrit or suivi
# Coverage 65 %, default levels closed below: [0, 25) tres_faible, [25, 50) faible,
# [50, 75) intermediaire, [75, 100] avancee. Axes: offre (first, threshold 50) and
# organisation (second, threshold 40).

SERVICES = [
    # P: the director and a front-desk agent
    ("P", "P-D", "direction", "dem_portal", "yes"),
    ("P", "P-D", "direction", "dem_tools", "suivi_demandes|paiement"),
    ("P", "P-D", "direction", "dem_procedures", "rendez_vous|paiement"),  # paiement offered
    ("P", "P-D", "direction", "dem_status.accuse", "generalised"),
    ("P", "P-D", "direction", "dem_status.suivi", "partial"),
    ("P", "P-D", "direction", "dem_status.notification", "piloting"),
    ("P", "P-D", "direction", "dem_online_share", "50"),
    ("P", "P-D", "direction", "acc_help", "permanence"),
    ("P", "P-D", "direction", "acc_feedback", "yes"),
    ("P", "P-D", "direction", "pil_plan", "ecrit"),
    ("P", "P-D", "direction", "pil_budget", "annuel"),
    ("P", "P-D", "direction", "pil_indicators", "yes"),  # shown: pil_plan = ecrit
    ("P", "P-A", "accueil", "dem_portal", "yes"),
    ("P", "P-A", "accueil", "dem_tools", "suivi_demandes"),
    ("P", "P-A", "accueil", "dem_procedures", "rendez_vous|inscription"),  # paiement hidden
    ("P", "P-A", "accueil", "dem_status.accuse", "generalised"),
    ("P", "P-A", "accueil", "dem_status.suivi", "planned"),
    ("P", "P-A", "accueil", "dem_status.notification", "piloting"),
    ("P", "P-A", "accueil", "dem_online_share", "40"),
    ("P", "P-A", "accueil", "acc_help", "ponctuel"),
    ("P", "P-A", "accueil", "acc_training", "3"),
    ("P", "P-A", "accueil", "acc_feedback", "no"),
    # Q: the director alone
    ("Q", "Q-D", "direction", "dem_portal", "no"),  # dem_procedures hidden
    ("Q", "Q-D", "direction", "dem_tools", "aucun"),
    ("Q", "Q-D", "direction", "dem_status.accuse", "partial"),
    ("Q", "Q-D", "direction", "dem_status.suivi", "not_considered"),
    ("Q", "Q-D", "direction", "dem_status.notification", "planned"),
    ("Q", "Q-D", "direction", "dem_online_share", "30"),
    ("Q", "Q-D", "direction", "acc_help", "permanence"),
    ("Q", "Q-D", "direction", "acc_feedback", "yes"),  # shown by any_of's second condition
    ("Q", "Q-D", "direction", "pil_plan", "projet"),  # pil_indicators hidden
    ("Q", "Q-D", "direction", "pil_budget", "aucun"),
    # R: a front-desk agent alone, who answered little
    ("R", "R-A", "accueil", "dem_portal", "no"),
    ("R", "R-A", "accueil", "acc_help", "aucun"),  # acc_feedback hidden (neither condition)
    ("R", "R-A", "accueil", "acc_training", "1"),
    ("R", "R-A", "accueil", "dem_status.suivi", "planned"),
]


def test_the_digital_services_score_as_worked_out_by_hand():
    orgs = organisations("example-digital-services", SERVICES)
    p, q, r = orgs["P"], orgs["Q"], orgs["R"]

    # P, items:
    #   dem_portal 100; dem_tools (100 × 2/3 + 100 × 1/3) / 2 = 50
    #   dem_procedures: P-D, paiement offered: 100 × (1 + 2) / 5 = 60; P-A did not tick
    #     paiement in dem_tools, so the option is hidden: 100 × 2 / 3 = 66.667;
    #     (60 + 200/3) / 2 = 190/3 = 63.333
    #   dem_status (its rows: accuse 100, suivi (70 + 10) / 2 = 40, notification 40):
    #     0.25 × 100 + 0.25 × 40 + 0.5 × 40 = 25 + 10 + 20 = 55
    #   dem_online_share: the accueil figure 40 → 40 × 100 / 80 = 50 (the director's 50,
    #     worth 62.5, does not count)
    #   acc_help (100 + 50) / 2 = 75; acc_training 75; acc_feedback (100 + 0) / 2 = 50
    #   pil_plan 60; pil_budget 50; pil_indicators 100
    assert p.items == pytest.approx(
        {
            "dem_portal": 100.0,
            "dem_tools": 50.0,
            "dem_procedures": 190 / 3,
            "dem_status": 55.0,
            "dem_online_share": 50.0,
            "acc_help": 75.0,
            "acc_training": 75.0,
            "acc_feedback": 50.0,
            "pil_plan": 60.0,
            "pil_budget": 50.0,
            "pil_indicators": 100.0,
        }
    )
    # demarches = (100 + 50 + 190/3 + 55 + 50) / 5 = (255 + 190/3) / 5 = 955/15 = 63.667
    # accompagnement = (75 + 75 + 50) / 3 = 66.667; pilotage = (60 + 50 + 100) / 3 = 70
    # global = (955/15 + 200/3 + 70) / 3 = (955 + 1000 + 1050) / 45 = 3005/45 = 66.778
    assert {k: d.score for k, d in p.dimensions.items()} == pytest.approx(
        {"demarches": 955 / 15, "accompagnement": 200 / 3, "pilotage": 70.0}
    )
    assert [d.level for d in p.dimensions.values()] == ["intermediaire"] * 3
    assert (p.global_index, p.level) == (pytest.approx(3005 / 45), "intermediaire")
    # offre = dem_portal, dem_tools, dem_procedures, dem_status, acc_feedback:
    #   (100 + 50 + 190/3 + 55 + 50) / 5 = 955/15 = 63.667 ≥ 50
    # organisation = dem_online_share, acc_help, acc_training, pil_plan, pil_budget,
    #   pil_indicators: (50 + 75 + 75 + 60 + 50 + 100) / 6 = 410/6 = 68.333 ≥ 40 → pionnier
    assert (p.axes.tech, p.axes.transfo) == (pytest.approx(955 / 15), pytest.approx(410 / 6))
    assert p.family == "pionnier"

    # Q, the director alone:
    #   demarches: dem_portal 0, dem_tools aucun 0, dem_procedures hidden (not applicable:
    #     out of the denominator), dem_status 0.25 × 70 + 0.25 × 0 + 0.5 × 10 = 22.5,
    #     dem_online_share: no accueil figure, the director's 30 → 37.5;
    #     (0 + 0 + 22.5 + 37.5) / 4 = 15, coverage 4 / 4 → tres_faible
    #   accompagnement: acc_help 100, acc_training (accueil only, nobody) missing,
    #     acc_feedback shown (acc_help = permanence) 100: coverage 2 / 3 = 0.667 ≥ 0.65,
    #     (100 + 100) / 2 = 100 → avancee
    #   pilotage: pil_plan 30, pil_budget 0, pil_indicators hidden: (30 + 0) / 2 = 15
    #   global = (15 + 100 + 15) / 3 = 43.333 → faible
    assert (q.items["dem_procedures"], q.items["pil_indicators"]) == (None, None)
    assert {k: (d.score, d.level, d.coverage) for k, d in q.dimensions.items()} == {
        "demarches": (15.0, "tres_faible", 1.0),
        "accompagnement": (100.0, "avancee", pytest.approx(2 / 3)),
        "pilotage": (15.0, "tres_faible", 1.0),
    }
    assert (q.global_index, q.level) == (pytest.approx(130 / 3), "faible")
    # offre = (0 + 0 + 22.5 + 100) / 4 = 30.625 < 50 (dem_procedures out)
    # organisation: dem_online_share 37.5, acc_help 100, acc_training missing, pil_plan 30,
    #   pil_budget 0, pil_indicators out: coverage 4 / 5 = 0.8; (37.5 + 100 + 30 + 0) / 4
    #   = 41.875 ≥ 40 → prudent (a threshold of 50 would have made it conservateur)
    assert (q.axes.tech, q.axes.transfo) == (30.625, 41.875)
    assert q.axes_coverage.transfo == pytest.approx(0.8)
    assert q.family == "prudent"

    # R, an agent alone: acc_feedback hidden (dem_portal = no and acc_help = aucun), so
    # accompagnement = (0 + 25) / 2 = 12.5; demarches: scored 1 (dem_portal) + 0.25 (suivi)
    # of 1 + 1 + 0.25 × 2 + 0.5 + 1 = 4 applicable: coverage 0.3125 < 0.65, no score
    assert r.items["acc_feedback"] is None
    assert (r.dimensions["accompagnement"].score, r.dimensions["demarches"].score) == (12.5, None)
    assert r.dimensions["demarches"].coverage == pytest.approx(0.3125)
    assert (r.global_index, r.family) == (None, None)


def test_answers_the_conditions_hide_are_refused():
    # P-A did not tick paiement in dem_tools: the option is not offered to them
    rows = [row for row in SERVICES if row[0] == "P"]
    rows = [
        (*row[:4], "rendez_vous|paiement")
        if row[1:4] == ("P-A", "accueil", "dem_procedures")
        else row
        for row in rows
    ]
    with pytest.raises(ResponsesError) as caught:
        score_responses(load_questionnaire("example-digital-services"), table(rows))
    assert [p.code for p in caught.value.problems] == ["option_not_relevant"]
    # Q answered dem_portal no: dem_procedures may not be answered
    rows = [*(row for row in SERVICES if row[0] == "Q")]
    rows.append(("Q", "Q-D", "direction", "dem_procedures", "rendez_vous"))
    with pytest.raises(ResponsesError) as caught:
        score_responses(load_questionnaire("example-digital-services"), table(rows))
    assert [p.code for p in caught.value.problems] == ["not_relevant"]


# --- invariants on simulated answers ---------------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), respondents=st.integers(1, 3))
def test_simulated_answers_score_within_bounds_and_the_family_is_the_named_quadrant(
    seed: int, respondents: int
):
    q = load_questionnaire("example-digital-services")
    sector = simulate_sector(
        q, organisations=12, response_rate=1.0, seed=seed,
        respondents_per_organisation=respondents,
    )  # fmt: skip
    for o in score_responses(q, sector.responses).to_file().organisations:
        values = [o.global_index, *(d.score for d in o.dimensions.values()), *o.items.values()]
        assert all(0 <= v <= 100 for v in values if v is not None)
        if o.axes.tech is None or o.axes.transfo is None:
            assert o.family is None
            continue
        # first axis (offre) against 50, second (organisation) against 40
        quadrant = {
            (True, True): "pionnier",
            (True, False): "timide",
            (False, False): "conservateur",
            (False, True): "prudent",
        }[(o.axes.tech >= 50, o.axes.transfo >= 40)]
        assert o.family == quadrant


# --- the example library of best-practice sheets --------------------------------------------
#
#   mediation-numerique  acc_help chosen aucun; effort S (cost 1), impact 3,
#                        families timide, conservateur
#   suivi-des-demandes   dem_status row suivi at most planned (10); effort M (2), impact 2,
#                        families timide, pionnier
#   feuille-de-route     dimension pilotage below 50; effort M (2), impact 2,
#                        families conservateur, prudent
# priority = impact × gap / effort cost × family factor (1.5 when the family fits, else 1)


def plan_of(organisation: str):
    q = load_questionnaire("example-digital-services")
    library = load_library(LIBRARY, q)
    responses = table(SERVICES)
    scores = score_responses(q, responses).to_file().organisation(organisation)
    assert scores is not None
    answers = answers_of_responses(q, responses)[organisation]
    return recommend(scores, q, library, language="en", answers=answers)


def priorities(organisation: str) -> dict[str, float]:
    return {r.sheet.id: round(r.priority, 9) for r in plan_of(organisation).triggered}


def test_the_example_library_loads_against_its_questionnaire():
    q = load_questionnaire("example-digital-services")
    library = load_library(LIBRARY, q)
    assert sorted(s.id for s in library.sheets) == [
        "feuille-de-route",
        "mediation-numerique",
        "suivi-des-demandes",
    ]
    result = runner.invoke(
        app, ["practices", "validate", str(LIBRARY), "-q", "example-digital-services"]
    )
    assert result.exit_code == 0, result.output


def test_the_answer_and_row_triggers_fire_as_worked_out_by_hand():
    # R: acc_help aucun chosen → mediation-numerique, gap (100 − 0) / 100 = 1, no family:
    #   3 × 1 / 1 = 3; dem_status.suivi planned (10 ≤ 10) → suivi-des-demandes, gap
    #   (100 − 10) / 100 = 0.9: 2 × 0.9 / 2 = 0.9; pilotage has no score: no rule on it holds
    assert priorities("R") == {"mediation-numerique": 3.0, "suivi-des-demandes": 0.9}
    # Q (prudent): suivi not_considered 0 ≤ 10 → gap 1: 2 × 1 / 2 = 1 (prudent not among
    #   timide, pionnier); pilotage 15 < 50 → gap (50 − 15) / 100 = 0.35, prudent fits:
    #   2 × 0.35 / 2 × 1.5 = 0.525; acc_help permanence: mediation-numerique does not fire
    assert priorities("Q") == {"suivi-des-demandes": 1.0, "feuille-de-route": 0.525}
    # P: suivi (70 + 10) / 2 = 40 > 10, acc_help not aucun, pilotage 70 ≥ 50: nothing
    assert priorities("P") == {}


# --- the command line ------------------------------------------------------------------------


def test_simulate_then_score_the_digital_services(tmp_path: Path):
    out = tmp_path / "sector"
    result = runner.invoke(
        app,
        [
            "simulate",
            "-q",
            "example-digital-services",
            "-n",
            "30",
            "--seed",
            "5",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        [
            "score",
            "-q",
            "example-digital-services",
            "-r",
            str(out / "responses.csv"),
            "-o",
            str(scores),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["questionnaire"]["id"] == "example-digital-services"
    assert data["methodology"]["typology"]["axes"][0]["id"] == "offre"
    assert data["organisations"]


def test_simulate_then_score_the_data_pathway(tmp_path: Path):
    # its roles are not those of hlm-2026: respondents are drawn in turn from its own roles
    out = tmp_path / "sector"
    result = runner.invoke(
        app,
        [
            "simulate", "-q", "example-data-pathway", "-n", "30", "--seed", "5",
            "--respondents", "2", "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        [
            "score",
            "-q",
            "example-data-pathway",
            "-r",
            str(out / "responses.csv"),
            "-o",
            str(scores),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["methodology"]["typology"] is None
    assert all("family" not in o for o in data["organisations"])


def test_the_organisation_report_shows_the_sheets_the_answers_trigger(tmp_path: Path):
    responses = tmp_path / "responses.csv"
    responses.write_text(csv_text(table(SERVICES)), encoding="utf-8")
    scores = tmp_path / "scores.json"
    result = runner.invoke(
        app,
        ["score", "-q", "example-digital-services", "-r", str(responses), "-o", str(scores)],
    )
    assert result.exit_code == 0, result.output
    report = tmp_path / "R.html"
    result = runner.invoke(
        app,
        [
            "report", "organisation", "--scores", str(scores), "--organisation", "R",
            "--out", str(report), "--language", "en", "--practices", str(LIBRARY),
            "--responses", str(responses),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    # both sheets triggered by R's answers (see above), in the reader's language
    assert "Organise regular help with online procedures" in html
    assert "Let people follow their request online" in html
    assert "Write a roadmap for the online services" not in html
