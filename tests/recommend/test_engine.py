"""Which sheets are triggered, in what order, and the roadmap (hand-built organisations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.recommend import load_library, recommend
from barometre.recommend.library import LibraryError
from tests.helpers import organisation_scores, tiny_questionnaire

Q = tiny_questionnaire()
BODY = """
## Le problème
p
## Que faire
1. a
## Écueils
- e
## Effort et coût
M
## Mesurer le succès
m
<!-- en -->
## The problem
p
## What to do
1. a
## Pitfalls
- e
## Effort and cost
M
## Measuring success
m
"""


def sheet(
    sheet_id,
    triggers,
    effort="M",
    impact=2,
    families=("conservateur",),
    prerequisites=(),
    dimensions=("A",),
):
    lines = "\n".join(
        f"  - {{{'item' if t.startswith(('a_', 'b_')) else 'dimension'}: {t}, below: {b}}}"
        for t, b in triggers
    )
    return f"""---
id: {sheet_id}
title: {{fr: Titre {sheet_id}, en: Title {sheet_id}}}
summary: {{fr: Résumé, en: Summary}}
dimensions: [{", ".join(dimensions)}]
triggers:
{lines}
effort: {effort}
impact: {impact}
families: [{", ".join(families)}]
prerequisites: [{", ".join(prerequisites)}]
indicators: [{{fr: Un indicateur, en: An indicator}}]
---
{BODY}"""


@pytest.fixture
def library(tmp_path: Path):
    files = {
        # quick win for conservateurs on the scale item
        "scale-quick": sheet(
            "scale-quick", [("a_scale", 60)], effort="S", impact=2, families=("conservateur",)
        ),
        # adoption sheet for timides, needs the plan first
        "adoption": sheet(
            "adoption",
            [("b_sponsor", 60)],
            effort="M",
            impact=3,
            families=("timide",),
            prerequisites=("plan",),
            dimensions=("B",),
        ),
        "plan": sheet(
            "plan", [("b_plan", 70)], effort="L", impact=2, families=("prudent",), dimensions=("B",)
        ),
        # data sheet for pionniers, triggered on the whole dimension
        "data": sheet("data", [("A", 90)], effort="M", impact=1, families=("pionnier",)),
    }
    for name, text in files.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    return load_library(tmp_path, Q)


def org(family, items, dims, org_id="O1"):
    return organisation_scores(
        family=family,
        items=items,
        dimensions={d: (s, None) for d, s in dims.items()},
        organisation_id=org_id,
    )


def test_a_conservateur_gets_the_quick_win_first(library):
    o = org(
        "conservateur", {"a_scale": 20.0, "b_sponsor": 40.0, "b_plan": 60.0}, {"A": 50.0, "B": 45.0}
    )
    plan = recommend(o, Q, library)
    # priorities (impact x gap / effort x family factor):
    #   scale-quick 2 x 0.40 / 1 x 1.5 = 1.2
    #   adoption    3 x 0.20 / 2       = 0.3
    #   data        1 x 0.40 / 2       = 0.2
    #   plan        2 x 0.10 / 3       = 0.0667
    assert [r.sheet.id for r in plan.triggered] == ["scale-quick", "adoption", "data", "plan"]
    assert [round(r.priority, 4) for r in plan.triggered] == [1.2, 0.3, 0.2, 0.0667]
    assert plan.triggered[0].family_fit is True
    reason = plan.triggered[0].reasons[0]
    assert (reason.id, reason.score, reason.below) == ("a_scale", 20.0, 60)


def test_the_weights_are_the_methodology_s(library):
    from tests.helpers import TINY

    weighted = tiny_questionnaire(
        TINY.replace(
            "roles:\n",
            "methodology:\n  recommendation:\n    family_factor: 3.0\n"
            "    effort_cost: {S: 1, M: 4, L: 3}\n    roadmap_size: 1\n"
            "    horizons: [now, later, much later]\nroles:\n",
            1,
        )
    )
    o = org(
        "conservateur", {"a_scale": 20.0, "b_sponsor": 40.0, "b_plan": 60.0}, {"A": 50.0, "B": 45.0}
    )
    plan = recommend(o, weighted, library)
    # scale-quick 2 x 0.40 / 1 x 3 = 2.4, adoption 3 x 0.20 / 4 = 0.15, data 1 x 0.40 / 4 = 0.1,
    # plan 2 x 0.10 / 3 = 0.0667 (1.2, 0.3, 0.2 and 0.0667 with the default weights)
    assert [round(r.priority, 4) for r in plan.triggered] == [2.4, 0.15, 0.1, 0.0667]
    assert [r.sheet.id for r in plan.roadmap] == ["scale-quick"]
    assert plan.horizons == ("now", "later", "much later")
    assert recommend(o, Q, library).horizons == ("0-6", "6-18", "18-36")


def test_a_timide_gets_adoption_but_after_its_prerequisite(library):
    o = org("timide", {"a_scale": 80.0, "b_sponsor": 0.0, "b_plan": 30.0}, {"A": 95.0, "B": 20.0})
    plan = recommend(o, Q, library)
    # adoption 3 x 0.6 / 2 x 1.5 = 1.35 ranks first, plan 2 x 0.4 / 3 = 0.2667
    assert [r.sheet.id for r in plan.triggered] == ["adoption", "plan"]
    # ...but the roadmap puts the prerequisite first, and no earlier horizon for adoption
    assert [r.sheet.id for r in plan.roadmap] == ["plan", "adoption"]
    horizons = {r.sheet.id: r.horizon for r in plan.roadmap}
    assert horizons == {"plan": 2, "adoption": 2}  # plan is L (18-36), adoption waits for it
    assert plan.roadmap[0].needed_by == ("adoption",)


def test_an_untriggered_prerequisite_is_taken_as_done(library):
    o = org("timide", {"a_scale": 80.0, "b_sponsor": 10.0, "b_plan": 100.0}, {"A": 95.0, "B": 60.0})
    plan = recommend(o, Q, library)
    assert [(r.sheet.id, r.horizon) for r in plan.roadmap] == [("adoption", 1)]


def test_a_pionnier_with_high_scores_gets_only_data(library):
    o = org(
        "pionnier", {"a_scale": 90.0, "b_sponsor": 100.0, "b_plan": 100.0}, {"A": 85.0, "B": 100.0}
    )
    plan = recommend(o, Q, library)
    assert [r.sheet.id for r in plan.roadmap] == ["data"]
    assert plan.roadmap[0].priority == pytest.approx(1 * 0.05 / 2 * 1.5)


def test_missing_scores_trigger_nothing(library):
    o = org("prudent", {}, {"A": None, "B": None})
    assert recommend(o, Q, library).triggered == ()


def test_the_result_is_deterministic(library):
    o = org(
        "conservateur", {"a_scale": 20.0, "b_sponsor": 40.0, "b_plan": 60.0}, {"A": 50.0, "B": 45.0}
    )
    assert recommend(o, Q, library) == recommend(o, Q, library)


def test_next_steps_name_the_answers_that_reach_the_next_level():
    from barometre.recommend.engine import next_steps

    # B: items b_mail (weight 1, score 50), b_sponsor (1, 0), b_plan (2, 40) -> 230 / 4 = 57.5
    o = organisation_scores(
        items={"b_mail": 50.0, "b_sponsor": 0.0, "b_plan": 40.0},
        dimensions={"A": (None, None), "B": (57.5, "intermediaire")},
    )
    steps = {s.dimension: s for s in next_steps(o, Q)}
    b = steps["B"]
    assert (b.next_level, b.next_min) == ("avancee", 75)
    # gains: plan 2 x (100 - 40) / 4 = 30, sponsor 1 x 100 / 4 = 25, mail 1 x 50 / 4 = 12.5;
    # the largest first: 57.5 + 30 = 87.5 ≥ 75, one answer is enough
    assert [(m.item_id, m.gain, m.best_answer) for m in b.moves] == [("b_plan", 30.0, "fait")]
    assert b.reachable
    assert steps["A"].moves == () and steps["A"].score is None


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (lambda t: t.replace("b_plan, below", "b_nope, below"), "unknown_item_in_sheet", "plan.md"),
        (lambda t: t.replace("effort: L", "effort: XL"), "invalid_field", "plan.md"),
        (lambda t: t.replace("## Écueils", "## Autre"), "missing_section", "plan.md"),
        (
            lambda t: t.replace("prerequisites: []", "prerequisites: [adoption]"),
            "prerequisite_cycle",
            "adoption",
        ),
        (
            lambda t: t.replace("prerequisites: []", "prerequisites: [absent]"),
            "missing_prerequisite",
            "plan.md",
        ),
        (
            lambda t: t.replace("indicators: [{fr: Un indicateur, en: An indicator}]\n", ""),
            "invalid_field",
            "plan.md",
        ),
    ],
)
def test_a_library_with_an_error_is_refused_naming_the_sheet_and_field(
    library, tmp_path, change, code, where
):
    path = tmp_path / "plan.md"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path, Q)
    found = [p for p in caught.value.problems if p.code == code]
    assert found, caught.value
    assert where in found[0].location or where in found[0].message


def test_next_steps_use_the_answered_weight_and_offer_unanswered_items():
    from barometre.recommend.engine import next_steps

    # A: a_scale 50 (weight 1) and only row r1 of a_status answered (0, weight 1/4):
    # (50 + 0) / 1.25 = 40 -> faible; next level at 50.
    o = organisation_scores(
        items={"a_scale": 50.0, "a_status": 0.0},
        item_weights={"a_scale": 1.0, "a_status": 0.25},
        dimensions={"A": (40.0, "faible"), "B": (None, None)},
    )
    a = {s.dimension: s for s in next_steps(o, Q)}["A"]
    # best answers: a_scale → (50 + 100 - 50) / 1.25 = 80; a_single, unanswered (weight 2)
    # → (50 + 200) / 3.25 = 76.9; a_status → 60; a_multi, a_pct → 66.7
    assert [(m.item_id, round(m.gain, 6)) for m in a.moves] == [("a_scale", 40.0)]
    o = organisation_scores(  # now the best move is an unanswered item
        items={"a_scale": 100.0, "a_status": 0.0},
        item_weights={"a_scale": 1.0, "a_status": 0.25},
        dimensions={"A": (80.0, "avancee"), "B": (None, None)},
    )
    assert {s.dimension: s for s in next_steps(o, Q)}["A"].moves == ()  # top level


def test_a_sheet_for_another_questionnaire_never_triggers(tmp_path):
    (tmp_path / "autre.md").write_text(
        sheet("autre", [("z_unknown", 90)]).replace("{item: z_unknown", "{item: z_unknown"),
        encoding="utf-8",
    )
    library = load_library(tmp_path)  # no questionnaire: its triggers are not checked
    o = org("conservateur", {"a_scale": 0.0}, {"A": 0.0, "B": 0.0})
    assert recommend(o, Q, library).triggered == ()


def test_a_prudent_gets_the_equipment_sheet_first(library):
    # plan suits prudents: 2 x 0.5 / 3 x 1.5 = 0.5 beats adoption's 3 x 0.2 / 2 = 0.3
    o = org("prudent", {"a_scale": 90.0, "b_sponsor": 40.0, "b_plan": 20.0}, {"A": 95.0, "B": 30.0})
    plan = recommend(o, Q, library)
    assert [r.sheet.id for r in plan.triggered] == ["plan", "adoption"]
    assert plan.triggered[0].family_fit and not plan.triggered[1].family_fit


def test_prerequisites_always_come_first_on_random_organisations():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from barometre.questionnaire import load_questionnaire

    hlm = load_questionnaire("hlm-2026")
    library = load_library(None, hlm)
    items = [i.id for i in hlm.scored_items]
    dims = [d.id for d in hlm.dimensions]
    score = st.one_of(st.none(), st.floats(0, 100))

    @settings(max_examples=80, deadline=None)
    @given(
        st.fixed_dictionaries({i: score for i in items}),
        st.fixed_dictionaries({d: score for d in dims}),
        st.sampled_from(["pionnier", "timide", "conservateur", "prudent", None]),
    )
    def check(item_scores, dim_scores, family):
        o = org(family, item_scores, dim_scores)
        plan = recommend(o, hlm, library)
        position = {r.sheet.id: n for n, r in enumerate(plan.roadmap)}
        horizon = {r.sheet.id: r.horizon for r in plan.roadmap}
        for r in plan.roadmap:
            for prerequisite in r.sheet.prerequisites:
                if prerequisite in position:
                    assert position[prerequisite] < position[r.sheet.id]
                    assert horizon[prerequisite] <= horizon[r.sheet.id]
        assert [r.priority for r in plan.triggered] == sorted(
            (r.priority for r in plan.triggered), reverse=True
        )

    check()
