"""Names and labels within SPSS's and Stata's limits, for any item ids and labels (property
tests): valid unique names of at most 64 bytes (32 for Stata), variable labels of at most 255
bytes (80 characters for Stata), value labels of at most 120 bytes, read back with pyreadstat.
The questionnaires drawn are synthetic."""

from __future__ import annotations

import re

import pyreadstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.interop.exports import WaveData, write_export
from barometre.interop.exports.names import (
    SPSS_NAME_BYTES,
    STATA_NAME_BYTES,
    base_name,
    truncate_bytes,
    truncate_characters,
    variable_names,
)
from barometre.questionnaire.models import Item, Localized, Option
from barometre.scoring import score_responses
from tests.helpers import responses, tiny_questionnaire

VALID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
RESERVED |= {"_n", "in", "if", "int", "long", "byte", "float", "double", "using", "strl"}


def assert_valid(names: list[str], limit: int) -> None:
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert VALID.match(name), name
        assert not name.endswith("_"), name
        assert len(name.encode("utf-8")) <= limit, name
        assert name.casefold() not in RESERVED, name


@given(st.lists(st.text(max_size=120), max_size=40), st.sampled_from([64, 32, 29]))
def test_any_keys_give_valid_unique_names_within_the_limit(keys, limit):
    names = variable_names(keys, limit)
    assert len(names) == len(keys)
    assert_valid(names, limit)
    assert variable_names(keys, limit) == names  # deterministic


def test_names_by_example():
    keys = ["loc_services.payment", "Loc_services_payment", "2fa", "with", "_x_"]
    assert variable_names(keys) == [
        "loc_services_payment",
        "Loc_services_payment_2",  # unique without regard to case, as SPSS compares them
        "v_2fa",
        "with_v",
        "x",
    ]
    assert base_name("é.è") == "v"
    assert variable_names(["a" * 70, "a" * 70], 64) == ["a" * 64, "a" * 62 + "_2"]


@given(st.text(max_size=400), st.integers(4, 300))
def test_labels_are_cut_within_their_bytes(text, limit):
    cut = truncate_bytes(text, limit)
    assert len(cut.encode("utf-8")) <= limit
    assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))
    short = truncate_characters(text, limit)
    assert len(short) <= limit


ITEM_IDS = st.from_regex(r"[A-Za-z0-9_-]{1,90}", fullmatch=True)
LABELS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300).filter(
    lambda s: s.strip() != ""
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ids=st.lists(ITEM_IDS, min_size=1, max_size=6, unique_by=str.casefold),
    label=LABELS,
    option_label=LABELS,
)
def test_sav_and_dta_keep_their_limits_for_any_questionnaire(tmp_path, ids, label, option_label):
    base = tiny_questionnaire()
    options = [
        Option(code="a", label=Localized(fr=option_label, en=option_label * 2), score=0),
        Option(code="b", label=Localized(fr="b"), score=100),
    ]
    items = [
        Item(
            id=f"q{n}_{item_id}",
            kind="single",
            dimension="A",
            roles=["direction"],
            label=Localized(fr=label),
            options=options,
        )
        for n, item_id in enumerate(ids)
    ]
    questionnaire = base.model_copy(update={"items": [*base.items, *items]})
    rows = [("O1", "O1-r1", "direction", item.id, "a") for item in items]
    table = responses(rows)
    scores = score_responses(questionnaire, table).to_file()
    data = WaveData(questionnaire=questionnaire, scores=scores, responses=table, pseudonym_key=b"k")
    sav, dta = tmp_path / "r.sav", tmp_path / "r.dta"
    write_export(data, "responses", "sav", sav)
    write_export(data, "responses", "dta", dta, language="en")
    frame, meta = pyreadstat.read_sav(sav)
    assert_valid(list(frame.columns), SPSS_NAME_BYTES)
    assert all(len(v.encode()) <= 255 for v in meta.column_names_to_labels.values() if v)
    for labels in meta.variable_value_labels.values():
        assert all(len(text.encode()) <= 120 for text in labels.values())
    frame, meta = pyreadstat.read_dta(dta)
    assert_valid(list(frame.columns), STATA_NAME_BYTES)
    assert all(len(v) <= 80 for v in meta.column_names_to_labels.values() if v)
    # The original item id stays in the label (cut only when the label is too long).
    first = f"q0_{ids[0]}"
    assert any(v.startswith(f"[{first}]"[:70]) for v in meta.column_names_to_labels.values())
