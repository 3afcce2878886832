"""A wave's data out of Baromètre: tables of organisations, item scores, responses (wide and
long) and sector estimates, with their codebook, as CSV, French-Excel CSV, XLSX, SPSS .sav,
Stata .dta and Parquet (docs/exports.md).

    data = WaveData(questionnaire=q, scores=scores, responses=table, pseudonym_key=key)
    write_export(data, "responses", "sav", Path("wave.sav"))
"""

from barometre.interop.exports.codebook import Codebook, CodebookColumn, MissingCode, ValueLabel
from barometre.interop.exports.pseudonyms import derived_key, pseudonym, pseudonymise
from barometre.interop.exports.tables import (
    TABLES,
    ExportError,
    ExportTable,
    Table,
    WaveData,
    available_tables,
    build_tables,
    estimates_problems,
    export_problems,
)
from barometre.interop.exports.writers import (
    FORMAT_SUFFIX,
    FORMATS,
    PARQUET_CODEBOOK_KEY,
    XLSX_MAX_ROWS,
    ExportFormat,
    ExportSummary,
    write_export,
)

__all__ = [
    "FORMATS",
    "FORMAT_SUFFIX",
    "PARQUET_CODEBOOK_KEY",
    "TABLES",
    "XLSX_MAX_ROWS",
    "Codebook",
    "CodebookColumn",
    "ExportError",
    "ExportFormat",
    "ExportSummary",
    "ExportTable",
    "MissingCode",
    "Table",
    "ValueLabel",
    "WaveData",
    "available_tables",
    "build_tables",
    "derived_key",
    "estimates_problems",
    "export_problems",
    "pseudonym",
    "pseudonymise",
    "write_export",
]
