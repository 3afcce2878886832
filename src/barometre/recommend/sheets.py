"""Best-practice sheets: one Markdown file each, with YAML front matter (docs/practices-format.md).

A sheet says which problem it solves, what to do, what it costs and how to measure success, and
when it is triggered: rules on item and dimension scores of an organisation. Every text of a
sheet is French first with its English (`Localized`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from barometre.questionnaire.models import Effort, Localized

Family = Literal["pionnier", "timide", "conservateur", "prudent"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Strict):
    """The sheet is triggered when the item's (or dimension's) score is below `below`."""

    item: str | None = None
    dimension: str | None = None
    below: float = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _one_target(self) -> Trigger:
        if (self.item is None) == (self.dimension is None):
            raise ValueError("a trigger names exactly one of 'item' or 'dimension'")
        return self


class Sheet(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: Localized
    summary: Localized
    dimensions: list[str] = Field(min_length=1)
    triggers: list[Trigger] = Field(min_length=1)
    effort: Effort
    impact: int = Field(ge=1, le=3)
    families: list[Family] = Field(min_length=1)
    prerequisites: list[str] = Field(default_factory=list)
    indicators: list[Localized] = Field(min_length=1)
    references: list[Localized] = Field(default_factory=list)
    #: the Markdown body: French, and English after the line `<!-- en -->` of the file
    body: Localized
    source: str = ""


class Library(_Strict):
    sheets: list[Sheet]

    def sheet(self, sheet_id: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.id == sheet_id:
                return sheet
        raise KeyError(sheet_id)
