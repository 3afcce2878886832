"""The codebook of an exported table: every column, what it holds and how it is coded.

One `Codebook` per table, as a typed record: the XLSX export writes it as the `codebook`
sheet, the Parquet export puts it (JSON) in the file's schema metadata, SPSS and Stata files
carry the same labels as variable and value labels. docs/exports.md explains every field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: What a column holds.
ColumnKind = Literal[
    "identifier",  # an organisation id or a respondent's pseudonym (text)
    "code",  # a coded answer or category: a whole number with value labels
    "dichotomy",  # one option of a multiple-choice item: 1 ticked, 0 not ticked
    "number",  # a figure as answered, or a count
    "score",  # a score on 0-100
    "share",  # a share in 0-1 (coverage, a proportion)
    "text",  # free text
]
#: How a column is stored.
StorageType = Literal["string", "integer", "number", "boolean"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueLabel(_Record):
    """One code of a coded column: the number written, the code it stands for in the
    questionnaire or the scores file (`value`), its labels and, for an answer, its score."""

    code: int
    value: str
    label_fr: str
    label_en: str
    score: float | None = None


class MissingCode(_Record):
    """A user-missing code: `answer` NA (not applicable) or DK (don't know), the number
    written for it, and the Stata extended missing value (`.a`, `.b`) that stands for it in
    a .dta file."""

    answer: Literal["NA", "DK"]
    code: float
    stata: Literal["a", "b"]
    label_fr: str
    label_en: str


class CodebookColumn(_Record):
    """One column. `name` is the variable's name in the file; `key` the field id
    (`ITEM`, `ITEM.ROW` for a status row, `ITEM.OPTION` for an option of a multiple choice)
    or the name of a computed column, from which the name is made."""

    name: str
    key: str
    label_fr: str
    label_en: str
    kind: ColumnKind
    type: StorageType
    item: str | None = None
    row: str | None = None
    option: str | None = None
    dimension: str | None = None
    question_kind: str | None = None
    unit_fr: str | None = None
    unit_en: str | None = None
    values: tuple[ValueLabel, ...] = ()
    missing: tuple[MissingCode, ...] = ()
    #: A conditional question's condition (`has_site in yes`): asked, and answered, only when
    #: it holds, else not applicable; left out of the codebook of a question without one.
    asked_if: str | None = Field(default=None, exclude_if=lambda value: value is None)

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_fr


class Codebook(_Record):
    """The codebook of one table of one wave."""

    format: Literal["barometre.codebook"] = "barometre.codebook"
    format_version: Literal[1] = 1
    table: str
    questionnaire_id: str
    questionnaire_version: str
    methodology_version: str
    rows: int
    columns: tuple[CodebookColumn, ...]

    def dumps(self) -> str:
        return self.model_dump_json()


#: The codebook sheet's columns, in order (XLSX).
SHEET_COLUMNS = (
    "table",
    "name",
    "key",
    "label_fr",
    "label_en",
    "kind",
    "type",
    "item",
    "row",
    "option",
    "dimension",
    "question_kind",
    "unit_fr",
    "unit_en",
    "values",
    "missing",
)


def sheet_rows(codebook: Codebook) -> list[list[object]]:
    """The codebook as rows of the `codebook` sheet: one row per column; its codes written
    `code = value: label_fr / label_en (score)` one a line."""
    rows: list[list[object]] = []
    for column in codebook.columns:
        values = "\n".join(
            f"{v.code} = {v.value}: {v.label_fr} / {v.label_en}"
            + ("" if v.score is None else f" (score {v.score:g})")
            for v in column.values
        )
        missing = "\n".join(
            f"{m.code:g} = {m.answer}: {m.label_fr} / {m.label_en} (Stata .{m.stata})"
            for m in column.missing
        )
        rows.append(
            [
                codebook.table,
                column.name,
                column.key,
                column.label_fr,
                column.label_en,
                column.kind,
                column.type,
                column.item,
                column.row,
                column.option,
                column.dimension,
                column.question_kind,
                column.unit_fr,
                column.unit_en,
                values or None,
                missing or None,
            ]
        )
    return rows


#: Where the codebook's JSON Schema is committed (a test checks it against the model).
SCHEMA_PATH = "docs/schemas/export-codebook.schema.json"


def schema_text() -> str:
    """The codebook's JSON Schema (docs/schemas/export-codebook.schema.json)."""
    import json

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **Codebook.model_json_schema(mode="serialization"),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys

    from barometre.files import write_text_atomic

    print(write_text_atomic(sys.argv[1] if len(sys.argv) > 1 else SCHEMA_PATH, schema_text()))
