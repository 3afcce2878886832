"""XLSForm: export converts with pyxform, the round trip gives the same questionnaire and the
same scores, a plain XLSForm imports with the scores computed by hand, bad workbooks are told
with their sheet and cell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from barometre.interop.xlsform import (
    XlsFormError,
    parse_xlsform,
    read_xlsform,
    write_xlsform,
    xlsform_bytes,
    xlsform_names,
)
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Localized, Questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from tests.helpers import responses, tiny_questionnaire
from tests.interop.questionnaire_strategy import SAFE_TEXT, questionnaires

HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def hlm_workbook(tmp_path_factory) -> Path:
    return write_xlsform(HLM, tmp_path_factory.mktemp("xlsform") / "hlm-2026.xlsx")


def _convert(path: Path | bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    source = path if isinstance(path, Path) else io.BytesIO(path)
    result = convert(xlsform=source, warnings=warnings)
    return result.xform, warnings


# --- export --------------------------------------------------------------------------------


def test_pyxform_converts_the_hlm_2026_workbook_without_warnings(hlm_workbook):
    xform, warnings = _convert(hlm_workbook)
    assert warnings == []
    assert xform.startswith("<?xml")
    # the role and the organisation come first, a status row is ITEM__ROW in its group
    assert '<bind nodeset="/data/role" type="string" required="true()"/>' in xform
    assert "/data/relation_locataire/loc_services/loc_services__payment" in xform
    # each item is asked to its roles only (str_board is asked to the direction)
    assert (
        '<bind nodeset="/data/strategie/str_board" type="string" '
        "relevant=\"selected( /data/role , 'direction')\"/>"
    ) in xform
    assert "<h:title>Baromètre de la maturité numérique des organismes HLM 2026</h:title>" in xform
    assert 'lang="English (en)"' in xform and 'lang="Français (fr)" default="true()"' in xform


def test_the_standard_sheets_and_columns(hlm_workbook):
    workbook = load_workbook(hlm_workbook, read_only=True)
    assert workbook.sheetnames[:3] == ["survey", "choices", "settings"]
    survey = list(workbook["survey"].iter_rows(values_only=True))
    header = survey[0]
    assert header[:4] == ("type", "name", "label::Français (fr)", "label::English (en)")
    assert {"barometre::dimension", "barometre::axis", "barometre::weight"} <= set(header)
    settings_rows = list(workbook["settings"].iter_rows(values_only=True))
    settings_row = dict(zip(settings_rows[0], settings_rows[1], strict=True))
    assert settings_row["form_id"] == "hlm-2026"
    assert settings_row["version"] == "2026.1"
    assert settings_row["default_language"] == "Français (fr)"
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in survey[1:] if row[1]}
    # a multi item: its exclusive option and NA / DK stand alone
    governance = rows["str_governance"]
    assert governance["type"] == "select_multiple str_governance"
    assert "(not(selected(., 'none')) or count-selected(.) = 1)" in governance["constraint"]
    assert "(not(selected(., 'NA')) or count-selected(.) = 1)" in governance["constraint"]
    # a percent: decimal in 0-100, with a companion question for NA / DK
    share = rows["str_value_share"]
    assert share["type"] == "decimal"
    assert share["constraint"] == ". >= 0 and . <= 100"
    assert share["constraint_message::Français (fr)"] == "Un nombre entre 0 et 100."
    assert rows["str_value_share__special"]["type"] == "select_one barometre_special"
    choices = list(workbook["choices"].iter_rows(values_only=True))
    ladder = [row[1] for row in choices[1:] if row[0] == "barometre_ladder"]
    assert ladder == ["not_considered", "planned", "piloting", "partial", "generalised", "NA", "DK"]


def test_xlsform_names_of_status_rows_and_ids_that_start_with_a_digit():
    names = xlsform_names(HLM)
    assert names["loc_services.payment"] == "loc_services__payment"
    assert names["str_strategy"] == "str_strategy"
    odd = tiny_questionnaire().model_copy(deep=True)
    item = odd.items[0].model_copy(update={"id": "1scale"})
    odd = odd.model_copy(update={"items": [item, *odd.items[1:]]})
    assert xlsform_names(odd)["1scale"] == "_1scale"


def test_a_control_character_is_refused_before_anything_is_written(tmp_path):
    tiny = tiny_questionnaire()
    item = tiny.items[0].model_copy(update={"label": Localized(fr="un\x08deux")})
    q = tiny.model_copy(update={"items": [item, *tiny.items[1:]]})
    out = tmp_path / "control.xlsx"
    with pytest.raises(XlsFormError) as caught:
        write_xlsform(q, out)
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("tiny survey!C5", "xlsform_control_character")  # row 5: a_scale
    ]
    assert not out.exists()


def test_a_name_clash_is_refused_before_anything_is_written(tmp_path):
    tiny = tiny_questionnaire()
    clash = tiny.items[0].model_copy(update={"id": "a_status__r1"})
    q = tiny.model_copy(update={"items": [*tiny.items, clash]})
    out = tmp_path / "clash.xlsx"
    with pytest.raises(XlsFormError) as caught:
        write_xlsform(q, out)
    assert [p.code for p in caught.value.problems] == ["xlsform_name_clash"]
    assert "a_status__r1" in caught.value.problems[0].message
    assert not out.exists()


# --- round trip ----------------------------------------------------------------------------


def test_round_trip_gives_the_same_questionnaire(hlm_workbook):
    assert read_xlsform(hlm_workbook) == HLM
    tiny = tiny_questionnaire()
    assert parse_xlsform(xlsform_bytes(tiny), "tiny.xlsx") == tiny


def test_round_trip_gives_byte_identical_scores(hlm_workbook):
    wave = simulate_sector(HLM, organisations=60, seed=12)  # synthetic
    before = score_responses(HLM, wave.responses).to_file().dumps()
    after = score_responses(read_xlsform(hlm_workbook), wave.responses).to_file().dumps()
    assert before == after


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires())
def test_random_questionnaires_round_trip(questionnaire: Questionnaire):
    assert parse_xlsform(xlsform_bytes(questionnaire), "random.xlsx") == questionnaire


# pyxform reads `${name}` in a text as a reference (docs/xlsform.md, limits): texts without it
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires(SAFE_TEXT))
def test_random_questionnaires_convert_with_pyxform(questionnaire: Questionnaire):
    xform, _warnings = _convert(xlsform_bytes(questionnaire))
    assert "<h:html" in xform


# --- a plain XLSForm made elsewhere ------------------------------------------------------------


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PLAIN_SURVEY = [
    ["type", "name", "label", "constraint", "barometre::axis"],
    ["begin_group", "services", "Services en ligne"],
    ["select_one rating", "q_rating", "Note de l'espace locataire", None, "tech"],
    ["select_multiple channels", "q_channels", "Canaux", None, "transfo"],
    ["end_group"],
    ["select_one budget", "q_budget", "Budget numérique", None, "tech"],
    ["select_one steps", "q_steps", "Étapes franchies", None, "transfo"],
    ["decimal", "q_agents", "Agents formés", ". >= 0 and . <= 50"],
    ["text", "q_comment", "Un commentaire ?"],
    ["note", "q_thanks", "Merci"],
]
PLAIN_CHOICES = [
    ["list_name", "name", "label", "barometre_score"],
    *[["rating", str(value), f"{value} étoiles"] for value in range(1, 6)],
    ["channels", "web", "Site web"],
    ["channels", "app", "Application"],
    ["channels", "phone", "Téléphone"],
    ["budget", "none", "Aucun", 0],
    ["budget", "some", "Annuel", 60],
    ["budget", "all", "Pluriannuel", 100],
    ["steps", "1", "Une"],
    ["steps", "2", "Deux"],
    ["steps", "3", "Trois", 90],  # barometre_score overrides the value
]
PLAIN = {
    "survey": PLAIN_SURVEY,
    "choices": PLAIN_CHOICES,
    "settings": [["form_title", "form_id", "version"], ["Formulaire simple", "simple", "3"]],
}


def test_a_plain_xlsform_imports_with_the_documented_defaults():
    q = parse_xlsform(_workbook(PLAIN), "plain.xlsx")
    assert (q.id, q.version, q.title.fr) == ("simple", "3", "Formulaire simple")
    assert [role.code for role in q.roles] == ["all"]
    assert [d.id for d in q.dimensions] == ["services", "general"]
    kinds = {item.id: (item.kind, item.dimension, item.is_scored) for item in q.items}
    assert kinds == {
        "q_rating": ("scale", "services", True),
        "q_channels": ("multi", "services", True),
        "q_budget": ("single", "general", True),
        "q_steps": ("scale", "general", True),
        "q_agents": ("number", None, False),
        "q_comment": ("text", None, False),
    }
    assert (q.item("q_agents").minimum, q.item("q_agents").maximum) == (0, 50)


def test_a_plain_xlsform_gives_the_scores_computed_by_hand():
    q = parse_xlsform(_workbook(PLAIN), "plain.xlsx")
    rows = [
        ("ORG1", "R1", "all", "q_rating", "4"),  # (4 - 1) / (5 - 1) = 75
        ("ORG1", "R1", "all", "q_channels", "web|app"),  # 2 of 3 = 66.67
        ("ORG1", "R1", "all", "q_budget", "some"),  # 60
        ("ORG1", "R1", "all", "q_steps", "3"),  # 90, not 100
        ("ORG1", "R2", "all", "q_steps", "2"),  # (2 - 1) / (3 - 1) = 50
    ]
    scores = score_responses(q, responses(rows)).to_file().organisations[0]
    assert scores.items["q_rating"] == 75
    assert scores.items["q_channels"] == pytest.approx(200 / 3)
    assert scores.items["q_budget"] == 60
    assert scores.items["q_steps"] == 70  # the mean of the two respondents, 90 and 50


def test_a_plain_xlsform_without_axes_is_told_which_column_to_add():
    survey = [row[:4] for row in PLAIN_SURVEY]
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(_workbook({**PLAIN, "survey": survey}), "plain.xlsx")
    codes = [p.code for p in caught.value.problems]
    assert "xlsform_no_axis" in codes
    assert "missing_axis" in codes
    missing = [p for p in caught.value.problems if p.code == "missing_axis"]
    assert missing[0].location == "plain.xlsx survey!B3 item 'q_rating'"


# --- bad workbooks -------------------------------------------------------------------------


def _problems(sheets: dict[str, list[list[object]]]) -> list[tuple[str, str]]:
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(_workbook(sheets), "bad.xlsx")
    return [(p.location, p.code) for p in caught.value.problems]


def test_a_missing_survey_sheet():
    assert _problems({"choices": PLAIN_CHOICES}) == [("bad.xlsx", "xlsform_missing_sheet")]


def test_every_problem_of_the_survey_at_once_with_its_cell():
    survey = [
        *PLAIN_SURVEY,
        ["slect_one rating", "q_typo", "Faute de frappe"],
        ["select_one rating", "q_rating", "Encore"],
        ["select_one nolist", "q_nolist", "Liste absente"],
        ["geopoint", "q_where", "Où ?"],
        ["begin_repeat", "q_repeat", "Répétition"],
    ]
    found = _problems({**PLAIN, "survey": survey})
    assert found == [
        ("bad.xlsx survey!A11", "xlsform_unknown_type"),
        ("bad.xlsx survey!B12", "xlsform_duplicate_name"),
        ("bad.xlsx survey!A13", "xlsform_unknown_list"),
        ("bad.xlsx survey!A14", "xlsform_unmapped_type"),
        ("bad.xlsx survey!A15", "xlsform_unmapped_type"),
    ]


def test_an_unmapped_question_is_named():
    survey = [*PLAIN_SURVEY, ["geopoint", "q_where", "Où ?"]]
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(_workbook({**PLAIN, "survey": survey}), "bad.xlsx")
    assert "question 'q_where': the type 'geopoint'" in caught.value.problems[0].message


def test_bad_choice_lists():
    choices = [*PLAIN_CHOICES, ["budget", "some", "Encore"], [None, "x", "Sans liste"]]
    assert _problems({**PLAIN, "choices": choices}) == [
        ("bad.xlsx choices!B16", "xlsform_duplicate_choice"),
        ("bad.xlsx choices!A17", "xlsform_no_list_name"),
    ]


def test_unbalanced_groups():
    survey = [PLAIN_SURVEY[0], ["end_group"], *PLAIN_SURVEY[1:4]]
    assert _problems({**PLAIN, "survey": survey}) == [
        ("bad.xlsx survey!A2", "xlsform_end_without_begin"),
        ("bad.xlsx survey!A3", "xlsform_group_not_closed"),
    ]


def test_bad_values_in_the_extra_columns(hlm_workbook):
    workbook = load_workbook(hlm_workbook)
    survey = workbook["survey"]
    header = [cell.value for cell in survey[1]]
    weight = header.index("barometre::weight") + 1
    kind = header.index("barometre::kind") + 1
    rows = {survey.cell(row, 2).value: row for row in range(2, survey.max_row + 1)}
    survey.cell(rows["str_strategy"], weight).value = "lourd"
    survey.cell(rows["str_board"], kind).value = "multi"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(buffer.getvalue(), "hlm.xlsx")
    weight_letter = chr(ord("A") + weight - 1)
    kind_letter = chr(ord("A") + kind - 1)
    assert [(p.location, p.code) for p in caught.value.problems] == [
        (f"hlm.xlsx survey!{weight_letter}{rows['str_strategy']}", "xlsform_not_a_number"),
        (f"hlm.xlsx survey!{kind_letter}{rows['str_board']}", "xlsform_kind_type"),
    ]


def test_a_rule_of_the_questionnaire_is_told_at_the_item_row():
    choices = [row for row in PLAIN_CHOICES if row[0] != "channels"] + [["channels", "web", "Web"]]
    found = _problems({**PLAIN, "choices": choices})
    assert found == [("bad.xlsx survey!B4 item 'q_channels'", "too_few_options")]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"type,name\ntext,q\n")
    with pytest.raises(XlsFormError) as caught:
        read_xlsform(path)
    assert [p.code for p in caught.value.problems] == ["xlsform_not_a_workbook"]
    with pytest.raises(XlsFormError) as caught:
        read_xlsform(tmp_path / "absent.xlsx")
    assert [p.code for p in caught.value.problems] == ["file_not_found"]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_junk_bytes_are_a_problem_never_a_traceback(junk: bytes):
    with pytest.raises(XlsFormError):
        parse_xlsform(junk, "junk.xlsx")


_CELL = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "select_one budget",
            "select_multiple channels",
            "select_one nolist",
            "begin_group",
            "end_group",
            "decimal",
            "text",
            "geopoint",
            "scale",
            "multi",
            "tech",
            "transfo",
            "q1",
            "q2",
            "all",
            "=1+1",
            "1",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=8),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, min_size=5, max_size=5), max_size=8))
def test_random_survey_rows_are_read_or_told_never_a_traceback(rows):
    header = ["type", "name", "label", "barometre::axis", "barometre::kind"]
    sheets = {**PLAIN, "survey": [header, *rows]}
    try:
        parse_xlsform(_workbook(sheets), "random.xlsx")
    except XlsFormError as error:
        assert error.problems
