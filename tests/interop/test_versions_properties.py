"""Properties of the questionnaire diff (docs/versions.md), on random valid questionnaires and
on random edits of the small hand-computed questionnaire (synthetic answers)."""

from __future__ import annotations

import functools
import json
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.comparability import scoring_signature
from barometre.interop.versions import Change, diff_questionnaires
from barometre.questionnaire.models import Localized, Questionnaire
from barometre.questionnaire.validation import check_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from tests.helpers import tiny_questionnaire
from tests.interop.questionnaire_strategy import questionnaires

TINY = tiny_questionnaire()
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SWAP = {
    "item_added": "item_removed",
    "option_added": "option_removed",
    "row_added": "row_removed",
    "dimension_added": "dimension_removed",
    "role_added": "role_removed",
}
_SWAP |= {v: k for k, v in _SWAP.items()}


def _mirror(change: Change) -> tuple[Any, ...]:
    """What the change is seen from the other side: added and removed, old and new swapped."""
    return (_SWAP.get(change.kind, change.kind), change.path, change.new, change.old, change.effect)


def _key(change: Change) -> tuple[Any, ...]:
    return (change.kind, change.path, change.old, change.new, change.effect)


@SLOW
@given(questionnaires())
def test_a_questionnaire_has_no_change_with_itself(q):
    diff = diff_questionnaires(q, q)
    assert diff.changes == []
    assert diff.comparability.comparable and diff.comparability.global_index
    assert diff.comparability.dimensions == [d.id for d in q.dimensions]


@SLOW
@given(questionnaires(), questionnaires())
def test_the_diff_backwards_has_the_same_paths_with_added_and_removed_swapped(a, b):
    forward, backward = diff_questionnaires(a, b), diff_questionnaires(b, a)
    assert sorted(map(_mirror, forward.changes), key=repr) == sorted(
        map(_key, backward.changes), key=repr
    )
    # what is comparable does not depend on the direction
    assert set(forward.comparability.dimensions) == set(backward.comparability.dimensions)
    assert (
        forward.comparability.not_comparable.keys() == backward.comparability.not_comparable.keys()
    )


@SLOW
@given(questionnaires(), questionnaires())
def test_the_same_scoring_signature_has_no_breaking_change(a, b):
    """The signature (every score-bearing part of the scored items and the methodology, as
    JSON) is stricter than the diff: when it is equal, no change breaks a dimension, an axis
    or an index; only a context item's change may break what it feeds (the breakdowns by
    declared type, the perceived gap), which the signature leaves out with unscored items."""
    diff = diff_questionnaires(a, b)
    contexts = {i.id for q in (a, b) for i in q.items if i.context}
    # Another questionnaire id breaks every score, but the signature leaves the id out:
    # comparability_problem asks for the same id before it compares signatures.
    beyond_context = [
        c
        for c in diff.breaking
        if c.item not in contexts and not (c.kind == "questionnaire_changed" and c.path == "id")
    ]
    if scoring_signature(a) == scoring_signature(b):
        assert beyond_context == []
    if beyond_context:
        assert scoring_signature(a) != scoring_signature(b)
    for c in diff.breaking:
        if c.item in contexts:
            assert c.dimensions == [] and c.axes == []
            assert set(c.scores) <= {"breakdowns", "perceived_gap"} and c.scores


@SLOW
@given(questionnaires(), st.data())
def test_an_option_reorder_is_one_change_and_breaks_only_a_scale_scored_by_position(q, data):
    """Any item's options in another order: one `options_reordered` change; breaking exactly
    when the item is a scored scale with an answer scored by its position."""
    with_options = [i for i in q.items if len(i.options) > 1]
    if not with_options:
        return
    item = data.draw(st.sampled_from(with_options))
    options = data.draw(st.permutations(item.options))
    if [o.code for o in options] == [o.code for o in item.options]:
        return
    items = [i.model_copy(update={"options": options}) if i.id == item.id else i for i in q.items]
    diff = diff_questionnaires(q, q.model_copy(update={"items": items}))
    [reorder] = [c for c in diff.changes if c.kind == "options_reordered"]
    assert reorder.path == f"items.{item.id}.options.order"
    by_position = item.kind == "scale" and any(o.score is None for o in item.options)
    assert (reorder.effect == "breaking") == (item.is_scored and by_position)
    if not (item.is_scored and by_position):
        assert diff.breaking == []


# --- edits that do not break give the same scores ---------------------------------------------


def _relabel(text: str) -> Localized:
    return Localized(fr=f"{text} (v2)", en=f"{text} (v2)")


def _cosmetic_edits(q: Questionnaire, picks: list[int]) -> Questionnaire:
    """Apply the edits chosen by `picks`: texts, help, order, unscored items, version names,
    recommendation weights (none of which a score depends on)."""
    update: dict[str, Any] = {}
    items = list(q.items)
    for pick in picks:
        edit, index = pick % 9, pick // 9
        item = items[index % len(items)]
        if edit == 0:
            items[index % len(items)] = item.model_copy(update={"label": _relabel(item.label.fr)})
        elif edit == 1:
            items[index % len(items)] = item.model_copy(update={"help": _relabel("aide")})
        elif edit == 2 and item.options:
            options = [o.model_copy(update={"label": _relabel(o.label.fr)}) for o in item.options]
            items[index % len(items)] = item.model_copy(update={"options": options})
        elif edit == 3 and item.rows:
            rows = [r.model_copy(update={"label": _relabel(r.label.fr)}) for r in item.rows]
            items[index % len(items)] = item.model_copy(update={"rows": rows})
        elif edit == 4:
            items = items[index % len(items) :] + items[: index % len(items)]
        elif edit == 5:
            update["dimensions"] = [
                d.model_copy(update={"label": _relabel(d.label.fr)}) for d in q.dimensions
            ][::-1]
        elif edit == 6:
            update["version"] = f"{q.version}.{index}"
            update["title"] = _relabel(q.title.fr)
        elif edit == 7:
            recommendation = q.methodology.recommendation.model_copy(
                update={"family_factor": 1.0 + index, "roadmap_size": 1 + index}
            )
            update["methodology"] = q.methodology.model_copy(
                update={"recommendation": recommendation}
            )
        elif edit == 8 and not item.is_scored and item.kind != "text" and not item.context:
            items[index % len(items)] = item.model_copy(update={"roles": ["direction"]})
    return q.model_copy(update={**update, "items": items})


@functools.cache
def _answers() -> pd.DataFrame:
    """Synthetic answers of 30 organisations to the small questionnaire."""
    return simulate_sector(TINY, organisations=30, seed=12).responses


def _scores_text(q: Questionnaire) -> str:
    data = json.loads(score_responses(q, _answers()).to_file().dumps())
    del data["questionnaire"]  # names the version, which an edit may change
    # The same numbers to the last byte; keys sorted, since a file lists items and dimensions
    # in the questionnaire's order, which a cosmetic edit may change.
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@pytest.mark.slow
@SLOW
@given(st.lists(st.integers(0, 9 * 20), min_size=1, max_size=6))
def test_edits_that_do_not_break_give_byte_identical_scores(picks):
    edited = _cosmetic_edits(TINY, picks)
    assert check_questionnaire(edited, "edited") == []
    diff = diff_questionnaires(TINY, edited)
    assert diff.breaking == [], [c.path for c in diff.breaking]
    assert diff.comparability.comparable
    assert _scores_text(edited) == _scores_text(TINY)


def test_a_breaking_edit_moves_the_scores_it_names():
    """a_single (dimension A, tech) weighs 3 instead of 2: the diff says A and tech move, and
    with the same answers the scores of A and tech move while B and transfo do not."""
    items = [i.model_copy(update={"weight": 3.0}) if i.id == "a_single" else i for i in TINY.items]
    edited = TINY.model_copy(update={"items": items})
    diff = diff_questionnaires(TINY, edited)
    [found] = diff.breaking
    assert (found.dimensions, found.axes) == (["A"], ["tech"])
    before = score_responses(TINY, _answers())
    after = score_responses(edited, _answers())
    assert not before.dimension_scores["A"].equals(after.dimension_scores["A"])
    assert before.dimension_scores["B"].equals(after.dimension_scores["B"])
    assert not before.organisations["tech"].equals(after.organisations["tech"])
    assert before.organisations["transfo"].equals(after.organisations["transfo"])
