"""Helpers shared by the tests: a small questionnaire built for hand computation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometre.contracts.scores import Axes, Context, DimensionScore, OrganisationScores
from barometre.questionnaire import parse_questionnaire
from barometre.scoring import ScoreResult, score_responses

ROOT = Path(__file__).resolve().parents[1]

# Scores of each answer are easy to compute by hand:
#   a_scale   5 levels, linear: 0 / 25 / 50 / 75 / 100                     (A, tech, weight 1)
#   a_single  x 0, y 30, z 100                                              (A, tech, weight 2)
#   a_multi   p (weight 2), q (1), r (1); "none" exclusive worth 0         (A, tech, weight 1)
#   a_status  rows r1 (weight 1) and r2 (weight 3), default ladder         (A, tech, weight 1)
#             not_considered 0, planned 10, piloting 40, partial 70, generalised 100
#   a_pct     percent, worst 10, best 60, higher is better, numerique's figure counts
#   b_mail    number, worst 80, best 20 (e-mails a day: lower is better)   (B, transfo)
#   b_sponsor yesno: yes 100, no 0                                          (B, transfo)
#   b_plan    scale with explicit scores 0 / 40 / 100                       (B, transfo, weight 2)
TINY = """
id: tiny
version: "1"
title: {fr: Questionnaire de test}
roles:
  - {code: direction, label: {fr: Direction}}
  - {code: numerique, label: {fr: Numérique}}
  - {code: clientele, label: {fr: Clientèle}}
dimensions:
  - {id: A, label: {fr: Services}}
  - {id: B, label: {fr: Pilotage}}
items:
  - id: a_scale
    kind: scale
    dimension: A
    axis: tech
    roles: [direction, numerique, clientele]
    label: {fr: Échelle}
    options:
      - {code: "0", label: {fr: zéro}}
      - {code: "1", label: {fr: un}}
      - {code: "2", label: {fr: deux}}
      - {code: "3", label: {fr: trois}}
      - {code: "4", label: {fr: quatre}}
  - id: a_single
    kind: single
    dimension: A
    axis: tech
    weight: 2
    roles: [direction, numerique, clientele]
    label: {fr: Choix}
    options:
      - {code: x, label: {fr: x}, score: 0}
      - {code: y, label: {fr: y}, score: 30}
      - {code: z, label: {fr: z}, score: 100}
  - id: a_multi
    kind: multi
    dimension: A
    axis: tech
    roles: [direction, numerique, clientele]
    label: {fr: Cases}
    options:
      - {code: p, label: {fr: p}, weight: 2}
      - {code: q, label: {fr: q}}
      - {code: r, label: {fr: r}}
      - {code: none, label: {fr: aucune}, exclusive: true}
  - id: a_status
    kind: status
    dimension: A
    axis: tech
    roles: [direction, numerique, clientele]
    label: {fr: Tableau}
    rows:
      - {id: r1, label: {fr: r1}}
      - {id: r2, label: {fr: r2}, weight: 3}
  - id: a_pct
    kind: percent
    dimension: A
    axis: tech
    roles: [numerique, clientele]
    reference_role: numerique
    label: {fr: Part}
    goalposts: {worst: 10, best: 60}
    better: higher
  - id: b_mail
    kind: number
    dimension: B
    axis: transfo
    roles: [direction, numerique, clientele]
    label: {fr: Courriels par jour}
    goalposts: {worst: 80, best: 20}
    better: lower
    minimum: 0
  - id: b_sponsor
    kind: yesno
    dimension: B
    axis: transfo
    roles: [direction, numerique, clientele]
    label: {fr: Sponsor}
  - id: b_plan
    kind: scale
    dimension: B
    axis: transfo
    weight: 2
    roles: [direction, numerique, clientele]
    label: {fr: Plan}
    options:
      - {code: none, label: {fr: aucun}, score: 0}
      - {code: draft, label: {fr: brouillon}, score: 40}
      - {code: done, label: {fr: fait}, score: 100}
  - id: ctx_family
    kind: single
    scored: false
    context: organisation_type
    roles: [direction]
    label: {fr: Famille}
    options:
      - {code: OPH, label: {fr: OPH}}
      - {code: ESH, label: {fr: ESH}}
  - id: ctx_feel
    kind: scale
    scored: false
    context: perceived_maturity
    roles: [direction, numerique, clientele]
    label: {fr: Maturité perçue}
    options:
      - {code: "1", label: {fr: "1"}}
      - {code: "2", label: {fr: "2"}}
      - {code: "3", label: {fr: "3"}}
      - {code: "4", label: {fr: "4"}}
      - {code: "5", label: {fr: "5"}}
      - {code: "6", label: {fr: "6"}}
      - {code: "7", label: {fr: "7"}}
      - {code: "8", label: {fr: "8"}}
      - {code: "9", label: {fr: "9"}}
      - {code: "10", label: {fr: "10"}}
  - id: ctx_comment
    kind: text
    roles: [direction, numerique, clientele]
    label: {fr: Commentaire}
"""

A_FIELDS = ["a_scale", "a_single", "a_multi", "a_status.r1", "a_status.r2", "a_pct"]
B_FIELDS = ["b_mail", "b_sponsor", "b_plan"]


def tiny_questionnaire(text: str = TINY):
    return parse_questionnaire(text, "tiny.yaml")


def responses(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["organisation_id", "respondent_id", "role", "item_id", "answer"]
    )


def score_rows(rows, questionnaire=None) -> ScoreResult:
    return score_responses(questionnaire or tiny_questionnaire(), responses(rows))


def one_respondent(answers: dict[str, str], role: str = "numerique", org: str = "O1"):
    """Rows for one respondent of one organisation."""
    return [(org, f"{org}-{role}", role, item, answer) for item, answer in answers.items()]


def organisation_scores(
    family: str | None = None,
    items: dict[str, float | None] | None = None,
    dimensions: dict[str, tuple[float | None, str | None]] | None = None,
    item_weights: dict[str, float] | None = None,
    organisation_id: str = "O1",
) -> OrganisationScores:
    """A hand-built organisation of a scores file: `dimensions[id] = (score, level)`; what is
    not given is missing (null)."""
    unknown = Axes(tech=None, transfo=None)
    return OrganisationScores(
        organisation_id=organisation_id,
        n_respondents=1,
        respondents_by_role={},
        global_index=None,
        level=None,
        family=family,
        borderline=None,
        axes=unknown,
        axes_se=unknown,
        axes_coverage=unknown,
        perception_gap=None,
        perceived_maturity=None,
        perceived_gap=None,
        context=Context(organisation_type=None, dwellings=None, department=None),
        dimensions={
            d: DimensionScore(
                score=score, level=level, coverage=None, dispersion=None, perception_gap=None
            )
            for d, (score, level) in (dimensions or {}).items()
        },
        items=dict(items or {}),
        item_weights=dict(item_weights or {}),
    )
