"""The questionnaire as a SurveyJS form (JSON), written and read back.

`surveyjs_form(q)` makes the form (`SurveyJsForm`, the subset of SurveyJS's JSON written here)
and `surveyjs_text(q)` its JSON text, always the same for the same questionnaire. A page holds
the respondent's role and organisation, then one page per run of items of the same dimension,
in the questionnaire's order. Each item is a SurveyJS question named by its id:

| kind | SurveyJS question |
|---|---|
| `scale`, `single`, `yesno` | `radiogroup` (`yesno`: the choices `yes` / `no`) |
| `multi` | `checkbox`, an exclusive option a choice with `isExclusive: true` |
| `status` | `matrix`: the rows, and the status ladder as columns |
| `percent`, `number` | `text` with `inputType: number`, `min` and `max` |
| `text` | `comment` |

Texts are SurveyJS localised strings: `default` is English (SurveyJS's default locale) and
`fr` French; the survey's `locale` is `fr`, so that a respondent reads French first. Choices
`NA` ("not applicable") and `DK` ("don't know") follow the options of every choice question,
as on the web. What SurveyJS has no property for (dimension, axis, weights, roles, reference
role, goalposts, the methodology...) is carried by a custom property `barometre` on the survey,
its questions and choices, so that YAML -> SurveyJS -> YAML gives the same questionnaire.
Conditions are each item's own `visibleIf`; the survey clears an answer as soon as its
question hides (`clearInvisibleValues: "onHidden"`), so that a condition naming a hidden
question finds it unanswered and conditions cascade as in the questionnaire (reading a form
leaves that setting out: it is the form's, not the questionnaire's).

`read_surveyjs(path)` (or `parse_surveyjs(data, source)`) reads a form back, ours or one made
elsewhere: a question whose `barometre` object names its `kind` is read from that object; any
other is mapped from its SurveyJS type, and its choices scored by their numeric values over
the question's range (`100 × (v − min) / (max − min)`) unless a choice has a `score`. Texts
are read in the form's `locale` (SurveyJS's `en` when it names none, `localized_text`);
SurveyJS's "Don't know" and "Refuse to answer" items are no options. What cannot be mapped
(a type without an item kind, `choicesByUrl`...) is listed with its JSON path and name, every
problem at once, and nothing is returned. docs/surveyjs.md explains every rule.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from barometre.errors import (
    Code,
    InputError,
    Problem,
    QuestionnaireError,
    excerpt,
    json_error_reason,
    problem,
)
from barometre.files import dumps_json, write_text_atomic
from barometre.i18n import LANGUAGES, Language
from barometre.interop.conditions import Unreadable, combined, expression, read_condition
from barometre.questionnaire.fields import YES_NO_OPTIONS
from barometre.questionnaire.loader import MAX_QUESTIONNAIRE_BYTES
from barometre.questionnaire.loader import _explain as explain_shape
from barometre.questionnaire.models import (
    DONT_KNOW,
    NOT_APPLICABLE,
    ContextKey,
    Dimension,
    Goalposts,
    Item,
    ItemKind,
    Localized,
    Methodology,
    Option,
    Questionnaire,
    Role,
)
from barometre.questionnaire.validation import check_questionnaire

#: The `format` of the survey's `barometre` object, and its version.
FORMAT: Literal["barometre.surveyjs"] = "barometre.surveyjs"
FORMAT_VERSION: Literal[1] = 1
#: The questions of the first page that route a respondent (their answers are the `role` and
#: `organisation_id` of a results file, `surveyjs_results`).
ROLE_QUESTION = "role"
#: Between a path item's id and a step's id in the name of the step's question (`ITEM__STEP`).
PATH_STEP_SEPARATOR = "__"
ORGANISATION_QUESTION = "organisation_id"
#: Names no item may have in a SurveyJS form: the keys of a result that are not answers.
RESERVED_NAMES = frozenset({ROLE_QUESTION, ORGANISATION_QUESTION, "respondent_id", "id"})
#: The name of the first page, which asks for the role and the organisation.
RESPONDENT_PAGE = "repondant"
#: The value SurveyJS gives the "None" item of a checkbox question (`showNoneItem`).
NONE_VALUE = "none"
#: The value SurveyJS gives its "Don't know" item (`showDontKnowItem`): read as DK.
SURVEYJS_DONT_KNOW = "dontknow"
#: The value SurveyJS gives its "Refuse to answer" item (`showRefuseItem`): the respondent
#: chose not to answer, read as unanswered (not as "not applicable") and reported.
SURVEYJS_REFUSED = "refused"
#: SurveyJS's default locale (`surveyLocalization.defaultLocale`): the language of a form's
#: texts when the form names no `locale`.
SURVEYJS_DEFAULT_LOCALE = "en"
#: Longest text answer, as on the web and in a responses file (`scoring.answers`).
TEXT_MAX_LENGTH = 4000
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")

_SPECIAL_LABELS = {
    NOT_APPLICABLE: ("Non applicable", "Not applicable"),
    DONT_KNOW: ("Je ne sais pas", "Don't know"),
}
_GENERAL_PAGE = ("Questions générales", "General questions")
_RESPONDENT_PAGE_TITLE = ("Vous et votre organisme", "You and your organisation")
_ROLE_TITLE = ("Votre fonction", "Your role")
_ORGANISATION_TITLE = ("Identifiant de votre organisme", "Identifier of your organisation")
_DEFAULT_ROLE = Role(code="repondant", label=Localized(fr="Répondant", en="Respondent"))
_NONE_LABEL = Localized(fr="Aucun", en="None")


# --- the form written: a subset of SurveyJS's JSON ---------------------------------------------


class _Json(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Text(_Json):
    """A SurveyJS localised string: `default` is English (SurveyJS's default locale), `fr`
    French. A text with no English has only `fr`, a text with no French only `default`."""

    default: str | None = None
    fr: str | None = None


class ChoiceMeta(_Json):
    """What a choice carries that SurveyJS has no property for."""

    description: Localized | None = None
    weight: float | None = None
    #: in a step of a path item: the step the answer leads to (an answer without it ends the
    #: path, worth its `score`)
    next: str | None = None


class Choice(_Json):
    """A choice (an option, or a column of a matrix): `value` is the option's code."""

    value: str
    text: Text
    score: float | None = None
    isExclusive: bool | None = None
    #: shown only when this holds (a conditional option, docs/surveyjs.md)
    visibleIf: str | None = None
    barometre: ChoiceMeta | None = None


class RowMeta(_Json):
    weight: float


class Row(_Json):
    """A row of a matrix: a practice of a status table, `value` its id."""

    value: str
    text: Text
    barometre: RowMeta | None = None


class QuestionMeta(_Json):
    """The item's properties SurveyJS lacks (docs/questionnaire-format.md), or, for the two
    questions of the first page, which routing answer it is.

    default_options: the choices are the questionnaire's defaults (the yes / no of a `yesno`
                     item, the methodology's ladder of a `status` table), not the item's own.
    default_bounds:  the bounds of a percent that are the defaults 0 and 100, not the item's.
    """

    routing: Literal["role", "organisation_id"] | None = None
    kind: ItemKind | None = None
    dimension: str | None = None
    #: `tech` / `transfo`, or one of the axes the questionnaire's typology names
    axis: str | None = None
    roles: list[str] | None = None
    reference_role: str | None = None
    weight: float | None = None
    scored: bool | None = None
    context: ContextKey | None = None
    goalposts: Goalposts | None = None
    better: Literal["higher", "lower"] | None = None
    unit: Localized | None = None
    default_options: bool | None = None
    default_bounds: list[Literal["minimum", "maximum"]] | None = None


class _Question(_Json):
    type: str
    name: str
    title: Text
    description: Text | None = None
    isRequired: bool | None = None
    visibleIf: str | None = None
    barometre: QuestionMeta


class RadioGroupQuestion(_Question):
    type: Literal["radiogroup"] = "radiogroup"
    choices: list[Choice]


class CheckboxQuestion(_Question):
    type: Literal["checkbox"] = "checkbox"
    choices: list[Choice]


class MatrixQuestion(_Question):
    type: Literal["matrix"] = "matrix"
    rows: list[Row]
    columns: list[Choice]


class TextQuestion(_Question):
    type: Literal["text"] = "text"
    inputType: Literal["number"] | None = None
    min: float | None = None
    max: float | None = None
    maxLength: int | None = None


class CommentQuestion(_Question):
    type: Literal["comment"] = "comment"
    maxLength: int | None = None


class PathPanel(_Question):
    """A path item: a panel of one radiogroup per step, named `ITEM__STEP`, each shown
    (`visibleIf`) once an answer of an earlier step leads to it; the first step's choices
    hold NA and DK, said of the whole item."""

    type: Literal["panel"] = "panel"
    elements: list[RadioGroupQuestion]


Question = Annotated[
    RadioGroupQuestion
    | CheckboxQuestion
    | MatrixQuestion
    | TextQuestion
    | CommentQuestion
    | PathPanel,
    Field(discriminator="type"),
]


class PageMeta(_Json):
    dimension: str


class Page(_Json):
    name: str
    title: Text
    elements: list[Question]
    barometre: PageMeta | None = None


class FormMeta(_Json):
    """The survey's `barometre` object: the questionnaire's header that SurveyJS lacks."""

    format: Literal["barometre.surveyjs"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    id: str
    version: str
    #: the questionnaire's `languages` when it declares them (the default first)
    languages: list[Language] | None = None
    methodology: Methodology
    roles: list[Role]
    dimensions: list[Dimension]


class SurveyJsForm(_Json):
    """A questionnaire as a SurveyJS form (the subset of SurveyJS's JSON written here)."""

    title: Text
    description: Text | None = None
    #: the questionnaire's default language: a respondent reads it first
    locale: Language = "fr"
    #: a question's answer is cleared as soon as it is hidden, so that a condition naming a
    #: hidden question sees it unanswered: conditions cascade as in the questionnaire
    #: (`questionnaire/relevance.py`, which also reads an answer without its hidden choices,
    #: as SurveyJS unticks a choice that hides; SurveyJS's default, "onComplete", clears
    #: them only when the survey is completed, and a `visibleIf` sees a hidden question's
    #: answer till then)
    clearInvisibleValues: Literal["onHidden"] = "onHidden"
    pages: list[Page]
    barometre: FormMeta


# --- questionnaire -> SurveyJS -----------------------------------------------------------------


def surveyjs_form(q: Questionnaire) -> SurveyJsForm:
    """The questionnaire as a SurveyJS form. Raises `QuestionnaireError` when an item has a
    name the form keeps for routing (`RESERVED_NAMES`)."""
    reserved = [
        problem(f"{q.id} item {item.id!r}", Code.SURVEYJS_RESERVED_NAME, name=item.id)
        for item in q.items
        if item.id in RESERVED_NAMES
    ]
    if reserved:
        raise QuestionnaireError(q.id, reserved)
    role_codes = [role.code for role in q.roles]
    pages = [_respondent_page(q)]
    used = {RESPONDENT_PAGE}
    for dimension_id, items in _runs(q.items):
        base = dimension_id or "general"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        if dimension_id is None:
            title = _pair(_GENERAL_PAGE)
        else:
            title = _text(q.dimension(dimension_id).label)
        pages.append(
            Page(
                name=name,
                title=title,
                elements=[
                    _with_conditions(q, item, _question(q, item, role_codes)) for item in items
                ],
                barometre=None if dimension_id is None else PageMeta(dimension=dimension_id),
            )
        )
    return SurveyJsForm(
        title=_text(q.title),
        description=None if q.description is None else _text(q.description),
        locale=q.default_language,
        pages=pages,
        barometre=FormMeta(
            id=q.id,
            version=q.version,
            languages=q.languages,
            methodology=q.methodology,
            roles=list(q.roles),
            dimensions=list(q.dimensions),
        ),
    )


def surveyjs_text(q: Questionnaire) -> str:
    """The SurveyJS form of `q` as JSON text (UTF-8, indented, the same for the same `q`)."""
    data = surveyjs_form(q).model_dump(mode="json", exclude_none=True)
    if q.methodology.typology is None:  # said, since leaving it out means the default typology
        data["barometre"]["methodology"]["typology"] = None
    return dumps_json(data)


def write_surveyjs(q: Questionnaire, path: str | Path) -> Path:
    """Write the SurveyJS form of `q` to `path` (atomically)."""
    return write_text_atomic(path, surveyjs_text(q))


def form_schema_text() -> str:
    """The JSON Schema of `SurveyJsForm`, committed as docs/schemas/surveyjs-form.schema.json
    (`python -m barometre.interop.surveyjs docs/schemas/surveyjs-form.schema.json`)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **SurveyJsForm.model_json_schema(by_alias=True, mode="serialization"),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _runs(items: list[Item]) -> Iterator[tuple[str | None, list[Item]]]:
    """Consecutive items of the same dimension (None for items without one)."""
    run: list[Item] = []
    for item in items:
        if run and item.dimension != run[0].dimension:
            yield run[0].dimension, run
            run = []
        run.append(item)
    if run:
        yield run[0].dimension, run


def _text(value: Localized) -> Text:
    return Text(default=value.en, fr=value.fr)


def _pair(texts: tuple[str, str]) -> Text:
    return Text(default=texts[1], fr=texts[0])


def _respondent_page(q: Questionnaire) -> Page:
    role = RadioGroupQuestion(
        name=ROLE_QUESTION,
        title=_pair(_ROLE_TITLE),
        isRequired=True,
        barometre=QuestionMeta(routing="role"),
        choices=[Choice(value=r.code, text=_text(r.label)) for r in q.roles],
    )
    organisation = TextQuestion(
        name=ORGANISATION_QUESTION,
        title=_pair(_ORGANISATION_TITLE),
        isRequired=True,
        maxLength=64,
        barometre=QuestionMeta(routing="organisation_id"),
    )
    return Page(
        name=RESPONDENT_PAGE, title=_pair(_RESPONDENT_PAGE_TITLE), elements=[role, organisation]
    )


def _visible_if(roles: list[str], all_roles: list[str]) -> str | None:
    if set(all_roles) <= set(roles):
        return None
    listed = ", ".join(f"'{role}'" for role in roles)
    return f"{{{ROLE_QUESTION}}} anyof [{listed}]"


def _choice(option: Option, exclusive_flag: bool = False) -> Choice:
    meta = None
    if option.description is not None or option.weight is not None:
        meta = ChoiceMeta(description=option.description, weight=option.weight)
    return Choice(
        value=option.code,
        text=_text(option.label),
        score=option.score,
        isExclusive=True if (exclusive_flag and option.exclusive) else None,
        barometre=meta,
    )


def _specials(exclusive: bool = False) -> list[Choice]:
    return [
        Choice(value=code, text=_pair(labels), isExclusive=True if exclusive else None)
        for code, labels in _SPECIAL_LABELS.items()
    ]


def _question(q: Questionnaire, item: Item, all_roles: list[str]) -> Question:
    meta: dict[str, Any] = {
        "kind": item.kind,
        "dimension": item.dimension,
        "axis": item.axis,
        "roles": list(item.roles),
        "reference_role": item.reference_role,
        "weight": item.weight,
        "scored": item.scored,
        "context": item.context,
        "goalposts": item.goalposts,
        "better": item.better,
        "unit": item.unit,
    }
    common: dict[str, Any] = {
        "name": item.id,
        "title": _text(item.label),
        "description": None if item.help is None else _text(item.help),
        "visibleIf": _visible_if(item.roles, all_roles),
    }
    kind = item.kind
    if kind == "path":
        return _path_panel(item, common, QuestionMeta(**meta))
    if kind in ("scale", "single", "yesno"):
        options = item.options
        if kind == "yesno" and not options:
            options, meta["default_options"] = list(YES_NO_OPTIONS), True
        return RadioGroupQuestion(
            **common,
            barometre=QuestionMeta(**meta),
            choices=[_choice(o) for o in options] + _specials(),
        )
    if kind == "multi":
        return CheckboxQuestion(
            **common,
            barometre=QuestionMeta(**meta),
            choices=[_choice(o, exclusive_flag=True) for o in item.options]
            + _specials(exclusive=True),
        )
    if kind == "status":
        options = item.options
        if not options:
            options, meta["default_options"] = list(q.methodology.status_ladder), True
        return MatrixQuestion(
            **common,
            barometre=QuestionMeta(**meta),
            rows=[
                Row(
                    value=row.id,
                    text=_text(row.label),
                    barometre=None if row.weight == 1.0 else RowMeta(weight=row.weight),
                )
                for row in item.rows
            ],
            columns=[_choice(o) for o in options] + _specials(),
        )
    if kind in ("percent", "number"):
        low, high = item.minimum, item.maximum
        defaults: list[Literal["minimum", "maximum"]] = []
        if kind == "percent":
            if low is None:
                low = 0.0
                defaults.append("minimum")
            if high is None:
                high = 100.0
                defaults.append("maximum")
        if defaults:
            meta["default_bounds"] = defaults
        return TextQuestion(
            **common, barometre=QuestionMeta(**meta), inputType="number", min=low, max=high
        )
    return CommentQuestion(**common, barometre=QuestionMeta(**meta), maxLength=TEXT_MAX_LENGTH)


def path_step_name(item: Item, step_id: str) -> str:
    """The SurveyJS name of a path item's step (and of its answer in a result): `ITEM__STEP`."""
    return f"{item.id}{PATH_STEP_SEPARATOR}{step_id}"


def _path_panel(item: Item, common: dict[str, Any], meta: QuestionMeta) -> PathPanel:
    steps = []
    for position, step in enumerate(item.steps):
        leads = [
            f"{{{path_step_name(item, earlier.id)}}} = '{option.code}'"
            for earlier in item.steps
            for option in earlier.options
            if option.next == step.id
        ]
        choices = [
            Choice(
                value=option.code,
                text=_text(option.label),
                score=option.score,
                barometre=None
                if option.description is None and option.next is None
                else ChoiceMeta(description=option.description, next=option.next),
            )
            for option in step.options
        ]
        steps.append(
            RadioGroupQuestion(
                name=path_step_name(item, step.id),
                title=_text(step.label),
                description=None if step.help is None else _text(step.help),
                visibleIf=" or ".join(leads) or None,
                barometre=QuestionMeta(),
                choices=choices + (_specials() if position == 0 else []),
            )
        )
    return PathPanel(**common, barometre=meta, elements=steps)


# --- SurveyJS -> questionnaire -----------------------------------------------------------------


def read_surveyjs(path: str | Path) -> Questionnaire:
    """Read a SurveyJS form (JSON) into a validated questionnaire; every problem at once in a
    `QuestionnaireError`, each with its JSON path."""
    name = str(path)
    data = load_json(Path(path), QuestionnaireError)
    return parse_surveyjs(data, source=name, default_id=_default_id(Path(path).stem))


def load_json(path: Path, error: type[InputError]) -> Any:
    """The parsed JSON of a file of at most `MAX_QUESTIONNAIRE_BYTES`, or `error(path, ...)`
    raised with the problem (no such file, too large, not UTF-8, not JSON)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_QUESTIONNAIRE_BYTES:
            raise error(
                name,
                [problem(name, Code.FILE_TOO_LARGE, size=size, limit=MAX_QUESTIONNAIRE_BYTES)],
            )
        text = path.read_bytes().decode("utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise error(name, [problem(name, Code.FILE_NOT_FOUND)]) from None
    except UnicodeDecodeError as exc:
        raise error(name, [problem(name, Code.NOT_UTF8, reason=exc.reason)]) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        where = f"{name}:{exc.lineno}"
        reason = json_error_reason(exc)
        raise error(name, [problem(where, Code.INVALID_JSON, reason=reason)]) from None
    except ValueError as exc:  # NaN or Infinity, refused by `_refuse_constant`
        raise error(name, [problem(name, Code.INVALID_JSON, reason=str(exc))]) from None
    except RecursionError:
        reason = "nested too deeply"
        raise error(name, [problem(name, Code.INVALID_JSON, reason=reason)]) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _default_id(stem: str) -> str:
    return _suggest(stem) or "surveyjs"


def _suggest(name: str) -> str:
    """An identifier made from `name`: accents dropped, other characters turned into `_`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_name).strip("_")[:64]


#: Types that hold the questions of a page (their elements are read as the page's).
_CONTAINERS = frozenset({"panel"})
_CODED_TYPES = frozenset({"radiogroup", "dropdown", "rating"})
_MULTI_TYPES = frozenset({"checkbox", "tagbox"})
_TYPE_KINDS: dict[str, frozenset[str]] = {
    "radiogroup": frozenset({"scale", "single", "yesno"}),
    "dropdown": frozenset({"scale", "single", "yesno"}),
    "rating": frozenset({"scale", "single"}),
    "checkbox": frozenset({"multi"}),
    "tagbox": frozenset({"multi"}),
    "matrix": frozenset({"status"}),
    "boolean": frozenset({"yesno"}),
    "text": frozenset({"number", "percent", "text"}),
    "comment": frozenset({"text"}),
    "panel": frozenset({"path"}),
}
_ITEM_META_KEYS = frozenset(QuestionMeta.model_fields) - {"routing"}
_ROOT_META_KEYS = frozenset(FormMeta.model_fields)
_ROLE_ANYOF = re.compile(r"\s*\{role\}\s+anyof\s+\[(?P<roles>[^\]]*)\]\s*", re.IGNORECASE)
_ROLE_EQUALS = re.compile(r"\s*\{role\}\s*=\s*(?P<q>['\"])(?P<role>[^'\"]*)(?P=q)\s*")
_QUOTED = re.compile(r"(['\"])([^'\"]*)\1")
_LOCALE = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class _Context:
    """Where a question sits: its page and the `barometre` properties its containers give."""

    page_name: str | None
    page_title: Localized | None
    dimension: Any = None
    dimension_label: Localized | None = None
    has_dimension: bool = False
    axis: Any = None


class _Reader:
    """One reading of a form: collects every problem, with its JSON path."""

    def __init__(self, source: str, language: str = SURVEYJS_DEFAULT_LOCALE):
        self.source = source
        #: the language of the form's plain texts and `default` texts (its `locale`)
        self.language = language
        #: the languages the questionnaire declares (`barometre.languages`, else those of a
        #: form in another language of the product than French, `declare`); None: French and
        #: English, French required (each text gets French)
        self.languages: list[str] | None = None
        self.explicit = False
        #: the product's languages met in the texts of a form whose languages are found
        self.seen: set[str] = set()
        self.problems: list[Problem] = []
        #: dimension id -> its label, in the order the pages give them (foreign forms)
        self.page_dimensions: dict[str, Localized] = {}

    def at(self, path: str, name: object = None) -> str:
        where = f"{self.source} {path}" if path else self.source
        return f'{where} "{excerpt(name)}"' if isinstance(name, str) and name else where

    def add(self, found: Problem) -> None:
        self.problems.append(found)

    # texts

    def declare(self, languages: Any, *, derive: bool = True) -> None:
        """The questionnaire's languages: those of the form's `barometre.languages`, else the
        form's language when it is another of the product's than French (docs/surveyjs.md)."""
        if isinstance(languages, list):
            self.languages = [str(code) for code in languages]
            self.explicit = True
        elif derive and self.language != "fr" and self.language in LANGUAGES:
            self.languages = [self.language]

    def found_languages(self) -> list[str] | None:
        """The questionnaire's languages once every text is read: the declared ones, or the
        form's language and the other languages of the product its texts are in."""
        if self.languages is None or self.explicit:
            return self.languages
        return self.languages + [
            code for code in LANGUAGES if code in self.seen and code not in self.languages
        ]

    def named(self, name: str) -> Localized:
        """A name standing for a text, in the questionnaire's default language."""
        return Localized(**{self.languages[0] if self.languages else "fr": name})

    def product_text(self, text: Localized) -> Localized:
        """A text of the product (in every language) in the form's language only, when the
        questionnaire declares its languages."""
        if self.languages is None:
            return text
        return Localized(**{self.languages[0]: text.get(self.languages[0])})

    def localized(self, value: Any, path: str, name: object, prop: str) -> Localized | None:
        """A SurveyJS string (plain, or localised `{default, fr, en...}`) as a `Localized`
        (`localized_text`, in the form's language)."""
        if value is None:
            return None
        if isinstance(value, str):
            value = {"default": value}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            text = localized_text(value, self.language, declared=self.languages is not None)
            self.seen.update(text.languages if text is not None else ())
            return text
        self.add(problem(self.at(path, name), Code.SURVEYJS_INVALID_TEXT, property=prop))
        return None


def localized_text(
    texts: Mapping[str, str], language: str, *, declared: bool = False
) -> Localized | None:
    """A SurveyJS localised string `{default, fr, en, ...}` of a form in `language` (its
    `locale`, SurveyJS's `en` when it names none) as a `Localized`.

    A plain text, or the `default` one, is in `language`, unless the string also has a text
    keyed by `language`: `default` is then SurveyJS's default locale, English (the shape of
    the forms Baromètre writes: `locale: fr`, `{default: English, fr: French}`). `fr` is
    French and `en` English. When the questionnaire declares its languages (`declared`), each
    language of the product is its own text and no other is kept. Otherwise the questionnaire
    needs French: a text without French gets the text of the form's language as French too
    (else its English, else its first text)."""
    by_language = {key: text for key, text in texts.items() if text and key != "default"}
    default = texts.get("default")
    if default:
        if language not in by_language:
            by_language[language] = default
        else:
            by_language.setdefault(SURVEYJS_DEFAULT_LOCALE, default)
    if declared:
        found = {code: by_language[code] for code in LANGUAGES if code in by_language}
        return Localized(**found) if found else None
    english = by_language.get("en")
    french = by_language.get("fr") or by_language.get(language) or english
    if french is None:
        french = next(iter(by_language.values()), None)
    return None if french is None else Localized(fr=french, en=english)


def form_language(locale: Any) -> str | None:
    """The language of a form's `locale` (`fr`, `fr-FR` -> `fr`; none -> SurveyJS's `en`);
    None when it is not a language tag."""
    if locale is None or locale == "":
        return SURVEYJS_DEFAULT_LOCALE
    if isinstance(locale, str) and _LOCALE.fullmatch(locale):
        return re.split(r"[-_]", locale, maxsplit=1)[0].lower()
    return None


def parse_surveyjs(
    data: Any, source: str = "<surveyjs>", default_id: str = "surveyjs"
) -> Questionnaire:
    """A SurveyJS form, parsed from JSON, as a validated questionnaire (see the module's
    docstring); raises `QuestionnaireError` with every problem.

    A form in another language of the product than French, that names no languages, is a
    questionnaire in its language when every text has that language; else it is read as a
    French questionnaire (French required, each text's French taken from its own language)."""
    try:
        return _parse_surveyjs(data, source, default_id, derive=True)
    except _NotInItsLanguage:
        return _parse_surveyjs(data, source, default_id, derive=False)


class _NotInItsLanguage(Exception):
    """A form whose languages were found from its `locale` has texts without its language."""


def _parse_surveyjs(data: Any, source: str, default_id: str, *, derive: bool) -> Questionnaire:
    if not isinstance(data, dict):
        raise QuestionnaireError(source, [problem(source, Code.SURVEYJS_NOT_A_FORM)])
    language = form_language(data.get("locale"))
    reader = _Reader(source, language or SURVEYJS_DEFAULT_LOCALE)
    if language is None:
        reader.add(
            problem(
                reader.at("locale"), Code.SURVEYJS_INVALID_LOCALE, value=excerpt(data["locale"])
            )
        )
    meta = data.get("barometre")
    root_meta: dict[str, Any] = {}
    if isinstance(meta, dict):
        root_meta = meta
        for key in sorted(set(meta) - _ROOT_META_KEYS, key=str):
            reader.add(
                problem(
                    reader.at("barometre"), Code.EXTRA_FORBIDDEN, field=f"barometre.{excerpt(key)}"
                )
            )
        _check_format(meta, reader)
    elif meta is not None:
        reader.add(
            problem(reader.at("barometre"), Code.SURVEYJS_NOT_AN_OBJECT, property="barometre")
        )

    reader.declare(root_meta.get("languages"), derive=derive)
    roles_given = root_meta.get("roles")
    role_codes = _role_codes(roles_given)
    raw_items: list[tuple[str, dict[str, Any]]] = []
    for path, element, context in _questions(data, reader):
        read = _read_question(element, path, context, reader, role_codes)
        if read is not None:
            raw_items.append((path, read))

    header: dict[str, Any] = {
        "id": root_meta.get("id", default_id),
        "version": root_meta.get("version", "1"),
        "title": reader.localized(data.get("title"), "title", None, "title")
        or reader.named(root_meta.get("id") or default_id),
        "roles": roles_given
        if roles_given is not None
        else [_DEFAULT_ROLE.model_copy(update={"label": reader.product_text(_DEFAULT_ROLE.label)})],
    }
    description = reader.localized(data.get("description"), "description", None, "description")
    if description is not None:
        header["description"] = description
    if "methodology" in root_meta:
        header["methodology"] = root_meta["methodology"]
    if "dimensions" in root_meta:
        header["dimensions"] = root_meta["dimensions"]
    else:
        used = {raw.get("dimension") for _, raw in raw_items if _is_scored(raw)}
        header["dimensions"] = [
            {"id": dim, "label": label}
            for dim, label in reader.page_dimensions.items()
            if dim in used
        ] or [
            {
                "id": "general",
                "label": reader.product_text(Localized(fr=_GENERAL_PAGE[0], en=_GENERAL_PAGE[1])),
            }
        ]
        for _, raw in raw_items:
            if raw.get("dimension") not in used:
                raw.pop("dimension", None)  # an unscored item on a page of no dimension

    given = root_meta.get("languages")
    # a `languages` that is no list is the questionnaire's to refuse (`barometre.languages`)
    header["languages"] = reader.found_languages() if given is None or reader.explicit else given
    items: list[Item] = []
    for path, raw in raw_items:
        where = reader.at(path, raw.get("id"))
        try:
            items.append(Item.model_validate(raw))
        except ValidationError as exc:
            reader.problems.extend(explain_shape(error, where) for error in exc.errors())
    placeholder = [{"id": "placeholder", "kind": "text", "label": {"fr": "-"}, "roles": ["x"]}]
    shell: Questionnaire | None = None
    try:
        shell = Questionnaire.model_validate({**header, "items": placeholder})
    except ValidationError as exc:
        where = reader.at("barometre")
        reader.problems.extend(explain_shape(error, where) for error in exc.errors())
    if not raw_items:
        reader.add(problem(source, Code.SURVEYJS_NO_QUESTIONS))
    if shell is None or reader.problems:
        raise QuestionnaireError(source, reader.problems)
    questionnaire = shell.model_copy(update={"items": items})
    found = check_questionnaire(questionnaire, source)
    if (
        questionnaire.languages is not None
        and not reader.explicit
        and any(p.code == Code.TEXT_WITHOUT_DEFAULT_LANGUAGE for p in found)
    ):
        raise _NotInItsLanguage
    if found:
        raise QuestionnaireError(source, found)
    return questionnaire


def _check_format(meta: dict[str, Any], reader: _Reader) -> None:
    """The survey's `format` and `format_version`, when it names them, must be these."""
    where = reader.at("barometre")
    if "format" in meta and meta["format"] != FORMAT:
        reader.add(
            problem(
                where,
                Code.WRONG_FORMAT,
                kind="SurveyJS form",
                found=excerpt(meta["format"]),
                expected=FORMAT,
            )
        )
    if "format_version" in meta and meta["format_version"] != FORMAT_VERSION:
        reader.add(
            problem(
                where,
                Code.UNSUPPORTED_FORMAT_VERSION,
                kind="SurveyJS form",
                found=excerpt(meta["format_version"]),
                expected=FORMAT_VERSION,
            )
        )


def _role_codes(roles: Any) -> list[str]:
    if roles is None:
        return [_DEFAULT_ROLE.code]
    if isinstance(roles, list):
        return [r["code"] for r in roles if isinstance(r, dict) and isinstance(r.get("code"), str)]
    return []


def _is_scored(raw: Mapping[str, Any]) -> bool:
    return bool(raw.get("scored", True)) and raw.get("kind") != "text"


def _questions(data: dict[str, Any], reader: _Reader) -> Iterator[tuple[str, dict, _Context]]:
    """Every question of the form with its JSON path and context, pages and panels walked in
    order; a form without pages has its `elements` read as one page."""
    pages = data.get("pages")
    if pages is None and "elements" in data:
        yield from _elements(data.get("elements"), "elements", _Context(None, None), reader)
        return
    if not isinstance(pages, list):
        reader.add(problem(reader.source, Code.SURVEYJS_NOT_A_FORM))
        return
    for index, page in enumerate(pages):
        path = f"pages[{index}]"
        if not isinstance(page, dict):
            reader.add(problem(reader.at(path), Code.SURVEYJS_NOT_AN_ELEMENT))
            continue
        name = page.get("name")
        title = reader.localized(page.get("title"), path, name, "title")
        page_name = name if isinstance(name, str) and name else None
        if title is None and page_name is not None:
            title = reader.named(page_name)
        context = _inherit(_Context(page_name, title), page, path, reader)
        yield from _elements(page.get("elements"), f"{path}.elements", context, reader)


def _inherit(context: _Context, container: dict, path: str, reader: _Reader) -> _Context:
    meta = container.get("barometre")
    if meta is None:
        return context
    if not isinstance(meta, dict):
        reader.add(
            problem(
                reader.at(path, container.get("name")),
                Code.SURVEYJS_NOT_AN_OBJECT,
                property="barometre",
            )
        )
        return context
    for key in sorted(set(meta) - {"dimension", "axis"}, key=str):
        where = reader.at(path, container.get("name"))
        reader.add(problem(where, Code.EXTRA_FORBIDDEN, field=f"barometre.{excerpt(key)}"))
    updates: dict[str, Any] = {}
    if "dimension" in meta:
        label = reader.localized(container.get("title"), path, container.get("name"), "title")
        updates.update(dimension=meta["dimension"], dimension_label=label, has_dimension=True)
    if "axis" in meta:
        updates["axis"] = meta["axis"]
    return replace(context, **updates)


def _elements(
    elements: Any, path: str, context: _Context, reader: _Reader
) -> Iterator[tuple[str, dict, _Context]]:
    if elements is None:
        return
    if not isinstance(elements, list):
        reader.add(problem(reader.at(path), Code.SURVEYJS_NOT_A_LIST, property="elements"))
        return
    for index, element in enumerate(elements):
        where = f"{path}[{index}]"
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            reader.add(problem(reader.at(where), Code.SURVEYJS_NOT_AN_ELEMENT))
            continue
        if element["type"] in _CONTAINERS and not _is_path_panel(element):
            inner = _inherit(context, element, where, reader)
            yield from _elements(element.get("elements"), f"{where}.elements", inner, reader)
            continue
        yield where, element, context


def _read_question(
    element: dict[str, Any], path: str, context: _Context, reader: _Reader, role_codes: list[str]
) -> dict[str, Any] | None:
    """The raw item (for `Item.model_validate`) of one question, or None (a routing question,
    or a problem told)."""
    kind_of_type = element["type"]
    name = element.get("name")
    where = reader.at(path, name)
    meta = element.get("barometre")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        reader.add(problem(where, Code.SURVEYJS_NOT_AN_OBJECT, property="barometre"))
        return None
    if meta.get("routing") is not None:
        return None
    if kind_of_type not in _TYPE_KINDS:
        reader.add(problem(where, Code.SURVEYJS_UNSUPPORTED_TYPE, type=excerpt(kind_of_type)))
        return None
    if not isinstance(name, str) or not name:
        reader.add(problem(where, Code.SURVEYJS_NO_NAME))
        return None
    ok = True
    if not ID_PATTERN.fullmatch(name):
        reader.add(
            problem(where, Code.SURVEYJS_INVALID_NAME, name=name, suggestion=_suggest(name) or "q")
        )
        ok = False
    elif name in RESERVED_NAMES:
        reader.add(problem(where, Code.SURVEYJS_RESERVED_NAME, name=name))
        ok = False
    for key in sorted(set(meta) - _ITEM_META_KEYS - {"routing"}, key=str):
        reader.add(problem(where, Code.EXTRA_FORBIDDEN, field=f"barometre.{excerpt(key)}"))
        ok = False
    if element.get("hasOther") or element.get("showOtherItem"):
        reader.add(problem(where, Code.SURVEYJS_OTHER_ITEM))
        ok = False
    ours = "kind" in meta
    kind = _kind(element, meta, where, reader)
    if kind is None or not ok:
        return None

    raw: dict[str, Any] = {
        "id": name,
        "kind": kind,
        "label": reader.localized(element.get("title"), path, name, "title") or reader.named(name),
    }
    help_text = reader.localized(element.get("description"), path, name, "description")
    if help_text is not None:
        raw["help"] = help_text
    roles = meta.get("roles") if "roles" in meta else _visible_roles(element.get("visibleIf"))
    raw["roles"] = roles if roles is not None else list(role_codes)
    for key in ("reference_role", "weight", "scored", "context", "goalposts", "better", "unit"):
        if key in meta and meta[key] is not None:
            raw[key] = meta[key]
    if "axis" in meta and meta["axis"] is not None:
        raw["axis"] = meta["axis"]

    reading = _ANSWERS.get(kind_of_type)
    if reading is not None and not reading(element, path, raw, meta, ours, reader):
        return None
    if kind in ("number", "percent"):
        _read_bounds(element, raw, meta, ours, where, reader)
        if not ours and "scored" not in raw and "goalposts" not in raw:
            raw["scored"] = False  # a number without goalposts cannot be scored
    _read_conditions(element, raw)
    if not ours and "axis" not in raw and context.axis is not None and _is_scored(raw):
        raw["axis"] = context.axis  # the page's or panel's axis, for its scored questions
    _place(raw, meta, ours, context, reader)
    return raw


# --- conditional questions (`relevant`, interop/conditions.py) ------------------------------


def _with_conditions(q: Questionnaire, item: Item, question: Question) -> Question:
    """The item's condition in its `visibleIf` (after the roles'), its options' in theirs."""
    multi = frozenset(other.id for other in q.items if other.kind == "multi")
    update: dict[str, Any] = {}
    if item.relevant is not None:
        condition = expression(item.relevant, "surveyjs", str, multi)
        update["visibleIf"] = combined(question.visibleIf, condition)
    conditions = {o.code: o.relevant for o in item.options if o.relevant is not None}

    def conditional(choices: list[Choice]) -> list[Choice]:
        return [
            choice.model_copy(
                update={"visibleIf": expression(conditions[choice.value], "surveyjs", str, multi)}
            )
            if choice.value in conditions
            else choice
            for choice in choices
        ]

    if conditions and isinstance(question, RadioGroupQuestion | CheckboxQuestion):
        update["choices"] = conditional(question.choices)
    elif conditions and isinstance(question, MatrixQuestion):
        update["columns"] = conditional(question.columns)  # a status table's ladder
    return question.model_copy(update=update) if update else question


def _read_conditions(element: dict, raw: dict) -> None:
    """The item's condition from its `visibleIf` (the roles part left out), its options'
    from their choices' `visibleIf`; a condition of another form is not read (the question
    is then always asked, as SurveyJS conditions were before conditional questions)."""
    listed = element.get("columns" if element.get("type") == "matrix" else "choices")
    choices = listed if isinstance(listed, list) else []
    texts = [(None, element.get("visibleIf"))] + [
        (answer_code(_value_of(choice)), choice.get("visibleIf"))
        for choice in choices
        if isinstance(choice, dict) and choice.get("visibleIf")
    ]
    by_code: dict[str | None, dict[str, Any]] = {}
    for code, text in texts:
        try:
            condition = read_condition(_text_or_none(text), "surveyjs", ROLE_QUESTION, {})
        except Unreadable:
            continue  # another condition (`{other} > 2`): not carried, as before (surveyjs.md)
        if condition is not None:
            by_code[code] = condition
    if None in by_code:
        raw["relevant"] = by_code[None]
    for option in raw.get("options", []):
        if option.get("code") in by_code:
            option["relevant"] = by_code[option["code"]]


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _kind(element: dict, meta: dict, where: str, reader: _Reader) -> str | None:
    qtype = element["type"]
    given = meta.get("kind")
    if given is not None:
        if not isinstance(given, str) or given not in _TYPE_KINDS[qtype]:
            reader.add(
                problem(
                    where,
                    Code.SURVEYJS_KIND_MISMATCH,
                    type=qtype,
                    kind=excerpt(given),
                    kinds=", ".join(sorted(_TYPE_KINDS[qtype])),
                )
            )
            return None
        return str(given)
    if qtype in _CODED_TYPES:
        return "scale" if _numeric_values(_choice_list(element, qtype)) else "single"
    if qtype in _MULTI_TYPES:
        return "multi"
    if qtype == "matrix":
        cell_type = element.get("cellType")
        if cell_type not in (None, "radio"):
            reader.add(problem(where, Code.SURVEYJS_UNSUPPORTED_TYPE, type="matrix (checkbox)"))
            return None
        return "status"
    if qtype == "boolean":
        return "yesno"
    if qtype == "text":
        return "number" if element.get("inputType") in ("number", "range") else "text"
    return "text"


def _visible_roles(condition: Any) -> list[str] | None:
    """The roles of a role-routing condition (`{role} anyof ['a', 'b']`, `{role} = 'a'`);
    None for any other condition (the question is then asked to every role)."""
    if not isinstance(condition, str):
        return None
    anyof = _ROLE_ANYOF.fullmatch(condition)
    if anyof:
        return [m.group(2) for m in _QUOTED.finditer(anyof.group("roles"))]
    equals = _ROLE_EQUALS.fullmatch(condition)
    return [equals.group("role")] if equals else None


def _place(raw: dict, meta: dict, ours: bool, context: _Context, reader: _Reader) -> None:
    """The item's dimension: its own, else its container's, else (a scored item of a form
    made elsewhere) its page's name."""
    if "dimension" in meta:
        if meta["dimension"] is not None:
            raw["dimension"] = meta["dimension"]
        return
    if ours:
        return
    if context.has_dimension:
        if isinstance(context.dimension, str) and context.dimension:
            raw["dimension"] = context.dimension
            reader.page_dimensions.setdefault(
                context.dimension, context.dimension_label or reader.named(context.dimension)
            )
        elif context.dimension is not None:
            raw["dimension"] = context.dimension  # refused by the item's validation
        return
    if context.page_name is not None and _is_scored(raw):
        raw["dimension"] = context.page_name
        reader.page_dimensions.setdefault(
            context.page_name, context.page_title or reader.named(context.page_name)
        )


# --- choices, rows and bounds ------------------------------------------------------------------


def _choice_list(element: dict, qtype: str) -> list[Any]:
    """The choices of a choice question as given (a rating's `rateValues`, or its range)."""
    if qtype == "rating":
        values = element.get("rateValues")
        if isinstance(values, list) and values:
            return values
        low, high, step = (
            element.get(k, d) for k, d in (("rateMin", 1), ("rateMax", 5), ("rateStep", 1))
        )
        count_given: Any = element.get("rateCount")
        if "rateMax" not in element and _is_number(count_given) and _is_number(low):
            high = low + (step if _is_number(step) else 1) * (count_given - 1)
        if all(_is_number(v) for v in (low, high, step)) and step > 0 and high >= low:
            count = min(math.floor((high - low) / step + 1e-9) + 1, 1000)
            return [_plain(low + i * step) for i in range(count)]
        return []
    choices = element.get("choices")
    return choices if isinstance(choices, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _value_of(choice: Any) -> Any:
    if isinstance(choice, dict):
        return choice.get("value")
    if isinstance(choice, str) and "|" in choice:
        return choice.split("|", 1)[0]
    return choice


def _number(value: Any) -> float | None:
    """The number a choice value is (a JSON number, or a text that reads as one), else None."""
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _numeric_values(choices: list[Any]) -> bool:
    values = [_value_of(c) for c in choices if not _special(_value_of(c))]
    return bool(values) and all(_number(v) is not None for v in values)


#: Choice values that are no option: the questionnaire's NA and DK (every choice item has
#: them), SurveyJS's "Don't know" (DK) and "Refuse to answer" (unanswered) items.
_SPECIAL_VALUES = frozenset({NOT_APPLICABLE, DONT_KNOW, SURVEYJS_DONT_KNOW, SURVEYJS_REFUSED})


def _special(value: Any) -> bool:
    return isinstance(value, str) and value in _SPECIAL_VALUES


def answer_code(value: Any) -> str | None:
    """The option code of a choice value: a text as it is, a number in its shortest decimal
    form (`3`, `2.5`); None for anything else. Results are read with the same function."""
    if isinstance(value, str):
        return value
    if _is_number(value):
        return str(_plain(value)) if float(value).is_integer() else repr(float(value))
    return None


def _options(
    choices: list[Any],
    path: str,
    name: str,
    prop: str,
    ours: bool,
    reader: _Reader,
    *,
    multi: bool = False,
    numeric_range: tuple[float, float] | None = None,
) -> list[dict[str, Any]] | None:
    """The options of a list of SurveyJS choices (NA and DK left out): code, label, score (a
    choice's `score`, else its numeric value over the range when one is given), weight,
    description, exclusive."""
    options: list[dict[str, Any]] = []
    ok = True
    for index, choice in enumerate(choices):
        where = reader.at(f"{path}.{prop}[{index}]", name)
        value = _value_of(choice)
        code = answer_code(value)
        if code is None or code == "":
            reader.add(problem(where, Code.SURVEYJS_INVALID_CHOICE, value=excerpt(value)))
            ok = False
            continue
        if code in _SPECIAL_VALUES:
            continue
        option: dict[str, Any] = {"code": code}
        text: Any = None
        if isinstance(choice, dict):
            text = choice.get("text")
        elif isinstance(choice, str) and "|" in choice:
            text = choice.split("|", 1)[1]
        option["label"] = reader.localized(text, f"{path}.{prop}[{index}]", name, "text") or (
            reader.named(code)
        )
        meta = choice.get("barometre") if isinstance(choice, dict) else None
        if meta is not None:
            if not isinstance(meta, dict):
                reader.add(problem(where, Code.SURVEYJS_NOT_AN_OBJECT, property="barometre"))
                ok = False
                meta = {}
            for key in sorted(set(meta) - set(ChoiceMeta.model_fields), key=str):
                reader.add(problem(where, Code.EXTRA_FORBIDDEN, field=f"barometre.{excerpt(key)}"))
                ok = False
            for key in ("description", "weight"):
                if meta.get(key) is not None:
                    option[key] = meta[key]
        score = choice.get("score") if isinstance(choice, dict) else None
        if score is not None:
            option["score"] = score
        elif numeric_range is not None and not ours:
            low, high = numeric_range
            number = _number(value)
            if number is not None:
                option["score"] = 100.0 * (number - low) / (high - low) if high > low else 100.0
        if multi and isinstance(choice, dict) and choice.get("isExclusive"):
            option["exclusive"] = True
        options.append(option)
    return options if ok else None


def _range(choices: list[Any]) -> tuple[float, float] | None:
    """The range numeric choices are scored over: their smallest and largest value (a
    rating's `rateMin` and `rateMax` when its values are not listed)."""
    numbers = [_number(_value_of(c)) for c in choices if not _special(_value_of(c))]
    if not numbers or any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    return min(values), max(values)


def _coded_answers(
    element: dict, path: str, raw: dict, meta: dict, ours: bool, reader: _Reader
) -> bool:
    qtype = element["type"]
    if not _static_choices(element, path, raw["id"], reader):
        return False
    choices = _choice_list(element, qtype)
    prop = "rateValues" if qtype == "rating" and element.get("rateValues") else "choices"
    options = _options(choices, path, raw["id"], prop, ours, reader, numeric_range=_range(choices))
    if options is None:
        return False
    if element.get("showNoneItem"):
        label = reader.localized(element.get("noneText"), path, raw["id"], "noneText")
        options.append({"code": NONE_VALUE, "label": label or reader.product_text(_NONE_LABEL)})
    if raw["kind"] == "yesno" and meta.get("default_options"):
        options = []
    raw["options"] = options
    if not ours and "scored" not in raw and options and all("score" not in o for o in options):
        raw["scored"] = False  # choices without scores: an item that describes, not scores
    return True


def _multi_answers(
    element: dict, path: str, raw: dict, meta: dict, ours: bool, reader: _Reader
) -> bool:
    if not _static_choices(element, path, raw["id"], reader):
        return False
    options = _options(
        _choice_list(element, element["type"]), path, raw["id"], "choices", ours, reader, multi=True
    )
    if options is None:
        return False
    if element.get("showNoneItem"):
        label = reader.localized(element.get("noneText"), path, raw["id"], "noneText")
        none = label or reader.product_text(_NONE_LABEL)
        options.append({"code": NONE_VALUE, "label": none, "exclusive": True})
    raw["options"] = options
    return True


def _static_choices(element: dict, path: str, name: str, reader: _Reader) -> bool:
    """False, with the problem, when the question loads its choices from a web service
    (`choicesByUrl`): the answers could be values the form does not list."""
    if element.get("choicesByUrl") is None:
        return True
    reader.add(problem(reader.at(path, name), Code.SURVEYJS_CHOICES_BY_URL))
    return False


def _matrix_answers(
    element: dict, path: str, raw: dict, meta: dict, ours: bool, reader: _Reader
) -> bool:
    name = raw["id"]
    columns = element.get("columns")
    rows = element.get("rows")
    ok = True
    for prop, value in (("columns", columns), ("rows", rows)):
        if not isinstance(value, list):
            reader.add(problem(reader.at(path, name), Code.SURVEYJS_NOT_A_LIST, property=prop))
            ok = False
    if not ok:
        return False
    assert isinstance(columns, list) and isinstance(rows, list)
    options = _options(columns, path, name, "columns", ours, reader, numeric_range=_range(columns))
    if options is None:
        return False
    scored = raw.get("scored", True)
    for index, option in enumerate(options):
        if scored and "score" not in option:
            where = reader.at(f"{path}.columns[{index}]", name)
            reader.add(problem(where, Code.SURVEYJS_COLUMN_WITHOUT_SCORE, value=option["code"]))
            ok = False
    raw["options"] = [] if meta.get("default_options") else options
    raw["rows"] = []
    for index, row in enumerate(rows):
        value = _value_of(row)
        code = answer_code(value)
        if code is None or code == "":
            where = reader.at(f"{path}.rows[{index}]", name)
            reader.add(problem(where, Code.SURVEYJS_INVALID_CHOICE, value=excerpt(value)))
            ok = False
            continue
        text = row.get("text") if isinstance(row, dict) else None
        entry: dict[str, Any] = {
            "id": code,
            "label": reader.localized(text, f"{path}.rows[{index}]", name, "text")
            or reader.named(code),
        }
        row_meta = row.get("barometre") if isinstance(row, dict) else None
        if isinstance(row_meta, dict) and "weight" in row_meta:
            entry["weight"] = row_meta["weight"]
        raw["rows"].append(entry)
    return ok


def _read_bounds(
    element: dict, raw: dict, meta: dict, ours: bool, where: str, reader: _Reader
) -> None:
    defaults = meta.get("default_bounds") or []
    for prop, key in (("min", "minimum"), ("max", "maximum")):
        value = element.get(prop)
        if value is None or (isinstance(defaults, list) and key in defaults and ours):
            continue
        number = _number(value)
        if number is None:
            reader.add(
                problem(where, Code.SURVEYJS_INVALID_NUMBER, property=prop, value=excerpt(value))
            )
            continue
        raw[key] = number


def _is_path_panel(element: dict) -> bool:
    """A panel that is a path item (its `barometre.kind` says so), not a container."""
    meta = element.get("barometre")
    return isinstance(meta, dict) and meta.get("kind") == "path"


def _path_answers(
    element: dict, path: str, raw: dict, meta: dict, ours: bool, reader: _Reader
) -> bool:
    """The steps of a path panel: each a radiogroup whose choices carry their score or the
    step they lead to (`barometre.next`); a step's id is its name after `ITEM__`."""
    name = raw["id"]
    elements = element.get("elements")
    if not isinstance(elements, list):
        reader.add(problem(reader.at(path, name), Code.SURVEYJS_NOT_A_LIST, property="elements"))
        return False
    prefix = f"{name}{PATH_STEP_SEPARATOR}"
    raw["steps"] = []
    ok = True
    for index, step in enumerate(elements):
        where = f"{path}.elements[{index}]"
        step_name = step.get("name") if isinstance(step, dict) else None
        if (
            not isinstance(step, dict)
            or step.get("type") != "radiogroup"
            or not isinstance(step_name, str)
            or not step_name.startswith(prefix)
        ):
            reader.add(
                problem(
                    reader.at(where, step_name),
                    Code.SURVEYJS_PATH_STEP,
                    name=excerpt(step_name),
                    prefix=prefix,
                )
            )
            ok = False
            continue
        options = _options(
            _choice_list(step, "radiogroup"), where, step_name, "choices", True, reader
        )
        if options is None:
            ok = False
            continue
        for option, choice in zip(options, _path_choices(step), strict=False):
            choice_meta = choice.get("barometre") if isinstance(choice, dict) else None
            if isinstance(choice_meta, dict) and choice_meta.get("next") is not None:
                option["next"] = choice_meta["next"]
        entry: dict[str, Any] = {
            "id": step_name[len(prefix) :],
            "label": reader.localized(step.get("title"), where, step_name, "title")
            or reader.named(step_name),
            "options": options,
        }
        help_text = reader.localized(step.get("description"), where, step_name, "description")
        if help_text is not None:
            entry["help"] = help_text
        raw["steps"].append(entry)
    return ok


def _path_choices(step: dict) -> list[Any]:
    """A step's choices as `_options` reads them (NA and DK left out), in the same order."""
    return [
        c
        for c in _choice_list(step, "radiogroup")
        if answer_code(_value_of(c)) not in _SPECIAL_VALUES
    ]


_ANSWERS = {
    "panel": _path_answers,
    "radiogroup": _coded_answers,
    "dropdown": _coded_answers,
    "rating": _coded_answers,
    "checkbox": _multi_answers,
    "tagbox": _multi_answers,
    "matrix": _matrix_answers,
}


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys

    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/schemas/surveyjs-form.schema.json")
    )
    write_text_atomic(target, form_schema_text())
    print(target)
