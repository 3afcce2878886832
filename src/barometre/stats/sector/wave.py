"""A wave's statistics from the engine's files: sector estimate, reliability, wave change.

These functions join the scoring output (a scores JSON), the frame and the questionnaire to the
estimation layer, so that the command line and the web application call one function each.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from barometre.errors import StatisticsError
from barometre.questionnaire.models import Questionnaire
from barometre.scoring.result import organisation_table_from_json
from barometre.stats.reliability import dimension_reliability
from barometre.stats.sector.estimate import estimate_sector
from barometre.stats.sector.inputs import check_inputs
from barometre.stats.sector.weighting import weight_to_frame
from barometre.stats.waves import compare_waves

MIN_DOMAIN = 5


def estimate_wave(
    scores: dict[str, Any],
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    wave_year: int | None = None,
    variance: str = "linearisation",
    replicates: int = 500,
    seed: int = 0,
) -> dict[str, Any]:
    """The JSON document of `barometre estimate` (see docs/statistics.md)."""
    table = organisation_table_from_json(scores)
    dimensions = [d.id for d in questionnaire.dimensions]
    estimate = estimate_sector(
        table,
        frame,
        dimensions=dimensions,
        variance=variance,
        replicates=replicates,
        seed=seed,
        min_domain=MIN_DOMAIN,
    )
    return {
        "wave_year": wave_year,
        "questionnaire": scores["questionnaire"],
        "methodology": scores.get("methodology"),
        **estimate.to_dict(),
        "reliability": reliability(scores, questionnaire),
    }


def reliability(scores: dict[str, Any], questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Alpha (Feldt interval), omega and weakest items of each dimension, over organisations."""
    items = pd.DataFrame(
        {o["organisation_id"]: o.get("items", {}) for o in scores["organisations"]}
    ).T.astype(float)
    by_dimension = {}
    for dimension in questionnaire.dimensions:
        columns = [
            i.id
            for i in questionnaire.scored_items
            if i.dimension == dimension.id and i.id in items.columns
        ]
        if len(columns) >= 2:
            by_dimension[dimension.id] = items[columns]
    records = []
    for dimension, items in by_dimension.items():
        try:
            [record] = dimension_reliability({dimension: items})
        except StatisticsError as error:  # e.g. an item that does not vary in a small wave
            records.append(
                {
                    "dimension": dimension,
                    "suppressed": True,
                    "reason": str(error),
                    "organisations": None,
                    "alpha": None,
                    "alpha_ci": None,
                    "omega": None,
                    "weakest_items": [],
                }
            )
            continue
        suppressed = record.n < MIN_DOMAIN
        records.append(
            {
                "dimension": record.dimension,
                "organisations": None if suppressed else record.n,
                "items": record.k,
                "organisations_dropped": record.n_dropped,
                "suppressed": suppressed,
                "alpha": None if suppressed else record.alpha,
                "alpha_ci": None if suppressed else [record.alpha_ci_low, record.alpha_ci_high],
                "omega": None if suppressed else record.omega,
                "omega_note": record.omega_note,
                "weakest_items": []
                if suppressed
                else [
                    {
                        "item": s.item,
                        "item_rest_correlation": s.item_rest_correlation,
                        "alpha_if_deleted": s.alpha_if_deleted,
                    }
                    for s in record.weakest_items
                ],
            }
        )
    return records


def calibrated_design(scores: dict[str, Any], frame: pd.DataFrame, dimensions: list[str]):
    inputs = check_inputs(organisation_table_from_json(scores), frame, dimensions, None, None)
    design, _report = weight_to_frame(inputs.respondents, inputs.frame, MIN_DOMAIN)
    return design


def compare_wave_scores(
    before: dict[str, Any],
    before_frame: pd.DataFrame,
    after: dict[str, Any],
    after_frame: pd.DataFrame,
    questionnaire: Questionnaire,
) -> dict[str, Any]:
    """Population change (each wave weighted to its own frame) and panel change (organisations
    in both waves) of the global index, both axes and every dimension."""
    dimensions = [d.id for d in questionnaire.dimensions]
    first = calibrated_design(before, before_frame, dimensions)
    second = calibrated_design(after, after_frame, dimensions)
    changes = {}
    for column in ["global", "tech", "transfo", *dimensions]:
        try:
            comparison = compare_waves(
                first.subset(first.data[column].notna()),
                second.subset(second.data[column].notna()),
                column,
                "organisation_id",
            )
        except StatisticsError as error:
            changes[column] = {"suppressed": True, "reason": str(error)}
            continue
        changes[column] = _comparison(comparison)
    return {
        "before": before["questionnaire"],
        "after": after["questionnaire"],
        "method": {
            "population": "difference of the two weighted means; variance = sum of variances "
            "(independent samples)",
            "panel": "weighted mean of the within-organisation change over the organisations "
            "present in both waves, linearised in the current wave's design (the "
            "covariance of the overlap is in the paired differences)",
            "suppression": f"no figure resting on fewer than {MIN_DOMAIN} organisations",
        },
        "indicators": changes,
    }


def _comparison(c) -> dict[str, Any]:
    def change(x):
        if x is None or x.n < MIN_DOMAIN:
            return {"suppressed": True, "n": None}
        return {
            "suppressed": False,
            "value": x.value,
            "se": x.se,
            "ci_low": x.ci_low,
            "ci_high": x.ci_high,
            "n": x.n,
        }

    return {
        "previous": c.previous.value if c.previous.n >= MIN_DOMAIN else None,
        "current": c.current.value if c.current.n >= MIN_DOMAIN else None,
        "population": change(c.population),
        "panel": change(c.panel),
    }
