"""The seeded synthetic sector: a frame, who answered, and their answers.

Latent traits per organisation (see `respondents.py`): bigger landlords are better equipped, and
buy-in (`transfo`) follows equipment (`tech`) only partly. The organisations that answer are
self-selected: the better equipped and the bigger answer more often, a bias the sector estimate's
calibration must correct. Everything produced is synthetic and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.errors import ArgumentError
from barometre.questionnaire.fields import build_field_tables
from barometre.questionnaire.models import Questionnaire
from barometre.simulate.frame import simulate_frame
from barometre.simulate.respondents import draw_answers, draw_respondents

#: Organisation type effects on the latent traits (tech, transfo), in standard deviations.
TYPE_EFFECTS = {"OPH": (0.0, 0.0), "ESH": (0.15, 0.1), "COOP": (-0.25, 0.05), "SEM": (-0.1, -0.1)}
TECH_BASE, TRANSFO_BASE = -0.45, -0.5
SIZE_SLOPE = 0.3  # tech gained per factor of e in dwellings, around 3,000 dwellings
TECH_NOISE, TRANSFO_LINK, TRANSFO_NOISE = 0.85, 0.55, 0.7


@dataclass(frozen=True)
class SimulatedSector:
    """frame: every organisation; latent: its traits and whether it answered;
    respondents and responses: the synthetic answers (contract of a responses file)."""

    frame: pd.DataFrame
    latent: pd.DataFrame
    respondents: pd.DataFrame
    responses: pd.DataFrame
    seed: int


def simulate_sector(
    questionnaire: Questionnaire,
    organisations: int = 570,
    response_rate: float = 0.27,
    seed: int = 2026,
    respondents_per_organisation: int | None = None,
) -> SimulatedSector:
    if organisations < 1:
        raise ArgumentError(
            f"The 'organisations' parameter must be at least 1. Got {organisations} instead."
        )
    if not 0 < response_rate <= 1:
        raise ArgumentError(
            f"The 'response_rate' parameter must be in (0, 1]. Got {response_rate} instead."
        )
    rng = np.random.default_rng(seed)
    frame = simulate_frame(organisations, rng)
    latent = _latent_traits(frame, rng)
    latent["responded"] = _who_answers(latent, response_rate, rng)
    sample = frame.join(latent.drop(columns="organisation_id"))[latent["responded"]]
    roles = [role.code for role in questionnaire.roles]
    respondents = draw_respondents(sample, roles, rng, respondents_per_organisation)
    tables = build_field_tables(questionnaire)
    responses = draw_answers(respondents, sample, tables, rng)
    return SimulatedSector(
        frame=frame, latent=latent, respondents=respondents, responses=responses, seed=seed
    )


def simulate_next_wave(
    questionnaire: Questionnaire,
    previous: SimulatedSector,
    seed: int,
    progress: float = 0.15,
    response_rate: float = 0.27,
    stay_rate: float = 0.6,
) -> SimulatedSector:
    """The same frame a year later: traits move up by `progress` (in standard deviations) with
    individual noise; `stay_rate` of last year's respondents answer again (the panel), the rest
    of the sample is drawn afresh with the same self-selection."""
    rng = np.random.default_rng(seed)
    frame = previous.frame
    latent = previous.latent[["organisation_id", "tech_latent", "transfo_latent"]].copy()
    n = len(latent)
    latent["tech_latent"] += progress + 0.2 * rng.standard_normal(n)
    latent["transfo_latent"] += progress + 0.2 * rng.standard_normal(n)
    k = max(1, round(response_rate * n))
    stay = previous.latent["responded"].to_numpy() & (rng.random(n) < stay_rate)
    propensity = np.exp(0.4 * latent["tech_latent"].to_numpy()) * ~stay
    fresh = rng.choice(
        n, size=max(0, k - stay.sum()), replace=False, p=propensity / propensity.sum()
    )
    responded = stay.copy()
    responded[fresh] = True
    latent["responded"] = responded
    sample = frame.join(latent.drop(columns="organisation_id"))[latent["responded"]]
    roles = [role.code for role in questionnaire.roles]
    respondents = draw_respondents(sample, roles, rng, None)
    respondents["respondent_id"] = respondents["respondent_id"] + f"-W{seed}"
    responses = draw_answers(respondents, sample, build_field_tables(questionnaire), rng)
    return SimulatedSector(
        frame=frame, latent=latent, respondents=respondents, responses=responses, seed=seed
    )


def _latent_traits(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(frame)
    effects = np.array([TYPE_EFFECTS[f] for f in frame["organisation_type"]])
    size = np.log(frame["dwellings"].to_numpy(dtype=float) / 3000.0)
    tech = TECH_BASE + effects[:, 0] + SIZE_SLOPE * size + TECH_NOISE * rng.standard_normal(n)
    transfo = (
        TRANSFO_BASE
        + effects[:, 1]
        + TRANSFO_LINK * (tech - TECH_BASE)
        + TRANSFO_NOISE * rng.standard_normal(n)
    )
    return pd.DataFrame(
        {
            "organisation_id": frame["organisation_id"],
            "tech_latent": tech,
            "transfo_latent": transfo,
        }
    )


def _who_answers(latent: pd.DataFrame, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly round(rate x n) organisations, the better equipped more likely (self-selection)."""
    n = len(latent)
    k = max(1, round(rate * n))
    propensity = np.exp(0.4 * latent["tech_latent"].to_numpy())
    chosen = rng.choice(n, size=k, replace=False, p=propensity / propensity.sum())
    responded = np.zeros(n, dtype=bool)
    responded[chosen] = True
    return responded
