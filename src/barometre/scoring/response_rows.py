"""The rows of a responses file as integer codes, before they are checked (`ResponseRows`).

Each contract column is a `TextColumn` (codes into its distinct texts, stripped) and each row
keeps its line in the file. The rows come from a table of texts (`of_frame`), or straight from
the file's codes (`of_codes`, `csv_codes.read_csv_codes`), so that a file of tens of millions of
answers is never a table of Python strings. `by_organisations` cuts them into parts of whole
organisations, each scored on its own (`engine.score_responses`): the memory then grows with
the organisations of one part, not with the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.csv_codes import CodedCsv
from barometre.scoring.answer_table import TextColumn, clean_column, text_column

RESPONSE_COLUMNS = ["organisation_id", "respondent_id", "role", "item_id", "answer"]


@dataclass(frozen=True)
class ResponseRows:
    """The responses as codes: one `TextColumn` per contract column, and each row's line."""

    columns: dict[str, TextColumn]
    line: np.ndarray

    @property
    def organisation(self) -> TextColumn:
        return self.columns["organisation_id"]

    @property
    def respondent(self) -> TextColumn:
        return self.columns["respondent_id"]

    @property
    def role(self) -> TextColumn:
        return self.columns["role"]

    @property
    def item(self) -> TextColumn:
        return self.columns["item_id"]

    @property
    def answer(self) -> TextColumn:
        return self.columns["answer"]

    def __len__(self) -> int:
        return len(self.line)

    def texts(self, name: str, hit: np.ndarray) -> np.ndarray:
        return self.columns[name].texts(hit)

    @classmethod
    def of_frame(cls, responses: pd.DataFrame) -> ResponseRows:
        """The rows of a table with the contract columns as text (and `line`, else each row's
        position after a header line)."""
        columns = {name: text_column(responses[name]) for name in RESPONSE_COLUMNS}
        if "line" in responses.columns:
            line = responses["line"].to_numpy()
        else:
            line = np.arange(len(responses)) + 2  # the header is line 1
        return cls(columns, line)

    @classmethod
    def of_codes(cls, coded: CodedCsv) -> ResponseRows:
        """The rows of a file read as codes: the same columns as `of_frame` of its table."""
        columns = {
            name: clean_column(coded.columns[name].codes, coded.columns[name].values)
            for name in RESPONSE_COLUMNS
        }
        return cls(columns, coded.line)

    def take(self, rows: np.ndarray) -> ResponseRows:
        """The rows at positions `rows`, in that order, each column keeping only the texts
        they hold: the same as `of_frame` of those rows' table (but for where "" stands
        among the values when a cell was missing, which no step reads)."""
        return ResponseRows(
            {name: _compact(column, rows) for name, column in self.columns.items()},
            self.line[rows],
        )

    def by_organisations(self, size: int) -> list[np.ndarray] | None:
        """The positions of the rows of each part of about `size` rows of whole
        organisations, the organisations in sorted order and each part's rows in their order;
        None when the rows make one part (fewer than twice `size`: cutting them would cost
        more than it saves), or when a respondent's rows are in two parts (a respondent of
        two organisations: the whole is checked at once, to tell it)."""
        if len(self) < 2 * size:
            return None
        organisation = self.organisation
        counts = np.bincount(organisation.codes, minlength=len(organisation.values))
        order = np.argsort(organisation.values, kind="stable")
        rows_before = np.cumsum(counts[order]) - counts[order]
        part_of_code = np.empty(len(order), dtype=np.int64)
        # Numbered one after the other (an organisation larger than `size` spans numbers).
        part_of_code[order] = np.unique(rows_before // size, return_inverse=True)[1]
        parts = int(part_of_code.max()) + 1 if len(order) else 0
        if parts < 2:
            return None
        part = part_of_code.astype(np.uint16 if parts < 1 << 16 else np.int64)[organisation.codes]
        rows = np.argsort(part, kind="stable")  # a counting sort: one pass
        bounds = np.cumsum(np.bincount(part, minlength=parts))[:-1]
        chunks = np.split(rows, bounds)
        seen = np.zeros(len(self.respondent.values), dtype=np.int64)
        for chunk in chunks:
            held = np.zeros(len(seen), dtype=bool)
            held[self.respondent.codes[chunk]] = True
            seen += held
        if seen.max(initial=0) > 1:
            return None
        return chunks


def _compact(column: TextColumn, rows: np.ndarray) -> TextColumn:
    """`column` at `rows`, coded as `text_column` codes those texts: by first appearance, ""
    always among them (after the others when no row holds it)."""
    codes, held = pd.factorize(column.codes[rows])
    values = column.values[held]
    empty = column.code_of("")
    if empty < 0 or not (held == empty).any():
        values = np.append(values, "")
    return TextColumn(codes.astype(np.int64, copy=False), np.asarray(values, dtype=object))
