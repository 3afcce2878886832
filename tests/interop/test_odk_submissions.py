"""ODK / KoboToolbox submission exports → the responses format, with the mapping report.

The exports are written by hand (synthetic), as Kobo writes them ("XML values and headers",
group paths with `/`, select_multiple both as one cell and split 0/1 columns) and as ODK
Central writes them (groups joined with `-`, `KEY` and `meta-instanceID`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from barometre.errors import ResponsesError
from barometre.interop.odk_submissions import read_odk_submissions, respondent_identifier
from barometre.scoring import score_responses
from tests.helpers import tiny_questionnaire

TINY = tiny_questionnaire()

KOBO_HEADER = (
    "start;end;role;organisation_id;A/a_scale;A/a_single;A/a_multi;A/a_multi/p;A/a_multi/q;"
    "A/a_multi/r;A/a_multi/none;A/a_status/a_status__r1;A/a_status/a_status__r2;A/a_pct;"
    "A/a_pct__special;B/b_mail;B/b_sponsor;extra_q;_id;_uuid;_submission_time"
)
KOBO_ROWS = [
    "2026-03-01;2026-03-01;direction;O1;2;y;p q;1;1;0;0;planned;generalised;;;40;yes;x;1;"
    "6f1c-aaaa;2026-03-01",
    "2026-03-02;2026-03-02;numerique;O1;;;none;0;0;0;1;;;;DK;;;;2;uuid:77bb;2026-03-02",
]


def _write(tmp_path: Path, lines: list[str], name: str = "subs.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_kobo_export_gives_the_expected_responses_and_report(tmp_path):
    table, report = read_odk_submissions(_write(tmp_path, [KOBO_HEADER, *KOBO_ROWS]), TINY)
    expected = pd.DataFrame(
        [
            ("O1", "6f1c-aaaa", "direction", "a_scale", "2"),
            ("O1", "6f1c-aaaa", "direction", "a_single", "y"),
            ("O1", "6f1c-aaaa", "direction", "a_multi", "p|q"),
            ("O1", "6f1c-aaaa", "direction", "a_status.r1", "planned"),
            ("O1", "6f1c-aaaa", "direction", "a_status.r2", "generalised"),
            ("O1", "6f1c-aaaa", "direction", "b_mail", "40"),
            ("O1", "6f1c-aaaa", "direction", "b_sponsor", "yes"),
            ("O1", "77bb", "numerique", "a_multi", "none"),
            ("O1", "77bb", "numerique", "a_pct", "DK"),
        ],
        columns=["organisation_id", "respondent_id", "role", "item_id", "answer"],
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert report.matched == (
        "a_scale",
        "a_single",
        "a_multi",
        "a_status.r1",
        "a_status.r2",
        "a_pct",
        "b_mail",
        "b_sponsor",
    )
    assert report.unknown == ("extra_q",)
    assert report.missing == ("b_plan", "ctx_family", "ctx_feel", "ctx_comment")
    assert (report.submissions, report.answers) == (2, 9)
    # what was read scores as a responses file does
    scores = score_responses(TINY, table).to_file().organisations[0]
    assert scores.items["a_single"] == 30


def test_odk_central_split_columns_and_group_dashes(tmp_path):
    header = "SubmissionDate;role;organisation_id;A-a_multi/p;A-a_multi/q;A-a_multi/r;KEY"
    lines = [header, "2026;clientele;O2;1;0;1;uuid:abc-1", "2026;clientele;O2;0;0;0;uuid:abc-2"]
    table, report = read_odk_submissions(_write(tmp_path, lines), TINY)
    assert table.to_dict("records") == [
        {
            "organisation_id": "O2",
            "respondent_id": "abc-1",
            "role": "clientele",
            "item_id": "a_multi",
            "answer": "p|r",
        }
    ]
    assert report.matched == ("a_multi",)
    assert report.unknown == ()


def test_an_xlsx_export(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Submissions"
    for line in [KOBO_HEADER, *KOBO_ROWS]:
        sheet.append([cell if cell else None for cell in line.split(";")])
    sheet["P2"] = 40.0  # b_mail, as a number cell
    path = tmp_path / "subs.xlsx"
    workbook.save(path)
    table, report = read_odk_submissions(path, TINY)
    assert len(table) == 9
    assert table.loc[table["item_id"] == "b_mail", "answer"].tolist() == ["40"]
    assert report.unknown == ("extra_q",)


def test_every_problem_with_its_row_and_column(tmp_path):
    lines = [
        KOBO_HEADER,
        *KOBO_ROWS,
        "s;e;chef;O1;;;;;;;;;;;;;;;3;r3;t",  # no such role
        "s;e;direction;O 1;;;;;;;;;;;;;;;4;r4;t",  # not an identifier
        "s;e;direction;O1;;w;;;;;;;;50;;;;;5;r5;t",  # not an option; a_pct not asked
        "s;e;direction;O1;1;;;;;;;;;;;;;;6;6f1c-aaaa;t",  # the first submission again
    ]
    path = _write(tmp_path, lines)
    with pytest.raises(ResponsesError) as caught:
        read_odk_submissions(path, TINY)
    found = [(p.location, p.code) for p in caught.value.problems]
    name = str(path)
    assert found == [
        (f"{name}:4 column 'role'", "unknown_role"),
        (f"{name}:5 column 'organisation_id'", "invalid_identifier"),
        (f"{name}:6 column 'A/a_single'", "not_an_option"),
        (f"{name}:6 column 'A/a_pct'", "role_not_asked"),
        (f"{name}:7 column '_uuid'", "odk_duplicate_submission"),
    ]


def test_the_role_and_organisation_columns_are_required(tmp_path):
    path = _write(tmp_path, ["A/a_scale;_uuid", "2;r1"])
    with pytest.raises(ResponsesError) as caught:
        read_odk_submissions(path, TINY)
    assert [p.code for p in caught.value.problems] == ["odk_missing_column"] * 2


def test_respondent_identifiers_are_deterministic_identifiers():
    assert respondent_identifier("uuid:6f1c-11") == "6f1c-11"
    assert respondent_identifier("a b:c") == "a-b-c"
    long = respondent_identifier("x" * 100)
    assert long == respondent_identifier("x" * 100)
    assert long.startswith("s-") and len(long) == 34
    assert respondent_identifier("..").startswith("s-")


def _kobo_export(q, long: pd.DataFrame) -> pd.DataFrame:
    """A synthetic wave's responses written as Kobo writes a wide export of the form: one row
    per respondent, a column per question with its group path, select_multiple as
    space-separated names, NA / DK of numbers and texts in `ITEM__special`."""
    from barometre.interop.xlsform import special_name, xlsform_names

    names = xlsform_names(q)
    kinds = {item.id: item for item in q.items}
    wide: dict[str, dict[str, str]] = {}
    for row in long.itertuples(index=False):
        cells = wide.setdefault(
            row.respondent_id,
            {"_uuid": row.respondent_id, "role": row.role, "organisation_id": row.organisation_id},
        )
        item = kinds[row.item_id.split(".")[0]]
        group = item.dimension or ""
        name = names[row.item_id]
        special = special_name(item)
        if special and row.answer in ("NA", "DK"):
            cells[f"{group}/{special}" if group else special] = row.answer
        else:
            answer = row.answer.replace("|", " ") if item.kind == "multi" else row.answer
            cells[f"{group}/{name}" if group else name] = answer
    return pd.DataFrame(list(wide.values())).fillna("")


def test_a_synthetic_wave_exported_wide_comes_back_as_its_responses(tmp_path):
    from barometre.questionnaire import load_questionnaire
    from barometre.simulate import simulate_sector

    hlm = load_questionnaire("hlm-2026")
    long = simulate_sector(hlm, organisations=40, seed=5).responses  # synthetic
    long = long[long["answer"] != ""].astype(str).reset_index(drop=True)
    path = tmp_path / "kobo.csv"
    _kobo_export(hlm, long).to_csv(path, index=False, sep=";")
    table, report = read_odk_submissions(path, hlm)
    key = ["respondent_id", "item_id"]
    expected = long.sort_values(key).reset_index(drop=True)
    got = table.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False)
    assert report.unknown == ()
    assert report.answers == len(long)


# --- damaged workbooks, boolean cells -------------------------------------------------------


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "subs.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Submissions"
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_a_sheet_cut_in_half_is_a_problem_naming_the_sheet(tmp_path):
    from tests.interop.test_xlsform_defects import damaged

    path = _xlsx(tmp_path, [line.split(";") for line in [KOBO_HEADER, *KOBO_ROWS]])
    path.write_bytes(damaged(path.read_bytes()))
    with pytest.raises(ResponsesError) as caught:
        read_odk_submissions(path, TINY)
    [found] = caught.value.problems
    assert (found.location, found.code) == (f"{path} Submissions", "xlsform_damaged_sheet")


BOOLEAN_HEADER = [
    "role",  # A
    "organisation_id",  # B
    "A/a_multi/p",  # C
    "A/a_multi/q",  # D
    "A/a_multi/r",  # E
    "A/a_pct",  # F
    "_uuid",  # G
]


def test_booleans_are_ticks_in_split_choice_columns_only(tmp_path):
    rows = [
        BOOLEAN_HEADER,
        ["numerique", "O1", True, False, True, None, "u1"],  # a_multi p|r
        ["numerique", "O1", None, None, None, True, "u2"],  # TRUE is no percent
        ["numerique", False, None, None, None, 30, "u3"],  # FALSE is no organisation
    ]
    path = _xlsx(tmp_path, rows)
    with pytest.raises(ResponsesError) as caught:
        read_odk_submissions(path, TINY)
    found = [(p.location, p.code) for p in caught.value.problems]
    assert found == [
        (f"{path} Submissions!F3", "odk_boolean_cell"),
        (f"{path} Submissions!B4", "odk_boolean_cell"),
    ]
    assert "TRUE" in caught.value.problems[0].message
    table, _report = read_odk_submissions(_xlsx(tmp_path, rows[:2], "ok.xlsx"), TINY)
    assert table.to_dict("records") == [
        {
            "organisation_id": "O1",
            "respondent_id": "u1",
            "role": "numerique",
            "item_id": "a_multi",
            "answer": "p|r",
        }
    ]


_TICK = st.sampled_from([None, True, False, 1, 0])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["numerique", True]),
            st.sampled_from(["O1", False]),
            _TICK,
            _TICK,
            _TICK,
            st.sampled_from([None, 30, True, False]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_boolean_outside_a_choice_column_is_always_told(tmp_path, rows):
    sheet = [BOOLEAN_HEADER] + [[*row, f"u{n}"] for n, row in enumerate(rows)]
    path = _xlsx(tmp_path, sheet, "random.xlsx")
    # worked out from the rule: columns A, B and F (role, organisation, a_pct) refuse a
    # boolean; C to E (a_multi's choices) take it as a tick
    expected = [
        (f"{path} Submissions!{letter}{number}", "odk_boolean_cell")
        for number, row in enumerate(rows, start=2)
        for letter, cell in zip("ABF", (row[0], row[1], row[5]), strict=True)
        if isinstance(cell, bool)
    ]
    try:
        table, _report = read_odk_submissions(path, TINY)
    except ResponsesError as error:
        assert [(p.location, p.code) for p in error.problems] == expected
    else:
        assert expected == []
        ticked = [
            "|".join(code for code, cell in zip("pqr", row[2:5], strict=True) if cell)
            for row in rows
        ]
        multi = table.loc[table["item_id"] == "a_multi", "answer"].tolist()
        assert multi == [answer for answer in ticked if answer]
