"""SurveyJS forms: the questionnaire written as a form and read back, forms made elsewhere
mapped to items with their scores worked out by hand, and what cannot be mapped refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from barometre.errors import Code, QuestionnaireError
from barometre.files import csv_text
from barometre.interop.surveyjs import (
    RESERVED_NAMES,
    SurveyJsForm,
    form_language,
    form_schema_text,
    localized_text,
    parse_surveyjs,
    read_surveyjs,
    surveyjs_form,
    surveyjs_text,
)
from barometre.questionnaire import load_questionnaire, parse_questionnaire
from barometre.questionnaire.models import Localized
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from tests.helpers import ROOT, TINY, one_respondent, responses, tiny_questionnaire
from tests.interop.questionnaire_strategy import questionnaires

HLM = load_questionnaire("hlm-2026")
SCHEMA = ROOT / "docs" / "schemas" / "surveyjs-form.schema.json"


def form_of(q) -> dict:
    return json.loads(surveyjs_text(q))


def question(form: dict, name: str) -> dict:
    for page in form["pages"]:
        for element in page["elements"]:
            if element["name"] == name:
                return element
    raise KeyError(name)


def codes(error: pytest.ExceptionInfo) -> list[str]:
    return [p.code for p in error.value.problems]


# --- written ------------------------------------------------------------------------------


def test_the_form_routes_respondents_and_pages_follow_the_dimensions():
    form = form_of(HLM)
    first = form["pages"][0]
    assert [e["name"] for e in first["elements"]] == ["role", "organisation_id"]
    assert [c["value"] for c in first["elements"][0]["choices"]] == [r.code for r in HLM.roles]
    assert all(e["isRequired"] for e in first["elements"])
    # then the runs of items of one dimension, in hlm-2026's order (context items first)
    assert [p["name"] for p in form["pages"]] == [
        "repondant",
        "general",
        "strategie",
        "relation_locataire",
        "patrimoine",
        "outils_internes",
        "donnees_securite",
        "competences_culture",
        "inclusion_responsable",
        "innovation",
        "general-2",
    ]
    assert form["pages"][2]["title"] == {
        "default": "Strategy and governance",
        "fr": "Stratégie et gouvernance",
    }
    # ctx_family is asked to the direction only; an item asked to every role has no condition
    assert question(form, "ctx_family")["visibleIf"] == "{role} anyof ['direction']"
    everyone = next(i for i in HLM.items if set(i.roles) == {r.code for r in HLM.roles})
    assert "visibleIf" not in question(form, everyone.id)


def test_texts_are_localised_default_english_and_french():
    form = form_of(HLM)
    assert form["locale"] == "fr"
    assert form["title"] == {
        "default": "Digital maturity barometer of French social landlords 2026",
        "fr": "Baromètre de la maturité numérique des organismes HLM 2026",
    }
    # tiny has no English: only the French text is written
    tiny = form_of(tiny_questionnaire())
    assert question(tiny, "a_scale")["title"] == {"fr": "Échelle"}


def test_each_kind_becomes_its_surveyjs_question():
    form = form_of(tiny_questionnaire())
    scale = question(form, "a_scale")
    assert scale["type"] == "radiogroup"
    # a linear scale keeps its options without scores; NA and DK follow, as on the web
    assert [(c["value"], c.get("score")) for c in scale["choices"]] == [
        ("0", None),
        ("1", None),
        ("2", None),
        ("3", None),
        ("4", None),
        ("NA", None),
        ("DK", None),
    ]
    assert scale["choices"][-1]["text"] == {"default": "Don't know", "fr": "Je ne sais pas"}
    single = question(form, "a_single")
    assert [c.get("score") for c in single["choices"][:3]] == [0, 30, 100]
    assert single["barometre"]["weight"] == 2
    multi = question(form, "a_multi")
    assert multi["type"] == "checkbox"
    assert multi["choices"][0] == {"value": "p", "text": {"fr": "p"}, "barometre": {"weight": 2}}
    assert multi["choices"][3]["isExclusive"] is True  # "none"
    assert [c.get("isExclusive") for c in multi["choices"][4:]] == [True, True]  # NA, DK
    status = question(form, "a_status")
    assert status["type"] == "matrix"
    assert [r["value"] for r in status["rows"]] == ["r1", "r2"]
    assert status["rows"][1]["barometre"] == {"weight": 3}
    assert [(c["value"], c.get("score")) for c in status["columns"]] == [
        ("not_considered", 0), ("planned", 10), ("piloting", 40), ("partial", 70),
        ("generalised", 100), ("NA", None), ("DK", None),
    ]  # fmt: skip
    assert status["barometre"]["default_options"] is True  # the methodology's ladder
    pct = question(form, "a_pct")
    assert (pct["type"], pct["inputType"], pct["min"], pct["max"]) == ("text", "number", 0, 100)
    assert pct["barometre"]["default_bounds"] == ["minimum", "maximum"]
    assert pct["barometre"]["goalposts"] == {"worst": 10, "best": 60}
    assert pct["barometre"]["reference_role"] == "numerique"
    mail = question(form, "b_mail")
    assert (mail["min"], "max" in mail) == (0, False)
    sponsor = question(form, "b_sponsor")
    assert [c["value"] for c in sponsor["choices"]] == ["yes", "no", "NA", "DK"]
    comment = question(form, "ctx_comment")
    assert (comment["type"], comment["maxLength"]) == ("comment", 4000)
    assert form["barometre"]["format"] == "barometre.surveyjs"
    assert [d["id"] for d in form["barometre"]["dimensions"]] == ["A", "B"]


def test_the_text_is_deterministic_and_valid_against_the_committed_schema():
    text = surveyjs_text(HLM)
    assert text == surveyjs_text(load_questionnaire("hlm-2026"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(text))
    assert SurveyJsForm.model_validate_json(text) == surveyjs_form(HLM)


def test_the_committed_schema_is_the_model():
    assert SCHEMA.read_text(encoding="utf-8") == form_schema_text(), (
        "run python -m barometre.interop.surveyjs docs/schemas/surveyjs-form.schema.json"
    )


def test_an_item_named_as_a_routing_question_is_refused():
    q = parse_questionnaire(TINY.replace("id: ctx_comment", "id: role"), "t.yaml")
    with pytest.raises(QuestionnaireError) as error:
        surveyjs_form(q)
    assert codes(error) == [Code.SURVEYJS_RESERVED_NAME]
    assert "'role'" in error.value.problems[0].message


# --- read back ----------------------------------------------------------------------------


def test_hlm_2026_and_tiny_read_back_equal():
    assert parse_surveyjs(form_of(HLM), "hlm.json") == HLM
    assert parse_surveyjs(form_of(tiny_questionnaire()), "tiny.json") == tiny_questionnaire()


def test_a_written_file_reads_back(tmp_path: Path):
    path = tmp_path / "hlm.json"
    path.write_text(surveyjs_text(HLM), encoding="utf-8")
    assert read_surveyjs(path) == HLM


@pytest.mark.slow
def test_scores_of_a_synthetic_wave_are_byte_identical_after_the_round_trip():
    sector = simulate_sector(HLM, organisations=80, seed=5)  # synthetic organisations
    back = parse_surveyjs(form_of(HLM), "hlm.json")
    before = score_responses(HLM, sector.responses).to_file().dumps()
    after = score_responses(back, sector.responses).to_file().dumps()
    assert csv_text(sector.responses)  # the wave has answers
    assert after == before


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires())
def test_random_questionnaires_read_back_equal(q):
    assume(not any(item.id in RESERVED_NAMES for item in q.items))
    assert parse_surveyjs(json.loads(surveyjs_text(q)), "drawn.json") == q


# --- forms made elsewhere -----------------------------------------------------------------

#: A small form as SurveyJS Creator makes it (hand-written, synthetic), annotated with the axis.
FOREIGN = {
    "title": {"default": "Small survey", "fr": "Petite enquête"},
    "pages": [
        {
            "name": "services",
            "title": {"default": "Services", "fr": "Services aux locataires"},
            "barometre": {"axis": "tech"},
            "elements": [
                {"type": "rating", "name": "sat", "title": "Satisfaction", "rateMax": 5},
                {
                    "type": "radiogroup",
                    "name": "freq",
                    "title": "Fréquence",
                    "choices": [1, {"value": 2, "text": "Deux"}, {"value": 3, "score": 90}],
                },
                {
                    "type": "radiogroup",
                    "name": "plan",
                    "choices": [
                        {"value": "none", "text": "Aucun", "score": 0},
                        {"value": "draft", "text": "Brouillon", "score": 40},
                        {"value": "done", "text": "Fait", "score": 100},
                    ],
                },
                {"type": "checkbox", "name": "channels", "choices": ["app", "web|Espace web"],
                 "showNoneItem": True},
                {
                    "type": "matrix",
                    "name": "deploy",
                    "rows": [{"value": "pay", "text": "Paiement"}, "sign"],
                    "columns": [
                        {"value": 0, "text": "Non"},
                        {"value": 1, "text": "En partie"},
                        {"value": 2, "text": "Oui"},
                    ],
                },
            ],
        },
        {
            "name": "pilotage",
            "barometre": {"axis": "transfo"},
            "elements": [
                {"type": "boolean", "name": "sponsor", "title": {"fr": "Un sponsor"}},
                {
                    "type": "panel",
                    "name": "more",
                    "elements": [
                        {"type": "comment", "name": "remarks"},
                        {"type": "text", "name": "staff", "inputType": "number", "min": 0},
                        {"type": "dropdown", "name": "kind", "choices": ["OPH", "ESH"]},
                    ],
                },
            ],
        },
    ],
}  # fmt: skip


def test_a_form_made_elsewhere_is_mapped_and_scored_as_computed_by_hand():
    q = parse_surveyjs(copy.deepcopy(FOREIGN), "small.json", default_id="small")
    assert (q.id, q.version, q.title.fr, q.title.en) == (
        "small",
        "1",
        "Petite enquête",
        "Small survey",
    )
    assert [r.code for r in q.roles] == ["repondant"]
    assert [(d.id, d.label.fr) for d in q.dimensions] == [
        ("services", "Services aux locataires"),
        ("pilotage", "pilotage"),
    ]
    kinds = {i.id: (i.kind, i.dimension, i.axis, i.is_scored) for i in q.items}
    assert kinds == {
        "sat": ("scale", "services", "tech", True),
        "freq": ("scale", "services", "tech", True),
        "plan": ("single", "services", "tech", True),
        "channels": ("multi", "services", "tech", True),
        "deploy": ("status", "services", "tech", True),
        "sponsor": ("yesno", "pilotage", "transfo", True),
        "remarks": ("text", None, None, False),
        "staff": ("number", None, None, False),  # no goalposts: not scored
        "kind": ("single", None, None, False),  # no scores: describes, not scores
    }
    # a rating 1-5: 100 x (v - 1) / (5 - 1)
    assert [(o.code, o.score) for o in q.item("sat").options] == [
        ("1", 0), ("2", 25), ("3", 50), ("4", 75), ("5", 100)
    ]  # fmt: skip
    # values 1-3 over their range, 1 -> 0 and 2 -> 50; the `score` of 3 overrides its 100
    assert [(o.code, o.score, o.label.fr) for o in q.item("freq").options] == [
        ("1", 0, "1"), ("2", 50, "Deux"), ("3", 90, "3")
    ]  # fmt: skip
    assert [o.score for o in q.item("plan").options] == [0, 40, 100]
    channels = q.item("channels").options
    assert [(o.code, o.label.fr, o.exclusive) for o in channels] == [
        ("app", "app", False), ("web", "Espace web", False), ("none", "Aucun", True)
    ]  # fmt: skip
    deploy = q.item("deploy")
    assert [(r.id, r.label.fr) for r in deploy.rows] == [("pay", "Paiement"), ("sign", "sign")]
    assert [(o.code, o.score) for o in deploy.options] == [("0", 0), ("1", 50), ("2", 100)]
    assert q.item("staff").minimum == 0
    assert q.item("sponsor").label == q.item("sponsor").label.model_copy(update={"en": None})

    # and the engine scores an answer with these scores: the rating's 4 is worth 75
    rows = one_respondent(
        {"sat": "4", "freq": "2", "deploy.pay": "1", "sponsor": "yes", "channels": "none"},
        role="repondant",
    )
    result = score_responses(q, responses(rows))
    items = result.to_file().organisations[0].items
    assert (items["sat"], items["freq"], items["sponsor"]) == (75, 50, 100)
    assert items["deploy"] == 50  # its one answered row, "1" of 0-2
    assert items["channels"] == 0


def test_roles_come_from_the_role_routing_conditions():
    form = copy.deepcopy(FOREIGN)
    form["barometre"] = {
        "roles": [
            {"code": "direction", "label": {"fr": "Direction"}},
            {"code": "terrain", "label": {"fr": "Terrain"}},
        ]
    }
    sat = form["pages"][0]["elements"][0]
    sat["visibleIf"] = "{role} = 'terrain'"
    form["pages"][0]["elements"][1]["visibleIf"] = "{role} anyof ['direction', 'terrain']"
    form["pages"][0]["elements"][2]["visibleIf"] = "{other} > 2"  # not routing: every role
    q = parse_surveyjs(form, "small.json")
    assert q.item("sat").roles == ["terrain"]
    assert q.item("freq").roles == ["direction", "terrain"]
    assert q.item("plan").roles == ["direction", "terrain"]


def test_what_cannot_be_mapped_is_listed_with_its_path_and_name(tmp_path: Path):
    form = copy.deepcopy(FOREIGN)
    form["pages"][1]["elements"] += [
        {"type": "file", "name": "proof"},
        {"type": "signaturepad", "name": "sign_here"},
        {"type": "radiogroup", "name": "ma question", "choices": [1, 2]},
        {"type": "radiogroup", "name": "other", "choices": [1, 2], "showOtherItem": True},
    ]
    form["pages"][1]["elements"][1]["elements"].append({"type": "matrixdynamic", "name": "grid"})
    path = tmp_path / "small.json"
    path.write_text(json.dumps(form), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        read_surveyjs(path)
    found = [(p.location.removeprefix(str(path)), p.code) for p in error.value.problems]
    assert found == [
        (' pages[1].elements[1].elements[3] "grid"', Code.SURVEYJS_UNSUPPORTED_TYPE),
        (' pages[1].elements[2] "proof"', Code.SURVEYJS_UNSUPPORTED_TYPE),
        (' pages[1].elements[3] "sign_here"', Code.SURVEYJS_UNSUPPORTED_TYPE),
        (' pages[1].elements[4] "ma question"', Code.SURVEYJS_INVALID_NAME),
        (' pages[1].elements[5] "other"', Code.SURVEYJS_OTHER_ITEM),
    ]
    messages = [p.message for p in error.value.problems]
    assert "'file'" in messages[1]
    assert "e.g. 'ma_question'" in messages[3]


def test_a_matrix_column_without_a_score_is_refused():
    form = copy.deepcopy(FOREIGN)
    form["pages"][0]["elements"][4]["columns"] = ["no", {"value": "yes", "score": 100}]
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "f.json")
    assert codes(error) == [Code.SURVEYJS_COLUMN_WITHOUT_SCORE]
    assert error.value.problems[0].location == 'f.json pages[0].elements[4].columns[0] "deploy"'


def test_a_scored_question_without_an_axis_is_told_by_the_questionnaire_rules():
    form = copy.deepcopy(FOREIGN)
    del form["pages"][1]["barometre"]
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "f.json")
    # sponsor has no axis, and then no scored item is on the transfo axis
    assert codes(error) == [Code.MISSING_AXIS, Code.EMPTY_AXIS]
    assert "'sponsor'" in error.value.problems[0].location


def test_a_barometre_kind_that_the_type_cannot_hold_is_refused():
    form = copy.deepcopy(FOREIGN)
    form["pages"][0]["elements"][3]["barometre"] = {"kind": "scale", "colour": "red"}
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "f.json")
    assert sorted(codes(error)) == [Code.EXTRA_FORBIDDEN, Code.SURVEYJS_KIND_MISMATCH]


def test_a_form_of_another_format_version_is_refused():
    form = form_of(tiny_questionnaire())
    form["barometre"]["format_version"] = 2
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "f.json")
    assert codes(error) == [Code.UNSUPPORTED_FORMAT_VERSION]
    assert error.value.problems[0].location == "f.json barometre"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", Code.INVALID_JSON),
        ('{"pages": [NaN]}', Code.INVALID_JSON),
        ("[1, 2]", Code.SURVEYJS_NOT_A_FORM),
        ('{"pages": {}}', Code.SURVEYJS_NOT_A_FORM),
        ('{"pages": [3]}', Code.SURVEYJS_NOT_AN_ELEMENT),
        ('{"pages": [{"elements": [{"name": "x"}]}]}', Code.SURVEYJS_NOT_AN_ELEMENT),
        ('{"pages": [{"elements": []}]}', Code.SURVEYJS_NO_QUESTIONS),
        ("[" * 100_000 + "]" * 100_000, Code.INVALID_JSON),
    ],
)
def test_files_that_are_no_form_are_refused(tmp_path: Path, text: str, code: Code):
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        read_surveyjs(path)
    assert code in codes(error)


def test_a_missing_file_is_told(tmp_path: Path):
    with pytest.raises(QuestionnaireError) as error:
        read_surveyjs(tmp_path / "none.json")
    assert codes(error) == [Code.FILE_NOT_FOUND]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["type", "name", "title", "choices", "elements", "pages", "rows", "columns",
             "barometre", "value", "text", "score", "kind", "rateValues", "visibleIf", "fr"]
        ) | st.text(max_size=5),
        children,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_junk_is_refused_with_problems_never_a_traceback(data):
    try:
        parse_surveyjs(data, "junk.json")
    except QuestionnaireError as error:
        assert error.problems
        assert all(p.location.startswith("junk.json") for p in error.problems)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_form_with_a_junk_part_is_refused_with_problems_never_a_traceback(data):
    form = form_of(tiny_questionnaire())
    node: dict | list = form
    parent: dict | list = form
    key: object = "pages"
    for _ in range(data.draw(st.integers(1, 5))):  # walk down to a random part
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        containers = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not containers:
            break
        key, child = data.draw(st.sampled_from(containers))
        parent, node = node, child
    parent[key] = data.draw(JSON)
    try:
        parse_surveyjs(form, "junk.json")
    except QuestionnaireError as error:
        assert error.problems


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        # rateMin 0 and 4 levels (rateCount): 100 x v / 3
        ({"rateMin": 0, "rateCount": 4}, [("0", 0), ("1", 100 / 3), ("2", 200 / 3), ("3", 100)]),
        # listed values, one with a score of its own
        (
            {"rateValues": [{"value": 2, "text": "Peu"}, 4, {"value": 6, "score": 80}]},
            [("2", 0), ("4", 50), ("6", 80)],
        ),
        # step 5 from 0 to 10
        ({"rateMin": 0, "rateMax": 10, "rateStep": 5}, [("0", 0), ("5", 50), ("10", 100)]),
    ],
)
def test_a_rating_is_scored_over_its_range(rating: dict, expected: list):
    form = {
        "pages": [
            {
                "name": "d",
                "barometre": {"axis": "tech"},
                "elements": [
                    {"type": "rating", "name": "r", **rating},
                    {"type": "boolean", "name": "b", "barometre": {"axis": "transfo"}},
                ],
            }
        ]
    }
    q = parse_surveyjs(form, "r.json")
    options = q.item("r").options
    assert [o.code for o in options] == [code for code, _ in expected]
    assert [o.score for o in options] == pytest.approx([score for _, score in expected])


# --- SurveyJS's own "Don't know" and "Refuse to answer" items, choicesByUrl, locales -------

#: A hand-written, synthetic form with SurveyJS's special items (SurveyJS >= 1.9.128).
SPECIAL_ITEMS = {
    "pages": [
        {
            "name": "services",
            "barometre": {"axis": "tech"},
            "elements": [
                {
                    "type": "radiogroup",
                    "name": "freq",
                    "choices": [1, 2, 3],
                    "showDontKnowItem": True,
                    "showRefuseItem": True,
                },
                {
                    "type": "radiogroup",
                    "name": "listed",
                    # the special items written out as choices, as SurveyJS Creator may save them
                    "choices": [0, 5, 10, {"value": "dontknow", "text": "?"}, "refused"],
                },
                {
                    "type": "checkbox",
                    "name": "channels",
                    "choices": ["app", "web"],
                    "showRefuseItem": True,
                },
            ],
        },
        {
            "name": "pilotage",
            "barometre": {"axis": "transfo"},
            "elements": [{"type": "boolean", "name": "sponsor", "showRefuseItem": True}],
        },
    ]
}


def test_dont_know_and_refuse_items_are_no_options_and_leave_the_scores_alone():
    q = parse_surveyjs(copy.deepcopy(SPECIAL_ITEMS), "special.json")
    # 1..3 over their range: 0, 50, 100; neither "dontknow" nor "refused" is an option, and
    # neither counts in the range (0..10 gives 0, 50, 100 too)
    assert [(o.code, o.score) for o in q.item("freq").options] == [("1", 0), ("2", 50), ("3", 100)]
    assert [(o.code, o.score) for o in q.item("listed").options] == [
        ("0", 0), ("5", 50), ("10", 100)
    ]  # fmt: skip
    assert [o.code for o in q.item("channels").options] == ["app", "web"]
    assert q.item("listed").kind == "scale"


def test_a_dropdown_with_choices_by_url_is_reported_with_its_path_and_name():
    form = copy.deepcopy(FOREIGN)
    form["pages"][1]["elements"].append(
        {"type": "dropdown", "name": "city", "choicesByUrl": {"url": "https://example.org/c"}}
    )
    form["pages"][0]["elements"].append(
        {
            "type": "tagbox",
            "name": "tags",
            "choices": ["a"],
            "choicesByUrl": {"url": "https://example.org/t"},
        }
    )
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "small.json")
    found = [(p.location, p.code) for p in error.value.problems]
    assert found == [
        ('small.json pages[0].elements[5] "tags"', Code.SURVEYJS_CHOICES_BY_URL),
        ('small.json pages[1].elements[2] "city"', Code.SURVEYJS_CHOICES_BY_URL),
    ]  # and no `too_few_options`: the question is not read further
    assert "choicesByUrl" in error.value.problems[0].message


@pytest.mark.parametrize(
    ("text", "language", "fr", "en"),
    [
        # a plain text is in the form's language; SurveyJS's default locale is English
        ("Satisfaction", "en", "Satisfaction", "Satisfaction"),
        ("Satisfaction des locataires", "fr", "Satisfaction des locataires", None),
        ({"default": "Hallo"}, "de", "Hallo", None),
        # `default` is the form's language when it has no key of that language
        ({"default": "Bonjour", "en": "Hello"}, "fr", "Bonjour", "Hello"),
        ({"default": "Hello", "fr": "Bonjour"}, "en", "Bonjour", "Hello"),
        # ... else SurveyJS's default locale: the forms Baromètre writes (`locale: fr`)
        ({"default": "Hello", "fr": "Bonjour"}, "fr", "Bonjour", "Hello"),
        ({"fr": "Bonjour"}, "fr", "Bonjour", None),
        ({"default": "Hello", "fr": "Bonjour", "de": "Guten Tag"}, "de", "Bonjour", "Hello"),
        # no French: the form's language is French too
        ({"en": "Hello"}, "fr", "Hello", "Hello"),
        ({"default": "Hallo", "en": "Hello"}, "de", "Hallo", "Hello"),
        ({"default": ""}, "en", None, None),
    ],
)
def test_texts_are_read_in_the_forms_locale(text, language, fr, en):
    expected = None if fr is None else Localized(fr=fr, en=en)
    plain = {"default": text} if isinstance(text, str) else text
    assert localized_text(plain, language) == expected


def test_a_form_in_english_gives_an_english_questionnaire():
    form = {
        "locale": "en",
        "title": "Small survey",
        "pages": [
            {
                "name": "services",
                "title": "Services",
                "barometre": {"axis": "tech"},
                "elements": [
                    {
                        "type": "radiogroup",
                        "name": "sat",
                        "title": {"default": "Satisfaction", "fr": "Satisfaction des locataires"},
                        "choices": [{"value": 1, "text": "Low"}, {"value": 2, "text": "High"}],
                    }
                ],
            },
            {
                "name": "pilotage",
                "barometre": {"axis": "transfo"},
                "elements": [{"type": "boolean", "name": "sponsor", "title": "A sponsor"}],
            },
        ],
    }
    # every text has English: the questionnaire is English first, with the French it has
    q = parse_surveyjs(copy.deepcopy(form), "small.json")
    assert q.languages == ["en", "fr"]
    assert q.title == Localized(en="Small survey")
    assert q.item("sat").label == Localized(fr="Satisfaction des locataires", en="Satisfaction")
    assert [o.label for o in q.item("sat").options] == [Localized(en="Low"), Localized(en="High")]
    assert q.dimension("services").label == Localized(en="Services")
    # the same form in French: its plain texts are French, and it has no English
    form["locale"] = "fr-FR"
    q = parse_surveyjs(form, "small.json")
    assert q.title == Localized(fr="Small survey")
    assert q.item("sat").label == Localized(fr="Satisfaction des locataires", en="Satisfaction")


@pytest.mark.parametrize("locale", [3, "f", "fr FR", ["fr"]])
def test_a_locale_that_is_no_language_code_is_refused(locale):
    form = copy.deepcopy(FOREIGN)
    form["locale"] = locale
    with pytest.raises(QuestionnaireError) as error:
        parse_surveyjs(form, "small.json")
    assert [(p.location, p.code) for p in error.value.problems] == [
        ("small.json locale", Code.SURVEYJS_INVALID_LOCALE)
    ]


@given(
    fr=st.text(min_size=1, max_size=20).filter(str.strip),
    en=st.none() | st.text(min_size=1, max_size=20).filter(str.strip),
    locale=st.sampled_from(["fr", "en", None]),
)
def test_the_texts_baromètre_writes_read_back_whatever_the_forms_locale(fr, en, locale):
    written = {"fr": fr} if en is None else {"default": en, "fr": fr}
    language = form_language(locale)
    assert language is not None
    assert localized_text(written, language) == Localized(fr=fr, en=en)
