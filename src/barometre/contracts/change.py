"""The wave-change file (`barometre compare`, a computed wave's change since the last
comparable wave): population change and panel change of each indicator.

docs/statistics.md explains the method; docs/schemas/change.schema.json is generated from
these models.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from barometre.contracts.base import FileContract, Number, Record
from barometre.contracts.estimates import SuppressionKind, VarianceMethod
from barometre.contracts.scores import QuestionnaireRef


class Difference(Record):
    """A change with its standard error and interval; no number below the disclosure minimum.

    Its variance follows the file's `method.variance`: with replicate weights (the jackknife,
    the default, or the bootstrap), each wave's replicate variance and, for the population
    change, the covariance from the linearised correlation; with linearisation (or in files
    written before `method.variance`), every term linearised with each wave's calibration
    residuals (docs/statistics.md, *Change between waves*)."""

    suppressed: bool
    value: Number = None
    se: Number = None
    ci_low: Number = None
    ci_high: Number = None
    n: int | None = None
    suppression: SuppressionKind | None = Field(
        default=None,
        description="Why a suppressed change is hidden: 'primary', it rests on fewer "
        "organisations than the disclosure minimum; 'complementary', the panel change would "
        "give by subtraction the total of the few organisations that left or joined.",
    )
    df: float | None = Field(
        default=None,
        description="Degrees of freedom of the Student interval: for the population change, "
        "the two waves stacked with the organisation as the PSU (organisations with a value "
        "in either wave minus the strata they lie in); for the panel change, those of the "
        "later wave's design for the indicator (its organisations with a value minus the "
        "strata, or with replicate weights the rank of their replicate weights minus 1: the "
        "panel is a domain of that design, not a design of its own). Null when "
        "the interval is normal (fewer than 1 degree of freedom), when the change is "
        "suppressed, and in files written before it was recorded.",
    )
    covariance: Number = Field(
        default=None,
        description="Population change only: C, the covariance of the two waves' means that "
        "the organisations in both waves create; the variance is V1 + V2 - 2 C. Linearised "
        "when `method.variance` is linearisation (or null, older files); with replicate "
        "weights, rho sqrt(V1 V2), V1 and V2 the waves' replicate variances and rho the "
        "linearised correlation of the two means. Null for the panel change (the overlap is "
        "in the paired differences), "
        "when fewer than the disclosure minimum (but some) organisations are in both waves, "
        "when the change is suppressed, and in files written before it was recorded.",
    )
    shared: int | None = Field(
        default=None,
        description="Population change only: the organisations with a value in both waves, "
        "over which C is computed. Null for the panel change (its n is the panel), when the "
        "change is suppressed, and in files written before it was recorded.",
    )


class IndicatorChange(Record):
    suppressed: Literal[False] = False
    previous: Number
    current: Number
    population: Difference
    panel: Difference


class SuppressedChange(Record):
    """An indicator whose change could not be computed at all, and why."""

    suppressed: Literal[True] = True
    reason: str


class ChangeMethod(Record):
    population: str
    panel: str
    suppression: str
    variance: VarianceMethod | None = Field(
        default=None,
        description="The variance method of the changes: 'jackknife' or 'bootstrap', each "
        "wave's replicate weights (calibration redone in every replicate) for V1, V2 and the "
        "panel change, the population change's covariance from the linearised correlation; "
        "'linearisation', every term linearised. The questionnaire's methodology.variance.method "
        "unless its replicates were not possible (`variance_fallback`). Null in files written "
        "before it was recorded: their changes are linearised.",
    )
    variance_fallback: str | None = Field(
        default=None,
        description="Why `variance` is linearisation although a replicate method was "
        "requested: a wave's replicate weights could not be calibrated again. Null when the "
        "requested method was used, and in files written before it was recorded.",
    )


class ChangeFile(FileContract):
    FORMAT: ClassVar[str] = "barometre.change"
    VERSION: ClassVar[int] = 2
    KIND: ClassVar[str] = "wave-change file"
    V1_KEYS: ClassVar[frozenset[str]] = frozenset({"before", "after", "indicators"})

    format: Literal["barometre.change"] = "barometre.change"
    format_version: Literal[2] = 2
    before: QuestionnaireRef
    after: QuestionnaireRef
    before_year: int | None = None
    after_year: int | None = None
    methodology_version: str
    method: ChangeMethod
    indicators: dict[str, IndicatorChange | SuppressedChange]

    def indicator(self, name: str) -> IndicatorChange | None:
        """The change of an indicator, or None when it is suppressed or absent."""
        found = self.indicators.get(name)
        return found if isinstance(found, IndicatorChange) else None
