"""XLSForm import: the defects a review found, each with its expected problems worked out by
hand (rows and columns counted on the synthetic sheets below)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from barometre.identifiers import is_identifier
from barometre.interop.xlsform import XlsFormError, parse_xlsform, xlsform_bytes
from barometre.questionnaire.models import Localized
from tests.helpers import tiny_questionnaire
from tests.interop.test_xlsform import PLAIN, PLAIN_CHOICES, PLAIN_SURVEY, _problems, _workbook


def damaged(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook `data` with `member` cut in half inside the zip (every other entry kept)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = content[: len(content) // 2]
            target.writestr(info, content)
    return buffer.getvalue()


# --- 1. a valid zip whose sheet is cut: a problem, never a traceback -------------------------


def test_a_sheet_cut_in_half_is_a_damaged_workbook_naming_the_sheet():
    data = damaged(_workbook(PLAIN))  # sheet1 is 'survey', the first sheet created
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(data, "corrupt.xlsx")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("corrupt.xlsx survey", "xlsform_damaged_sheet")
    assert "sheet 'survey'" in found.message


def test_a_later_sheet_cut_in_half_is_named_too():
    data = damaged(_workbook(PLAIN), "xl/worksheets/sheet2.xml")  # 'choices'
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(data, "corrupt.xlsx")
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("corrupt.xlsx choices", "xlsform_damaged_sheet")
    ]


# --- 2. end_repeat needs no name ---------------------------------------------------------------
# PLAIN_SURVEY is the header (row 1) and 9 rows (2-10): what is appended starts at row 11.


@pytest.mark.parametrize(
    ("begin", "end"), [("begin_repeat", "end_repeat"), ("begin repeat", "end repeat")]
)
def test_a_repeat_is_one_unmapped_problem_and_its_end_needs_no_name(begin, end):
    survey = [*PLAIN_SURVEY, [begin, "rep", "Répétition"], ["text", "rq", "Dans"], [end]]
    assert _problems({**PLAIN, "survey": survey}) == [
        ("bad.xlsx survey!A11", "xlsform_unmapped_type")
    ]


# --- 3. or_other -----------------------------------------------------------------------------


def test_or_other_is_told_as_unsupported_at_its_row():
    survey = [*PLAIN_SURVEY, ["select_one budget or_other", "q_other", "Autre", None, "tech"]]
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(_workbook({**PLAIN, "survey": survey}), "bad.xlsx")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("bad.xlsx survey!A11", "xlsform_or_other")
    assert "q_other" in found.message and "'budget'" in found.message
    assert "rate or_other" not in found.message


def test_or_other_on_a_select_multiple_too():
    survey = [*PLAIN_SURVEY, ["select_multiple channels or_other", "q_other", "Autre"]]
    assert _problems({**PLAIN, "survey": survey}) == [("bad.xlsx survey!A11", "xlsform_or_other")]


# --- 4. an axis on a question that is not scored ----------------------------------------------


def test_a_select_with_an_axis_but_no_scores_is_told_at_its_row():
    survey = [*PLAIN_SURVEY, ["select_one kinds", "q_kind", "Type d'outil", None, "tech"]]
    choices = [*PLAIN_CHOICES, ["kinds", "crm", "CRM"], ["kinds", "erp", "ERP"]]
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(_workbook({**PLAIN, "survey": survey, "choices": choices}), "bad.xlsx")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("bad.xlsx survey!B11", "xlsform_axis_without_scores")
    assert "q_kind" in found.message and "'kinds'" in found.message
    assert "barometre_score" in found.message


def test_a_number_with_an_axis_but_no_goalposts_is_told_at_its_row():
    survey = [*PLAIN_SURVEY, ["integer", "q_staff", "Effectif", None, "transfo"]]
    assert _problems({**PLAIN, "survey": survey}) == [
        ("bad.xlsx survey!B11", "xlsform_axis_without_goalposts")
    ]


def test_an_unscored_select_without_an_axis_is_still_context():
    survey = [*PLAIN_SURVEY, ["select_one kinds", "q_kind", "Type d'outil"]]
    choices = [*PLAIN_CHOICES, ["kinds", "crm", "CRM"], ["kinds", "erp", "ERP"]]
    q = parse_xlsform(_workbook({**PLAIN, "survey": survey, "choices": choices}), "ok.xlsx")
    assert (q.item("q_kind").kind, q.item("q_kind").is_scored) == ("single", False)


# --- 5. the languages of a form's texts ---------------------------------------------------------


def _english_only(settings: list[list[object]]) -> dict[str, list[list[object]]]:
    """PLAIN with its texts in English only, in `label::English (en)` (or `label` when the
    settings say the default language is English)."""
    return {
        "survey": [
            ["type", "name", "label::English (en)", "hint::English (en)", "barometre::axis"],
            ["select_one rating", "q_rating", "Tenant portal rating", "Stars", "tech"],
            ["select_multiple channels", "q_channels", "Channels", None, "transfo"],
        ],
        "choices": [
            ["list_name", "name", "label::English (en)"],
            *[["rating", str(value), f"{value} stars"] for value in range(1, 6)],
            ["channels", "web", "Website"],
            ["channels", "app", "App"],
        ],
        "settings": settings,
    }


def test_an_english_only_form_gives_an_english_questionnaire():
    # English columns only: the questionnaire declares English, its texts are English only
    sheets = _english_only([["form_title", "form_id"], ["Digital form", "digital"]])
    q = parse_xlsform(_workbook(sheets), "en.xlsx")
    assert q.languages == ["en"]
    rating = q.item("q_rating")
    assert rating.label == Localized(en="Tenant portal rating")
    assert rating.help == Localized(en="Stars")
    assert rating.options[0].label == Localized(en="1 stars")


def test_an_untranslated_label_is_in_the_default_language_of_the_settings():
    english = _english_only([["form_title", "default_language"], ["Digital form", "English (en)"]])
    for sheet in ("survey", "choices"):
        english[sheet][0] = [c.replace("::English (en)", "") for c in english[sheet][0]]
    q = parse_xlsform(_workbook(english), "en.xlsx")
    assert (q.languages, q.item("q_channels").label) == (["en"], Localized(en="Channels"))
    # without a default language, an untranslated label is French only
    q = parse_xlsform(_workbook(PLAIN), "plain.xlsx")
    assert q.item("q_rating").label == Localized(fr="Note de l'espace locataire")


def test_french_and_english_columns_stay_apart():
    sheets = _english_only([["form_title"], ["Digital form"]])
    sheets["survey"][0][3] = "label::Français (fr)"  # the hint column becomes French labels
    sheets["survey"][1][3] = "Note de l'espace locataire"
    q = parse_xlsform(_workbook(sheets), "two.xlsx")
    assert q.item("q_rating").label == Localized(
        fr="Note de l'espace locataire", en="Tenant portal rating"
    )
    # a question without French takes its English in French too
    assert q.item("q_channels").label == Localized(fr="Channels", en="Channels")


# --- 8. the location of xlsform_no_axis; the organisation's constraint ----------------------


def test_no_axis_is_told_at_the_header_cell_where_the_column_goes():
    survey = [row[:4] for row in PLAIN_SURVEY]  # type, name, label, constraint: A to D
    found = _problems({**PLAIN, "survey": survey})
    assert ("bad.xlsx survey!E1", "xlsform_no_axis") in found


def _organisation_constraint(data: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True)["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    row = next(r for r in rows if r[header.index("name")] == "organisation_id")
    return str(row[header.index("constraint")])


def test_the_organisation_constraint_is_the_identifier_rule():
    constraint = _organisation_constraint(xlsform_bytes(tiny_questionnaire()))
    assert constraint == "regex(., '^[A-Za-z0-9_.-]{1,64}$') and . != '.' and . != '..'"
    # read as XPath would: the regex, and neither '.' nor '..'
    pattern = re.search(r"regex\(\., '(.*)'\)", constraint).group(1)  # type: ignore[union-attr]
    excluded = re.findall(r"\. != '([^']*)'", constraint)

    def accepted(value: str) -> bool:
        return re.search(pattern, value) is not None and value not in excluded

    for value, expected in [
        ("SYN-0001", True),
        ("a.b", True),
        ("...", True),
        ("x" * 64, True),
        (".", False),
        ("..", False),
        ("", False),
        ("x" * 65, False),
        ("a b", False),
        ("é", False),
    ]:
        assert accepted(value) is expected is is_identifier(value), value


def test_pyxform_converts_the_form_with_the_constraint():
    warnings: list[str] = []
    data = io.BytesIO(xlsform_bytes(tiny_questionnaire()))
    xform = convert(xlsform=data, warnings=warnings).xform
    assert warnings == []
    assert (
        '<bind nodeset="/data/organisation_id" type="string" required="true()" '
        "constraint=\"regex(., '^[A-Za-z0-9_.-]{1,64}$') and . != '.' and . != '..'\"/>"
    ) in xform


# --- properties: a damaged sheet is a problem wherever it is cut -----------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=st.integers(1, 3), cut=st.floats(0, 0.999))
def test_a_sheet_cut_anywhere_is_a_problem_never_a_traceback(sheet: int, cut: float):
    data = _workbook(PLAIN)  # sheets 1-3: survey, choices, settings
    source = zipfile.ZipFile(io.BytesIO(data))
    member = f"xl/worksheets/sheet{sheet}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = content[: int(len(content) * cut)]
            target.writestr(info, content)
    with pytest.raises(XlsFormError) as caught:
        parse_xlsform(buffer.getvalue(), "cut.xlsx")
    title = ["survey", "choices", "settings"][sheet - 1]
    # cut in its first bytes, the sheet is refused as openpyxl opens the workbook (it reads
    # the start of each sheet then): not a workbook, without the sheet's name
    assert [(p.location, p.code) for p in caught.value.problems] in (
        [(f"cut.xlsx {title}", "xlsform_damaged_sheet")],
        [("cut.xlsx", "xlsform_not_a_workbook")],
    )
