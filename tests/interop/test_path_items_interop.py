"""Path items through the interchange: YAML writer, XLSForm and SurveyJS written and read back,
their answers (ODK submissions, SurveyJS results) joined into one path, the questionnaire diff,
the exports' codebook, the questionnaire PDF and the recommendations' "why" line."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from pyxform.xls2xform import convert

from barometre.errors import Code, ResponsesError
from barometre.interop.exports.tables import WaveData, build_tables
from barometre.interop.odk_submissions import read_odk_submissions
from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text
from barometre.interop.surveyjs_results import surveyjs_results
from barometre.interop.versions import diff_questionnaires
from barometre.interop.xlsform import parse_xlsform, xlsform_bytes
from barometre.questionnaire import parse_questionnaire
from barometre.questionnaire.writer import questionnaire_yaml
from barometre.recommend.answers import told_answer
from barometre.reports.questionnaire_pdf import questionnaire_html
from barometre.scoring import score_responses
from tests.scoring.test_path_items import PATH_QUESTIONNAIRE, QUESTIONNAIRE, responses


def test_the_yaml_writer_gives_back_the_same_questionnaire():
    text = questionnaire_yaml(QUESTIONNAIRE)
    assert "    steps:\n      - id: publish\n" in text
    assert "{code: 'yes', label: {fr: Oui, en: 'Yes'}, next: machine}" in text  # quoted
    assert parse_questionnaire(text, "written") == QUESTIONNAIRE


def test_xlsform_round_trip_and_relevant_conditions():
    data = xlsform_bytes(QUESTIONNAIRE)
    assert parse_xlsform(data, "form.xlsx") == QUESTIONNAIRE
    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(data), warnings=warnings).xform
    assert warnings == []
    # machine is asked once publish is yes; c after a: y or b: q
    assert (
        'nodeset="/data/d1/open_data/open_data__machine" type="string" '
        "relevant=\" /data/d1/open_data/open_data__publish  = 'yes'\""
    ) in xform
    assert (
        "relevant=\" /data/d1/branching/branching__a  = 'y' or "
        " /data/d1/branching/branching__b  = 'q'\""
    ) in xform
    assert "<name>yes</name><barometre_next>machine</barometre_next>" in xform


def test_surveyjs_round_trip_and_visible_if():
    text = surveyjs_text(QUESTIONNAIRE)
    form = json.loads(text)
    panel = form["pages"][1]["elements"][0]
    assert (panel["type"], panel["name"], panel["barometre"]["kind"]) == (
        "panel",
        "open_data",
        "path",
    )
    names = [step["name"] for step in panel["elements"]]
    assert names == ["open_data__publish", "open_data__machine", "open_data__automatic"]
    assert panel["elements"][1]["visibleIf"] == "{open_data__publish} = 'yes'"
    first = [c["value"] for c in panel["elements"][0]["choices"]]
    assert first == ["no", "yes", "NA", "DK"]  # NA and DK for the whole item, on step 1
    assert [c["value"] for c in panel["elements"][1]["choices"]] == ["no", "yes"]
    assert parse_surveyjs(form, "form.json") == QUESTIONNAIRE


def test_odk_submissions_join_the_steps_into_one_path(tmp_path):
    export = tmp_path / "submissions.csv"
    export.write_text(
        "role,organisation_id,d1/open_data/open_data__publish,d1/open_data/open_data__machine,"
        "d1/open_data/open_data__automatic,d1/branching/branching__a,d1/branching/branching__b,"
        "d1/branching/branching__c,meta/instanceID\n"
        "dg,o1,yes,yes,no,y,,s,uuid:1\n"
        "dsi,o1,NA,,,,,,uuid:2\n",
        encoding="utf-8",
    )
    table, report = read_odk_submissions(export, QUESTIONNAIRE)
    answers = dict(
        zip(table["respondent_id"] + " " + table["item_id"], table["answer"], strict=True)
    )
    assert answers == {"1 open_data": "yes|yes|no", "1 branching": "y|s", "2 open_data": "NA"}
    assert report.unknown == ()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "role,organisation_id,open_data__publish,open_data__machine,meta/instanceID\n"
        "dg,o1,no,yes,uuid:1\n",
        encoding="utf-8",
    )
    with pytest.raises(ResponsesError) as caught:
        read_odk_submissions(bad, QUESTIONNAIRE)
    (found,) = caught.value.problems
    assert found.code == Code.PATH_AFTER_END
    assert found.location == f"{bad}:2 column 'open_data__publish'"


def test_surveyjs_results_join_the_steps_into_one_path():
    results = [
        {
            "role": "dg",
            "organisation_id": "o1",
            "open_data__publish": "yes",
            "open_data__machine": "no",
            "branching__a": "z",
            "branching__b": "p",
            "notes__one": "dontknow",  # SurveyJS's "Don't know" item: DK for the item
        }
    ]
    table, report = surveyjs_results(results, QUESTIONNAIRE)
    assert dict(zip(table["item_id"], table["answer"], strict=True)) == {
        "open_data": "yes|no",
        "branching": "z|p",
        "notes": "DK",
    }
    assert report.unknown == ()


def test_a_changed_ending_score_is_breaking_and_a_relabelled_step_wording():
    changed = parse_questionnaire(
        PATH_QUESTIONNAIRE.replace("score: 30", "score: 40").replace(
            "label: {fr: C}", "label: {fr: Cé}"
        ),
        "v2",
    )
    diff = diff_questionnaires(QUESTIONNAIRE, changed)
    effects = {change.path: change.effect for change in diff.changes}
    assert effects == {
        "items.open_data.steps.machine.options.no.score": "breaking",
        "items.branching.steps.c.label.fr": "wording",
    }
    assert diff_questionnaires(QUESTIONNAIRE, QUESTIONNAIRE).changes == []


def test_the_wide_export_codes_each_complete_path_and_the_codebook_says_it():
    rows = [
        ("o1", "r1", "dg", "open_data", "yes | no"),
        ("o1", "r1", "dg", "branching", "z|q|s"),
        ("o1", "r2", "dsi", "open_data", "yes"),  # incomplete: missing
        ("o2", "r3", "dg", "open_data", "NA"),
    ]
    table = responses(rows)
    data = WaveData(
        questionnaire=QUESTIONNAIRE,
        scores=score_responses(QUESTIONNAIRE, table).to_file(),
        responses=table,
        pseudonym_key=b"key",
    )
    (wide,) = build_tables(data, ["responses"])
    # complete paths, depth first: no 1, yes|no 2, yes|yes|no 3, yes|yes|yes 4
    # r1 "yes | no" is path 2, r3's NA the missing code -1, r2's incomplete path empty
    assert sorted(wide.frame["open_data"].dropna().tolist()) == [-1.0, 2.0]
    assert wide.frame["open_data"].isna().sum() == 1
    column = next(c for c in wide.codebook().columns if c.key == "open_data")
    assert [(v.code, v.value, v.score) for v in column.values] == [
        (1, "no", 0.0),
        (2, "yes|no", 30.0),
        (3, "yes|yes|no", 60.0),
        (4, "yes|yes|yes", 100.0),
    ]
    assert (
        column.values[1].label_en == "Do you publish open data? Yes; Are they machine-readable? No"
    )
    branching = next(c for c in wide.codebook().columns if c.key == "branching")
    # a: x 10; y → c: r 70, s 90; z → b: p 40, q → c: r 70, s 90
    assert [v.value for v in branching.values] == ["x", "y|r", "y|s", "z|p", "z|q|r", "z|q|s"]
    assert wide.frame["branching"].dropna().tolist() == [6.0]


def test_the_pdf_lists_the_steps_and_where_each_answer_leads():
    html = questionnaire_html(QUESTIONNAIRE, "en")
    assert "questions in sequence, one answer each" in html
    assert "1. Do you publish open data?" in html
    assert "→ 2" in html  # publish: yes leads to question 2


@pytest.mark.parametrize(
    ("score", "consolidated", "told"),
    [
        (30.0, False, "“Are they machine-readable? — No”"),
        (100.0, False, "“Updated automatically? — Yes”"),
        # a mean of 30 and 60 (two respondents): between the two answers
        (
            45.0,
            True,
            "on average between “Are they machine-readable? — No” and "
            "“Updated automatically? — No”",
        ),
    ],
)
def test_the_recommendations_tell_the_answer_that_ended_the_path(score, consolidated, told):
    item = QUESTIONNAIRE.item("open_data")
    said = told_answer(item, score, QUESTIONNAIRE.methodology, consolidated=consolidated)
    assert said is not None and said.en == told


def test_scores_of_a_path_questionnaire_come_back_from_its_own_responses():
    table = pd.DataFrame(
        [("o1", "r1", "dg", "open_data", "yes|yes|yes")],
        columns=["organisation_id", "respondent_id", "role", "item_id", "answer"],
    )
    assert score_responses(QUESTIONNAIRE, table).item_scores.loc["o1", "open_data"] == 100.0
