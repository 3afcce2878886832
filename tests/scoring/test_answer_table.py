"""The answers as integer codes (`scoring.answer_table`): what the engine reads after checking.

A text column becomes codes into its distinct values, stripped; two cells equal once stripped
share a code, a missing cell is "". The checked table written out (`AnswerTable.frame`) is the
table of `score_answers`, and read back (`from_frame`) it gives the same codes' texts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring.answer_table import AnswerTable, text_column
from barometre.scoring.answers import _repeated, check_answers, score_answers

TEXTS = st.lists(
    st.one_of(st.none(), st.sampled_from(["a", " a", "a ", "b", "", " ", "NA", "é\t"])),
    max_size=30,
)


def test_a_column_as_codes_by_hand() -> None:
    column = pd.Series([" yes", "no", None, "yes ", "", "no"], dtype="str")
    coded = text_column(column)
    # "yes" (twice, once stripped), "no" (twice), "" (the missing cell and the empty one).
    assert coded.texts().tolist() == ["yes", "no", "", "yes", "", "no"]
    assert coded.codes[0] == coded.codes[3]
    assert coded.codes[2] == coded.codes[4] == coded.code_of("")
    assert len(set(coded.values.tolist())) == len(coded.values)


@given(TEXTS)
def test_codes_give_back_the_stripped_texts(values: list[str | None]) -> None:
    column = pd.Series(values, dtype=object)
    coded = text_column(column)
    expected = ["" if v is None else v.strip() for v in values]
    assert coded.texts().tolist() == expected
    # Equal texts, equal codes; different texts, different codes.
    for i, a in enumerate(expected):
        for j, b in enumerate(expected):
            assert (coded.codes[i] == coded.codes[j]) == (a == b)


@given(
    st.lists(st.integers(min_value=0, max_value=6), max_size=40),
    st.sampled_from([7, 100, 1 << 40]),  # flags per key, or (beyond the rows) a sort
)
def test_repeated_keys_are_the_second_and_later(keys: list[int], size: int) -> None:
    seen: set[int] = set()
    expected = []
    for key in keys:
        expected.append(key in seen)
        seen.add(key)
    assert _repeated(np.array(keys, dtype=np.int64), size).tolist() == expected


def test_the_table_written_out_and_read_back() -> None:
    questionnaire = load_questionnaire("example-digital-services")
    tables = build_field_tables(questionnaire)
    responses = pd.DataFrame(
        {
            "organisation_id": ["O1", "O1", "O1", "O2"],
            "respondent_id": ["R1", "R1", "R1", "R2"],
            "role": ["direction"] * 4,
            "item_id": ["dem_portal", "dem_tools", "pil_plan", "dem_portal"],
            "answer": ["no", "", "DK", "yes"],
        }
    )
    table = check_answers(responses, tables)
    frame = table.frame()
    assert frame.equals(score_answers(responses, tables))
    assert all(frame[c].dtype == object for c in frame.columns if c != "score")
    again = AnswerTable.from_frame(frame, tables)
    assert again.frame().equals(frame)
