"""The tables and formats of an export, by name, and each format's suffix: what
`barometre export --table` and `--format` accept, known without importing pandas and pyarrow
(the command line's start-up, issue 14)."""

from __future__ import annotations

from typing import Literal, get_args

ExportTable = Literal["organisations", "items", "responses", "responses-long", "estimates"]
TABLES: tuple[ExportTable, ...] = get_args(ExportTable)

ExportFormat = Literal["csv", "csv-fr", "xlsx", "sav", "dta", "parquet"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
FORMAT_SUFFIX: dict[ExportFormat, str] = {
    "csv": ".csv",
    "csv-fr": ".csv",
    "xlsx": ".xlsx",
    "sav": ".sav",
    "dta": ".dta",
    "parquet": ".parquet",
}
