"""The result of scoring a wave, and its JSON form (the contract of `barometre score`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from barometre.questionnaire.models import Methodology


@dataclass(frozen=True)
class ScoreResult:
    """Scores of every organisation. DataFrames are indexed by organisation_id.

    organisations: n_respondents, global, level, tech, transfo, tech_se, transfo_se, family,
        borderline, perception_gap, declared_family, dwellings, department,
        perceived_maturity (mean 1-10 self-rating), perceived_score (0-100), perceived_gap.
    dimension_*: organisations x dimensions.
    item_scores: organisations x scored items (status tables: weighted mean of their rows).
    item_weights: organisations x scored items, the weight of the answered fields (a status
        table partly answered counts only its answered rows).
    roles: organisations x roles, number of respondents.
    """

    questionnaire_id: str
    questionnaire_version: str
    methodology: Methodology
    dimension_ids: list[str]
    organisations: pd.DataFrame
    dimension_scores: pd.DataFrame
    dimension_coverage: pd.DataFrame
    dimension_levels: pd.DataFrame
    dimension_dispersion: pd.DataFrame
    dimension_perception_gap: pd.DataFrame
    axis_coverage: pd.DataFrame
    item_scores: pd.DataFrame
    item_weights: pd.DataFrame
    roles: pd.DataFrame

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation: organisation_id, global, level, family_type, tech,
        transfo and one column per dimension score (the input of the sector estimate)."""
        orgs = self.organisations
        table = pd.DataFrame(
            {
                "organisation_id": orgs.index.to_numpy(),
                "global": orgs["global"].to_numpy(dtype=float),
                "level": pd.Series([_text(v) for v in orgs["level"]], dtype=object),
                "family_type": pd.Series([_text(v) for v in orgs["family"]], dtype=object),
                "tech": orgs["tech"].to_numpy(dtype=float),
                "transfo": orgs["transfo"].to_numpy(dtype=float),
            }
        )
        for dimension in self.dimension_ids:
            table[dimension] = self.dimension_scores[dimension].to_numpy(dtype=float)
        return table

    def to_dict(self) -> dict[str, Any]:
        method = self.methodology
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "methodology": {
                "version": method.version,
                "coverage_threshold": method.coverage_threshold,
                "levels": [{"code": lv.code, "min": lv.min} for lv in method.levels],
                "typology": method.typology.model_dump(),
                "borderline": method.borderline.model_dump(),
            },
            "organisations": [self._organisation(o) for o in self.organisations.index],
        }

    def _organisation(self, org: str) -> dict[str, Any]:
        row = self.organisations.loc[org]
        return {
            "organisation_id": org,
            "n_respondents": int(row["n_respondents"]),
            "respondents_by_role": {k: int(v) for k, v in self.roles.loc[org].items() if v},
            "global": _num(row["global"]),
            "level": _text(row["level"]),
            "family": _text(row["family"]),
            "borderline": _flag(row["borderline"]),
            "axes": {"tech": _num(row["tech"]), "transfo": _num(row["transfo"])},
            "axes_se": {"tech": _num(row["tech_se"]), "transfo": _num(row["transfo_se"])},
            "axes_coverage": {a: _num(v) for a, v in self.axis_coverage.loc[org].items()},
            "perception_gap": _num(row["perception_gap"]),
            "perceived_maturity": _num(row["perceived_maturity"]),
            "perceived_gap": _num(row["perceived_gap"]),
            "context": {
                "family": _text(row["declared_family"]),
                "dwellings": _num(row["dwellings"]),
                "department": _text(row["department"]),
            },
            "dimensions": {
                dim: {
                    "score": _num(self.dimension_scores.at[org, dim]),
                    "level": _text(self.dimension_levels.at[org, dim]),
                    "coverage": _num(self.dimension_coverage.at[org, dim]),
                    "dispersion": _num(self.dimension_dispersion.at[org, dim]),
                    "perception_gap": _num(self.dimension_perception_gap.at[org, dim]),
                }
                for dim in self.dimension_ids
            },
            "items": {item: _num(v) for item, v in self.item_scores.loc[org].items()},
            "item_weights": {
                item: _num(v) for item, v in self.item_weights.loc[org].items() if v > 0
            },
        }


def _num(value: Any) -> float | None:
    """JSON-safe float: NaN and None become null; never rounded."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    return bool(value) if isinstance(value, bool | np.bool_) else None


def organisation_table_from_json(data: dict[str, Any]) -> pd.DataFrame:
    """The same table as `ScoreResult.organisation_table`, read from a scores JSON file."""
    rows = []
    for org in data["organisations"]:
        row = {
            "organisation_id": org["organisation_id"],
            "global": org["global"],
            "level": org["level"],
            "family_type": org["family"],
            "tech": org["axes"]["tech"],
            "transfo": org["axes"]["transfo"],
        }
        row.update({dim: value["score"] for dim, value in org["dimensions"].items()})
        rows.append(row)
    table = pd.DataFrame(rows, dtype=object)
    numeric = [c for c in table.columns if c not in ("organisation_id", "level", "family_type")]
    table[numeric] = table[numeric].astype(float)
    return table
