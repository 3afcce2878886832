"""Best-practice sheets: one Markdown file each, with YAML front matter (docs/practices-format.md).

A sheet says which problem it solves, what to do, what it costs and how to measure success, and
when it is triggered: rules on item and dimension scores of an organisation, or on its answers
(an option chosen, a status row at most or exactly at a step of its ladder). Every text of a
sheet is French first with its English (`SheetText`, a `Localized` whose French is required:
a sheet is the product's, not a questionnaire's, and speaks every language of the product).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from barometre.questionnaire.models import Effort, Localized

Family = Literal["pionnier", "timide", "conservateur", "prudent"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SheetText(Localized):
    """A text of a sheet: French required, English checked by the library
    (`recommend/library.py`)."""

    fr: str = Field(min_length=1)


def _code(value: object) -> object:
    """An option code as YAML may have read it: `no` and `yes` unquoted are booleans (the codes
    of a yes/no item), `0` an integer (a scale's code)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return value


class Trigger(_Strict):
    """One rule of a sheet (docs/practices-format.md), of three kinds:

    - a score: the item's (or dimension's) score is below `below`;
    - an answer: the item's answer is one of the options `chosen` (a `multi` item: one of them
      is ticked), by at least one of the respondents whose answers make the organisation's
      consolidated value;
    - a status row: the consolidated score of the item's `row` is at most (`at_most`) or
      exactly (`exactly`) the score of a step of the item's ladder.

    An answer or status row rule counts for the priority the shortfall of the answer's score
    to 100, or `gap` points when the sheet declares it.
    """

    item: str | None = None
    dimension: str | None = None
    below: float | None = Field(default=None, gt=0, le=100)
    chosen: list[str] | None = Field(default=None, min_length=1)
    row: str | None = None
    at_most: str | None = None
    exactly: str | None = None
    gap: float | None = Field(default=None, gt=0, le=100)

    @field_validator("chosen", mode="before")
    @classmethod
    def _one_code_is_a_list(cls, value: object) -> object:
        codes = value if isinstance(value, list) else [value]
        return [_code(code) for code in codes]

    @model_validator(mode="after")
    def _one_target(self) -> Trigger:
        if (self.item is None) == (self.dimension is None):
            raise ValueError("a trigger names exactly one of 'item' or 'dimension'")
        rules = [name for name in ("below", "chosen", "row") if getattr(self, name) is not None]
        if len(rules) != 1:
            raise ValueError("a trigger has exactly one of 'below', 'chosen' or 'row'")
        if self.dimension is not None and self.below is None:
            raise ValueError("a dimension's trigger is a score: 'below'")
        steps = [name for name in ("at_most", "exactly") if getattr(self, name) is not None]
        if self.row is not None and len(steps) != 1:
            raise ValueError("a 'row' trigger has exactly one of 'at_most' or 'exactly'")
        if self.row is None and steps:
            raise ValueError(f"'{steps[0]}' goes with a status table's 'row'")
        if self.below is not None and self.gap is not None:
            raise ValueError("'gap' goes with an answer trigger ('chosen' or 'row'), not 'below'")
        return self

    @property
    def by_answer(self) -> bool:
        """The rule is on an answer (an option chosen, a status row's step), not a score."""
        return self.below is None

    @property
    def step(self) -> str | None:
        """The ladder code of a status row rule."""
        return self.at_most if self.at_most is not None else self.exactly


class Sheet(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: SheetText
    summary: SheetText
    dimensions: list[str] = Field(min_length=1)
    triggers: list[Trigger] = Field(min_length=1)
    effort: Effort
    impact: int = Field(ge=1, le=3)
    families: list[Family] = Field(min_length=1)
    prerequisites: list[str] = Field(default_factory=list)
    indicators: list[SheetText] = Field(min_length=1)
    references: list[SheetText] = Field(default_factory=list)
    #: the Markdown body: French, and English after the line `<!-- en -->` of the file
    body: SheetText
    source: str = ""


class Library(_Strict):
    sheets: list[Sheet]

    @property
    def by_answers(self) -> bool:
        """Some sheet has a rule on answers: recommendations need the answers, not only the
        scores."""
        return any(t.by_answer for s in self.sheets for t in s.triggers)

    def sheet(self, sheet_id: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.id == sheet_id:
                return sheet
        raise KeyError(sheet_id)
