"""The simulator gives every built-in questionnaire a sector that scores, each of its roles
among the respondents: roles hlm-2026 does not have answer at a default rate and the
questionnaire's first role always answers, so that a questionnaire with none of hlm-2026's
roles (`example-data-pathway`) still gets respondents. hlm-2026 draws exactly as before
(its digests: tests/scoring/test_existing_scores_unchanged.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.loader import BUILTIN
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.simulate.respondents import draw_respondents


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_built_in_questionnaire_simulates_and_scores_with_the_defaults(name: str):
    questionnaire = load_questionnaire(name)
    sector = simulate_sector(questionnaire)  # the defaults: 570 organisations, seed 2026
    roles = [role.code for role in questionnaire.roles]
    respondents = sector.respondents
    assert set(respondents["role"]) == set(roles)
    # every responding organisation has exactly one respondent of the first role
    responding = sector.latent.loc[sector.latent["responded"], "organisation_id"]
    first = respondents[respondents["role"] == roles[0]]
    assert sorted(first["organisation_id"]) == sorted(responding)
    # every role answers something, and the whole sector scores
    assert set(sector.responses["role"]) == set(roles)
    scores = score_responses(questionnaire, sector.responses).to_file()
    assert sorted(o.organisation_id for o in scores.organisations) == sorted(responding)


def _organisations(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"organisation_id": [f"O{i}" for i in range(n)], "dwellings": np.full(n, 2000)}
    )


ROLE_NAMES = st.lists(
    st.sampled_from(
        [
            *("direction", "numerique", "clientele", "patrimoine", "proximite", "support"),
            *("manager", "data", "accueil", "x", "y"),
        ]
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(roles=ROLE_NAMES, n=st.integers(1, 30), seed=st.integers(0, 2**16))
def test_any_roles_get_respondents_the_first_in_every_organisation(roles, n, seed):
    drawn = draw_respondents(_organisations(n), roles, np.random.default_rng(seed))
    assert set(drawn["role"]) <= set(roles)
    first = drawn[drawn["role"] == roles[0]]
    assert sorted(first["organisation_id"]) == sorted(f"O{i}" for i in range(n))
    assert drawn["respondent_id"].is_unique
    # the first respondent of each organisation is of the first role
    assert (drawn.groupby("organisation_id")["role"].first() == roles[0]).all()


@settings(max_examples=40, deadline=None)
@given(roles=ROLE_NAMES, per=st.integers(1, 8), n=st.integers(1, 10))
def test_a_fixed_number_of_respondents_cycles_through_every_role(roles, per, n):
    drawn = draw_respondents(_organisations(n), roles, np.random.default_rng(0), per)
    assert len(drawn) == per * n
    one = drawn[drawn["organisation_id"] == "O0"]["role"].tolist()
    assert one[0] == roles[0]
    # as many roles as respondents allow, each once before any comes back
    assert set(one) == set(roles) if per >= len(roles) else len(set(one)) == per


def test_hlm_roles_draw_as_before():
    """hlm-2026's six roles, in its order: direction always 1, then numerique, clientele,
    patrimoine, support each by one uniform draw per organisation (rates 0.95, 0.95, 0.9,
    0.6), proximite by a Poisson draw; no other draw, so the generator ends where it did."""
    roles = ["direction", "numerique", "clientele", "patrimoine", "proximite", "support"]
    organisations = _organisations(50)
    rng = np.random.default_rng(7)
    drawn = draw_respondents(organisations, roles, rng)
    reference = np.random.default_rng(7)
    uniform = [reference.random(50) for _ in range(4)]
    size = np.log10(2000.0)  # 3.30103: Poisson mean 0.6 × (3.30103 − 2.5) = 0.4806
    field = reference.poisson(np.clip(0.6 * (size - 2.5), 0.1, 2.5), 50)
    assert rng.random() == reference.random()  # the same number of draws
    expected = []
    for o in range(50):
        counts = [
            1,
            *(int(u[o] < r) for u, r in zip(uniform, (0.95, 0.95, 0.9, 0.6), strict=True)),
            field[o],
        ]
        names = ["direction", "numerique", "clientele", "patrimoine", "support", "proximite"]
        expected += [name for name, c in zip(names, counts, strict=True) for _ in range(c)]
    assert drawn["role"].tolist() == expected
