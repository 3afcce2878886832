"""The result of scoring a wave, and its file (`ScoresFile`, the contract of `barometre score`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from barometre.contracts.base import rounded
from barometre.contracts.scores import (
    Axes,
    AxisName,
    BorderlineRule,
    Context,
    DimensionScore,
    LevelBound,
    MethodologyRef,
    OrganisationScores,
    QuestionnaireRef,
    ScoresFile,
    TypologyThresholds,
)
from barometre.questionnaire.models import AXIS_ROLES, Methodology


@dataclass(frozen=True)
class ScoreResult:
    """Scores of every organisation. DataFrames are indexed by organisation_id.

    organisations: n_respondents, global, level, tech, transfo, tech_se, transfo_se, family,
        borderline, perception_gap, declared_organisation_type, dwellings, department,
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

    @property
    def scored(self) -> pd.Series:
        """Which organisations have a global index (by organisation_id): the same test as
        `OrganisationScores.scored` on the file."""
        return self.organisations["global"].notna()

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation: organisation_id, global, level, family, tech, transfo
        and one column per dimension score (the input of the sector estimate)."""
        orgs = self.organisations
        table = pd.DataFrame(
            {
                "organisation_id": orgs.index.to_numpy(),
                "global": orgs["global"].to_numpy(dtype=float),
                "level": pd.Series([_text(v) for v in orgs["level"]], dtype=object),
                "family": pd.Series([_text(v) for v in orgs["family"]], dtype=object),
                "tech": orgs["tech"].to_numpy(dtype=float),
                "transfo": orgs["transfo"].to_numpy(dtype=float),
            }
        )
        for dimension in self.dimension_ids:
            table[dimension] = self.dimension_scores[dimension].to_numpy(dtype=float)
        return table

    def to_file(self) -> ScoresFile:
        """The scores file: every number rounded to 10 decimals, NaN written as null."""
        method = self.methodology
        return ScoresFile(
            questionnaire=QuestionnaireRef(
                id=self.questionnaire_id, version=self.questionnaire_version
            ),
            methodology=methodology_ref(method),
            organisations=tuple(self._organisation(o) for o in self.organisations.index),
        )

    def _organisation(self, org: str) -> OrganisationScores:
        row = self.organisations.loc[org]
        return OrganisationScores(
            organisation_id=org,
            n_respondents=int(row["n_respondents"]),
            respondents_by_role={k: int(v) for k, v in self.roles.loc[org].items() if v},
            global_index=_number(row["global"]),
            level=_text(row["level"]),
            family=_text(row["family"]),
            borderline=_flag(row["borderline"]),
            axes=Axes(tech=_number(row["tech"]), transfo=_number(row["transfo"])),
            axes_se=Axes(tech=_number(row["tech_se"]), transfo=_number(row["transfo_se"])),
            axes_coverage=Axes(
                tech=_number(self.axis_coverage.at[org, "tech"]),
                transfo=_number(self.axis_coverage.at[org, "transfo"]),
            ),
            perception_gap=_number(row["perception_gap"]),
            perceived_maturity=_number(row["perceived_maturity"]),
            perceived_gap=_number(row["perceived_gap"]),
            context=Context(
                organisation_type=_text(row["declared_organisation_type"]),
                dwellings=_number(row["dwellings"]),
                department=_text(row["department"]),
            ),
            dimensions={
                dim: DimensionScore(
                    score=_number(self.dimension_scores.at[org, dim]),
                    level=_text(self.dimension_levels.at[org, dim]),
                    coverage=_number(self.dimension_coverage.at[org, dim]),
                    dispersion=_number(self.dimension_dispersion.at[org, dim]),
                    perception_gap=_number(self.dimension_perception_gap.at[org, dim]),
                )
                for dim in self.dimension_ids
            },
            items={item: _number(v) for item, v in self.item_scores.loc[org].items()},
            item_weights={
                item: float(_number(v) or 0.0)
                for item, v in self.item_weights.loc[org].items()
                if v > 0
            },
        )


def methodology_ref(method: Methodology) -> MethodologyRef:
    """The methodology parameters a file records (and a method annex prints)."""
    return MethodologyRef(
        version=method.version,
        coverage_threshold=method.coverage_threshold,
        levels=tuple(LevelBound(code=lv.code, min=lv.min) for lv in method.levels),
        typology=_typology_ref(method),
        borderline=BorderlineRule(**method.borderline.model_dump()),
        disclosure_minimum=method.disclosure_minimum,
    )


def _typology_ref(method: Methodology) -> TypologyThresholds | None:
    """The thresholds, and the questionnaire's own axes when it names them (None: no
    typology)."""
    typology = method.typology
    if typology is None:
        return None
    axes = None
    if typology.axes is not None:
        axes = tuple(
            AxisName(
                role=role,
                id=axis.id,
                label=axis.label.model_dump(exclude_none=True),
            )
            for role, axis in zip(AXIS_ROLES, typology.axes, strict=False)
        )
    return TypologyThresholds(
        tech_threshold=typology.tech_threshold,
        transfo_threshold=typology.transfo_threshold,
        axes=axes,
    )


def _number(value: object) -> float | None:
    """A cell of a float column, rounded: pandas-stubs types a cell as any scalar."""
    return rounded(cast(float, value))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    return bool(value) if isinstance(value, bool | np.bool_) else None
