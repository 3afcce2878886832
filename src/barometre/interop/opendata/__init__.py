"""A published wave as a Frictionless Data Package (issue 12 §4; docs/opendata.md).

The package holds the published aggregates of a wave only, never an organisation's answers or
scores: the sector's figures by indicator and domain (`scores.csv`), the shares of levels and
families (`parts.csv`), the domains themselves (`domaines.csv`) and, when the wave has one, the
change since the previous comparable wave (`evolution.csv`); every figure with its n, standard
error and confidence interval. With them: the questionnaire as it was run (YAML, and XLSForm
when `barometre.interop.xlsform` is installed), the methodology section (JSON), a README in
French then English and `datapackage.json`, the descriptor (Data Package v1, one Table Schema
per table).

Disclosure: a figure is published exactly when the public page shows it (`published`): the
sector estimate has already suppressed what rests on fewer organisations than the
methodology's disclosure minimum, and what would give such a figure back by subtraction
(`stats/sector/disclosure.py`); a suppressed figure's numbers are empty cells here (the
missing value `""`), its `masque` flag true and `motif_masque` says why. Nothing is computed
again: the numbers are the estimates file's.

Same inputs, same bytes: fields and rows in a fixed order, keys of the descriptor sorted,
`created` given by the caller from the wave's data (never the clock), ZIP entries dated from
it.

The package's modules: `codes` (constants, words, the fields' codes and their meanings),
`descriptor` (the models of `datapackage.json` and their JSON Schema), `columns` (columns, cells
and labels), `tables` (the CSV tables), `package` (the package in memory) and `writing` (to a
folder or a ZIP). `python -m barometre.interop.opendata FILE` writes the descriptor's JSON
Schema.
"""

from barometre.interop.opendata.codes import (
    CI_METHODS,
    CLASSIFICATION_CODES,
    DESCRIPTOR,
    DOMAIN_CODES,
    ENGLISH,
    LICENCE_NAME,
    LICENCE_PATH,
    LICENCE_TITLE,
    MEASURE_CODES,
    SUPPRESSION_CODES,
    TEXTS,
    VARIABLES,
)
from barometre.interop.opendata.descriptor import (
    Category,
    Constraints,
    DataPackage,
    Dialect,
    ForeignKey,
    License,
    Reference,
    Resource,
    Source,
    TableField,
    TableSchema,
    descriptor_schema_text,
)
from barometre.interop.opendata.package import (
    PackageFiles,
    TableSummary,
    datapackage_files,
    questionnaire_xlsform,
)
from barometre.interop.opendata.writing import (
    DataPackageSummary,
    datapackage_zip_bytes,
    out_problems,
    write_datapackage,
    zip_bytes,
)
from barometre.publication import hidden_reason, published

__all__ = [
    "CI_METHODS",
    "CLASSIFICATION_CODES",
    "DESCRIPTOR",
    "DOMAIN_CODES",
    "ENGLISH",
    "LICENCE_NAME",
    "LICENCE_PATH",
    "LICENCE_TITLE",
    "MEASURE_CODES",
    "SUPPRESSION_CODES",
    "TEXTS",
    "VARIABLES",
    "Category",
    "Constraints",
    "DataPackage",
    "DataPackageSummary",
    "Dialect",
    "ForeignKey",
    "License",
    "PackageFiles",
    "Reference",
    "Resource",
    "Source",
    "TableField",
    "TableSchema",
    "TableSummary",
    "datapackage_files",
    "datapackage_zip_bytes",
    "descriptor_schema_text",
    "hidden_reason",
    "out_problems",
    "published",
    "questionnaire_xlsform",
    "write_datapackage",
    "zip_bytes",
]
