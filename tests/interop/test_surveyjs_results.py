"""SurveyJS results read into the responses format, checked with the rules of `barometre
score`, with a mapping report; the expected rows are written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import Code, ResponsesError
from barometre.interop.mapping import MappingReport
from barometre.interop.surveyjs_results import read_surveyjs_results, surveyjs_results
from barometre.questionnaire import parse_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.answers import RESPONSE_COLUMNS
from tests.helpers import TINY, tiny_questionnaire
from tests.interop.test_surveyjs import JSON

TINY_Q = tiny_questionnaire()

#: Two synthetic respondents of one organisation, as `survey.data` gives them (the second in
#: SurveyJS's export shape, its id in the metadata).
RESULTS = [
    {
        "role": "numerique",
        "organisation_id": "O1",
        "a_scale": "3",
        "a_multi": ["p", "q"],
        "a_status": {"r1": "planned", "r2": "generalised", "r3": "planned"},
        "a_pct": 40,
        "b_mail": 12.5,
        "b_sponsor": True,
        "ctx_comment": "Très bien",
        "extra-Comment": "a comment SurveyJS adds",
        "a_single": None,
    },
    {
        "id": "resp-2",
        "createdAt": "2026-03-01",
        "data": {
            "role": "direction",
            "organisation_id": "O1",
            "a_multi": ["none"],
            "b_plan": "dontknow",
            "ctx_feel": 7,
            "a_status": {"r1": None},
            "b_sponsor": "NA",
        },
    },
]


def test_results_become_the_rows_of_a_responses_file(tmp_path: Path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(RESULTS), encoding="utf-8")
    frame, report = read_surveyjs_results(path, TINY_Q)
    expected = pd.DataFrame(
        [
            ("O1", "R0001", "numerique", "a_scale", "3"),
            ("O1", "R0001", "numerique", "a_multi", "p|q"),
            ("O1", "R0001", "numerique", "a_status.r1", "planned"),
            ("O1", "R0001", "numerique", "a_status.r2", "generalised"),
            ("O1", "R0001", "numerique", "a_pct", "40"),
            ("O1", "R0001", "numerique", "b_mail", "12.5"),
            ("O1", "R0001", "numerique", "b_sponsor", "yes"),
            ("O1", "R0001", "numerique", "ctx_comment", "Très bien"),
            ("O1", "resp-2", "direction", "a_multi", "none"),
            ("O1", "resp-2", "direction", "b_plan", "DK"),
            ("O1", "resp-2", "direction", "ctx_feel", "7"),
            ("O1", "resp-2", "direction", "b_sponsor", "NA"),
        ],
        columns=RESPONSE_COLUMNS,
        dtype=object,
    )
    pd.testing.assert_frame_equal(frame, expected)
    assert report == MappingReport(
        matched=(
            "a_scale", "a_single", "a_multi", "a_status.r1", "a_status.r2", "a_pct", "b_mail",
            "b_sponsor", "b_plan", "ctx_feel", "ctx_comment",
        ),
        unknown=("a_status.r3", "extra-Comment"),
        missing=("ctx_family",),
        submissions=2,
        answers=12,
        source="results",
    )  # fmt: skip
    # the rows score: numerique's a_scale 3 of 0-4 is 75, a_pct 40 on goalposts 10-60 is 60
    items = score_responses(TINY_Q, frame).to_file().organisations[0].items
    assert (items["a_scale"], items["a_pct"]) == (75, 60)


def test_none_is_the_exclusive_option_whatever_its_code():
    q = parse_questionnaire(
        TINY.replace("{code: none, label: {fr: aucune}", "{code: aucune, label: {fr: aucune}"),
        "t.yaml",
    )
    data = [{"role": "direction", "organisation_id": "O1", "a_multi": ["none"]}]
    frame, _ = surveyjs_results(data, q)
    assert frame["answer"].tolist() == ["aucune"]


def test_without_ids_respondents_are_numbered_by_position():
    data = [
        {"role": "direction", "organisation_id": "O1", "a_scale": 1},
        {"role": "direction", "organisation_id": "O2", "a_scale": 2},
        {"role": "direction", "organisation_id": "O2", "respondent_id": "x-7", "a_scale": 0},
    ]
    frame, report = surveyjs_results(data, TINY_Q)
    assert frame["respondent_id"].tolist() == ["R0001", "R0002", "x-7"]
    assert report.lines()[0] == "3 results, 3 answers"


def test_every_problem_is_told_with_the_result_index_and_key():
    data = [
        5,
        {"organisation_id": "O1", "a_scale": "1"},
        {
            "role": "direction",
            "organisation_id": "O1",
            "a_single": "w",
            "a_multi": {"p": True},
            "a_status": ["planned"],
            "a_pct": 40,
            "b_mail": [1],
        },
        {"role": "chef", "organisation_id": "bad id", "a_scale": "9"},
    ]
    with pytest.raises(ResponsesError) as error:
        surveyjs_results(data, TINY_Q, source="r.json")
    found = sorted((p.location, p.code) for p in error.value.problems)
    assert found == sorted(
        [
            ("r.json [0]", Code.SURVEYJS_RESULT_NOT_AN_OBJECT),
            ('r.json [1] "role"', Code.SURVEYJS_RESULT_MISSING_KEY),
            ('r.json [2] "a_multi"', Code.SURVEYJS_RESULT_NOT_CHOICES),
            ('r.json [2] "a_status"', Code.SURVEYJS_RESULT_NOT_ROWS),
            ('r.json [2] "b_mail"', Code.SURVEYJS_RESULT_NOT_AN_ANSWER),
            ('r.json [2] "a_single"', Code.NOT_AN_OPTION),
            ('r.json [2] "a_pct"', Code.ROLE_NOT_ASKED),  # a_pct is not asked to direction
            ('r.json [3] "role"', Code.UNKNOWN_ROLE),
            ('r.json [3] "organisation_id"', Code.INVALID_IDENTIFIER),
            ('r.json [3] "a_scale"', Code.NOT_AN_OPTION),  # a_scale's options are 0-4
        ]
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"role": "x"}', Code.SURVEYJS_RESULTS_NOT_A_LIST),
        ("[1,", Code.INVALID_JSON),
    ],
)
def test_a_file_that_is_not_results_is_refused(tmp_path: Path, text: str, code: Code):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResponsesError) as error:
        read_surveyjs_results(path, TINY_Q)
    assert [p.code for p in error.value.problems] == [code]


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"role": st.sampled_from(["direction", "numerique"]), "organisation_id": st.just("O1")},
            optional={
                "a_scale": JSON,
                "a_multi": JSON,
                "a_status": JSON,
                "a_pct": JSON,
                "b_sponsor": JSON,
                "ctx_comment": JSON,
            },
        )
        | JSON,
        max_size=4,
    )
    | JSON
)
def test_junk_results_are_refused_with_problems_never_a_traceback(data):
    try:
        frame, report = surveyjs_results(data, TINY_Q, source="junk.json")
    except ResponsesError as error:
        assert error.problems
        assert all(p.location.startswith("junk.json") for p in error.problems)
    else:
        assert list(frame.columns) == RESPONSE_COLUMNS
        assert report.answers == len(frame)
        score_responses(TINY_Q, frame)  # accepted rows are rows the engine scores


# --- SurveyJS's "Don't know" and "Refuse to answer" items ---------------------------------


def test_a_refusal_is_unanswered_and_reported_and_dont_know_is_dk():
    from barometre.interop.surveyjs import parse_surveyjs
    from tests.interop.test_surveyjs import SPECIAL_ITEMS

    q = parse_surveyjs(SPECIAL_ITEMS, "special.json")
    data = [  # synthetic
        {"role": "repondant", "organisation_id": "O1", "freq": "refused", "listed": 5},
        {"role": "repondant", "organisation_id": "O1", "freq": "dontknow", "listed": "refused"},
        {"role": "repondant", "organisation_id": "O2", "channels": ["refused"], "sponsor": True},
    ]
    frame, report = surveyjs_results(data, q, source="r.json")
    assert frame.values.tolist() == [
        ["O1", "R0001", "repondant", "listed", "5"],
        ["O1", "R0002", "repondant", "freq", "DK"],
        ["O2", "R0003", "repondant", "sponsor", "yes"],
    ]
    assert report.refused == ('r.json [0] "freq"', 'r.json [1] "listed"', 'r.json [2] "channels"')
    assert report.matched == ("freq", "listed", "channels", "sponsor")
    assert report.lines() == [
        "3 results, 3 answers",
        "4 fields matched",
        '3 refused to answer (read as unanswered): r.json [0] "freq", r.json [1] "listed", '
        'r.json [2] "channels"',
    ]
    # the organisation without an answer to freq has it missing, not "not applicable": O1's
    # freq answers are a refusal and a DK, so freq has no score
    items = score_responses(q, frame).to_file().organisations[0].items
    assert items["freq"] is None and items["listed"] == 50


def test_an_option_named_refused_or_dontknow_is_that_option():
    q = parse_questionnaire(
        TINY.replace("{code: none, label: {fr: aucune}", "{code: refused, label: {fr: refus}"),
        "t.yaml",
    )
    frame, report = surveyjs_results(
        [{"role": "direction", "organisation_id": "O1", "a_multi": ["refused"]}], q
    )
    assert frame["answer"].tolist() == ["refused"] and report.refused == ()


def test_the_report_words_results_and_keys_and_odk_keeps_submissions_and_columns():
    common = {"matched": ("a",), "unknown": ("x", "y"), "missing": ("b",), "answers": 4}
    assert MappingReport(**common, submissions=2, source="results").lines() == [
        "2 results, 4 answers",
        "1 fields matched",
        "2 keys unknown (ignored): x, y",
        "1 fields missing: b",
    ]
    assert MappingReport(**common, submissions=2).lines() == [
        "2 submissions, 4 answers",
        "1 fields matched",
        "2 columns unknown (ignored): x, y",
        "1 fields missing: b",
    ]
