"""Reads for the respondent's journey: pages, items as shown, answers, progress."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.i18n import language_of
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.languages import shown
from barometre.questionnaire.models import DONT_KNOW, MULTI_SEPARATOR, NOT_APPLICABLE, Item
from barometre.questionnaire.paths import follow, reached, split_path
from barometre.questionnaire.relevance import Rule, ShownOne
from barometre.scoring.answer_check import AnswerRules
from barometre.web.campaigns.questionnaires import wave_answer_rules, wave_questionnaire
from barometre.web.responses.models import Respondent


@dataclass
class ShownOption:
    code: str
    label: str
    description: str = ""
    exclusive: bool = False
    checked: bool = False
    hidden: bool = False  # its condition is not met by the saved answers (conditional options)
    relevant: str = ""  # its condition, as JSON for the page's script (relevance.js)
    next: str = ""  # in a path item: the id of the step it leads to, "" when it ends the path


@dataclass
class ShownStep:
    """A question of a path item as shown: its options say where each leads (`next`) and
    which is chosen on the stored path."""

    id: str
    label: str
    help: str
    options: list[ShownOption] = field(default_factory=list)
    reached: bool = False  # on the stored path (answered, or the next to answer)


@dataclass
class ShownRow:
    field_id: str
    label: str
    value: str = ""
    version: int = 0


@dataclass
class ShownItem:
    """An item as the page shows it, with the respondent's current answer."""

    id: str
    kind: str
    label: str
    help: str
    options: list[ShownOption] = field(default_factory=list)
    rows: list[ShownRow] = field(default_factory=list)
    value: str = ""
    special: str = ""  # "NA" or "DK" when the item was answered so
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    version: int = 0  # of the stored answer, 0 when none: a write states the version it saw
    required: bool = True  # an open (text) question may be left blank
    minimum_text: str = ""  # the bounds as the reader writes numbers ("0,5" in French)
    maximum_text: str = ""
    hidden: bool = False  # its condition is not met by the saved answers (conditional items)
    relevant: str = ""  # its condition, as JSON for the page's script (relevance.js)
    steps: list[ShownStep] = field(default_factory=list)  # the questions of a path item
    #: The labels of the options chosen earlier that the answers now hide: the answer keeps
    #: them (nothing typed is lost) but they do not count; the question says so.
    set_aside: list[str] = field(default_factory=list)

    @property
    def counted_choices(self) -> list[str]:
        """The labels of the chosen options that count (a choice set aside does not): what the
        thank-you page lists."""
        return [option.label for option in self.options if option.checked and not option.hidden]

    @property
    def conditional_options(self) -> bool:
        """Some option has a condition: the page's script may set a choice aside."""
        return any(option.relevant for option in self.options)


class Page:
    """A page of the questionnaire; its items are made as shown (with the respondent's
    answers, in the reader's language) only when a page is displayed: a request shows one
    page and needs only the titles of the others."""

    def __init__(
        self, title: str, description: str, items: list[Item], show, counts_zero: bool = False
    ) -> None:
        self.number = 0
        self.title = title
        self.description = description
        self.questions = items
        self._show = show
        #: The saved answers conditions look at, as JSON for relevance.js ("" without any).
        self.relevance = ""
        #: The condition of every conditional question, as JSON for relevance.js: it decides
        #: whether a question of another page is shown (a cascade, the strip of pages).
        self.conditions = ""
        #: The condition of every conditional option (item id -> code -> condition), as JSON
        #: for relevance.js: a condition reads an answer without its choices set aside.
        self.option_conditions = ""
        #: The page's dimension counts an unanswered question 0 (`missing_as_zero`): the
        #: page says so to the person answering.
        self.counts_zero = counts_zero

    @cached_property
    def items(self) -> list[ShownItem]:
        return [self._show(item) for item in self.questions]

    @property
    def asked_items(self) -> list[ShownItem]:
        """The items the saved answers call for (a hidden item's answer is kept, not counted:
        the thank-you page does not list it)."""
        return [item for item in self.items if not item.hidden]


def _text(localized, language: str | None = None) -> str:
    """The text in the reader's language, else the questionnaire's default language's, marked
    with its language (`ShownText.lang`: the page's `lang` attribute)."""
    return shown(localized, language_of(language or get_language())) if localized else ""


@dataclass(frozen=True)
class StoredAnswers:
    """The respondent's answers (cleared ones left out) and the version of every field."""

    values: dict[str, str]
    versions: dict[str, int]

    def get(self, field_id: str, default: str = "") -> str:
        return self.values.get(field_id, default)

    def __contains__(self, field_id: str) -> bool:
        return field_id in self.values


def respondent_answers(respondent: Respondent) -> StoredAnswers:
    rows = list(respondent.answers.values_list("field_id", "value", "version"))
    return StoredAnswers(
        values={f: value for f, value, _v in rows if value},
        versions={f: v for f, _value, v in rows},
    )


def asked_items(respondent: Respondent) -> list[Item]:
    questionnaire, _tables = wave_questionnaire(respondent.wave)
    return [item for item in questionnaire.items if respondent.role in item.roles]


def respondent_pages(respondent: Respondent) -> list[Page]:
    """Context first (if any), one page per dimension, then open questions."""
    questionnaire, _tables = wave_questionnaire(respondent.wave)
    rules = wave_answer_rules(respondent.wave)
    items = asked_items(respondent)
    answers = respondent_answers(respondent)
    language = get_language() or "fr"

    shown = rules.shown(answers.values)

    def show(item: Item) -> ShownItem:
        return _with_relevance(_shown(item, answers, questionnaire, rules, language), shown, rules)

    pages: list[Page] = []
    context = [i for i in items if (i.dimension is None and i.kind != "text") or i.context]
    if context:
        pages.append(
            Page(
                _("Your organisation"),
                _("A few facts about your organisation and how you see it."),
                context,
                show,
            )
        )
    for dimension in questionnaire.dimensions:
        in_dimension = [i for i in items if i.dimension == dimension.id and not i.context]
        if in_dimension:
            pages.append(
                Page(
                    _text(dimension.label, language),
                    _text(dimension.description, language),
                    in_dimension,
                    show,
                    counts_zero=dimension.counts_missing_as_zero(questionnaire.methodology)
                    and any(i.is_scored for i in in_dimension),
                )
            )
    open_questions = [
        i for i in items if i.dimension is None and i.kind == "text" and not i.context
    ]
    if open_questions:
        pages.append(Page(_("In your own words"), _("Optional questions."), open_questions, show))
    for number, page in enumerate(pages, start=1):
        page.number = number
        page.relevance = _relevance_answers(rules, answers)
        page.conditions = _conditions_json(rules)
        page.option_conditions = _option_conditions_json(rules)
    return pages


def _shown(
    item: Item, answers: StoredAnswers, questionnaire, rules: AnswerRules, language: str
) -> ShownItem:
    """The item as shown; its field ids and bounds are those the answers are checked with."""
    fields = {rule.row_id: rule for rule in rules.item_fields(item.id)}
    value = answers.get(item.id, "")
    special = value if value in (NOT_APPLICABLE, DONT_KNOW) else ""
    ticked = set(value.split(MULTI_SEPARATOR)) if item.kind == "multi" and not special else set()
    options = [
        ShownOption(
            code=o.code,
            label=_text(o.label, language),
            description=_text(o.description, language),
            exclusive=o.exclusive,
            checked=(o.code in ticked) if item.kind == "multi" else o.code == value,
        )
        for o in effective_options(item, questionnaire.methodology)
    ]
    rows = [
        ShownRow(
            field_id=fields[r.id].field_id,
            label=_text(r.label, language),
            value=answers.get(fields[r.id].field_id, ""),
            version=answers.versions.get(fields[r.id].field_id, 0),
        )
        for r in item.rows
        if r.id in fields
    ]
    own = fields.get(None)  # the item's own field (a status table has one per row instead)
    minimum = own.minimum if own is not None else None
    maximum = own.maximum if own is not None else None
    reader = language_of(language)
    return ShownItem(
        id=item.id,
        kind=item.kind,
        label=_text(item.label, language),
        help=_text(item.help, language),
        options=options,
        rows=rows,
        value="" if special else value,
        special=special,
        unit=_text(item.unit, language) if item.unit else ("%" if item.kind == "percent" else ""),
        minimum=minimum,
        maximum=maximum,
        version=answers.versions.get(item.id, 0),
        required=item.kind != "text",
        minimum_text=_bound_text(minimum, reader),
        maximum_text=_bound_text(maximum, reader),
        steps=_shown_steps(item, "" if special else value, language),
    )


def _shown_steps(item: Item, value: str, language: str) -> list[ShownStep]:
    """The steps of a path item, the stored path's answers chosen (nothing for another kind)."""
    if item.kind != "path":
        return []
    codes = split_path(value) if value else []
    on_path = reached(item, codes)
    chosen = dict(zip((step.id for step in on_path), codes, strict=False))
    return [
        ShownStep(
            id=step.id,
            label=_text(step.label, language),
            help=_text(step.help, language),
            options=[
                ShownOption(
                    code=o.code,
                    label=_text(o.label, language),
                    description=_text(o.description, language),
                    checked=chosen.get(step.id) == o.code,
                    next=o.next or "",
                )
                for o in step.options
            ],
            reached=any(s.id == step.id for s in on_path),
        )
        for step in item.steps
    ]


def _bound_text(bound: float | None, language) -> str:
    """A bound with only the decimals it has (at most 2): "0", "0,5", "12 000"."""
    if bound is None:
        return ""
    exponent = formatting.exact(bound).normalize().as_tuple().exponent
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 0
    return formatting.number(bound, places, language=language)


def respondent_progress(respondent: Respondent, counted: int | None = None) -> tuple[int, int]:
    """(answered, asked) fields; NA and DK count as answered. The count of answered fields is
    kept by every write (`counted`, when the caller has it fresher than the row), the number
    asked is the questionnaire's: no query beyond the row. With conditional questions, the
    fields of the items the saved answers hide are neither asked nor answered (one query)."""
    rules = wave_answer_rules(respondent.wave)
    asked = rules.asked_fields(respondent.role)
    answered = respondent.answered if counted is None else counted
    if rules.relevance.empty:
        return answered, len(asked)
    return _progress_shown(rules, asked, respondent_answers(respondent))


@dataclass(frozen=True)
class UnansweredQuestion:
    """A question still waiting for an answer, and where it is (page and anchor)."""

    page_number: int
    page_title: str
    item_id: str
    label: str

    @property
    def anchor(self) -> str:
        return f"item-{self.item_id}"  # the id of the question's fieldset (item.html)


PageState = Literal["complete", "incomplete", "optional"]


@dataclass(frozen=True)
class PageCompletion:
    """How far a page is answered: `required` questions (every one but the open, optional
    questions), those of them still `unanswered`. A page of optional questions only is
    neither complete nor incomplete: "optional"."""

    number: int
    title: str
    required: int
    unanswered: tuple[UnansweredQuestion, ...]
    #: Every question of the page is hidden by its condition: nothing on it to answer.
    hidden: bool = False
    #: The page's questions when each of them has a condition (the page's script shows or
    #: hides the page in the strip as answers change); () when some question is always asked.
    conditional_items: tuple[str, ...] = ()

    @property
    def state(self) -> PageState:
        if not self.required:
            return "optional"
        return "incomplete" if self.unanswered else "complete"


def is_required(item: Item) -> bool:
    """Every question needs an answer (NA and DK are answers) but the open ones."""
    return item.kind != "text"


def page_completion(respondent: Respondent, pages: list[Page]) -> list[PageCompletion]:
    """Each page's completeness, from the stored answers: a question is answered when each of
    its fields asked to the respondent's role (every row of a status table) has an answer."""
    rules = wave_answer_rules(respondent.wave)
    asked = rules.asked_fields(respondent.role)
    answers = respondent_answers(respondent)
    language = get_language() or "fr"
    shown = rules.shown(answers.values)
    hidden = shown.hidden_items  # conditional items not asked
    conditional = rules.relevance.items
    completions = []
    for page in pages:
        required = [i for i in page.questions if is_required(i) and i.id not in hidden]
        unanswered = tuple(
            UnansweredQuestion(page.number, page.title, item.id, _text(item.label, language))
            for item in required
            if any(
                # an answer made only of choices now hidden is kept, not counted
                not shown.counted(item.id, answers.get(rule.field_id))
                for rule in rules.item_fields(item.id)
                if rule.field_id in asked
            )
            or _incomplete_path(item, answers.get(item.id))
        )
        ids = tuple(item.id for item in page.questions)
        completions.append(
            PageCompletion(
                page.number,
                page.title,
                len(required),
                unanswered,
                hidden=bool(ids) and all(i in hidden for i in ids),
                conditional_items=ids if ids and all(i in conditional for i in ids) else (),
            )
        )
    return completions


def _incomplete_path(item: Item, value: str) -> bool:
    """A path item whose stored path stops before an answer that ends it: still unanswered
    (the scores count it missing)."""
    if item.kind != "path" or not value or value in (NOT_APPLICABLE, DONT_KNOW):
        return False
    return follow(item, split_path(value)).state == "incomplete"


def unanswered_questions(completions: list[PageCompletion]) -> list[UnansweredQuestion]:
    """Every question still unanswered, page after page, in the questionnaire's order."""
    return [question for page in completions for question in page.unanswered]


# --- conditional questions (`relevant`, questionnaire/relevance.py) ----------------------


def _condition_json(rule: Rule | None) -> str:
    """A condition for relevance.js: {"all": bool, "clauses": [{"item", "in", "ticks"}]}."""
    if rule is None:
        return ""
    clauses = [{"item": c.item_id, "in": sorted(c.codes), "ticks": c.ticks} for c in rule.clauses]
    return json.dumps({"all": rule.needs_all, "clauses": clauses}, separators=(",", ":"))


def _with_relevance(shown_item: ShownItem, shown: ShownOne, rules: AnswerRules) -> ShownItem:
    """The item hidden when the saved answers do not meet its condition, its options too;
    each with its condition for the page's script, which shows or hides them as answers
    change."""
    relevance = rules.relevance
    if relevance.empty:
        return shown_item
    shown_item.hidden = not shown.item_shown(shown_item.id)
    shown_item.relevant = _condition_json(relevance.items.get(shown_item.id))
    by_code = relevance.options.get(shown_item.id, {})
    chosen = {row.value for row in shown_item.rows}  # a status table's rows
    for option in shown_item.options:
        option.hidden = not shown.option_shown(shown_item.id, option.code)
        option.relevant = _condition_json(by_code.get(option.code))
        if option.hidden and (option.checked or option.code in chosen):
            shown_item.set_aside.append(option.label)
    return shown_item


def _relevance_answers(rules: AnswerRules, answers: StoredAnswers) -> str:
    """The saved answers of the items conditions look at, as JSON: the page's script reads
    those of the other pages here (one hidden by its own condition, which the script reads
    in `_conditions_json`, counts as unanswered)."""
    if rules.relevance.empty:
        return ""
    looked_at = sorted(rules.relevance.condition_items)
    return json.dumps({i: answers.get(i) for i in looked_at}, separators=(",", ":"))


def _conditions_json(rules: AnswerRules) -> str:
    """Item id -> its condition, for every conditional item (as `_condition_json`)."""
    if rules.relevance.empty:
        return ""
    conditions = {
        item_id: json.loads(_condition_json(rule))
        for item_id, rule in rules.relevance.items.items()
    }
    return json.dumps(conditions, separators=(",", ":"))


def _option_conditions_json(rules: AnswerRules) -> str:
    """Item id -> option code -> its condition, for every conditional option (as
    `_condition_json`): a condition reads an answer without the choices its own conditions
    hide, on this page or another."""
    if rules.relevance.empty:
        return ""
    conditions = {
        item_id: {code: json.loads(_condition_json(rule)) for code, rule in by_code.items()}
        for item_id, by_code in rules.relevance.options.items()
    }
    return json.dumps(conditions, separators=(",", ":"))


def _progress_shown(
    rules: AnswerRules, asked: frozenset[str], answers: StoredAnswers
) -> tuple[int, int]:
    shown = rules.shown(answers.values)
    counted = {f for f in asked if rules.fields[f].item_id not in shown.hidden_items}
    # an answer made only of choices its conditions now hide is kept but not counted
    given = sum(1 for f in counted if shown.counted(rules.fields[f].item_id, answers.get(f)))
    return given, len(counted)


def may_reveal(page: Page) -> bool:
    """Whether answers posted on the page can reveal one of its questions (a conditional
    question), a step of its path items, or set aside a choice of a conditional option."""
    return any(
        item.relevant is not None
        or item.kind == "path"
        or any(option.relevant is not None for option in item.options)
        for item in page.questions
    )


def newly_shown(before: Page, after: Page) -> str:
    """The anchor of the first question of the page that the answers just saved reveal
    (hidden before, shown now), or of a path's step they lead to and that waits for an
    answer; "" when none. Without JavaScript the page is shown again there, so that no
    question it brings is passed by (views.page). A question whose earlier choice the
    answers now set aside (a conditional option no longer met) is shown again too, with the
    note that says so."""
    was = {item.id: item for item in before.items}
    for item in after.items:
        old = was.get(item.id)
        if old is None or item.hidden:
            continue
        if old.hidden or set(item.set_aside) - set(old.set_aside):
            return f"item-{item.id}"
        earlier = {step.id for step in old.steps if step.reached}
        for step in item.steps:
            waiting = step.reached and not any(option.checked for option in step.options)
            if waiting and step.id not in earlier:
                return f"step-{item.id}-{step.id}"
    return ""
