"""The checked answers as integer codes: what the engine works on after `score_answers`.

A text column of the responses is read once into codes (one integer per row) and the table of
its distinct values, stripped (`TextColumn`): identifiers, roles, items and answers repeat on
millions of rows but have few distinct values, so every later step (lookups in the
questionnaire's tables, comparisons, groupings) is array indexing on integers. `AnswerTable` is
the result of checking and scoring every answer in that form; `frame()` writes it out as the
table of `score_answers` (one text per cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.questionnaire.fields import FieldTables

#: Status of an answer after parsing.
SCORED, NA, DK, MISSING, UNSCORED = "scored", "na", "dk", "missing", "unscored"
#: The statuses in the order of their codes (`AnswerTable.status`).
STATUSES = (SCORED, NA, DK, MISSING, UNSCORED)
SCORED_CODE, NA_CODE, DK_CODE, MISSING_CODE, UNSCORED_CODE = range(len(STATUSES))
_STATUS_TEXT = np.array(STATUSES, dtype=object)


@dataclass(frozen=True)
class TextColumn:
    """A text column as `codes` (one per row; int64, or int32 for the rows of a whole large
    file before they are cut into parts, `response_rows`) into `values` (its distinct
    texts)."""

    codes: np.ndarray
    values: np.ndarray

    def texts(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The text of each row in `rows` (an object array)."""
        return self.values[self.codes[rows]]

    def code_of(self, text: str) -> int:
        """The code of `text`, -1 when no row holds it."""
        found = np.flatnonzero(self.values == text)
        return int(found[0]) if len(found) else -1

    def take(self, rows: np.ndarray | slice) -> TextColumn:
        """The rows `rows` (positions, or a slice)."""
        return TextColumn(self.codes[rows], self.values)


def text_column(column: pd.Series | np.ndarray, *, strip: bool = True) -> TextColumn:
    """The codes and distinct values of a column; a missing cell is "", and with `strip`
    each distinct value is stripped once (two values equal once stripped share a code)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    # A missing cell has the code -1: no missing value is among the distinct values.
    return clean_column(codes, np.asarray(uniques, dtype=object), strip=strip)


def clean_column(codes: np.ndarray, distinct: np.ndarray, *, strip: bool = True) -> TextColumn:
    """The `TextColumn` of rows coded `codes` into their `distinct` values (in the order the
    rows first hold them; -1 for a missing cell, read as ""): each value stripped with
    `strip`, values equal once stripped sharing a code, and "" always among the values."""
    if _all_plain_texts(distinct):  # identifiers, roles, items: nothing to strip or convert
        cleaned = distinct.tolist()
    elif strip:
        cleaned = [v.strip() if type(v) is str else str(v).strip() for v in distinct]
    else:
        cleaned = [v if type(v) is str else str(v) for v in distinct]
    merged, values = pd.factorize(np.array([*cleaned, ""], dtype=object))
    # Codes of int32 stay so (a file's tens of millions of rows, `csv_codes`); others int64.
    wanted = np.int32 if codes.dtype == np.int32 else np.int64
    if codes.dtype == np.int32 and np.array_equal(merged[:-1], np.arange(len(distinct))):
        # Nothing merged (the usual case): the codes are already the values' (a file's codes
        # are never -1).
        return TextColumn(codes, np.asarray(values, dtype=object))
    return TextColumn(merged.astype(wanted)[codes], np.asarray(values, dtype=object))


#: A character `str.strip` removes (`\s` of a text pattern matches what `str.isspace` does).
_SPACE = re.compile(r"\s")


def _all_plain_texts(values: np.ndarray) -> bool:
    """Whether every value is a text without a space-like character anywhere (one scan of
    them all joined)."""
    try:
        joined = "".join(values.tolist())
    except TypeError:  # not all texts
        return False
    return _SPACE.search(joined) is None


@dataclass(frozen=True)
class AnswerTable:
    """Checked answers, one row per answer (the rows of `score_answers`, in its order).

    field: position of the row's field in `tables.fields` (-1: not a field of the
    questionnaire); status: codes into `STATUSES`; score: on 0-100, NaN when none.
    """

    organisation: TextColumn
    respondent: TextColumn
    role: TextColumn
    field: np.ndarray
    status: np.ndarray
    score: np.ndarray
    value: TextColumn
    field_ids: np.ndarray  # tables.fields.index, as text

    def __len__(self) -> int:
        return len(self.field)

    @classmethod
    def from_frame(cls, answers: pd.DataFrame, tables: FieldTables) -> AnswerTable:
        """The codes of a table shaped as `score_answers`' output."""
        field_ids = tables.fields.index.to_numpy(dtype=object)
        field = pd.Index(field_ids).get_indexer(
            pd.Index(answers["field_id"].to_numpy(dtype=object))
        )
        status = pd.Index(STATUSES).get_indexer(pd.Index(answers["status"].to_numpy(dtype=object)))
        return cls(
            organisation=text_column(answers["organisation_id"], strip=False),
            respondent=text_column(answers["respondent_id"], strip=False),
            role=text_column(answers["role"], strip=False),
            field=field.astype(np.int64, copy=False),
            status=status.astype(np.int8),
            score=answers["score"].to_numpy(dtype=float),
            value=text_column(answers["value"], strip=False),
            field_ids=field_ids,
        )

    def take(self, rows: np.ndarray) -> AnswerTable:
        """The rows at positions `rows`, in that order."""
        return AnswerTable(
            organisation=self.organisation.take(rows),
            respondent=self.respondent.take(rows),
            role=self.role.take(rows),
            field=self.field[rows],
            status=self.status[rows],
            score=self.score[rows],
            value=self.value.take(rows),
            field_ids=self.field_ids,
        )

    def narrowed(self) -> AnswerTable:
        """The same rows, their codes and fields as int32 (half the memory, for a part kept
        until all are checked)."""

        def narrow(column: TextColumn) -> TextColumn:
            return TextColumn(column.codes.astype(np.int32), column.values)

        return AnswerTable(
            organisation=narrow(self.organisation),
            respondent=narrow(self.respondent),
            role=narrow(self.role),
            field=self.field.astype(np.int32),
            status=self.status,
            score=self.score,
            value=narrow(self.value),
            field_ids=self.field_ids,
        )

    @classmethod
    def concatenate(cls, parts: list[AnswerTable]) -> AnswerTable:
        """The rows of `parts` end to end, each text column coded into the distinct texts of
        them all (int32 codes when they fit: a whole wave's tens of millions of rows)."""
        if len(parts) == 1:
            return parts[0]

        def joined(name: str) -> TextColumn:
            columns = [getattr(part, name) for part in parts]
            values = pd.unique(np.concatenate([column.values for column in columns]))
            index = pd.Index(values, dtype=object)
            wide = len(values) >= 1 << 31
            codes = np.concatenate(
                [
                    index.get_indexer(pd.Index(column.values, dtype=object)).astype(
                        np.int64 if wide else np.int32
                    )[column.codes]
                    for column in columns
                ]
            )
            return TextColumn(codes, np.asarray(values, dtype=object))

        return cls(
            organisation=joined("organisation"),
            respondent=joined("respondent"),
            role=joined("role"),
            field=np.concatenate([part.field for part in parts]),
            status=np.concatenate([part.status for part in parts]),
            score=np.concatenate([part.score for part in parts]),
            value=joined("value"),
            field_ids=parts[0].field_ids,
        )

    def frame(self) -> pd.DataFrame:
        """The table of `score_answers`: organisation_id, respondent_id, role, field_id,
        status, score, value."""
        return pd.DataFrame(
            {
                "organisation_id": _texts(self.organisation.texts()),
                "respondent_id": _texts(self.respondent.texts()),
                "role": _texts(self.role.texts()),
                "field_id": _texts(self.field_ids[self.field]),
                "status": _texts(_STATUS_TEXT[self.status]),
                "score": self.score,
                "value": _texts(self.value.texts()),
            }
        )

    def first_rows(self) -> np.ndarray:
        """For each respondent code, the position of its first row (len(self) for a code
        no row holds)."""
        first = np.full(len(self.respondent.values), len(self), dtype=np.int64)
        np.minimum.at(first, self.respondent.codes, np.arange(len(self), dtype=np.int64))
        return first

    def people(self) -> pd.DataFrame:
        """The respondents, indexed by respondent_id in sorted order, with the organisation_id
        and role of their first row."""
        first = self.first_rows()
        present = first < len(self)
        ids = self.respondent.values[present]
        rows = first[present]
        order = np.argsort(ids, kind="stable")
        return pd.DataFrame(
            {
                "organisation_id": self.organisation.texts(rows[order]),
                "role": self.role.texts(rows[order]),
            },
            index=pd.Index(ids[order], name="respondent_id", dtype=object),
        )


def _texts(values: np.ndarray) -> pd.Series:
    """Texts as a plain object column (pandas 3 would infer its own string dtype)."""
    return pd.Series(values, dtype=object)


def positions(index: pd.Index, column: TextColumn) -> np.ndarray:
    """For each row, the position of its text in `index` (-1 where absent): each distinct
    text is looked up once."""
    if len(index) == 0:
        return np.full(len(column.codes), -1, dtype=np.int64)
    found = index.get_indexer(pd.Index(column.values, dtype=object))
    return found[column.codes]
