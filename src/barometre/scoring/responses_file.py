"""Reading a responses CSV (contract in docs/responses-format.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometre.errors import ResponsesError
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.tabular import read_csv_strict


def read_responses(path: str | Path) -> pd.DataFrame:
    """The five contract columns as text, plus `line`, the row's line in the file."""
    return read_csv_strict(path, RESPONSE_COLUMNS, ResponsesError)
