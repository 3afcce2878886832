"""What changed between two questionnaire versions, and what stays comparable (issue 12 §2
"Versions", docs/versions.md).

Each pair is hlm-2026 and a copy with one thing changed (`model_copy`); the expected changes
and comparability are worked out by hand from the questionnaire file, not from the code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from barometre.comparability import WaveMethod, comparability_problem
from barometre.interop.versions import (
    Change,
    QuestionnaireDiff,
    describe,
    diff_questionnaires,
    dimension_reasons,
    explain,
)
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Dimension, Item, Localized, Option, Questionnaire
from barometre.questionnaire.validation import check_questionnaire

HLM = load_questionnaire("hlm-2026")
DIMENSIONS = [d.id for d in HLM.dimensions]
#: hlm-2026's label of str_sponsor's option codir_member and of the item loc_satisfaction.
CODIR_MEMBER = HLM.item("str_sponsor").options[2].label.fr
SATISFACTION = HLM.item("loc_satisfaction").label.fr


def with_item(q: Questionnaire, item_id: str, **update: Any) -> Questionnaire:
    items = [i.model_copy(update=update) if i.id == item_id else i for i in q.items]
    return q.model_copy(update={"items": items})


def with_option(q: Questionnaire, item_id: str, code: str, **update: Any) -> Questionnaire:
    options = [
        o.model_copy(update=update) if o.code == code else o for o in q.item(item_id).options
    ]
    return with_item(q, item_id, options=options)


def valid(q: Questionnaire) -> Questionnaire:
    """The copy is a questionnaire the loader would accept (no problem of its rules)."""
    assert list(check_questionnaire(q, "copy")) == []
    return q


def change(
    kind, path, old, new, effect, item=None, dimensions=(), axes=(), scores=(), recoded=False
) -> Change:
    return Change(
        exports_recoded=recoded,
        kind=kind,
        path=path,
        old=old,
        new=new,
        effect=effect,
        item=item,
        dimensions=list(dimensions),
        axes=list(axes),
        scores=list(scores),
    )


def assert_comparability(diff: QuestionnaireDiff, **expected: Any) -> None:
    found = diff.comparability.model_dump()
    wanted = {
        "comparable": True,
        "dimensions": DIMENSIONS,
        "not_comparable": {},
        "tech": True,
        "transfo": True,
        "global_index": True,
        "levels": True,
        "families": True,
        "estimates": True,
        "breakdowns": True,
        **expected,
    }
    # perceived gap = perceived score - global index: it moves with the index by definition
    wanted.setdefault("perceived_gap", wanted["global_index"])
    assert found == wanted


def test_a_questionnaire_and_itself_have_no_change_and_everything_compares():
    diff = diff_questionnaires(HLM, HLM)
    assert diff.changes == []
    assert_comparability(diff)
    assert explain(diff) == ""


def test_a_changed_score_breaks_its_dimension_its_axis_and_what_rests_on_them():
    # str_sponsor: strategie, transfo axis; codir_member is worth 70 in hlm-2026.
    new = valid(with_option(HLM, "str_sponsor", "codir_member", score=80.0))
    diff = diff_questionnaires(HLM, new)
    path = "items.str_sponsor.options.codir_member.score"
    assert diff.changes == [
        change(
            "option_changed",
            path,
            70.0,
            80.0,
            "breaking",
            "str_sponsor",
            ["strategie"],
            ["transfo"],
        )
    ]
    assert_comparability(
        diff,
        comparable=False,
        dimensions=[d for d in DIMENSIONS if d != "strategie"],
        not_comparable={"strategie": [path]},
        transfo=False,
        global_index=False,
        levels=False,
        families=False,
    )
    assert describe(diff.changes[0]) == (
        "question str_sponsor, answer codir_member: score changed from 70 to 80"
    )


def test_a_reworded_question_is_wording_and_breaks_nothing():
    label = Localized(fr="Votre organisme a-t-il une stratégie numérique ?", en=None)
    new = valid(with_item(HLM, "str_strategy", label=label))
    diff = diff_questionnaires(HLM, new)
    old_label = HLM.item("str_strategy").label
    assert diff.changes == [
        change(
            "item_changed",
            "items.str_strategy.label.fr",
            old_label.fr,
            label.fr,
            "wording",
            "str_strategy",
        ),
        change(
            "item_changed",
            "items.str_strategy.label.en",
            old_label.en,
            None,
            "wording",
            "str_strategy",
        ),
    ]
    assert_comparability(diff)


def test_a_help_text_and_a_version_name_are_cosmetic():
    new = valid(
        with_item(HLM, "str_strategy", help=Localized(fr="Aide", en="Help")).model_copy(
            update={"version": "2027.1"}
        )
    )
    diff = diff_questionnaires(HLM, new)
    assert [(c.path, c.effect) for c in diff.changes] == [
        ("version", "cosmetic"),
        ("items.str_strategy.help.fr", "cosmetic"),
        ("items.str_strategy.help.en", "cosmetic"),
    ]
    assert_comparability(diff)


def test_an_added_option_of_a_scored_single_item_breaks():
    options = [
        *HLM.item("str_sponsor").options,
        Option(code="ceo", label=Localized(fr="Le directeur général"), score=90),
    ]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "str_sponsor", options=options)))
    path = "items.str_sponsor.options.ceo"
    assert diff.changes == [
        change(
            "option_added",
            path,
            None,
            "Le directeur général",
            "breaking",
            "str_sponsor",
            ["strategie"],
            ["transfo"],
        )
    ]
    assert diff.comparability.not_comparable == {"strategie": [path]}


def test_an_option_added_to_a_scale_without_scores_moves_the_linear_scores():
    # loc_satisfaction: 4 answers 0..3 scored 0, 33.3, 66.7, 100; with a fifth: 0, 25, 50, 75, 100.
    options = [*HLM.item("loc_satisfaction").options, Option(code="4", label=Localized(fr="4"))]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "loc_satisfaction", options=options)))
    where = "items.loc_satisfaction.options"
    assert [(c.kind, c.path, c.old, c.new) for c in diff.changes] == [
        ("option_changed", f"{where}.1.score", pytest.approx(100 / 3), 25.0),
        ("option_changed", f"{where}.2.score", pytest.approx(200 / 3), 50.0),
        ("option_changed", f"{where}.3.score", 100.0, 75.0),
        ("option_added", f"{where}.4", None, "4"),
    ]
    assert {c.effect for c in diff.changes} == {"breaking"}
    assert {tuple(c.dimensions) + tuple(c.axes) for c in diff.changes} == {
        ("relation_locataire", "transfo")
    }


def test_a_removed_item_breaks_its_dimension_and_its_axis():
    items = [i for i in HLM.items if i.id != "loc_satisfaction"]
    diff = diff_questionnaires(HLM, valid(HLM.model_copy(update={"items": items})))
    path = "items.loc_satisfaction"
    assert diff.changes == [
        change(
            "item_removed",
            path,
            SATISFACTION,
            None,
            "breaking",
            "loc_satisfaction",
            ["relation_locataire"],
            ["transfo"],
        )
    ]
    assert_comparability(
        diff,
        comparable=False,
        dimensions=[d for d in DIMENSIONS if d != "relation_locataire"],
        not_comparable={"relation_locataire": [path]},
        transfo=False,
        global_index=False,
        levels=False,
        families=False,
    )
    labels = {d.id: d.label.fr for d in HLM.dimensions}
    assert dimension_reasons(diff, labels, "fr") == [
        "La dimension «\u202fRelation et services aux locataires\u202f» a changé\u202f: "
        "question loc_satisfaction retirée"
    ]
    assert dimension_reasons(diff, labels) == [
        "The dimension “Relation et services aux locataires” changed: "
        "question loc_satisfaction removed"
    ]


def test_a_dimension_weight_breaks_the_global_index_only():
    dimensions = [
        d.model_copy(update={"weight": 2.0}) if d.id == "patrimoine" else d for d in HLM.dimensions
    ]
    diff = diff_questionnaires(HLM, valid(HLM.model_copy(update={"dimensions": dimensions})))
    assert diff.changes == [
        change(
            "dimension_changed",
            "dimensions.patrimoine.weight",
            1.0,
            2.0,
            "breaking",
            scores=["global"],
        )
    ]
    assert_comparability(diff, comparable=False, global_index=False, levels=False)


def test_a_typology_threshold_breaks_the_families_only():
    methodology = HLM.methodology.model_copy(
        update={"typology": HLM.methodology.typology.model_copy(update={"tech_threshold": 55.0})}
    )
    diff = diff_questionnaires(HLM, valid(HLM.model_copy(update={"methodology": methodology})))
    assert diff.changes == [
        change(
            "methodology_changed",
            "methodology.typology.tech_threshold",
            50.0,
            55.0,
            "breaking",
            scores=["families"],
        )
    ]
    assert_comparability(diff, comparable=False, families=False)
    assert describe(diff.changes[0], "fr") == (
        "méthodologie\u202f: typology.tech_threshold modifié, de 50 à 55"
    )


def test_a_level_threshold_breaks_the_levels_only():
    levels = [
        lv.model_copy(update={"min": 30.0}) if lv.code == "faible" else lv
        for lv in HLM.methodology.levels
    ]
    methodology = HLM.methodology.model_copy(update={"levels": levels})
    diff = diff_questionnaires(HLM, valid(HLM.model_copy(update={"methodology": methodology})))
    assert [(c.path, c.old, c.new, c.scores) for c in diff.changes] == [
        ("methodology.levels.faible.min", 25.0, 30.0, ["levels"])
    ]
    assert_comparability(diff, comparable=False, levels=False)


def test_the_coverage_threshold_and_the_methodology_version_break_everything():
    for update in ({"coverage_threshold": 0.7}, {"version": "2.0"}):
        methodology = HLM.methodology.model_copy(update=update)
        diff = diff_questionnaires(HLM, HLM.model_copy(update={"methodology": methodology}))
        [found] = diff.changes
        assert found.dimensions == DIMENSIONS and found.axes == ["tech", "transfo"]
        assert found.scores == [
            "global",
            "levels",
            "families",
            "estimates",
            "breakdowns",
            "perceived_gap",
        ]
        c = diff.comparability
        assert c.dimensions == [] and list(c.not_comparable) == DIMENSIONS
        assert not (c.tech or c.transfo or c.global_index or c.levels or c.families)
        assert not (c.estimates or c.breakdowns or c.perceived_gap)


def test_the_disclosure_minimum_breaks_the_sector_estimates_and_recommendations_nothing():
    methodology = HLM.methodology.model_copy(
        update={
            "disclosure_minimum": 10,
            "recommendation": HLM.methodology.recommendation.model_copy(update={"roadmap_size": 5}),
        }
    )
    diff = diff_questionnaires(HLM, HLM.model_copy(update={"methodology": methodology}))
    assert [(c.path, c.effect, c.scores) for c in diff.changes] == [
        ("methodology.disclosure_minimum", "breaking", ["estimates"]),
        ("methodology.recommendation.roadmap_size", "cosmetic", []),
    ]
    assert_comparability(diff, comparable=False, estimates=False)


def test_the_status_ladder_breaks_the_dimensions_of_the_tables_that_use_it():
    ladder = [
        o.model_copy(update={"score": 20.0}) if o.code == "planned" else o
        for o in HLM.methodology.status_ladder
    ]
    methodology = HLM.methodology.model_copy(update={"status_ladder": ladder})
    diff = diff_questionnaires(HLM, HLM.model_copy(update={"methodology": methodology}))
    [found] = diff.changes
    tables = [i for i in HLM.items if i.kind == "status" and not i.options]
    assert found.path == "methodology.status_ladder.planned.score"
    assert (found.old, found.new) == (10.0, 20.0)
    assert found.dimensions == list(dict.fromkeys(str(i.dimension) for i in tables))
    assert set(found.axes) == {i.axis for i in tables}


def test_roles_asked_reference_role_and_goalposts_break_a_scored_item():
    item = HLM.item("loc_online_requests")  # percent, relation_locataire, transfo
    assert item.goalposts is not None
    posts = item.goalposts.model_copy(update={"best": 90.0})
    new = valid(with_item(HLM, item.id, roles=["clientele"], goalposts=posts))
    diff = diff_questionnaires(HLM, new)
    assert [(c.path, c.effect) for c in diff.changes] == [
        (f"items.{item.id}.roles", "breaking"),
        (f"items.{item.id}.goalposts.best", "breaking"),
    ]
    assert diff.changes[0].old == ["clientele", "numerique"]
    assert diff.changes[0].new == ["clientele"]


def test_an_unscored_item_and_a_role_label_are_cosmetic():
    roles = [
        r.model_copy(update={"label": Localized(fr="DG")}) if r.code == "direction" else r
        for r in HLM.roles
    ]
    new = with_item(HLM, "txt_obstacle", label=Localized(fr="Quel frein ?")).model_copy(
        update={"roles": roles}
    )
    diff = diff_questionnaires(HLM, valid(new))
    assert {c.effect for c in diff.changes} == {"cosmetic"}
    assert {c.kind for c in diff.changes} == {"role_changed", "item_changed"}
    assert_comparability(diff)


def test_a_moved_item_breaks_both_dimensions():
    new = valid(with_item(HLM, "str_sponsor", dimension="innovation"))
    diff = diff_questionnaires(HLM, new)
    [found] = diff.changes
    assert (found.path, found.old, found.new) == (
        "items.str_sponsor.dimension",
        "strategie",
        "innovation",
    )
    assert found.dimensions == ["strategie", "innovation"]
    assert list(diff.comparability.not_comparable) == ["strategie", "innovation"]


def test_items_in_another_order_are_cosmetic():
    items = list(reversed(HLM.items))
    diff = diff_questionnaires(HLM, HLM.model_copy(update={"items": items}))
    [found] = diff.changes
    assert (found.path, found.effect) == ("items.order", "cosmetic")
    assert describe(found) == "the questions are in another order"


def test_an_added_dimension_breaks_the_index_and_is_not_comparable():
    extra = Dimension(id="ia", label=Localized(fr="Intelligence artificielle"))
    item = Item(
        id="ia_use",
        kind="yesno",
        label=Localized(fr="Utilisez-vous l'IA ?"),
        dimension="ia",
        axis="tech",
        roles=["direction"],
    )
    new = HLM.model_copy(
        update={"dimensions": [*HLM.dimensions, extra], "items": [*HLM.items, item]}
    )
    diff = diff_questionnaires(HLM, valid(new))
    assert [(c.kind, c.path, c.dimensions, c.scores) for c in diff.changes] == [
        ("dimension_added", "dimensions.ia", ["ia"], ["global"]),
        ("item_added", "items.ia_use", ["ia"], []),
    ]
    c = diff.comparability
    assert c.dimensions == DIMENSIONS  # the eight of both
    assert c.not_comparable == {"ia": ["dimensions.ia", "items.ia_use"]}
    assert not c.global_index and not c.tech and c.transfo


# --- what the waves' comparison says ----------------------------------------------------------


def test_comparability_problem_names_the_first_breaking_changes():
    new = with_option(HLM, "str_sponsor", "codir_member", score=80.0).model_copy(
        update={"version": "2027.1"}
    )
    reason = comparability_problem(
        WaveMethod.of_questionnaire(HLM), WaveMethod.of_questionnaire(new), (HLM, new)
    )
    assert reason == (
        "questionnaire versions 2026.1 and 2027.1 score differently: question str_sponsor, "
        "answer codir_member: score changed from 70 to 80"
    )


def test_comparability_problem_accepts_a_reworded_version():
    new = with_item(HLM, "str_strategy", label=Localized(fr="Autre libellé")).model_copy(
        update={"version": "2027.1"}
    )
    before, after = WaveMethod.of_questionnaire(HLM), WaveMethod.of_questionnaire(new)
    assert comparability_problem(before, after, (HLM, new)) is None


def test_explain_lists_three_changes_and_counts_the_rest():
    items = [i for i in HLM.items if not i.id.startswith("loc_")]
    diff = diff_questionnaires(HLM, HLM.model_copy(update={"items": items}))
    removed = [i.id for i in HLM.items if i.id.startswith("loc_")]
    assert len(removed) == 10
    assert explain(diff) == (
        f"question {removed[0]} removed; question {removed[1]} removed; "
        f"question {removed[2]} removed; and 7 more"
    )
    assert explain(diff, "fr").endswith("\u202f; et 7 de plus")


def test_the_diff_reads_back_from_its_json():
    new = with_option(HLM, "str_sponsor", "codir_member", score=80.0)
    diff = diff_questionnaires(HLM, new)
    again = QuestionnaireDiff.load(json.loads(diff.dumps()), "diff.json")
    assert again == diff


def test_the_roles_of_an_item_listed_in_another_order_are_no_change():
    # str_sponsor asks [direction, numerique]
    new = valid(with_item(HLM, "str_sponsor", roles=["numerique", "direction"]))
    assert diff_questionnaires(HLM, new).changes == []


# --- context items (review: they were all "cosmetic") ------------------------------------------
# The declared organisation type, dwellings and department group the organisations' scores
# (exports, a report's peer comparison without a frame: `scoring.engine._context`); the
# perceived maturity's range (its lowest and highest code) sets the perceived gap. The sector
# estimates' domains and calibration come from the frame (`stats.sector.inputs`), not from them.

SEM = "Société d'économie mixte (EPL)"


def test_an_answer_removed_from_the_organisation_type_breaks_the_breakdowns():
    options = [o for o in HLM.item("ctx_family").options if o.code != "SEM"]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "ctx_family", options=options)))
    path = "items.ctx_family.options.SEM"
    assert diff.changes == [
        change("option_removed", path, SEM, None, "breaking", "ctx_family", scores=["breakdowns"])
    ]
    # no score moves: every dimension, axis, index, level and family compares; the estimates'
    # method (frame, cell size, disclosure) is the same; the grouping by declared type is not
    assert_comparability(diff, comparable=False, breakdowns=False)
    assert describe(diff.changes[0]) == "question ctx_family: answer SEM removed"


def test_a_recoded_organisation_type_is_an_answer_removed_and_one_added():
    options = [
        o.model_copy(update={"code": "EPL"}) if o.code == "SEM" else o
        for o in HLM.item("ctx_family").options
    ]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "ctx_family", options=options)))
    assert [(c.kind, c.path, c.effect, c.scores) for c in diff.changes] == [
        ("option_added", "items.ctx_family.options.EPL", "breaking", ["breakdowns"]),
        ("option_removed", "items.ctx_family.options.SEM", "breaking", ["breakdowns"]),
    ]
    assert not diff.comparability.breakdowns and diff.comparability.estimates


def test_the_bounds_of_the_dwellings_and_the_kind_of_the_department_break_the_breakdowns():
    new = with_item(HLM, "ctx_dwellings", minimum=1.0)
    new = valid(
        with_item(new, "ctx_department", kind="single", options=HLM.item("ctx_family").options)
    )
    diff = diff_questionnaires(HLM, new)
    breaking = [(c.path, c.scores) for c in diff.breaking]
    assert ("items.ctx_dwellings.minimum", ["breakdowns"]) in breaking
    assert ("items.ctx_department.kind", ["breakdowns"]) in breaking
    assert {c.effect for c in diff.changes} == {"breaking"}  # 1 + 1 + the 4 options added
    assert len(diff.changes) == 6
    assert_comparability(diff, comparable=False, breakdowns=False)


def test_a_wider_perceived_maturity_scale_breaks_the_perceived_gap_only():
    # 1..10 becomes 1..11: a mean rating of 6 was 100 * (6 - 1) / 9 = 55.6, it becomes 50
    options = [*HLM.item("ctx_perceived").options, Option(code="11", label=Localized(fr="11"))]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "ctx_perceived", options=options)))
    assert diff.changes == [
        change(
            "option_added",
            "items.ctx_perceived.options.11",
            None,
            "11",
            "breaking",
            "ctx_perceived",
            scores=["perceived_gap"],
        )
    ]
    assert_comparability(diff, comparable=False, perceived_gap=False)


def test_the_roles_asked_the_perceived_maturity_break_the_perceived_gap():
    # the perceived maturity is the mean over the respondents asked
    new = valid(with_item(HLM, "ctx_perceived", roles=["direction"]))
    [found] = diff_questionnaires(HLM, new).changes
    assert (found.path, found.effect, found.scores) == (
        "items.ctx_perceived.roles",
        "breaking",
        ["perceived_gap"],
    )
    # listed in another order, the same respondents are asked
    roles = list(reversed(HLM.item("ctx_perceived").roles))
    assert (
        diff_questionnaires(HLM, valid(with_item(HLM, "ctx_perceived", roles=roles))).changes == []
    )


def test_a_context_item_reworded_is_wording_and_its_help_cosmetic():
    new = with_item(HLM, "ctx_family", label=Localized(fr="Statut", en="Status"))
    new = valid(with_item(new, "ctx_family", help=Localized(fr="Aide")))
    diff = diff_questionnaires(HLM, new)
    assert [(c.path, c.effect) for c in diff.changes] == [
        ("items.ctx_family.label.fr", "wording"),
        ("items.ctx_family.label.en", "wording"),
        ("items.ctx_family.help.fr", "cosmetic"),
    ]
    assert_comparability(diff)


def test_removing_a_context_item_breaks_what_it_feeds():
    items = [i for i in HLM.items if i.id != "ctx_perceived"]
    [found] = diff_questionnaires(HLM, valid(HLM.model_copy(update={"items": items}))).changes
    assert (found.kind, found.effect, found.scores) == (
        "item_removed",
        "breaking",
        ["perceived_gap"],
    )


# --- long texts (review: cut to 60 characters on both sides) ----------------------------------

LONGER = "Qui porte le numérique au comité de direction de l'organisme, et avec quels moyens ?"


def test_a_long_rewording_shows_what_differs_and_the_json_keeps_both_texts_whole():
    old = HLM.item("str_sponsor").label
    new = valid(with_item(HLM, "str_sponsor", label=Localized(fr=LONGER, en=old.en)))
    [found] = diff_questionnaires(HLM, new).changes
    assert (found.old, found.new) == ("Qui porte le numérique au comité de direction ?", LONGER)
    # The two share "Qui porte le numérique au comité de direction " (46 characters) and the
    # final "?"; 20 characters before the difference start at character 26 ("comité...").
    assert describe(found) == (
        "question str_sponsor: label.fr changed from “…comité de direction ?” to "
        "“…comité de direction de l'organisme, et avec quels moyens ?”"
    )
    data = json.loads(QuestionnaireDiff.model_validate(diff_questionnaires(HLM, new)).dumps())
    assert data["changes"][0]["new"] == LONGER


def test_a_change_in_the_middle_of_two_long_texts_shows_it_with_its_context():
    from barometre.interop.versions import shortened

    a = "x" * 50 + " le conseil d'administration " + "y" * 50
    b = "x" * 50 + " le conseil de surveillance " + "y" * 50
    # common prefix: 50 x + " le conseil d" (63 characters), so the text starts 20 before, at
    # character 43 (7 x); common suffix: " " + 50 y (51), so it ends 20 after: " " + 19 y.
    assert shortened(a, b) == (
        "…" + "x" * 7 + " le conseil d'administration " + "y" * 19 + "…",
        "…" + "x" * 7 + " le conseil de surveillance " + "y" * 19 + "…",
    )
    assert shortened("court", "bref") == ("court", "bref")


# --- options in another order (review: silent, yet the exports' codes move) ------------------

SPONSOR_CODES = ["nobody", "it_manager", "codir_member", "codir_digital"]


def test_options_of_a_single_item_reordered_keep_the_scores_and_recode_the_exports():
    options = list(reversed(HLM.item("str_sponsor").options))
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "str_sponsor", options=options)))
    path = "items.str_sponsor.options.order"
    assert diff.changes == [
        change(
            "options_reordered",
            path,
            SPONSOR_CODES,
            SPONSOR_CODES[::-1],
            "cosmetic",
            "str_sponsor",
            recoded=True,
        )
    ]
    assert_comparability(diff)
    assert describe(diff.changes[0]) == (
        "question str_sponsor: the answers are in another order, from nobody, it_manager, "
        "codir_member, codir_digital to codir_digital, codir_member, it_manager, nobody; the "
        "exports number them in this order, so their numeric codes change"
    )


def test_the_organisation_types_reordered_recode_the_exports_and_break_nothing():
    options = list(reversed(HLM.item("ctx_family").options))
    [found] = diff_questionnaires(HLM, valid(with_item(HLM, "ctx_family", options=options))).changes
    assert (found.kind, found.effect, found.exports_recoded) == (
        "options_reordered",
        "cosmetic",
        True,
    )
    assert describe(found, "fr") == (
        "question ctx_family\u202f: les réponses sont dans un autre ordre, de OPH, ESH, COOP, "
        "SEM à SEM, COOP, ESH, OPH\u202f; les exports les numérotent dans cet ordre, leurs codes "
        "numériques changent donc"
    )


def test_a_scale_scored_by_position_reordered_breaks_and_its_whole_number_codes_stay():
    # loc_satisfaction: 0..3 scored 0, 33.3, 66.7, 100 by position; reversed: 3 is worth 0.
    options = list(reversed(HLM.item("loc_satisfaction").options))
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "loc_satisfaction", options=options)))
    where = "items.loc_satisfaction.options"
    assert [(c.kind, c.path, c.old, c.new, c.effect) for c in diff.changes] == [
        (
            "options_reordered",
            f"{where}.order",
            ["0", "1", "2", "3"],
            ["3", "2", "1", "0"],
            "breaking",
        ),
        ("option_changed", f"{where}.3.score", 100.0, 0.0, "breaking"),
        (
            "option_changed",
            f"{where}.2.score",
            pytest.approx(200 / 3),
            pytest.approx(100 / 3),
            "breaking",
        ),
        (
            "option_changed",
            f"{where}.1.score",
            pytest.approx(100 / 3),
            pytest.approx(200 / 3),
            "breaking",
        ),
        ("option_changed", f"{where}.0.score", 0.0, 100.0, "breaking"),
    ]
    # codes 0..3 are written as themselves in the exports
    assert not diff.changes[0].exports_recoded
    assert (
        describe(diff.changes[0]) == "question loc_satisfaction: the answers are in another order"
    )
    assert diff.comparability.not_comparable == {
        "relation_locataire": [c.path for c in diff.changes]
    }
    assert not diff.comparability.transfo and diff.comparability.tech


def test_a_scale_with_coded_answers_reordered_breaks_and_recodes():
    # str_board: never, informed, decides, follows without written scores (strategie, transfo)
    options = [*HLM.item("str_board").options]
    options[0], options[1] = options[1], options[0]
    diff = diff_questionnaires(HLM, valid(with_item(HLM, "str_board", options=options)))
    first = diff.changes[0]
    assert (first.kind, first.effect, first.exports_recoded) == (
        "options_reordered",
        "breaking",
        True,
    )
    assert (first.dimensions, first.axes) == (["strategie"], ["transfo"])
    # informed moves from 33.3 to 0, never from 0 to 33.3
    assert [(c.path, c.old, c.new) for c in diff.changes[1:]] == [
        ("items.str_board.options.informed.score", pytest.approx(100 / 3), 0.0),
        ("items.str_board.options.never.score", 0.0, pytest.approx(100 / 3)),
    ]
