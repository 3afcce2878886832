"""Path items (`kind: path`): structure checks, scoring by hand, answers refused.

Scores of each path of `PATH_QUESTIONNAIRE`, worked out from its YAML:
  open_data  publish: no → 0; yes → machine: no → 30; yes → automatic: no → 60, yes → 100
  branching  a: x → 10; y → c (b is jumped over); z → b
             b: p → 40; q → c
             c: r → 70; s → 90
  notes      an unscored path (scored: false): answered, never scored
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import Code, QuestionnaireError, ResponsesError
from barometre.questionnaire import build_field_tables, parse_questionnaire
from barometre.questionnaire.paths import compose, follow, reached, split_path
from barometre.scoring import score_responses
from barometre.scoring.answer_check import AnswerRules
from barometre.scoring.answers import score_answers

PATH_QUESTIONNAIRE = """
id: paths
version: "1"
title: {fr: Parcours}
roles:
  - {code: dg, label: {fr: Direction}}
  - {code: dsi, label: {fr: Numérique}}
dimensions:
  - {id: d1, label: {fr: Données}}
items:
  - id: open_data
    kind: path
    dimension: d1
    axis: tech
    roles: [dg, dsi]
    label: {fr: Données ouvertes, en: Open data}
    steps:
      - id: publish
        label: {fr: "Publiez-vous des données ouvertes ?", en: "Do you publish open data?"}
        help: {fr: "Sur data.gouv.fr ou votre site.", en: "On data.gouv.fr or your site."}
        options:
          - {code: "no", label: {fr: Non, en: "No"}, score: 0}
          - {code: "yes", label: {fr: Oui, en: "Yes"}, next: machine}
      - id: machine
        label: {fr: "Sont-elles lisibles par machine ?", en: "Are they machine-readable?"}
        options:
          - {code: "no", label: {fr: Non, en: "No"}, score: 30}
          - {code: "yes", label: {fr: Oui, en: "Yes"}, next: automatic}
      - id: automatic
        label: {fr: "Sont-elles mises à jour automatiquement ?", en: "Updated automatically?"}
        options:
          - {code: "no", label: {fr: Non, en: "No"}, score: 60}
          - {code: "yes", label: {fr: Oui, en: "Yes"}, score: 100}
  - id: branching
    kind: path
    dimension: d1
    axis: transfo
    weight: 3
    roles: [dg]
    label: {fr: Embranchements}
    steps:
      - id: a
        label: {fr: A}
        options:
          - {code: x, label: {fr: x}, score: 10}
          - {code: y, label: {fr: y}, next: c}
          - {code: z, label: {fr: z}, next: b}
      - id: b
        label: {fr: B}
        options:
          - {code: p, label: {fr: p}, score: 40}
          - {code: q, label: {fr: q}, next: c}
      - id: c
        label: {fr: C}
        options:
          - {code: r, label: {fr: r}, score: 70}
          - {code: s, label: {fr: s}, score: 90}
  - id: notes
    kind: path
    scored: false
    roles: [dg]
    label: {fr: Non noté}
    steps:
      - id: one
        label: {fr: Un}
        options:
          - {code: "no", label: {fr: Non}, score: 0}
          - {code: "yes", label: {fr: Oui}, next: two}
      - id: two
        label: {fr: Deux}
        options:
          - {code: "no", label: {fr: Non}, score: 50}
          - {code: "yes", label: {fr: Oui}, score: 100}
"""

QUESTIONNAIRE = parse_questionnaire(PATH_QUESTIONNAIRE, "paths")
TABLES = build_field_tables(QUESTIONNAIRE)
RULES = AnswerRules.from_tables(TABLES)


def responses(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["organisation_id", "respondent_id", "role", "item_id", "answer"]
    )


def one(item: str, answer: str, role: str = "dg") -> pd.Series:
    return score_answers(responses([("o", "r", role, item, answer)]), TABLES).iloc[0]


def problems(rows) -> list[str]:
    with pytest.raises(ResponsesError) as caught:
        score_answers(responses(rows), TABLES)
    return [p.code for p in caught.value.problems]


# --- scoring, by hand -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "answer", "score"),
    [
        ("open_data", "no", 0.0),  # publish: no ends, 0
        ("open_data", "yes|no", 30.0),  # machine: no ends, 30
        ("open_data", "yes|yes|no", 60.0),  # automatic: no, 60
        ("open_data", "yes|yes|yes", 100.0),  # automatic: yes, 100
        ("open_data", " yes | no ", 30.0),  # spaces around the codes are dropped
        ("branching", "x", 10.0),
        ("branching", "y|r", 70.0),  # a: y jumps to c, which ends with r = 70
        ("branching", "y|s", 90.0),
        ("branching", "z|p", 40.0),  # a: z → b: p ends, 40
        ("branching", "z|q|s", 90.0),  # a: z → b: q → c: s ends, 90
    ],
)
def test_the_score_is_the_ending_answers(item, answer, score):
    row = one(item, answer)
    assert row["status"] == "scored"
    assert row["score"] == score
    outcome = follow(QUESTIONNAIRE.item(item), split_path(answer))
    assert (outcome.state, outcome.score) == ("complete", score)


@pytest.mark.parametrize(
    ("item", "answer", "status"),
    [
        ("open_data", "yes", "missing"),  # stops at machine: incomplete
        ("open_data", "yes|yes", "missing"),
        ("branching", "z|q", "missing"),
        ("open_data", "NA", "na"),
        ("open_data", "DK", "dk"),
        ("open_data", "", "missing"),
        ("notes", "yes|no", "unscored"),
    ],
)
def test_incomplete_paths_are_missing_and_na_dk_the_whole_item(item, answer, status):
    row = one(item, answer)
    assert row["status"] == status
    assert math.isnan(row["score"])


def test_organisation_scores_from_paths():
    """Two respondents of o1: open_data 30 and 100 → mean 65; branching (dg only) 90.
    o2: open_data 60, and an incomplete path (missing) that does not count → 60; branching
    z|p = 40. Global = weighted mean of the items on the fields answered: d1 holds open_data
    (weight 1) and branching (weight 3): o1 (65 + 3 x 90) / 4 = 83.75; o2 (60 + 3 x 40) / 4
    = 45."""
    rows = [
        ("o1", "r1", "dg", "open_data", "yes|no"),
        ("o1", "r1", "dg", "branching", "z|q|s"),
        ("o1", "r2", "dsi", "open_data", "yes|yes|yes"),
        ("o2", "r3", "dg", "open_data", "yes|yes|no"),
        ("o2", "r3", "dg", "branching", "z|p"),
        ("o2", "r4", "dsi", "open_data", "yes"),
    ]
    result = score_responses(QUESTIONNAIRE, responses(rows))
    items = result.item_scores
    assert items.loc["o1", "open_data"] == pytest.approx(65.0)
    assert items.loc["o1", "branching"] == pytest.approx(90.0)
    assert items.loc["o2", "open_data"] == pytest.approx(60.0)
    assert items.loc["o2", "branching"] == pytest.approx(40.0)
    assert result.dimension_scores.loc["o1", "d1"] == pytest.approx(83.75)
    assert result.dimension_scores.loc["o2", "d1"] == pytest.approx(45.0)


# --- answers refused ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "answer", "code"),
    [
        ("open_data", "no|yes", Code.PATH_AFTER_END),  # "no" ended the path
        ("open_data", "yes|yes|yes|yes", Code.PATH_AFTER_END),
        ("open_data", "maybe", Code.PATH_NOT_AN_OPTION),
        ("open_data", "yes|maybe", Code.PATH_NOT_AN_OPTION),
        ("open_data", "yes||no", Code.PATH_NOT_AN_OPTION),  # an empty step
        ("open_data", "yes|DK", Code.PATH_NOT_AN_OPTION),  # DK is for the whole item only
        ("branching", "y|p", Code.PATH_NOT_AN_OPTION),  # y leads to c, where p is no option
        ("branching", "x|r", Code.PATH_AFTER_END),
    ],
)
def test_bad_paths_are_refused_by_the_engine_and_the_web_alike(item, answer, code):
    assert problems([("o", "r", "dg", item, answer)]) == [code]
    assert RULES.check("dg", item, answer) == code


def test_the_message_names_the_step_and_its_options():
    with pytest.raises(ResponsesError) as caught:
        score_answers(responses([("o", "r", "dg", "branching", "y|p")]), TABLES, "r.csv")
    message = caught.value.problems[0].message
    assert caught.value.problems[0].location == "r.csv:2"
    assert "'p' is not an option of step 'c' (options: r, s)" in message
    with pytest.raises(ResponsesError) as caught:
        score_answers(responses([("o", "r", "dg", "open_data", "yes|no|no")]), TABLES, "r.csv")
    assert "goes on after 'no', which ends the path at step 'machine'" in (
        caught.value.problems[0].message
    )


def test_an_incomplete_path_is_accepted_so_that_the_web_can_save_it_step_by_step():
    assert RULES.check("dg", "open_data", "yes") is None
    assert RULES.check("dg", "open_data", "yes|yes") is None


def test_role_not_asked_comes_first():
    assert problems([("o", "r", "dsi", "branching", "x")]) == [Code.ROLE_NOT_ASKED]


# --- composing a path from answers given step by step (web form, importers) -----------------


def test_compose_follows_the_answers_and_drops_unreached_steps():
    item = QUESTIONNAIRE.item("open_data")
    assert compose(item, {"publish": "yes", "machine": "no"}) == "yes|no"
    # "no" at publish ends the path: the later answers are left over from an earlier choice
    assert compose(item, {"publish": "no", "machine": "yes", "automatic": "yes"}) == "no"
    assert compose(item, {"machine": "yes"}) == ""  # the first step unanswered: nothing
    branching = QUESTIONNAIRE.item("branching")
    assert compose(branching, {"a": "y", "b": "p", "c": "s"}) == "y|s"  # b is not on the path
    assert [s.id for s in reached(branching, ["z"])] == ["a", "b"]
    assert [s.id for s in reached(branching, ["z", "q", "r"])] == ["a", "b", "c"]
    assert [s.id for s in reached(branching, [])] == ["a"]


# --- the structure of the steps ---------------------------------------------------------------

BAD_STEPS = {
    "neither": ("{code: a, label: {fr: a}}", Code.PATH_OPTION_NO_OUTCOME),
    "both": ("{code: a, label: {fr: a}, next: s2, score: 5}", Code.PATH_OPTION_BOTH),
    "unknown": ("{code: a, label: {fr: a}, next: nowhere}", Code.PATH_UNKNOWN_STEP),
    "backward": ("{code: a, label: {fr: a}, next: s1}", Code.PATH_BACKWARD_STEP),
    "reserved": ("{code: NA, label: {fr: a}, score: 5}", Code.PATH_RESERVED_CODE),
    "duplicate": ("{code: b, label: {fr: a}, next: s2}", Code.PATH_DUPLICATE_OPTION),
}


def with_steps(first_option: str, last_option: str = "{code: c, label: {fr: c}, score: 1}"):
    return f"""
id: q
version: "1"
title: {{fr: Q}}
roles: [{{code: dg, label: {{fr: DG}}}}]
dimensions: [{{id: d1, label: {{fr: D}}}}]
items:
  - id: t
    kind: yesno
    dimension: d1
    axis: transfo
    roles: [dg]
    label: {{fr: T}}
  - id: p
    kind: path
    dimension: d1
    axis: tech
    roles: [dg]
    label: {{fr: P}}
    steps:
      - id: s1
        label: {{fr: S1}}
        options:
          - {first_option}
          - {{code: b, label: {{fr: b}}, next: s2}}
      - id: s2
        label: {{fr: S2}}
        options:
          - {last_option}
          - {{code: d, label: {{fr: d}}, score: 100}}
"""


def structure_codes(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "q.yaml")
    return [p.code for p in caught.value.problems]


def test_a_sound_path_loads():
    parse_questionnaire(with_steps("{code: a, label: {fr: a}, score: 0}"), "q.yaml")


@pytest.mark.parametrize("case", sorted(BAD_STEPS))
def test_each_structure_problem_is_named(case):
    option, code = BAD_STEPS[case]
    assert structure_codes(with_steps(option)) == [code]


def test_the_last_step_cannot_lead_on_and_problems_give_the_line_and_step():
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(
            with_steps(
                "{code: a, label: {fr: a}, score: 0}", "{code: c, label: {fr: c}, next: s1}"
            ),
            "q.yaml",
        )
    (found,) = caught.value.problems
    assert found.code == Code.PATH_LAST_STEP_CONTINUES
    assert found.location == "q.yaml:14 item 'p'"  # the line of the item in the YAML
    assert "step 's2' is the last one: option 'c'" in found.message


def test_unreachable_and_duplicate_steps():
    # s1's option b no longer leads to s2: s2 is never reached
    text = with_steps("{code: a, label: {fr: a}, score: 0}").replace(
        "{code: b, label: {fr: b}, next: s2}", "{code: b, label: {fr: b}, score: 3}"
    )
    assert structure_codes(text) == [Code.PATH_UNREACHABLE_STEP]
    text = with_steps("{code: a, label: {fr: a}, score: 0}").replace("id: s2", "id: s1")
    assert Code.PATH_DUPLICATE_STEP in structure_codes(text)


def test_steps_only_on_a_path_and_a_path_needs_steps():
    text = with_steps("{code: a, label: {fr: a}, score: 0}")
    assert structure_codes(text.replace("kind: path", "kind: single")) == [
        Code.TOO_FEW_OPTIONS,
        Code.PATH_UNEXPECTED_STEPS,
    ]
    no_steps = text[: text.index("    steps:")]
    assert structure_codes(no_steps) == [Code.PATH_NO_STEPS]


# --- engine and web check agree on random paths ---------------------------------------------

CODES = ["no", "yes", "x", "y", "z", "p", "q", "r", "s", "", "NA", "maybe"]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["open_data", "branching", "notes"]),
    st.lists(st.sampled_from(CODES), min_size=1, max_size=5),
    st.sampled_from(["|", " | ", "|  "]),
)
def test_engine_and_follow_agree_on_random_paths(item, codes, separator):
    answer = separator.join(codes)
    check = RULES.check("dg", item, answer)
    try:
        row = one(item, answer)
    except ResponsesError as exc:
        assert check == exc.problems[0].code
        assert follow(QUESTIONNAIRE.item(item), split_path(answer)).state in (
            "not_an_option",
            "after_end",
        )
        return
    assert check is None
    if answer.strip() in ("", "NA", "DK"):  # unanswered, or said of the whole item
        return
    outcome = follow(QUESTIONNAIRE.item(item), split_path(answer))
    if outcome.state == "complete":
        scored = QUESTIONNAIRE.item(item).is_scored
        assert row["status"] == ("scored" if scored else "unscored")
        if scored:
            assert row["score"] == outcome.score
    else:
        assert outcome.state == "incomplete"
        assert row["status"] == "missing"


def test_the_simulator_answers_path_items_with_whole_paths():
    from barometre.simulate.sector import simulate_sector

    sector = simulate_sector(
        QUESTIONNAIRE, organisations=40, response_rate=1, respondents_per_organisation=2
    )
    answers = sector.responses
    given = answers[~answers["answer"].isin(["NA", "DK"])]
    # every answer is a complete path: it follows the steps to an ending answer
    for item_id, answer in zip(given["item_id"], given["answer"], strict=True):
        assert follow(QUESTIONNAIRE.item(item_id), split_path(answer)).state == "complete"
    result = score_responses(QUESTIONNAIRE, answers)
    assert result.item_scores["open_data"].notna().sum() > 20
