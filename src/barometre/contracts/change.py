"""The wave-change file (`barometre compare`, a computed wave's change since the last
comparable wave): population change and panel change of each indicator.

docs/statistics.md explains the method; docs/schemas/change.schema.json is generated from
these models.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from barometre.contracts.base import FileContract, Number, Record
from barometre.contracts.estimates import SuppressionKind
from barometre.contracts.scores import QuestionnaireRef


class Difference(Record):
    """A change with its standard error and interval; no number below the disclosure minimum.

    The variance of a change is always linearised, with each wave's calibration residuals,
    whatever the variance method of the estimates (docs/statistics.md, *Change between
    waves*)."""

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
        "strata: the panel is a domain of that design, not a design of its own). Null when "
        "the interval is normal (fewer than 1 degree of freedom), when the change is "
        "suppressed, and in files written before it was recorded.",
    )
    covariance: Number = Field(
        default=None,
        description="Population change only: C, the covariance of the two waves' means that "
        "the organisations in both waves create; the variance is V1 + V2 - 2 C, all three "
        "linearised. Null for the panel change (the overlap is in the paired differences), "
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
