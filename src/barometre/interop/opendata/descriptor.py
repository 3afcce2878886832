"""The descriptor of the package, `datapackage.json`: Data Package v1 and Table Schema v1
models (with Table Schema v2 `categories`), and their JSON Schema."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from barometre.interop.opendata.codes import FieldType

# --- the descriptor (Data Package v1, Table Schema v1) ------------------------------------


class _Descriptor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class License(_Descriptor):
    name: str
    title: str
    path: str


class Source(_Descriptor):
    title: str
    path: str | None = None


class Constraints(_Descriptor):
    required: bool | None = None
    enum: list[str] | None = None
    minimum: float | None = None
    maximum: float | None = None


class Category(_Descriptor):
    """A code of a field and what it means (Table Schema v2 `categories`; `label` in French,
    `label_en`, a custom property, in English). The codes are also the field's `enum`
    constraint, the part that frictionless 5 checks."""

    value: str
    label: str
    label_en: str


class TableField(_Descriptor):
    """A column: `title` and `description` in French first (the description ends with its
    English), `title_en` the English title (a custom property), `unit` what a number counts."""

    name: str
    type: FieldType
    title: str
    title_en: str
    description: str
    unit: str | None = None
    constraints: Constraints | None = None
    categories: list[Category] | None = None


class Reference(_Descriptor):
    resource: str
    fields: list[str]


class ForeignKey(_Descriptor):
    fields: list[str]
    reference: Reference


class TableSchema(_Descriptor):
    fields: list[TableField]
    primary_key: list[str] = Field(alias="primaryKey")
    foreign_keys: list[ForeignKey] | None = Field(default=None, alias="foreignKeys")
    missing_values: list[str] = Field(default_factory=lambda: [""], alias="missingValues")


class Dialect(_Descriptor):
    delimiter: str = ","
    line_terminator: str = Field(default="\n", alias="lineTerminator")
    quote_char: str = Field(default='"', alias="quoteChar")
    double_quote: bool = Field(default=True, alias="doubleQuote")
    header: bool = True


class Resource(_Descriptor):
    """A file of the package: a CSV table with its Table Schema and CSV dialect
    (`tabular-data-resource`), or an attached file (`data-resource`); `bytes` and `hash`
    (`sha256:…`) let a reader check it."""

    name: str
    path: str
    profile: Literal["tabular-data-resource", "data-resource"]
    title: str
    description: str
    format: str
    mediatype: str
    encoding: str | None = None
    bytes: int
    hash: str
    table_schema: TableSchema | None = Field(default=None, alias="schema")
    dialect: Dialect | None = None


class DataPackage(_Descriptor):
    """`datapackage.json`: a Frictionless Data Package (v1) of a wave's published aggregates
    (docs/opendata.md)."""

    profile: Literal["data-package"] = "data-package"
    name: str
    id: str
    title: str
    description: str
    version: str
    created: str | None = None
    keywords: list[str]
    licenses: list[License]
    sources: list[Source]
    resources: list[Resource]

    def dumps(self) -> str:
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def descriptor_schema_text() -> str:
    """The JSON Schema of the descriptor (`DataPackage`), committed as
    docs/schemas/opendata-datapackage.schema.json
    (`python -m barometre.interop.opendata docs/schemas/opendata-datapackage.schema.json`)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **DataPackage.model_json_schema(by_alias=True, mode="serialization"),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
