"""A wave's data out of Baromètre: tables of organisations, item scores, responses (wide and
long) and sector estimates, with their codebook, as CSV, French-Excel CSV, XLSX, SPSS .sav,
Stata .dta and Parquet (docs/exports.md).

    data = WaveData(questionnaire=q, scores=scores, responses=table, pseudonym_key=key)
    write_export(data, "responses", "sav", Path("wave.sav"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.lazy import lazy_names

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

# Imported on first use: the export's option choices (`exports.choices`) must be known to
# every command without importing pandas and pyarrow (start-up, issue 14; barometre/lazy.py).
if TYPE_CHECKING:
    from barometre.interop.exports.choices import (
        FORMAT_SUFFIX,
        FORMATS,
        TABLES,
        ExportFormat,
        ExportTable,
    )
    from barometre.interop.exports.codebook import Codebook, CodebookColumn, MissingCode, ValueLabel
    from barometre.interop.exports.pseudonyms import derived_key, pseudonym, pseudonymise
    from barometre.interop.exports.tables import (
        ExportError,
        Table,
        WaveData,
        available_tables,
        build_tables,
        estimates_problems,
        export_problems,
    )
    from barometre.interop.exports.writers import (
        PARQUET_CODEBOOK_KEY,
        XLSX_MAX_ROWS,
        ExportSummary,
        write_export,
    )
else:
    __getattr__, __dir__ = lazy_names(
        __name__,
        {
            "barometre.interop.exports.choices": (
                "FORMATS",
                "FORMAT_SUFFIX",
                "TABLES",
                "ExportFormat",
                "ExportTable",
            ),
            "barometre.interop.exports.codebook": (
                "Codebook",
                "CodebookColumn",
                "MissingCode",
                "ValueLabel",
            ),
            "barometre.interop.exports.pseudonyms": ("derived_key", "pseudonym", "pseudonymise"),
            "barometre.interop.exports.tables": (
                "ExportError",
                "Table",
                "WaveData",
                "available_tables",
                "build_tables",
                "estimates_problems",
                "export_problems",
            ),
            "barometre.interop.exports.writers": (
                "PARQUET_CODEBOOK_KEY",
                "XLSX_MAX_ROWS",
                "ExportSummary",
                "write_export",
            ),
        },
    )
