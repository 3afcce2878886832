"""Invariants of the scoring engine, checked on random answers (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.questionnaire import parse_questionnaire
from barometre.scoring import score_responses
from tests.helpers import TINY, responses
from tests.strategies import TABLES, organisation_rows
from tests.strategies import TINY as Q

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def all_scores(result) -> np.ndarray:
    parts = [
        result.dimension_scores.to_numpy(dtype=float).ravel(),
        result.item_scores.to_numpy(dtype=float).ravel(),
        result.organisations[["global", "tech", "transfo"]].to_numpy(dtype=float).ravel(),
    ]
    return np.concatenate(parts)


@SETTINGS
@given(organisation_rows())
def test_scores_stay_between_0_and_100(rows):
    values = all_scores(score_responses(Q, responses(rows)))
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 100 + 1e-9)).all()


@SETTINGS
@given(organisation_rows(), st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    a = score_responses(Q, responses(rows)).to_file().to_json()
    b = score_responses(Q, responses(shuffled)).to_file().to_json()
    assert _flat(a).keys() == _flat(b).keys()
    for key, value in _flat(a).items():
        other = _flat(b)[key]
        if isinstance(value, float):  # sums in another order may differ in the last bit
            assert other == pytest.approx(value, rel=1e-12, abs=1e-9), key
        else:
            assert other == value, key


def _flat(data, prefix: str = "") -> dict:
    if isinstance(data, dict):
        return {k2: v2 for k, v in data.items() for k2, v2 in _flat(v, f"{prefix}.{k}").items()}
    if isinstance(data, list):
        return {k2: v2 for i, v in enumerate(data) for k2, v2 in _flat(v, f"{prefix}[{i}]").items()}
    return {prefix: data}


def _better(field: str, answer: str) -> str | None:
    """An answer to `field` that scores at least as much, or None if none is higher."""
    kind = TABLES.fields.at[field, "kind"]
    if answer in ("NA", "DK"):
        return None
    if kind == "percent":
        return str(min(100, int(answer) + 17))
    if kind == "number":  # lower is better for b_mail
        return str(max(0, int(answer) - 17))
    if kind == "multi":
        return "p|q|r"
    options = TABLES.options[TABLES.options["field_id"] == field]
    own = options.loc[options["code"] == answer, "score"].iloc[0]
    higher = options[options["score"] > own].sort_values("score")
    return None if higher.empty else higher["code"].iloc[0]


@SETTINGS
@given(organisation_rows(), st.data())
def test_raising_any_answer_never_lowers_any_score(rows, data):
    candidates = [i for i, row in enumerate(rows) if _better(row[3], row[4]) is not None]
    if not candidates:
        return
    index = data.draw(st.sampled_from(candidates))
    raised = list(rows)
    org, person, role, field, answer = raised[index]
    raised[index] = (org, person, role, field, _better(field, answer))
    before = all_scores(score_responses(Q, responses(rows)))
    after = all_scores(score_responses(Q, responses(raised)))
    both = ~np.isnan(before) & ~np.isnan(after)
    assert (np.isnan(before) == np.isnan(after)).all()  # coverage does not change
    assert (after[both] >= before[both] - 1e-9).all()


REMOVABLE = ["a_scale", "a_single", "a_multi", "a_pct", "b_mail", "b_sponsor"]


def _without(item_id: str) -> str:
    """The questionnaire text with one item removed."""
    blocks = TINY.split("\n  - id: ")
    kept = [b for b in blocks if not b.startswith(item_id + "\n")]
    return "\n  - id: ".join(kept)


@SETTINGS
@given(organisation_rows(), st.sampled_from(REMOVABLE))
def test_not_applicable_on_an_item_is_the_same_as_removing_it(rows, item_id):
    # Everyone asked the item answers "not applicable"...
    people = {(o, p, r) for o, p, r, _, _ in rows}
    as_na = [row for row in rows if row[3] != item_id] + [
        (o, p, r, item_id, "NA") for o, p, r in sorted(people) if TABLES.roles.at[item_id, r]
    ]
    # ... or the item is not in the questionnaire at all.
    removed = [row for row in rows if row[3] != item_id]
    smaller = parse_questionnaire(_without(item_id), "smaller.yaml")
    if not removed:
        return
    a = score_responses(Q, responses(as_na))
    b = score_responses(smaller, responses(removed))
    # Compare the organisations where someone was asked the item (elsewhere it is missing).
    asked = sorted({row[0] for row in as_na if row[3] == item_id} & set(b.organisations.index))
    if not asked:
        return
    organisations = pd.Index(asked, name="organisation_id")
    pd.testing.assert_frame_equal(
        a.dimension_scores.loc[organisations], b.dimension_scores.loc[organisations]
    )
    pd.testing.assert_frame_equal(
        a.dimension_coverage.loc[organisations], b.dimension_coverage.loc[organisations]
    )
    columns = ["global", "tech", "transfo", "family"]
    pd.testing.assert_frame_equal(
        a.organisations.loc[organisations, columns], b.organisations.loc[organisations, columns]
    )
