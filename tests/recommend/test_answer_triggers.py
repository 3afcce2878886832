"""Sheets triggered by answers: an option chosen (ticked), a status row at most or exactly at a
step of its ladder. Triggered sets and priorities computed by hand; bad sheets give clear
errors naming the file and field; the record of the organisations' answers checked against
the raw answers (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.formatting import NNBSP
from barometre.questionnaire import parse_questionnaire
from barometre.recommend import load_library, recommend
from barometre.recommend.library import LibraryError
from barometre.reports.organisation import build_organisation_report, why_line
from barometre.scoring import score_responses
from barometre.scoring.organisation_answers import (
    ChosenOptions,
    RowAnswer,
    answers_of_responses,
)
from tests.recommend.test_engine import BODY

Q_TEXT = """
id: answers
version: "1"
title: {fr: Déclencheurs par réponse, en: Answer triggers}
roles:
  - {code: direction, label: {fr: Direction, en: Management}}
  - {code: numerique, label: {fr: Numérique, en: Digital}}
dimensions:
  - {id: A, label: {fr: Services, en: Services}}
  - {id: B, label: {fr: Pilotage, en: Steering}}
items:
  - id: collecte
    kind: single
    dimension: A
    axis: tech
    roles: [direction, numerique]
    label: {fr: "Comment vos données sont-elles collectées ?", en: "How are your data collected?"}
    options:
      - {code: papier, label: {fr: Sur papier, en: On paper}, score: 0}
      - {code: tableur, label: {fr: Dans un tableur, en: In a spreadsheet}, score: 40}
      - {code: appli, label: {fr: Dans une application, en: In an application}, score: 100}
  - id: canaux
    kind: multi
    dimension: A
    axis: tech
    roles: [direction, numerique]
    label: {fr: Canaux, en: Channels}
    options:
      - {code: courrier, label: {fr: Courrier, en: Letter}}
      - {code: portail, label: {fr: Portail, en: Portal}}
      - {code: appli, label: {fr: Application, en: App}, weight: 2}
      - {code: aucun, label: {fr: Aucun, en: None}, exclusive: true}
  - id: outils
    kind: status
    dimension: B
    axis: transfo
    roles: [direction, numerique]
    label: {fr: Outils, en: Tools}
    rows:
      - {id: facture, label: {fr: Facturation électronique, en: E-invoicing}}
      - {id: signature, label: {fr: Signature électronique, en: E-signature}}
  - id: sponsor
    kind: yesno
    dimension: B
    axis: transfo
    roles: [direction, numerique]
    reference_role: direction
    label: {fr: Sponsor, en: Sponsor}
  - id: part
    kind: percent
    dimension: B
    axis: transfo
    roles: [direction, numerique]
    label: {fr: Part, en: Share}
    goalposts: {worst: 0, best: 100}
    better: higher
"""

Q = parse_questionnaire(Q_TEXT, "answers.yaml")
# the default ladder: not_considered 0, planned 10, piloting 40, partial 70, generalised 100
FR_OPEN, FR_CLOSE = f"«{NNBSP}", f"{NNBSP}»"


def fr(label: str) -> str:
    return f"{FR_OPEN}{label}{FR_CLOSE}"


def en(label: str) -> str:
    return f"\u201c{label}\u201d"


def sheet(sheet_id: str, triggers: str, effort="M", impact=2, families="[conservateur]") -> str:
    return f"""---
id: {sheet_id}
title: {{fr: Titre {sheet_id}, en: Title {sheet_id}}}
summary: {{fr: Résumé, en: Summary}}
dimensions: [A]
triggers:
{triggers}
effort: {effort}
impact: {impact}
families: {families}
indicators: [{{fr: Un indicateur, en: An indicator}}]
---
{BODY}"""


SHEETS = {
    # an option chosen, among two (effort M: cost 2)
    "collecte": sheet("collecte", "  - {item: collecte, chosen: [papier, tableur]}"),
    # one option given as a code alone; a multi item: ticked (effort S: cost 1)
    "courrier": sheet("courrier", "  - {item: canaux, chosen: courrier}", effort="S", impact=3),
    # a status row at most a step (effort L: cost 3)
    "facture": sheet(
        "facture", "  - {item: outils, row: facture, at_most: planned}", effort="L", impact=3
    ),
    # a status row exactly at a step, with a declared gap
    "signature": sheet(
        "signature", "  - {item: outils, row: signature, exactly: piloting, gap: 50}", impact=1
    ),
    # an option of an item with a reference role
    "sponsor": sheet("sponsor", "  - {item: sponsor, chosen: [no]}", effort="S", impact=1),
}


@pytest.fixture
def library(tmp_path: Path):
    for name, text in SHEETS.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    return load_library(tmp_path, Q)


def rows_of(*people: tuple[str, str, dict[str, str]], org: str = "O1") -> pd.DataFrame:
    """Responses: (respondent, role, {item: answer}) for each person of `org`."""
    return pd.DataFrame(
        [
            (org, person, role, item, answer)
            for person, role, answers in people
            for item, answer in answers.items()
        ],
        columns=["organisation_id", "respondent_id", "role", "item_id", "answer"],
    )


def plan_of(library, responses: pd.DataFrame, family=None, language="fr", answers=True):
    scores = score_responses(Q, responses).to_file().organisation("O1")
    assert scores is not None
    if family is not None:
        scores = scores.model_copy(update={"family": family})
    own = answers_of_responses(Q, responses)["O1"] if answers else None
    return recommend(scores, Q, library, language=language, answers=own)


def triggered(plan) -> dict[str, float]:
    return {r.sheet.id: round(r.priority, 6) for r in plan.triggered}


# --- the organisation's answers ------------------------------------------------------------


def test_the_record_keeps_who_chose_each_option_and_the_consolidated_rows():
    responses = rows_of(
        ("d", "direction", {"collecte": "papier", "canaux": "courrier|portail", "sponsor": "yes"}),
        ("n", "numerique", {"collecte": "appli", "canaux": "courrier", "sponsor": "no"}),
        ("d2", "direction", {"outils.facture": "planned", "outils.signature": "DK"}),
        ("n2", "numerique", {"outils.facture": "generalised"}),
    )
    record = answers_of_responses(Q, responses)["O1"]
    assert record.items["collecte"] == ChosenOptions(counted=2, options={"papier": 1, "appli": 1})
    assert record.items["canaux"] == ChosenOptions(counted=2, options={"courrier": 2, "portail": 1})
    # the reference role (direction) answered: only its answer counts, as in the scores
    assert record.items["sponsor"] == ChosenOptions(counted=1, options={"yes": 1})
    # facture: (10 + 100) / 2 = 55 from two people; signature: don't know, no score
    assert record.rows == {"outils.facture": RowAnswer(score=55.0, counted=2)}


# --- options chosen ------------------------------------------------------------------------


def test_an_option_chosen_by_the_one_respondent_triggers_with_the_item_s_full_gap(library):
    plan = plan_of(library, rows_of(("d", "direction", {"collecte": "papier"})), "timide")
    # collecte: papier is worth 0, gap (100 - 0) / 100 = 1; 2 x 1 / 2 (M) = 1
    assert triggered(plan) == {"collecte": 1.0}
    reason = plan.triggered[0].reasons[0]
    assert (reason.target, reason.respondents, reason.shortfall) == ("option", 1, 100.0)


def test_the_family_factor_applies_as_to_a_score_rule(library):
    plan = plan_of(library, rows_of(("d", "direction", {"collecte": "tableur"})), "conservateur")
    # tableur is worth 40: gap 0.6; 2 x 0.6 / 2 x 1.5 = 0.9
    assert triggered(plan) == {"collecte": 0.9}


def test_one_respondent_of_two_choosing_the_option_is_enough(library):
    responses = rows_of(
        ("d", "direction", {"collecte": "papier"}), ("n", "numerique", {"collecte": "appli"})
    )
    plan = plan_of(library, responses, "timide")
    # consolidated collecte (0 + 100) / 2 = 50: gap 0.5; 2 x 0.5 / 2 = 0.5
    assert triggered(plan) == {"collecte": 0.5}
    why = why_line(plan.triggered[0].reasons[0], "fr")
    assert why == (
        f"Comment vos données sont-elles collectées ? — réponse {fr('Sur papier')} "
        "de 1 des 2 répondants"
    )


def test_no_option_of_the_rule_chosen_triggers_nothing(library):
    responses = rows_of(
        ("d", "direction", {"collecte": "appli"}), ("n", "numerique", {"collecte": "appli"})
    )
    assert triggered(plan_of(library, responses)) == {}


def test_a_ticked_option_of_a_multi_item_triggers(library):
    responses = rows_of(("d", "direction", {"canaux": "courrier|portail"}))
    plan = plan_of(library, responses)
    # canaux: courrier 1 + portail 1 of 1 + 1 + 2 = 50; gap 0.5; 3 x 0.5 / 1 (S) = 1.5
    assert triggered(plan) == {"courrier": 1.5}
    assert why_line(plan.triggered[0].reasons[0], "fr") == (
        f"Canaux{NNBSP}: option {fr('Courrier')} cochée"
    )
    in_english = plan_of(library, responses, language="en")
    assert why_line(in_english.triggered[0].reasons[0], "en") == f"Channels: {en('Letter')} ticked"


def test_an_unticked_option_does_not_trigger(library):
    assert triggered(plan_of(library, rows_of(("d", "direction", {"canaux": "appli"})))) == {}


def test_only_the_reference_role_counts_when_it_answered(library):
    both = rows_of(("d", "direction", {"sponsor": "yes"}), ("n", "numerique", {"sponsor": "no"}))
    assert triggered(plan_of(library, both)) == {}
    alone = rows_of(("n", "numerique", {"sponsor": "no"}))
    # nobody of the reference role answered: the numerique's answer counts; no is worth 0,
    # 1 x 1 / 1 (S) = 1
    assert triggered(plan_of(library, alone)) == {"sponsor": 1.0}


def test_the_declared_gap_replaces_the_item_s(tmp_path):
    text = sheet("collecte", "  - {item: collecte, chosen: [tableur], gap: 25}")
    (tmp_path / "collecte.md").write_text(text, encoding="utf-8")
    plan = plan_of(load_library(tmp_path, Q), rows_of(("d", "direction", {"collecte": "tableur"})))
    # 2 x 0.25 / 2 = 0.25 (the item's own gap would be 0.6)
    assert triggered(plan) == {"collecte": 0.25}


def test_a_score_rule_and_an_answer_rule_of_one_sheet_count_their_largest_gap(tmp_path):
    text = sheet("mixte", "  - {item: part, below: 60}\n  - {item: collecte, chosen: [tableur]}")
    (tmp_path / "mixte.md").write_text(text, encoding="utf-8")
    plan = plan_of(
        load_library(tmp_path, Q),
        rows_of(("d", "direction", {"part": "30", "collecte": "tableur"})),
    )
    # part: 60 - 30 = 30 points; collecte: 100 - 40 = 60 points; gap 0.6; 2 x 0.6 / 2 = 0.6
    assert triggered(plan) == {"mixte": 0.6}
    assert [r.target for r in plan.triggered[0].reasons] == ["item", "option"]


def test_without_the_answers_only_scores_trigger(library):
    responses = rows_of(("d", "direction", {"collecte": "papier", "outils.facture": "planned"}))
    assert triggered(plan_of(library, responses, answers=False)) == {}
    assert not load_library().by_answers  # the sector's library: scores only, as before


# --- status rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # one respondent at planned (10): at most planned; gap 0.9; 3 x 0.9 / 3 (L) = 0.9
        (["planned"], {"facture": 0.9}),
        # not considered (0) is below planned: gap 1; 3 x 1 / 3 = 1
        (["not_considered"], {"facture": 1.0}),
        (["piloting"], {}),
        # two people: (10 + 0) / 2 = 5 <= 10: gap 0.95; 3 x 0.95 / 3 = 0.95
        (["planned", "not_considered"], {"facture": 0.95}),
        # (0 + 40) / 2 = 20 > 10: not at most planned, though one said "not considered"
        (["not_considered", "piloting"], {}),
    ],
)
def test_a_row_at_most_a_step_compares_its_consolidated_score(library, steps, expected):
    people = [
        (f"p{n}", role, {"outils.facture": step})
        for n, (role, step) in enumerate(zip(["direction", "numerique"], steps, strict=False))
    ]
    assert triggered(plan_of(library, rows_of(*people))) == expected


def test_a_row_exactly_at_a_step(library):
    at = plan_of(library, rows_of(("d", "direction", {"outils.signature": "piloting"})))
    # declared gap 50: 1 x 0.5 / 2 (M) = 0.25
    assert triggered(at) == {"signature": 0.25}
    above = plan_of(library, rows_of(("d", "direction", {"outils.signature": "partial"})))
    assert triggered(above) == {}
    # (10 + 70) / 2 = 40: the consolidated row is at piloting's score
    mean = rows_of(
        ("d", "direction", {"outils.signature": "planned"}),
        ("n", "numerique", {"outils.signature": "partial"}),
    )
    assert triggered(plan_of(library, mean)) == {"signature": 0.25}


def test_the_why_line_of_a_row_names_the_answer_and_the_step(library):
    one = plan_of(library, rows_of(("d", "direction", {"outils.facture": "planned"})))
    reason = one.triggered[0].reasons[0]
    assert why_line(reason, "fr") == (
        f"Outils — Facturation électronique{NNBSP}: réponse {fr('Prévu')} (au plus {fr('Prévu')})"
    )
    reason = (
        plan_of(library, rows_of(("d", "direction", {"outils.facture": "planned"})), language="en")
        .triggered[0]
        .reasons[0]
    )
    assert why_line(reason, "en") == (
        f"Tools — E-invoicing: {en('Planned')} answered (at most {en('Planned')})"
    )
    two = rows_of(
        ("d", "direction", {"outils.facture": "planned"}),
        ("n", "numerique", {"outils.facture": "not_considered"}),
    )
    reason = plan_of(library, two, language="en").triggered[0].reasons[0]
    assert why_line(reason, "en") == (
        f"Tools — E-invoicing: on average between {en('Not considered')} and {en('Planned')}, "
        f"consolidated answer (at most {en('Planned')})"
    )


def test_the_report_says_why_in_its_language(library):
    responses = rows_of(("d", "direction", {"collecte": "papier", "part": "80"}))
    scores = score_responses(Q, responses).to_file()
    report = build_organisation_report(
        scores,
        "O1",
        Q,
        library,
        language="en",
        answers=answers_of_responses(Q, responses)["O1"],
    )
    assert report.why["collecte"] == f"How are your data collected? — {en('On paper')} answered."


# --- bad sheets ------------------------------------------------------------------------------


def problems_of(tmp_path: Path, triggers: str) -> list[tuple[str, str]]:
    (tmp_path / "essai.md").write_text(sheet("essai", triggers), encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path, Q)
    # the file is named: by its path when it is read, by its name in the checks between parts
    assert all(p.location.endswith("essai.md") for p in caught.value.problems)
    return [(p.code, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("triggers", "expected"),
    [
        (
            "  - {item: part, chosen: [high]}",
            [
                (
                    "chosen_without_options",
                    "triggers[0].chosen: item 'part' is a percent item, not answered with "
                    "options: 'chosen' needs a scale, single, yesno or multi item (for a status "
                    "table, name its 'row' with 'at_most' or 'exactly')",
                )
            ],
        ),
        (
            "  - {item: outils, chosen: [planned]}",
            [
                (
                    "chosen_without_options",
                    "triggers[0].chosen: item 'outils' is a status item, not answered with "
                    "options: 'chosen' needs a scale, single, yesno or multi item (for a status "
                    "table, name its 'row' with 'at_most' or 'exactly')",
                )
            ],
        ),
        (
            "  - {item: part, below: 50}\n  - {item: collecte, chosen: [papier, fax, stylo]}",
            [
                (
                    "unknown_option_in_sheet",
                    "triggers[1].chosen: item 'collecte' has no option 'fax' "
                    "(its options: papier, tableur, appli)",
                ),
                (
                    "unknown_option_in_sheet",
                    "triggers[1].chosen: item 'collecte' has no option 'stylo' "
                    "(its options: papier, tableur, appli)",
                ),
            ],
        ),
        (
            "  - {item: sponsor, chosen: maybe}",
            [
                (
                    "unknown_option_in_sheet",
                    "triggers[0].chosen: item 'sponsor' has no option 'maybe' "
                    "(its options: yes, no)",
                )
            ],
        ),
        (
            "  - {item: collecte, row: papier, at_most: planned}",
            [
                (
                    "row_not_a_status_table",
                    "triggers[0].row: item 'collecte' is not a status table: 'row' needs one",
                )
            ],
        ),
        (
            "  - {item: outils, row: fax, exactly: deployed}",
            [
                (
                    "unknown_row_in_sheet",
                    "triggers[0].row: status table 'outils' has no row 'fax' "
                    "(its rows: facture, signature)",
                ),
                (
                    "unknown_step_in_sheet",
                    "triggers[0].exactly: 'deployed' is not a step of the ladder of 'outils' "
                    "(its steps: not_considered, planned, piloting, partial, generalised)",
                ),
            ],
        ),
        (
            "  - {item: inconnu, chosen: [papier]}",
            [("unknown_item_in_sheet", "triggers[0]: unknown or unscored item 'inconnu'")],
        ),
    ],
)
def test_an_answer_rule_names_what_its_item_lacks(tmp_path, triggers, expected):
    assert problems_of(tmp_path, triggers) == expected


@pytest.mark.parametrize(
    ("triggers", "reason"),
    [
        ("  - {item: collecte, chosen: [papier], below: 50}", "exactly one of 'below', 'chosen'"),
        ("  - {dimension: A, chosen: [papier]}", "a dimension's trigger is a score"),
        ("  - {item: outils, row: facture}", "exactly one of 'at_most' or 'exactly'"),
        (
            "  - {item: outils, row: facture, at_most: planned, exactly: planned}",
            "exactly one of 'at_most' or 'exactly'",
        ),
        ("  - {item: collecte, chosen: [papier], at_most: planned}", "goes with a status table"),
        ("  - {item: collecte, below: 50, gap: 10}", "'gap' goes with an answer trigger"),
        ("  - {item: collecte, chosen: [papier], gap: 0}", "greater than 0"),
        ("  - {item: collecte, chosen: [papier], gap: 150}", "less than or equal to 100"),
        ("  - {item: collecte, chosen: []}", "at least 1 item"),
        ("  - {item: collecte}", "exactly one of 'below', 'chosen'"),
    ],
)
def test_a_rule_of_the_wrong_shape_is_refused_naming_its_field(tmp_path, triggers, reason):
    [(code, message)] = problems_of(tmp_path, triggers)
    assert code == "invalid_field"
    assert message.startswith("triggers.0")
    assert reason in message


def test_bare_yes_no_and_numbers_are_option_codes(tmp_path):
    # YAML reads `no` as false and `3` as a number: they are the codes "no" and "3"
    text = sheet("essai", "  - {item: sponsor, chosen: [yes, no]}")
    (tmp_path / "essai.md").write_text(text, encoding="utf-8")
    [essai] = load_library(tmp_path, Q).sheets
    assert essai.triggers[0].chosen == ["yes", "no"]


# --- the record against the raw answers (property) --------------------------------------------

LADDER = {"not_considered": 0, "planned": 10, "piloting": 40, "partial": 70, "generalised": 100}
person = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["direction", "numerique"]),
        "collecte": st.sampled_from(["papier", "tableur", "appli", "NA", "DK", ""]),
        "canaux": st.one_of(
            st.lists(
                st.sampled_from(["courrier", "portail", "appli"]), unique=True, max_size=3
            ).map("|".join),
            st.sampled_from(["aucun", "DK"]),
        ),
        "sponsor": st.sampled_from(["yes", "no", ""]),
        "outils.facture": st.sampled_from([*LADDER, "DK", ""]),
    }
)
organisations = st.lists(st.lists(person, min_size=1, max_size=4), min_size=1, max_size=3)


def _table(orgs: list[list[dict[str, str]]]) -> pd.DataFrame:
    rows = []
    for o, people in enumerate(orgs):
        for p, answers in enumerate(people):
            for item, answer in answers.items():
                if item != "role":
                    rows.append((f"O{o}", f"O{o}-P{p}", answers["role"], item, answer))
    return pd.DataFrame(
        rows, columns=["organisation_id", "respondent_id", "role", "item_id", "answer"]
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs=organisations, seed=st.randoms(use_true_random=False))
def test_the_record_tells_what_the_counted_respondents_answered(orgs, seed):
    table = _table(orgs)
    records = answers_of_responses(Q, table)
    shuffled = table.sample(frac=1.0, random_state=seed.randint(0, 2**31)).reset_index(drop=True)
    assert answers_of_responses(Q, shuffled) == records  # the order of rows changes nothing
    for o, people in enumerate(orgs):
        record = records.get(f"O{o}")
        chosen = record.items if record else {}
        # collecte: no reference role, every respondent with an option counts
        options = [p["collecte"] for p in people if p["collecte"] in ("papier", "tableur", "appli")]
        if options:
            expected = {c: options.count(c) for c in set(options)}
            assert chosen["collecte"] == ChosenOptions(len(options), expected)
        else:
            assert "collecte" not in chosen
        # canaux: each tick counted once per respondent
        ticking = [p["canaux"].split("|") for p in people if p["canaux"] not in ("", "DK")]
        if ticking:
            ticks = [t for codes in ticking for t in codes]
            assert chosen["canaux"].counted == len(ticking)
            assert dict(chosen["canaux"].options) == {t: ticks.count(t) for t in set(ticks)}
        # sponsor: the direction's answers when the direction answered, else everyone's
        said = [p for p in people if p["sponsor"]]
        counted = [p for p in said if p["role"] == "direction"] or said
        if counted:
            assert chosen["sponsor"].counted == len(counted)
        # facture: the mean of the ladder scores of those who answered a step
        steps = [LADDER[p["outils.facture"]] for p in people if p["outils.facture"] in LADDER]
        rows = record.rows if record else {}
        if steps:
            assert rows["outils.facture"].counted == len(steps)
            assert rows["outils.facture"].score == pytest.approx(sum(steps) / len(steps))
        else:
            assert "outils.facture" not in rows


@pytest.fixture(scope="module")
def collecte_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sheets")
    (folder / "collecte.md").write_text(SHEETS["collecte"], encoding="utf-8")
    return load_library(folder, Q)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(person, min_size=1, max_size=4))
def test_an_option_rule_holds_when_one_respondent_chose_it(collecte_only, people):
    library = collecte_only
    table = _table([people]).replace({"O0": "O1"})
    if not (table["answer"] != "").any():
        return
    scores = score_responses(Q, table).to_file().organisation("O1")
    record = answers_of_responses(Q, table).get("O1")
    plan = recommend(scores, Q, library, answers=record)
    chose = any(p["collecte"] in ("papier", "tableur") for p in people)
    assert bool(plan.triggered) == chose
    if chose:
        # the gap is the consolidated item score's shortfall to 100
        item = scores.items["collecte"]
        assert plan.triggered[0].gap == pytest.approx((100 - item) / 100)


# --- the command line ---------------------------------------------------------------------


def test_the_report_command_reads_the_answers_from_the_responses_file(tmp_path, library):
    from typer.testing import CliRunner

    from barometre.cli.main import app

    questionnaire = tmp_path / "answers.yaml"
    questionnaire.write_text(Q_TEXT, encoding="utf-8")
    responses = tmp_path / "responses.csv"
    rows_of(("d", "direction", {"collecte": "papier", "part": "80"})).to_csv(responses, index=False)
    scores = tmp_path / "scores.json"
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "collecte.md").write_text(SHEETS["collecte"], encoding="utf-8")
    runner = CliRunner()
    common = ["-q", str(questionnaire), "--practices", str(sheets), "--language", "en"]
    made = runner.invoke(
        app,
        ["score", "-q", str(questionnaire), "--responses", str(responses), "--out", str(scores)],
    )
    assert made.exit_code == 0, made.output
    out = tmp_path / "O1.html"
    base = ["report", "organisation", "--scores", str(scores), "--organisation", "O1"]
    told = runner.invoke(app, [*base, "--out", str(out), *common, "--responses", str(responses)])
    assert told.exit_code == 0, told.output
    assert "Title collecte" in out.read_text(encoding="utf-8")
    # without the answers: only scores trigger, and the command says so
    bare = tmp_path / "bare.html"
    untold = runner.invoke(app, [*base, "--out", str(bare), *common])
    assert untold.exit_code == 0, untold.output
    assert "without --responses only scores trigger sheets" in untold.output
    assert "Title collecte" not in bare.read_text(encoding="utf-8")
