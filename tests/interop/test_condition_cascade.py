"""Conditions that cascade in the interchange formats (SurveyJS, XLSForm).

In the questionnaire, an item whose condition names an item not shown is not shown either:
the answer of a question not shown counts as unanswered (`questionnaire/relevance.py`).
SurveyJS's `visibleIf` sees a hidden question's answer until the survey is completed, unless
the survey clears it as soon as it is hidden (`clearInvisibleValues: "onHidden"`): the form
says so, and reading it back leaves the setting out (docs/surveyjs.md). ODK evaluates a
non-relevant question as blank: the XLSForm `relevant` is the item's own (docs/xlsform.md).

`CHAIN`, read as a respondent meets it (a synthetic questionnaire):
  a   yesno, every respondent
  b   single b1 / b2, shown when a = yes
  c   multi c1, c2, c3, shown when b is b1 or b2 (so never when b is not shown: a cascade)
  d   scale 0-2, shown when c has c2 ticked (a chain a -> b -> c -> d)
  e   single e1 / e2, every respondent; its option e2 only when b = b2 (an option whose
      condition names an item that a hides)
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from barometre.errors import Code, ResponsesError
from barometre.interop.odk_submissions import read_odk_submissions
from barometre.interop.surveyjs import parse_surveyjs, surveyjs_text
from barometre.interop.surveyjs_results import surveyjs_results
from barometre.interop.xlsform import parse_xlsform, xlsform_bytes
from barometre.questionnaire import parse_questionnaire
from barometre.questionnaire.relevance import relevance_rules, shown_for

CHAIN = """
id: chain
version: "1"
title: {fr: Conditions en cascade}
roles:
  - {code: dg, label: {fr: Direction}}
dimensions:
  - {id: d1, label: {fr: Site}}
  - {id: d2, label: {fr: Pilotage}}
items:
  - {id: a, kind: yesno, dimension: d1, axis: tech, roles: [dg], label: {fr: A}}
  - id: b
    kind: single
    dimension: d1
    axis: tech
    roles: [dg]
    relevant: {item: a, in: ["yes"]}
    label: {fr: B}
    options:
      - {code: b1, label: {fr: B1}, score: 0}
      - {code: b2, label: {fr: B2}, score: 100}
  - id: c
    kind: multi
    dimension: d1
    axis: tech
    roles: [dg]
    relevant: {item: b, in: [b1, b2]}
    label: {fr: C}
    options:
      - {code: c1, label: {fr: C1}}
      - {code: c2, label: {fr: C2}}
      - {code: c3, label: {fr: C3}}
  - id: d
    kind: scale
    dimension: d2
    axis: transfo
    roles: [dg]
    relevant: {item: c, in: [c2]}
    label: {fr: D}
    options:
      - {code: "0", label: {fr: Jamais}}
      - {code: "1", label: {fr: Parfois}}
      - {code: "2", label: {fr: Toujours}}
  - id: e
    kind: single
    dimension: d2
    axis: transfo
    roles: [dg]
    label: {fr: E}
    options:
      - {code: e1, label: {fr: E1}, score: 0}
      - {code: e2, label: {fr: E2}, score: 100, relevant: {item: b, in: [b2]}}
"""

QUESTIONNAIRE = parse_questionnaire(CHAIN, "chain")


def elements(form: dict) -> dict[str, dict]:
    return {e["name"]: e for page in form["pages"] for e in page["elements"]}


def choice(question: dict, value: str) -> dict:
    [found] = [c for c in question["choices"] if c["value"] == value]
    return found


# --- the cascade the forms must give ------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "hidden_items", "hidden_options"),
    [
        # a = no hides b; c names b, d names c: hidden too, whatever was answered before
        ({"a": "no", "b": "b2", "c": "c2", "d": "1", "e": "e2"}, {"b", "c", "d"}, {"e": {"e2"}}),
        # a = yes, b = b2: everything shown
        ({"a": "yes", "b": "b2", "c": "c2", "d": "1", "e": "e2"}, set(), {}),
        # b = b1: c shown; c without c2 hides d; e2 hidden (b is not b2)
        ({"a": "yes", "b": "b1", "c": "c1|c3"}, {"d"}, {"e": {"e2"}}),
        # a unanswered: b, c, d and e2 hidden (an unanswered condition item meets no condition)
        ({}, {"b", "c", "d"}, {"e": {"e2"}}),
    ],
)
def test_the_questionnaire_cascades(answers, hidden_items, hidden_options):
    shown = shown_for(relevance_rules(QUESTIONNAIRE), answers)
    assert set(shown.hidden_items) == hidden_items
    assert {k: set(v) for k, v in shown.hidden_options.items()} == hidden_options


# --- SurveyJS -----------------------------------------------------------------------------


def test_the_surveyjs_form_clears_a_hidden_answer_at_once():
    form = json.loads(surveyjs_text(QUESTIONNAIRE))
    # SurveyJS's default ("onComplete") lets a visibleIf see a hidden question's answer until
    # the survey is completed: b answered, then a changed to no, would still show c
    assert form["clearInvisibleValues"] == "onHidden"
    questions = elements(form)
    # each condition stays the item's own: clearing b when it hides makes {b} empty for c
    assert "visibleIf" not in questions["a"]
    assert questions["b"]["visibleIf"] == "{a} = 'yes'"
    assert questions["c"]["visibleIf"] == "{b} anyof ['b1', 'b2']"
    assert questions["d"]["visibleIf"] == "{c} contains 'c2'"
    assert "visibleIf" not in questions["e"]
    assert choice(questions["e"], "e2")["visibleIf"] == "{b} = 'b2'"
    assert "visibleIf" not in choice(questions["e"], "e1")


def test_the_surveyjs_round_trip_is_the_same_questionnaire():
    form = json.loads(surveyjs_text(QUESTIONNAIRE))
    assert parse_surveyjs(form, "chain.json") == QUESTIONNAIRE
    # the setting belongs to the form, not to the questionnaire: any value reads the same
    for setting in ("onComplete", "none", "onHiddenContainer"):
        assert parse_surveyjs({**form, "clearInvisibleValues": setting}, "c.json") == QUESTIONNAIRE
    without = {key: value for key, value in form.items() if key != "clearInvisibleValues"}
    assert parse_surveyjs(without, "chain.json") == QUESTIONNAIRE
    # and written again, the form is the same text
    assert surveyjs_text(parse_surveyjs(without, "chain.json")) == surveyjs_text(QUESTIONNAIRE)


def test_results_of_a_form_that_does_not_cascade_are_refused_not_counted():
    # a form made elsewhere without "onHidden": b was cleared at completion (a = no hides
    # it), but c and d, shown while b was still b2, were answered
    with pytest.raises(ResponsesError) as raised:
        surveyjs_results(
            [{"role": "dg", "organisation_id": "O1", "a": "no", "c": ["c2"], "d": "1"}],
            QUESTIONNAIRE,
            "res.json",
        )
    assert [(p.location, p.code) for p in raised.value.problems] == [
        ('res.json [0] "c"', Code.NOT_RELEVANT),
        ('res.json [0] "d"', Code.NOT_RELEVANT),
    ]


# --- XLSForm ------------------------------------------------------------------------------


def test_the_xlsform_relevant_is_the_items_own_and_odk_blanks_a_non_relevant_question():
    data = xlsform_bytes(QUESTIONNAIRE)
    assert parse_xlsform(data, "chain.xlsx") == QUESTIONNAIRE
    survey = list(load_workbook(io.BytesIO(data))["survey"].iter_rows(values_only=True))
    header = survey[0]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in survey[1:]}
    # ODK Collect reads a non-relevant question as blank in every expression, so that naming
    # the question before is enough for the cascade (docs/xlsform.md)
    assert rows["b"]["relevant"] == "${a} = 'yes'"
    assert rows["c"]["relevant"] == "${b} = 'b1' or ${b} = 'b2'"
    assert rows["d"]["relevant"] == "selected(${c}, 'c2')"
    assert rows["e"]["choice_filter"] == "name != 'e2' or (${b} = 'b2')"
    # and so is each bind of the XForm pyxform makes (items in their dimensions' groups)
    xform = convert(xlsform=io.BytesIO(data), warnings=[]).xform
    assert '<bind nodeset="/data/d1/b" type="string" relevant=" /data/d1/a  = \'yes\'"/>' in xform
    assert (
        '<bind nodeset="/data/d2/d" type="string" relevant="selected( /data/d1/c , \'c2\')"/>'
        in xform
    )


def test_submissions_of_an_enketo_that_does_not_cascade_are_refused_not_counted(tmp_path):
    # an Enketo without "exclude non-relevant": b removed when the submission was finalised
    # (not relevant, a = no), c asked and answered with b's earlier answer
    path = tmp_path / "subs.csv"
    path.write_text(
        "role;organisation_id;d1/a;d1/b;d1/c;d2/d;d2/e;_uuid\n"
        "dg;O1;no;;c2;1;e1;uuid:1\n"
        "dg;O2;yes;b2;c2;2;e2;uuid:2\n",
        encoding="utf-8",
    )
    with pytest.raises(ResponsesError) as raised:
        read_odk_submissions(path, QUESTIONNAIRE)
    found = [(p.location, p.code) for p in raised.value.problems]
    # the first submission (line 2 of the file): its c and d; the second is consistent
    assert found == [
        (f"{path}:2 column 'd1/c'", Code.NOT_RELEVANT),
        (f"{path}:2 column 'd2/d'", Code.NOT_RELEVANT),
    ]


# --- random chains ------------------------------------------------------------------------

_KINDS = ("single", "multi", "yesno")


@st.composite
def chains(draw) -> str:
    """A questionnaire of 2 to 6 items (single, multi, yesno), each item after the first
    maybe conditional on an earlier one, an option maybe on an earlier item: chains of any
    length, and conditions on options, `any_of` and `all_of` among them."""
    n = draw(st.integers(2, 6))
    codes: list[list[str]] = []
    kinds: list[str] = []
    lines: list[str] = []
    for index in range(n):
        kind = draw(st.sampled_from(_KINDS))
        own = ["yes", "no"] if kind == "yesno" else [f"o{index}{k}" for k in range(3)]
        axis = "tech" if index % 2 == 0 else "transfo"
        lines += [
            f"  - id: i{index}",
            f"    kind: {kind}",
            f"    dimension: d{index % 2}",
            f"    axis: {axis}",
            "    roles: [dg]",
            f"    label: {{fr: Question {index}}}",
        ]
        earlier = list(range(index))
        relevant = _condition(draw, earlier, codes) if earlier and draw(st.booleans()) else None
        if relevant is not None:
            lines.append(f"    relevant: {relevant}")
        if kind != "yesno":
            lines.append("    options:")
            for k, code in enumerate(own):
                score = f", score: {50 * k}" if kind == "single" else ""
                option = f"      - {{code: {code}, label: {{fr: R{k}}}{score}"
                if earlier and draw(st.booleans()):
                    option += f", relevant: {_condition(draw, earlier, codes)}"
                lines.append(option + "}")
        codes.append(own)
        kinds.append(kind)
    return "\n".join(
        [
            "id: drawn",
            'version: "1"',
            "title: {fr: Chaîne}",
            "roles:",
            "  - {code: dg, label: {fr: Direction}}",
            "dimensions:",
            "  - {id: d0, label: {fr: Zéro}}",
            "  - {id: d1, label: {fr: Un}}",
            "items:",
            *lines,
            "",
        ]
    )


def _condition(draw, earlier: list[int], codes: list[list[str]]) -> str:
    def one() -> str:
        target = draw(st.sampled_from(earlier))
        chosen = draw(st.lists(st.sampled_from(codes[target]), min_size=1, unique=True))
        return f"{{item: i{target}, in: [{', '.join(chosen)}]}}"

    shape = draw(st.sampled_from(["one", "any_of", "all_of"]))
    if shape == "one":
        return one()
    listed = [one() for _ in range(draw(st.integers(2, 3)))]
    return f"{{{shape}: [{', '.join(listed)}]}}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_random_chains_read_back_equal_from_surveyjs_and_xlsform(text):
    q = parse_questionnaire(text, "drawn")
    form = json.loads(surveyjs_text(q))
    assert form["clearInvisibleValues"] == "onHidden"
    assert parse_surveyjs(form, "drawn.json") == q
    assert parse_xlsform(xlsform_bytes(q), "drawn.xlsx") == q
