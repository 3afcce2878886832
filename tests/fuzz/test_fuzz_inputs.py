"""Bad input of every kind the core reads: the only outcomes allowed are success or the
project's own input errors (`InputError`), each problem with a short message; never another
exception, never a traceback. `make fuzz` runs these with many more examples."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given

from barometre.errors import FrameError, InputError, ResponsesError
from barometre.identifiers import is_identifier
from barometre.organisations import (
    FRAME_COLUMNS,
    MAX_DWELLINGS,
    MAX_NAME_LENGTH,
    SIZE_CLASSES,
    check_frame,
)
from barometre.questionnaire import build_field_tables, parse_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.answer_check import AnswerRules
from barometre.scoring.answers import MAX_ANSWER_LENGTH, RESPONSE_COLUMNS
from barometre.tabular import parse_csv_text, read_csv_upload
from tests.fuzz.inputs import (
    FRAME_FILES,
    HLM_2026,
    LINE_EDITS,
    QUESTIONNAIRE_TEXTS,
    RESPONSES_FILES,
    edited,
)
from tests.fuzz.profiles import FUZZ, FUZZ_SLOW
from tests.helpers import TINY, tiny_questionnaire

TINY_QUESTIONNAIRE = tiny_questionnaire()
#: A message quotes excerpts: longer would mean a value quoted whole.
LONGEST_MESSAGE = 1000


def assert_told_briefly(error: InputError) -> None:
    assert error.problems, "an input error names at least one problem"
    for found in error.problems:
        assert len(found.message) <= LONGEST_MESSAGE, found.message[:200]
        assert len(found.location) <= LONGEST_MESSAGE, found.location[:200]
        assert "\x00" not in found.message


def read_questionnaire(text: str) -> None:
    try:
        questionnaire = parse_questionnaire(text, "q.yaml")
    except InputError as error:
        assert_told_briefly(error)
        return
    # a questionnaire accepted is usable: its tables and answer rules build
    AnswerRules.from_tables(build_field_tables(questionnaire))


@FUZZ
@given(QUESTIONNAIRE_TEXTS)
@example(TINY.replace("- id: a_scale", "- id: [a, b]"))
@example(TINY.replace("weight: 2\n", "weight: .inf\n", 1))
@example(TINY + "x: &a [1]\ny: *a\n")
@example(TINY.replace("label: {fr: Échelle}", "label: " + "[" * 500 + "]" * 500))
@example(TINY.replace("    kind: scale\n", "    kind: scale\n    kind: single\n", 1))
@example("")
@example("- 1\n- 2\n")
@example("title: \x19")
def test_any_questionnaire_text_is_read_or_refused_clearly(text: str):
    read_questionnaire(text)


@FUZZ_SLOW
@given(LINE_EDITS)
def test_any_mutation_of_hlm_2026_is_read_or_refused_clearly(edits):
    read_questionnaire(edited(HLM_2026, edits))


@FUZZ
@given(RESPONSES_FILES)
@example(b"answer,answer \n")
@example(b"organisation_id,respondent_id,role,item_id,answer\n../../../x,R,direction,a_scale,1\n")
@example(
    b"organisation_id,respondent_id,role,item_id,answer\nO,R,direction,ctx_comment,"
    + b"x" * 5000
    + b"\n"
)
def test_any_responses_file_is_scored_or_refused_clearly(raw: bytes):
    try:
        table, _found = read_csv_upload(raw, RESPONSE_COLUMNS, ResponsesError, "r.csv")
        result = score_responses(TINY_QUESTIONNAIRE, table, source="r.csv")
    except InputError as error:
        assert_told_briefly(error)
        return
    # what is scored has safe identifiers and bounded answers
    assert all(is_identifier(o) for o in result.organisations.index)
    assert all(len(a) <= MAX_ANSWER_LENGTH for a in table["answer"].str.strip())


@FUZZ
@given(FRAME_FILES)
@example(b"organisation_id,name,organisation_type,dwellings,department\nA,N,OPH,inf,75\n")
@example(b"organisation_id,name,organisation_type,dwellings,department\nA,N,OPH,1e30,75\n")
@example(
    b"organisation_id,name,organisation_type,dwellings,department\nA,N,OPH,"
    + b"9" * 5000
    + b",75\n"
)
def test_any_frame_file_is_checked_or_refused_clearly(raw: bytes):
    try:
        table, _found = read_csv_upload(raw, FRAME_COLUMNS, FrameError, "f.csv")
        frame = check_frame(table, "f.csv")
    except InputError as error:
        assert_told_briefly(error)
        return
    assert all(is_identifier(o) for o in frame["organisation_id"])
    assert (frame["name"].str.len() <= MAX_NAME_LENGTH).all()
    assert not frame["name"].str.contains("\x00", regex=False).any()
    dwellings = frame["dwellings"].to_numpy()
    assert np.issubdtype(dwellings.dtype, np.integer)
    assert ((dwellings >= 0) & (dwellings <= MAX_DWELLINGS)).all()
    assert set(frame["size_class"]) <= set(SIZE_CLASSES)


@FUZZ
@given(FRAME_FILES)
def test_a_frame_given_as_text_is_checked_alike(raw: bytes):
    """The web reads an uploaded frame as text (`parse_csv_text`, separator detected)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        table = parse_csv_text(text, FRAME_COLUMNS, FrameError, "f.csv", separator=None)
        check_frame(table, "f.csv")
    except InputError as error:
        assert_told_briefly(error)
