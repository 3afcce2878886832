"""Reading the project's CSV files strictly: UTF-8, required columns, every cell as text.

`NA` stays the text "NA" (it means "not applicable" in a responses file), and each row keeps
its line number in the file (column `line`) so that errors can point at it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from barometre.errors import InputError, gettext_noop, problem


def read_csv_strict(path: str | Path, columns: list[str], error: type[InputError]) -> pd.DataFrame:
    """Read a CSV with a header; raise `error` naming the file and line when it is malformed."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise error(
            source, [problem(source, "file_not_found", gettext_noop("no such file"))]
        ) from None
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            source,
            [
                problem(
                    f"{source}:{line}",
                    "not_utf8",
                    gettext_noop("the file is not UTF-8; save it as UTF-8"),
                )
            ],
        ) from None
    return parse_csv_text(raw.decode("utf-8-sig"), columns, error, source)


def parse_csv_text(
    text: str, columns: list[str], error: type[InputError], source: str
) -> pd.DataFrame:
    """A CSV given as text (a file's content, an upload): the columns asked for, as text, with
    the `line` of each row; `error` lists what is wrong (empty, malformed, missing columns)."""
    if not text.strip():
        raise error(source, [problem(source, "empty_file", gettext_noop("the file is empty"))])
    try:
        table = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        where = f"{source}:{found.group(1)}" if found else source
        raise error(source, [_malformed(where, str(exc))]) from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise error(
            source,
            [
                problem(
                    f"{source}:1",
                    "missing_column",
                    gettext_noop("missing column(s) %(missing)s; expected %(expected)s"),
                    missing=", ".join(missing),
                    expected=",".join(columns),
                )
            ],
        )
    table = table[columns].copy()
    table["line"] = np.arange(len(table)) + 2  # the header is line 1
    return table


def _malformed(where: str, message: str):
    found = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", message)
    if found:
        return problem(
            where,
            "malformed_row",
            gettext_noop("%(seen)s fields where the header has %(expected)s"),
            seen=found.group(2),
            expected=found.group(1),
        )
    return problem(
        where,
        "malformed_row",
        gettext_noop("the CSV cannot be read: %(detail)s"),
        detail=message.strip(),
    )
