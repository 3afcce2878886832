"""Exports of a wave (docs/exports.md), read back with the tool each format is made for:
pyreadstat for .sav and .dta (variable labels, value labels, user-missing NA/DK), openpyxl for
the workbook and its codebook, pyarrow for Parquet, the csv module for both CSVs.

The tiny wave below is synthetic, written for hand computation (questionnaire `tests.helpers.
TINY`): its expected cells are worked out in the comments, not read from the code.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.errors import ArgumentError, Code, ComparabilityError, ResponsesError
from barometre.interop.exports import (
    FORMAT_SUFFIX,
    FORMATS,
    PARQUET_CODEBOOK_KEY,
    Codebook,
    ExportError,
    WaveData,
    available_tables,
    build_tables,
    pseudonym,
    write_export,
    writers,
)
from barometre.interop.exports.codebook import SCHEMA_PATH, MissingCode, schema_text
from barometre.scoring import score_responses
from tests.helpers import ROOT, responses, tiny_questionnaire
from tests.strategies import organisation_rows

Q = tiny_questionnaire()
KEY = b"synthetic test key"
# Respondent ids chosen so that a leak is easy to find in the bytes of a file.
ALICE, BRUNO, CLARA = "secret-alice", "secret-bruno", "secret-clara"
ROWS = [
    # O1, Alice (direction)
    ("O1", ALICE, "direction", "a_scale", "3"),  # codes 0-4 are whole numbers: written 3
    ("O1", ALICE, "direction", "a_multi", "p|q"),  # p 1, q 1, r 0, none 0
    ("O1", ALICE, "direction", "a_status.r1", "planned"),  # ladder order: 2nd option → 2
    ("O1", ALICE, "direction", "b_mail", "NA"),  # not applicable → -1
    ("O1", ALICE, "direction", "ctx_comment", "Très bien; merci"),
    # O1, Bruno (numerique)
    ("O1", BRUNO, "numerique", "a_pct", "12,5"),  # decimal comma read: 12.5
    ("O1", BRUNO, "numerique", "a_multi", "DK"),  # don't know → -2 in every option column
    ("O1", BRUNO, "numerique", "b_sponsor", ""),  # unanswered → empty
    # O2, Clara (direction)
    ("O2", CLARA, "direction", "a_single", "z"),  # codes x, y, z → 1, 2, 3: z is 3
    ("O2", CLARA, "direction", "a_multi", "none"),  # the exclusive option alone: none 1
    ("O2", CLARA, "direction", "b_plan", "draft"),  # none, draft, done → 2
]
TABLE = responses(ROWS)
SCORES = score_responses(Q, TABLE).to_file()


def wave(**changes) -> WaveData:
    return WaveData(
        **{
            "questionnaire": Q,
            "scores": SCORES,
            "responses": TABLE,
            "pseudonym_key": KEY,
            **changes,
        }
    )


def by_respondent(frame: pd.DataFrame, respondent_id: str) -> pd.Series:
    rows = frame[frame["respondent"] == pseudonym(respondent_id, KEY)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_wide_csv_has_one_row_per_respondent_coded_by_hand(tmp_path):
    out = tmp_path / "r.csv"
    summary = write_export(wave(), "responses", "csv", out)
    frame = pd.read_csv(out)
    assert summary.rows == 3 and len(frame) == 3
    # 3 identifying columns, then a_scale, a_single, a_multi x 4 options, a_status x 2 rows,
    # a_pct, b_mail, b_sponsor, b_plan, ctx_family, ctx_feel, ctx_comment: 3 + 15 = 18.
    assert summary.columns == 18 == len(frame.columns)
    alice = by_respondent(frame, ALICE)
    assert alice["organisation_id"] == "O1"
    assert alice["role"] == 1  # direction is the first role
    assert alice["a_scale"] == 3
    assert [alice[f"a_multi_{o}"] for o in ("p", "q", "r", "none")] == [1, 1, 0, 0]
    assert alice["a_status_r1"] == 2
    assert pd.isna(alice["a_status_r2"])
    assert alice["b_mail"] == -1
    assert alice["ctx_comment"] == "Très bien; merci"
    bruno = by_respondent(frame, BRUNO)
    assert bruno["role"] == 2
    assert bruno["a_pct"] == 12.5
    assert [bruno[f"a_multi_{o}"] for o in ("p", "q", "r", "none")] == [-2, -2, -2, -2]
    assert pd.isna(bruno["b_sponsor"])
    clara = by_respondent(frame, CLARA)
    assert (clara["a_single"], clara["a_multi_none"], clara["b_plan"]) == (3, 1, 2)


def test_the_long_table_keeps_the_answers_as_stored_without_the_empty_ones(tmp_path):
    out = tmp_path / "long.csv"
    write_export(wave(), "responses-long", "csv", out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["organisation_id", "respondent", "role", "field_id", "answer"]
    assert len(frame) == len(ROWS) - 1  # Bruno's empty b_sponsor is no answer
    bruno = frame[frame["respondent"] == pseudonym(BRUNO, KEY)]
    assert dict(zip(bruno["field_id"], bruno["answer"], strict=True)) == {
        "a_multi": "DK",
        "a_pct": "12,5",
    }


def test_item_and_organisation_tables_by_hand(tmp_path):
    out = tmp_path / "items.csv"
    write_export(wave(), "items", "csv", out)
    items = pd.read_csv(out).set_index("organisation_id")
    # O1 a_multi: Alice ticked p (weight 2) and q (1) of p, q, r: 3 / 4 = 75; Bruno DK.
    assert items.loc["O1", "a_multi"] == 75
    # O1 a_scale: 3 on a 0-4 linear scale = 75; O2 a_multi: "none" is worth 0.
    assert items.loc["O1", "a_scale"] == 75
    assert items.loc["O2", "a_multi"] == 0
    # O2 b_plan: draft is worth 40.
    assert items.loc["O2", "b_plan"] == 40
    write_export(wave(), "organisations", "csv", tmp_path / "o.csv")
    organisations = pd.read_csv(tmp_path / "o.csv").set_index("organisation_id")
    assert organisations.loc["O1", "n_respondents"] == 2
    assert organisations.loc["O1", "n_direction"] == 1
    assert organisations.loc["O1", "n_numerique"] == 1
    assert organisations.loc["O2", "n_respondents"] == 1


def test_the_french_csv_opens_in_french_excel(tmp_path):
    out = tmp_path / "r.csv"
    write_export(wave(), "responses", "csv-fr", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    bruno = next(r for r in rows if r["respondent"] == pseudonym(BRUNO, KEY))
    assert bruno["a_pct"] == "12,5"
    alice = next(r for r in rows if r["respondent"] == pseudonym(ALICE, KEY))
    assert alice["ctx_comment"] == "Très bien; merci"  # quoted: it holds the separator
    assert alice["b_mail"] == "-1"


def test_sav_has_labels_value_labels_and_user_missing_values(tmp_path):
    out = tmp_path / "r.sav"
    write_export(wave(), "responses", "sav", out)
    frame, meta = pyreadstat.read_sav(out, user_missing=True)
    labels = meta.column_names_to_labels
    assert labels["a_multi_p"] == "[a_multi.p] Cases — p"
    assert labels["a_status_r1"] == "[a_status.r1] Tableau — r1"
    assert meta.variable_value_labels["a_single"] == {
        1.0: "x",
        2.0: "y",
        3.0: "z",
        -1.0: "sans objet",
        -2.0: "ne sait pas",
    }
    assert meta.variable_value_labels["a_status_r1"][2.0] == "Prévu"
    assert {"lo": -1.0, "hi": -1.0} in meta.missing_ranges["b_mail"]
    assert {"lo": -2.0, "hi": -2.0} in meta.missing_ranges["a_multi_p"]
    assert by_respondent(frame, ALICE)["b_mail"] == -1
    # Read as SPSS analyses it, a user-missing value is missing.
    plain, _ = pyreadstat.read_sav(out)
    assert pd.isna(by_respondent(plain, ALICE)["b_mail"])
    assert pd.isna(by_respondent(plain, BRUNO)["a_multi_p"])
    assert by_respondent(plain, ALICE)["a_multi_p"] == 1


def test_sav_labels_in_english(tmp_path):
    out = tmp_path / "o.sav"
    write_export(wave(), "organisations", "sav", out, language="en")
    _, meta = pyreadstat.read_sav(out)
    assert meta.column_names_to_labels["n_respondents"] == "[n_respondents] Number of respondents"
    assert meta.variable_value_labels["family"][1.0] == "Pioneer (pionnier)"


def test_dta_has_labels_and_extended_missing_values(tmp_path):
    out = tmp_path / "r.dta"
    write_export(wave(), "responses", "dta", out)
    frame, meta = pyreadstat.read_dta(out, user_missing=True)
    assert all(len(name) <= 32 for name in frame.columns)
    assert meta.column_names_to_labels["a_multi_p"] == "[a_multi.p] Cases — p"
    assert by_respondent(frame, ALICE)["b_mail"] == "a"  # .a: not applicable
    assert by_respondent(frame, BRUNO)["a_multi_q"] == "b"  # .b: don't know
    assert meta.missing_user_values["b_mail"] == ["a"]
    labels = meta.value_labels[meta.variable_to_label["a_single"]]
    assert labels[3] == "z"
    plain, _ = pyreadstat.read_dta(out)
    assert pd.isna(by_respondent(plain, ALICE)["b_mail"])


def test_dta_writes_a_column_that_opens_with_a_hundred_missing_codes(tmp_path):
    """pyreadstat (through narwhals) types an object column by its first 100 non-empty
    cells: when all of them are Stata missing codes ('a'), it took the column for text and
    failed on the first number (`'float' object has no attribute 'encode'`). Synthetic wave:
    100 respondents of O1 answer b_mail "not applicable", then one of O2 answers 40 (the
    wide table orders respondents by organisation, so O2's comes 101st)."""
    rows = [("O1", f"r{n:03d}", "direction", "b_mail", "NA") for n in range(100)]
    rows.append(("O2", "r100", "direction", "b_mail", "40"))
    table = responses(rows)
    data = WaveData(
        questionnaire=Q,
        scores=score_responses(Q, table).to_file(),
        responses=table,
        pseudonym_key=KEY,
    )
    out = tmp_path / "r.dta"
    write_export(data, "responses", "dta", out)
    frame, meta = pyreadstat.read_dta(out, user_missing=True)
    assert frame["b_mail"].tolist() == ["a"] * 100 + [40]
    assert meta.missing_user_values["b_mail"] == ["a"]
    assert meta.readstat_variable_types["b_mail"] == "double"
    labels = meta.value_labels[meta.variable_to_label["b_mail"]]
    assert labels["a"] == "sans objet"
    plain, _ = pyreadstat.read_dta(out)
    assert plain["b_mail"].isna().sum() == 100
    assert plain["b_mail"].iloc[-1] == 40
    # a column with no number at all (only codes and empty cells) is still numeric
    assert meta.readstat_variable_types["a_pct"] == "double"


@settings(max_examples=25, deadline=None)
@given(
    cells=st.lists(
        st.one_of(
            st.sampled_from([-1.0, -2.0, float("nan")]),
            st.integers(min_value=-(10**6), max_value=10**6).map(float),
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=250,
    ),
    leading=st.integers(min_value=0, max_value=150),
)
def test_any_numeric_column_with_missing_codes_round_trips_through_stata(
    cells, leading, tmp_path_factory
):
    """Whatever the cells, and however many missing codes lead the column: read back, each
    number is itself, -1 is .a, -2 is .b and an empty cell is empty (synthetic values)."""
    floats = np.array([-1.0] * leading + cells)
    missing = [
        MissingCode(answer="NA", code=-1, stata="a", label_fr="sans objet", label_en="n/a"),
        MissingCode(answer="DK", code=-2, stata="b", label_fr="ne sait pas", label_en="DK"),
    ]
    out = tmp_path_factory.mktemp("dta") / "x.dta"
    frame = pd.DataFrame({"x": writers._stata_cells(floats, missing)})
    pyreadstat.write_dta(frame, str(out), missing_user_values={"x": ["a", "b"]})
    back, _meta = pyreadstat.read_dta(out, user_missing=True)
    expected = ["a" if v == -1 else "b" if v == -2 else None if np.isnan(v) else v for v in floats]
    got = [None if isinstance(v, float) and np.isnan(v) else v for v in back["x"]]
    assert got == expected


def test_parquet_carries_its_codebook(tmp_path):
    out = tmp_path / "r.parquet"
    write_export(wave(), "responses", "parquet", out)
    table = pq.read_table(out)
    codebook = Codebook.model_validate_json(table.schema.metadata[PARQUET_CODEBOOK_KEY])
    assert codebook.table == "responses"
    assert [c.name for c in codebook.columns] == table.column_names
    column = next(c for c in codebook.columns if c.key == "a_multi.none")
    assert (column.item, column.option, column.kind) == ("a_multi", "none", "dichotomy")
    assert [(m.answer, m.code) for m in column.missing] == [("NA", -1), ("DK", -2)]
    field = table.schema.field("a_single")
    assert field.metadata[b"label"].decode() == "Choix"
    frame = table.to_pandas()
    assert by_respondent(frame, CLARA)["a_single"] == 3
    assert str(table.schema.field("a_single").type) == "int64"


def test_the_workbook_has_every_table_a_codebook_and_a_read_me(tmp_path):
    out = tmp_path / "wave.xlsx"
    summary = write_export(wave(), None, "xlsx", out)
    assert summary.tables == ("organisations", "items", "responses", "responses-long")
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [
        "lisez-moi readme",
        "organisations",
        "items",
        "responses",
        "responses-long",
        "codebook",
    ]
    rows = list(book["codebook"].values)
    header = rows[0]
    entries = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    single = next(e for e in entries if e["table"] == "responses" and e["key"] == "a_single")
    assert single["label_fr"] == "Choix"
    assert "3 = z: z / z" in single["values"]
    assert "-1 = NA" in single["missing"]
    sheet = list(book["responses"].values)
    assert len(sheet) == 4  # a header and three respondents
    readme = [r[0] for r in book["lisez-moi readme"].values if r and r[0]]
    assert any("pseudonym" in line for line in readme)


def test_pseudonyms_are_stable_and_no_respondent_id_leaves(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        for fmt in FORMATS:
            for table in ("responses", "responses-long"):
                write_export(wave(), table, fmt, folder / f"{table}.{fmt}{FORMAT_SUFFIX[fmt]}")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
        raw = path.read_bytes()
        for secret in (ALICE, BRUNO, CLARA, "secret"):
            assert secret.encode() not in raw, path.name
    book = openpyxl.load_workbook(first / "responses.xlsx.xlsx", read_only=True)
    cells = {str(c) for row in book["responses"].values for c in row}
    assert pseudonym(ALICE, KEY) in cells and ALICE not in cells
    other = tmp_path / "other.csv"
    write_export(
        WaveData(questionnaire=Q, scores=SCORES, responses=TABLE, pseudonym_key=b"another key"),
        "responses",
        "csv",
        other,
    )
    assert pseudonym(ALICE, KEY) not in other.read_text()


def test_a_referent_export_holds_only_its_organisation(tmp_path):
    data = wave(organisations=frozenset({"O2"}))
    for table in available_tables(data):
        out = tmp_path / f"{table}.csv"
        write_export(data, table, "csv", out)
        frame = pd.read_csv(out, dtype=str)
        assert set(frame["organisation_id"]) == {"O2"}, table
    assert "O1" not in (tmp_path / "responses-long.csv").read_text()


def test_bad_requests_list_every_problem_and_write_nothing(tmp_path):
    out = tmp_path / "x.csv"
    with pytest.raises(ExportError) as one_table:
        write_export(wave(), None, "csv", out)
    assert [p.code for p in one_table.value.problems] == [Code.EXPORT_ONE_TABLE]
    no_responses = WaveData(questionnaire=Q, scores=SCORES, pseudonym_key=KEY)
    with pytest.raises(ExportError) as needs:
        write_export(no_responses, "responses", "sav", out)
    assert [p.code for p in needs.value.problems] == [Code.EXPORT_NEEDS_RESPONSES]
    with pytest.raises(ExportError) as unknown:
        write_export(wave(organisations=frozenset({"O9", "O8"})), "items", "csv", out)
    assert [p.message for p in unknown.value.problems] == [
        "organisation 'O8' is not in the scores file",
        "organisation 'O9' is not in the scores file",
    ]
    with pytest.raises(ExportError) as estimates:
        write_export(wave(), "estimates", "csv", out)
    assert [p.code for p in estimates.value.problems] == [Code.EXPORT_NEEDS_ESTIMATES]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bad_responses_are_refused_with_their_lines(tmp_path):
    bad = responses([*ROWS, ("O2", CLARA, "direction", "a_scale", "9")])
    out = tmp_path / "x.sav"
    with pytest.raises(ResponsesError) as error:
        write_export(
            WaveData(questionnaire=Q, scores=SCORES, responses=bad, pseudonym_key=KEY),
            "responses",
            "sav",
            out,
        )
    # The header is line 1: the added row is line len(ROWS) + 2.
    assert [(p.location, p.code) for p in error.value.problems] == [
        (f"export:{len(ROWS) + 2}", Code.NOT_AN_OPTION)
    ]
    other_wave = responses([*ROWS, ("O3", "someone", "direction", "a_single", "x")])
    with pytest.raises(ExportError) as error:
        write_export(
            WaveData(questionnaire=Q, scores=SCORES, responses=other_wave, pseudonym_key=KEY),
            "responses",
            "csv",
            out,
        )
    assert [p.code for p in error.value.problems] == [Code.EXPORT_RESPONSES_OTHER_WAVE]
    assert list(tmp_path.iterdir()) == []


def test_scores_of_another_questionnaire_are_refused(tmp_path):
    other = tiny_questionnaire().model_copy(update={"version": "2"})
    with pytest.raises(ComparabilityError):
        write_export(
            WaveData(questionnaire=other, scores=SCORES, pseudonym_key=KEY),
            "items",
            "csv",
            tmp_path / "x.csv",
        )
    assert list(tmp_path.iterdir()) == []


def test_a_table_longer_than_an_excel_sheet_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 6)  # a header and 5 rows
    out = tmp_path / "x.xlsx"
    with pytest.raises(ExportError) as error:
        write_export(wave(), None, "xlsx", out)
    assert [p.message for p in error.value.problems] == [
        "the table 'responses-long' has 10 rows, more than the 5 rows of an Excel sheet; "
        "export it as CSV or Parquet, or choose another table"
    ]
    assert not out.exists()
    write_export(wave(), "responses", "xlsx", out)  # 3 rows fit
    assert out.exists()


def test_progress_reaches_the_total(tmp_path):
    calls: list[tuple[int, int]] = []
    write_export(
        wave(), "responses-long", "csv", tmp_path / "x.csv", progress=lambda *a: calls.append(a)
    )
    assert calls[-1] == (10, 10)
    assert all(done <= total for done, total in calls)


def test_the_codebook_json_round_trips(tmp_path):
    out = tmp_path / "o.parquet"
    write_export(wave(), "organisations", "parquet", out)
    raw = pq.read_schema(out).metadata[PARQUET_CODEBOOK_KEY]
    codebook = Codebook.model_validate_json(raw)
    assert json.loads(codebook.dumps()) == json.loads(raw)
    level = next(c for c in codebook.columns if c.key == "level")
    assert [v.value for v in level.values] == ["tres_faible", "faible", "intermediaire", "avancee"]


def test_the_workbook_escapes_text_and_drops_what_xml_cannot_hold(tmp_path):
    rows = [*ROWS, ("O2", CLARA, "direction", "ctx_comment", 'a<b & "c">\x01d')]
    data = WaveData(questionnaire=Q, scores=SCORES, responses=responses(rows), pseudonym_key=KEY)
    out = tmp_path / "r.xlsx"
    write_export(data, "responses", "xlsx", out)
    frame = pd.read_excel(out, sheet_name="responses")
    assert by_respondent(frame, CLARA)["ctx_comment"] == 'a<b & "c">d'
    assert by_respondent(frame, ALICE)["ctx_comment"] == "Très bien; merci"
    assert pd.isna(by_respondent(frame, ALICE)["a_status_r2"])  # an empty cell keeps its place
    assert by_respondent(frame, ALICE)["b_mail"] == -1


def test_parquet_and_workbook_cells_hold_no_respondent_id(tmp_path):
    for fmt in ("parquet", "xlsx"):
        out = tmp_path / f"long{FORMAT_SUFFIX[fmt]}"
        write_export(wave(), "responses-long", fmt, out)
        frame = (
            pq.read_table(out).to_pandas()
            if fmt == "parquet"
            else pd.read_excel(out, sheet_name="responses-long", dtype=str)
        )
        cells = set(frame.astype(str).to_numpy().ravel())
        assert not cells & {ALICE, BRUNO, CLARA}
        assert pseudonym(CLARA, KEY) in cells


def test_an_empty_pseudonym_key_is_refused(tmp_path):
    with pytest.raises(ArgumentError):
        write_export(wave(pseudonym_key=b""), "responses", "csv", tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=30, deadline=None)
@given(organisation_rows(organisations=2))
def test_the_wide_table_decodes_back_to_the_answers(rows):
    """Any valid answers of the tiny questionnaire: every wide cell, decoded with the
    codebook, gives back the answer as stored in the long table, and nothing else is set."""
    table = responses(rows)
    scores = score_responses(Q, table).to_file()
    data = WaveData(questionnaire=Q, scores=scores, responses=table, pseudonym_key=KEY)
    wide, long = build_tables(data, ["responses", "responses-long"])
    columns = {c.key: c for c in wide.columns}
    frame = wide.frame.set_index("respondent")
    seen: set[tuple[str, str]] = set()
    for respondent, field, answer in zip(
        long.frame["respondent"], long.frame["field_id"], long.frame["answer"], strict=True
    ):
        keys = [k for k in columns if k == field or k.startswith(f"{field}.")]
        keys = [k for k in keys if columns[k].item == field.split(".")[0]]
        cells = {k: frame.at[respondent, k] for k in keys}
        seen |= {(respondent, k) for k in keys}
        if answer in ("NA", "DK"):
            code = -1 if answer == "NA" else -2
            assert set(cells.values()) == {code}
        elif columns[keys[0]].kind == "dichotomy":
            ticked = {columns[k].option for k, v in cells.items() if v == 1}
            assert ticked == set(answer.split("|"))
            assert set(cells.values()) <= {0, 1}
        elif columns[keys[0]].kind == "code":
            (value,) = cells.values()
            assert [v.value for v in columns[keys[0]].values if v.code == value] == [answer]
        else:
            (value,) = cells.values()
            assert value == float(answer.replace(",", "."))
    for respondent in frame.index:
        for key, column in columns.items():
            if column.item is not None and (respondent, key) not in seen:
                assert pd.isna(frame.at[respondent, key])


def test_the_committed_codebook_schema_is_the_models():
    committed = (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), "run python -m barometre.interop.exports.codebook"


def _timestamps(path):
    """What a file says of its time of writing: the .sav header's creation date and time, the
    .dta header's `<timestamp>`, the workbook's core properties and its ZIP entries' dates."""
    import zipfile

    raw = path.read_bytes()
    if path.suffix == ".sav":
        return raw[92:109]  # SPSS header: date 'dd mmm yy' at 92, time 'hh:mm:ss' at 101
    if path.suffix == ".dta":
        at = raw.index(b"<timestamp>") + len(b"<timestamp>")
        return raw[at : at + 18]  # a length byte (17), then 'dd Mon yyyy hh:mm'
    with zipfile.ZipFile(path) as book:
        core = book.read("docProps/core.xml")
        return (
            [i.date_time for i in book.infolist()],
            [i.filename for i in book.infolist()],
            openpyxl.load_workbook(path, read_only=True).properties.created,
            b"1980-01-01T00:00:00Z</dcterms:modified>" in core,
        )


def test_every_format_gives_the_same_bytes_and_a_fixed_time_of_writing(tmp_path):
    """Same inputs, same outputs: two runs give identical bytes in every format, and the time
    of writing in the .sav, .dta and .xlsx headers (the clock's, left to readstat and
    openpyxl) is the documented constant, 1980-01-01 00:00, whatever the time of the run."""
    import datetime as dt

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        for fmt in FORMATS:
            write_export(wave(), "responses", fmt, folder / f"r.{fmt}{FORMAT_SUFFIX[fmt]}")
        write_export(wave(), None, "xlsx", folder / "all.xlsx")
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    assert _timestamps(first / "r.sav.sav") == b"01 Jan 8000:00:00"
    assert _timestamps(first / "r.dta.dta") == b"\x1101 Jan 1980 00:00"
    dates, names, created, modified = _timestamps(first / "all.xlsx")
    assert set(dates) == {(1980, 1, 1, 0, 0, 0)}
    assert names == sorted(names) and names[0] == "[Content_Types].xml"
    assert created == dt.datetime(1980, 1, 1) and modified
    # Each still opens in its tool.
    assert pyreadstat.read_sav(first / "r.sav.sav")[0].shape[0] == 3
    assert pyreadstat.read_dta(first / "r.dta.dta")[0].shape[0] == 3
    assert "responses" in openpyxl.load_workbook(first / "all.xlsx").sheetnames


TEXT_ROWS = [
    *ROWS,
    ("O1", BRUNO, "numerique", "ctx_comment", "NA"),
    ("O2", CLARA, "direction", "ctx_comment", "DK"),
]


def _text_wave() -> WaveData:
    table = responses(TEXT_ROWS)
    return wave(responses=table, scores=score_responses(Q, table).to_file())


def test_sav_declares_na_and_dk_user_missing_in_a_text_field(tmp_path):
    out = tmp_path / "r.sav"
    write_export(_text_wave(), "responses", "sav", out)
    frame, meta = pyreadstat.read_sav(out, user_missing=True)
    assert meta.missing_ranges["ctx_comment"] == [
        {"lo": "NA", "hi": "NA"},
        {"lo": "DK", "hi": "DK"},
    ]
    assert by_respondent(frame, BRUNO)["ctx_comment"] == "NA"
    assert by_respondent(frame, CLARA)["ctx_comment"] == "DK"
    plain, _ = pyreadstat.read_sav(out)  # as SPSS analyses it: missing
    assert pd.isna(by_respondent(plain, BRUNO)["ctx_comment"])
    assert pd.isna(by_respondent(plain, CLARA)["ctx_comment"])
    assert by_respondent(plain, ALICE)["ctx_comment"] == "Très bien; merci"
    # identifiers are text but no answer: nothing declared
    assert "respondent" not in meta.missing_ranges


def test_dta_keeps_na_and_dk_as_text_in_a_text_field(tmp_path):
    """Stata has no missing value for a string: the text says NA / DK (docs/exports.md)."""
    out = tmp_path / "r.dta"
    write_export(_text_wave(), "responses", "dta", out)
    frame, meta = pyreadstat.read_dta(out, user_missing=True)
    assert by_respondent(frame, BRUNO)["ctx_comment"] == "NA"
    assert by_respondent(frame, CLARA)["ctx_comment"] == "DK"
    assert "ctx_comment" not in meta.missing_user_values


def test_sav_measures_ordered_answers_as_ordinal(tmp_path):
    """tests/helpers.py: a_scale, b_plan, ctx_feel are scales and a_status a status table
    (ordered: ordinal); a_single, ctx_family single, b_sponsor yesno, a_multi options and
    role codes without order (nominal); a_pct, b_mail numbers (scale); text nominal."""
    out = tmp_path / "r.sav"
    write_export(wave(), "responses", "sav", out)
    _, meta = pyreadstat.read_sav(out)
    measure = meta.variable_measure
    ordinal = {"a_scale", "b_plan", "ctx_feel", "a_status_r1", "a_status_r2"}
    nominal = {"a_single", "ctx_family", "b_sponsor", "role", "ctx_comment", "respondent"}
    nominal |= {f"a_multi_{o}" for o in ("p", "q", "r", "none")}
    assert {n for n, m in measure.items() if m == "ordinal"} == ordinal
    assert {n for n in nominal if measure[n] == "nominal"} == nominal
    assert measure["a_pct"] == measure["b_mail"] == "scale"
    organisations = tmp_path / "o.sav"
    write_export(wave(), "organisations", "sav", organisations)
    _, meta = pyreadstat.read_sav(organisations)
    assert meta.variable_measure["n_respondents"] == "scale"
    assert meta.variable_measure["family"] == "nominal"


@settings(max_examples=30, deadline=None)
@given(
    label=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80),
    version=st.sampled_from([13, 14, 15]),  # Stata 13, 14, 15: .dta releases 117, 118, 119
)
def test_the_stata_timestamp_is_fixed_whatever_the_file_label(label, version, tmp_path_factory):
    """The header is walked by its lengths: a file label that holds `<timestamp>` (or any
    text) does not move the fixed date (synthetic labels)."""
    if version == 13:  # a release 117 label is not Unicode
        label = label.encode("ascii", "ignore").decode()
    label = label + " </label><timestamp>\x1101 Dec 2026 10:00"[: 80 - len(label)]
    out = tmp_path_factory.mktemp("dta") / "x.dta"
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    pyreadstat.write_dta(frame, str(out), file_label=label, version=version)
    writers._fix_dta_timestamp(out)
    raw = out.read_bytes()
    at = raw.index(b"</label><timestamp>\x11", raw.index(b"<label>") + len(label.encode()))
    assert raw[at + 20 : at + 37] == b"01 Jan 1980 00:00"
    back, meta = pyreadstat.read_dta(out)
    assert meta.file_label == label
    assert back["x"].tolist() == [1.0, 2.0]
