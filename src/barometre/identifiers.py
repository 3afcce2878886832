"""The one rule for the identifiers of organisations and respondents.

An identifier comes from a frame or a responses file and goes everywhere: database columns
(64 characters), URLs, file names (`barometre report wave` writes `ORGANISATION.pdf`). So it is
1 to 64 ASCII letters, digits, `-`, `_` and `.`, and neither `.` nor `..`: it can name a file
and never a path. The frame (`organisations.check_frame`) and the responses
(`scoring.answers.score_answers`) both check with `valid_identifiers`; a program that builds a
path from one asks `file_in`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

#: Longest identifier (the database column of an organisation's identifier is 64 long).
IDENTIFIER_MAX_LENGTH = 64
#: The characters of an identifier, as the documentation says them.
IDENTIFIER_CHARACTERS = "letters, digits, '-', '_', '.'"

_IDENTIFIER = re.compile(rf"[A-Za-z0-9_.-]{{1,{IDENTIFIER_MAX_LENGTH}}}", re.ASCII)


def is_identifier(text: str) -> bool:
    """Whether `text` is a valid identifier (see the module's rule)."""
    return _IDENTIFIER.fullmatch(text) is not None and text not in (".", "..")


def valid_identifiers(values: pd.Series) -> pd.Series:
    """For each value, whether it is a valid identifier; each distinct value is checked once
    (a responses file repeats its identifiers on every line)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    valid = np.array(
        [isinstance(value, str) and is_identifier(value) for value in uniques] + [False],
        dtype=bool,
    )
    return pd.Series(valid[codes], index=values.index, dtype=bool)


def file_in(folder: Path, identifier: str, suffix: str) -> Path | None:
    """The file `IDENTIFIER{suffix}` of `folder`, resolved; None when `identifier` is not an
    identifier or the file would not be right inside `folder` (a symbolic link elsewhere).
    Anything that builds a path from data asks this before writing."""
    if not is_identifier(identifier):
        return None
    base = folder.resolve()
    path = (base / f"{identifier}{suffix}").resolve()
    return path if path.parent == base else None
