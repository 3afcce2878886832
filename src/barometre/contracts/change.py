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
    """A change with its standard error and interval; no number below the disclosure minimum."""

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
