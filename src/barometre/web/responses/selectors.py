"""Reads for the respondent's journey: pages, items as shown, answers, progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.i18n import language_of
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.models import DONT_KNOW, MULTI_SEPARATOR, NOT_APPLICABLE, Item
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


class Page:
    """A page of the questionnaire; its items are made as shown (with the respondent's
    answers, in the reader's language) only when a page is displayed: a request shows one
    page and needs only the titles of the others."""

    def __init__(self, title: str, description: str, items: list[Item], show) -> None:
        self.number = 0
        self.title = title
        self.description = description
        self.questions = items
        self._show = show

    @cached_property
    def items(self) -> list[ShownItem]:
        return [self._show(item) for item in self.questions]


def _text(localized, language: str | None = None) -> str:
    return localized.get(language or get_language() or "fr") if localized else ""


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

    def show(item: Item) -> ShownItem:
        return _shown(item, answers, questionnaire, rules, language)

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
                )
            )
    open_questions = [
        i for i in items if i.dimension is None and i.kind == "text" and not i.context
    ]
    if open_questions:
        pages.append(Page(_("In your own words"), _("Optional questions."), open_questions, show))
    for number, page in enumerate(pages, start=1):
        page.number = number
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
    )


def _bound_text(bound: float | None, language) -> str:
    """A bound with only the decimals it has (at most 2): "0", "0,5", "12 000"."""
    if bound is None:
        return ""
    exponent = formatting.exact(bound).normalize().as_tuple().exponent
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 0
    return formatting.number(bound, places, language=language)


def respondent_progress(respondent: Respondent) -> tuple[int, int]:
    """(answered, asked) fields; NA and DK count as answered. The count of answered fields is
    kept by every write, the number asked is the questionnaire's: no query beyond the row."""
    asked = len(wave_answer_rules(respondent.wave).asked_fields(respondent.role))
    return respondent.answered, asked


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
    completions = []
    for page in pages:
        required = [item for item in page.questions if is_required(item)]
        unanswered = tuple(
            UnansweredQuestion(page.number, page.title, item.id, _text(item.label, language))
            for item in required
            if any(
                rule.field_id not in answers
                for rule in rules.item_fields(item.id)
                if rule.field_id in asked
            )
        )
        completions.append(PageCompletion(page.number, page.title, len(required), unanswered))
    return completions


def unanswered_questions(completions: list[PageCompletion]) -> list[UnansweredQuestion]:
    """Every question still unanswered, page after page, in the questionnaire's order."""
    return [question for page in completions for question in page.unanswered]
