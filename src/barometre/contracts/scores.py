"""The scores file (`barometre score`, a computed wave's scores): its records.

One record per organisation with its global index, level, family, axes, dimensions and items.
Scores are on 0-100, rounded to 10 decimals; null where the coverage rule leaves a score
undefined (its level is then null too). docs/scores-format.md explains every field;
docs/schemas/scores.schema.json is generated from these models.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from barometre.contracts.base import FileContract, Number, Record
from barometre.contracts.vocabulary import Family, OrganisationType


class QuestionnaireRef(Record):
    """The questionnaire a file was made with."""

    id: str
    version: str


class LevelBound(Record):
    code: str
    min: float


class AxisName(Record):
    """An axis a questionnaire names itself: the role it plays in `axes` and its label."""

    role: Literal["tech", "transfo"]
    id: str
    label: dict[str, str] = Field(description="The axis's label by language (fr, en...).")


class TypologyThresholds(Record):
    tech_threshold: float
    transfo_threshold: float
    #: Only when the questionnaire names its own axes (left out of the file otherwise).
    axes: tuple[AxisName, ...] | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The questionnaire's own axes, in role order; absent for tech/transfo.",
    )

    def label(self, role: str, language: str = "fr") -> str | None:
        """The questionnaire's label of the axis playing `role`, or None (default axes)."""
        for axis in self.axes or ():
            if axis.role == role:
                return axis.label.get(language) or axis.label.get("fr")
        return None


class BorderlineRule(Record):
    z: float
    single_respondent_se: float


class MethodologyRef(Record):
    """The methodology parameters the scores were made with (printed in method annexes)."""

    version: str
    coverage_threshold: float
    levels: tuple[LevelBound, ...]
    typology: TypologyThresholds | None = Field(
        description="null when the questionnaire has no typology (no axes, no family)."
    )
    borderline: BorderlineRule
    disclosure_minimum: int = Field(
        description="No figure about fewer organisations than this leaves an organisation."
    )


class Axes(Record):
    tech: Number
    transfo: Number


class Context(Record):
    """What the organisation declared about itself in the questionnaire."""

    organisation_type: OrganisationType | None
    dwellings: Number
    department: str | None


class DimensionScore(Record):
    score: Number
    level: str | None
    coverage: Number
    dispersion: Number
    perception_gap: Number


#: The keys of an organisation left out of the file when the questionnaire has no typology.
TYPOLOGY_KEYS = ("family", "borderline", "axes", "axes_se", "axes_coverage")


def _typology_keys_optional(schema: dict[str, Any]) -> None:
    schema["required"] = [key for key in schema.get("required", []) if key not in TYPOLOGY_KEYS]


class OrganisationScores(Record):
    model_config = ConfigDict(json_schema_extra=_typology_keys_optional)

    organisation_id: str
    n_respondents: int
    respondents_by_role: dict[str, int]
    global_index: Number = Field(alias="global")
    level: str | None
    # Absent from the file when the questionnaire has no typology (read back as null).
    family: Family | None = None
    borderline: bool | None = None
    axes: Axes = Axes(tech=None, transfo=None)
    axes_se: Axes = Axes(tech=None, transfo=None)
    axes_coverage: Axes = Axes(tech=None, transfo=None)
    perception_gap: Number
    perceived_maturity: Number
    perceived_gap: Number
    context: Context
    dimensions: dict[str, DimensionScore]
    items: dict[str, Number]
    item_weights: dict[str, float]

    @property
    def scored(self) -> bool:
        """The organisation has a global index (every dimension reached its coverage): the one
        test of whether an organisation counts in results, comparisons and estimates."""
        return self.global_index is not None

    def dimension_score(self, dimension_id: str) -> float | None:
        dimension = self.dimensions.get(dimension_id)
        return None if dimension is None else dimension.score


class ScoresFile(FileContract):
    FORMAT: ClassVar[str] = "barometre.scores"
    VERSION: ClassVar[int] = 2
    KIND: ClassVar[str] = "scores file"
    V1_KEYS: ClassVar[frozenset[str]] = frozenset({"questionnaire", "organisations"})

    format: Literal["barometre.scores"] = "barometre.scores"
    format_version: Literal[2] = 2
    questionnaire: QuestionnaireRef
    methodology: MethodologyRef
    organisations: tuple[OrganisationScores, ...]

    # No return annotation: pydantic would take it as the file's serialised JSON Schema.
    @model_serializer(mode="wrap")
    def _without_typology(self, handler: SerializerFunctionWrapHandler):
        """Without a typology, no organisation writes a family, a borderline flag or axes."""
        data = handler(self)
        if self.methodology.typology is None and isinstance(data, dict):
            for organisation in data.get("organisations", ()):
                for key in TYPOLOGY_KEYS:
                    organisation.pop(key, None)
        return data

    @property
    def has_typology(self) -> bool:
        """Whether the scores have axes and families (the questionnaire declares a typology)."""
        return self.methodology.typology is not None

    def organisation(self, organisation_id: str) -> OrganisationScores | None:
        for organisation in self.organisations:
            if organisation.organisation_id == organisation_id:
                return organisation
        return None

    @property
    def organisation_ids(self) -> tuple[str, ...]:
        return tuple(o.organisation_id for o in self.organisations)

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation: organisation_id, global, level, family, tech, transfo
        and one column per dimension score (the input of the sector estimate)."""
        dimensions: list[str] = []
        for organisation in self.organisations:
            dimensions += [d for d in organisation.dimensions if d not in dimensions]
        rows = {
            "organisation_id": [o.organisation_id for o in self.organisations],
            "global": [o.global_index for o in self.organisations],
            "level": [o.level for o in self.organisations],
            "family": [o.family for o in self.organisations],
            "tech": [o.axes.tech for o in self.organisations],
            "transfo": [o.axes.transfo for o in self.organisations],
        }
        rows.update({d: [o.dimension_score(d) for o in self.organisations] for d in dimensions})
        table = pd.DataFrame(rows, dtype=object)
        numeric = [c for c in table.columns if c not in ("organisation_id", "level", "family")]
        table[numeric] = table[numeric].astype(float)
        return table

    def item_table(self) -> pd.DataFrame:
        """Organisations x scored items: each organisation's item scores (NaN when missing)."""
        return pd.DataFrame(
            {o.organisation_id: o.items for o in self.organisations}, dtype=float
        ).T.astype(float)
