"""The PDF of the questions (issue 12 §4): the questionnaire printed for a reader, in French or
English, so that anyone can see what was asked.

Questions are numbered and grouped by dimension (context and open questions last); each says
who is asked it, its kind, its help, its options with their codes and the score each is worth
(a discreet column: the scores are public, as on the method page), or how a figure is scored
on its goalposts. The PDF is tagged (PDF/UA-1, `reports.render`) with its language and title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from barometre import formatting
from barometre.errors import gettext_noop as _
from barometre.i18n import Language, translation
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.languages import shown
from barometre.questionnaire.models import Item, Option, PathOption, Questionnaire, Relevance
from barometre.reports.render import pdf_bytes, render_html, write_pdf

TEXTS: dict[str, str] = {
    "subtitle": _("The questions of the barometer"),
    "intro": _(
        "Every question of the questionnaire, who is asked it, its possible answers and the "
        "score each answer is worth, from 0 to 100."
    ),
    "versions": _("Questionnaire {id}, version {version}; methodology {methodology}."),
    "roles": _("Roles that answer"),
    "na_dk": _(
        "Every question can also be answered “Not applicable” or “Don't know”: neither "
        "answer is given a score."
    ),
    "contents": _("Contents"),
    "questions_count": _("{count} questions"),
    "context": _("Context and open questions"),
    "context_intro": _(
        "These questions describe the organisation or ask for a comment: they are not scored."
    ),
    "dimension_weight": _("Weight of the dimension in the global index: {weight}."),
    "asked_to": _("Asked to"),
    "dimension": _("Dimension"),
    "axis": _("Axis"),
    "weight": _("Weight"),
    "kind": _("Kind of answer"),
    "help": _("Help"),
    "answer": _("Answer"),
    "code": _("Code"),
    "score": _("Score"),
    "practice": _("Practice"),
    "not_scored": _("Not scored."),
    "figure_from": _("The organisation's figure is the answer of: {role}."),
    "tech": _("technology deployed"),
    "transfo": _("transformation of practices"),
    "kind_scale": _("scale, one answer"),
    "kind_single": _("single choice"),
    "kind_multi": _("several answers possible"),
    "kind_status": _("table of practices, each on the deployment ladder"),
    "kind_percent": _("a percentage"),
    "kind_number": _("a number"),
    # conditional questions (`relevant`)
    "only_if": _("Answer only if {condition}."),
    "option_only_if": _("The answer “{option}” is offered only if {condition}."),
    "condition_answer": _("the answer to “{question}” ({item}) is {answers}"),
    "condition_ticked": _("“{question}” ({item}) has {answers} ticked"),
    "condition_or": _("{first} or {second}"),
    "condition_and": _("{first} and {second}"),
    "condition_quoted": _("“{answer}”"),
    "kind_yesno": _("yes or no"),
    "kind_text": _("free text"),
    "multi_rule": _(
        "Score: the weighted share of the options ticked (weight in the score column); an "
        "option marked “alone” cannot be ticked with another and is worth its score."
    ),
    "alone": _("alone: {score}"),
    "status_rule": _("Score: the weighted mean of the practices, each scored on the ladder below."),
    "ladder": _("Deployment ladder"),
    "goalposts": _(
        "Score: {worst} or worse gives 0, {best} or better gives 100, linear in between."
    ),
    "range": _("Answer from {minimum} to {maximum}."),
    "unit": _("Unit: {unit}."),
    "kind_path": _("questions in sequence, one answer each"),
    "then": _("Then"),
    "path_rule": _(
        "Score: the score of the answer that ends the sequence; an answer marked → leads to "
        "the question of that number."
    ),
    "path_unscored_rule": _("An answer marked → leads to the question of that number."),
}


@dataclass(frozen=True)
class OptionLine:
    code: str
    label: str
    description: str
    #: What the option is worth, as printed ("75", "×2", "alone: 0"), empty when unscored.
    score: str


@dataclass(frozen=True)
class RowLine:
    label: str
    weight: str


@dataclass(frozen=True)
class StepLine:
    """A question of a path item; its options' `score` is the score of an ending answer, or
    the number of the step the answer leads to ("→ 2")."""

    number: int
    label: str
    help: str
    options: tuple[OptionLine, ...]


@dataclass(frozen=True)
class Question:
    number: int
    id: str
    label: str
    help: str
    kind: str
    roles: str
    dimension: str
    axis: str
    weight: str
    options: tuple[OptionLine, ...]
    rows: tuple[RowLine, ...]
    #: How the answer is scored, in a sentence (figures, multiple choice, status tables).
    rules: tuple[str, ...]
    scored: bool
    steps: tuple[StepLine, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str
    weight: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class QuestionnaireDocument:
    """What the PDF prints, in one language."""

    language: Language
    title: str
    description: str
    versions: str
    roles: tuple[str, ...]
    sections: tuple[Section, ...]
    ladder: tuple[OptionLine, ...]
    q: dict[str, str]

    @property
    def count(self) -> int:
        return sum(len(s.questions) for s in self.sections)


def _texts(language: Language) -> dict[str, str]:
    translate = translation(language)
    return {key: translate(text) for key, text in TEXTS.items()}


def _axis_name(
    questionnaire: Questionnaire, axis: str | None, t: dict[str, str], language: Language
) -> str:
    """An item's axis in words: "technology deployed", or the questionnaire's own label of a
    named axis (nothing without an axis)."""
    typology = questionnaire.methodology.typology
    if axis is None or typology is None:
        return ""
    if typology.named:
        return typology.labels()[typology.role_of()[axis]].get(language)
    return t[axis]


def _num(value: float, language: Language) -> str:
    return formatting.number(value, 0 if float(value).is_integer() else 1, language=language)


def _option_score(option: Option, item: Item, t: dict[str, str], language: Language) -> str:
    if not item.is_scored:
        return ""
    if item.kind == "multi":
        if option.exclusive:
            return t["alone"].format(score=_num(option.score or 0, language))
        return "×" + _num(option.weight or 1, language)
    return _num(option.score, language) if option.score is not None else ""


def _question(
    number: int, item: Item, questionnaire: Questionnaire, t: dict[str, str], language: Language
) -> Question:
    roles = {role.code: role.label.get(language) for role in questionnaire.roles}
    separator = f"{formatting.NNBSP}; " if language == "fr" else "; "
    options: tuple[OptionLine, ...] = ()
    if item.kind != "status":
        options = tuple(
            OptionLine(
                o.code,
                shown(o.label, language, questionnaire.default_language),
                shown(o.description, language, questionnaire.default_language),
                _option_score(o, item, t, language),
            )
            for o in effective_options(item, questionnaire.methodology)
        )
    rules: list[str] = []
    if not item.is_scored:
        rules.append(t["not_scored"])
    elif item.kind == "multi":
        rules.append(t["multi_rule"])
    elif item.kind == "status":
        rules.append(t["status_rule"])
    if item.kind in ("number", "percent"):
        unit = item.unit.get(language) if item.unit else ""
        if unit and item.kind == "number":
            rules.append(t["unit"].format(unit=unit))
        if item.minimum is not None and item.maximum is not None:
            rules.append(
                t["range"].format(
                    minimum=_bound(item.minimum, item, language),
                    maximum=_bound(item.maximum, item, language),
                )
            )
        if item.is_scored and item.goalposts is not None:
            rules.append(
                t["goalposts"].format(
                    worst=_bound(item.goalposts.worst, item, language),
                    best=_bound(item.goalposts.best, item, language),
                )
            )
    if item.reference_role and item.reference_role in roles:
        rules.append(t["figure_from"].format(role=roles[item.reference_role]))
    dimension = (
        questionnaire.dimension(item.dimension).label.get(language) if item.dimension else ""
    )
    return Question(
        number=number,
        id=item.id,
        label=shown(item.label, language, questionnaire.default_language),
        help=shown(item.help, language, questionnaire.default_language),
        kind=t[f"kind_{item.kind}"],
        roles=separator.join(roles.get(code, code) for code in item.roles),
        dimension=dimension,
        axis=_axis_name(questionnaire, item.axis, t, language) if item.is_scored else "",
        weight=_num(item.weight, language) if item.is_scored else "",
        options=options,
        rows=tuple(
            RowLine(
                shown(row.label, language, questionnaire.default_language),
                _num(row.weight, language),
            )
            for row in item.rows
        ),
        rules=tuple(rules)
        + _path_rules(item, t)
        + _condition_rules(item, questionnaire, t, language),
        scored=item.is_scored,
        steps=_steps(item, t, language),
    )


def _steps(item: Item, t: dict[str, str], language: Language) -> tuple[StepLine, ...]:
    """The questions of a path item, numbered from 1, each option with where it leads."""
    number = {step.id: position for position, step in enumerate(item.steps, start=1)}

    def then(option: PathOption) -> str:
        if option.next is not None:
            return f"→ {number.get(option.next, option.next)}"  # a sign, the same in French
        return _num(option.score, language) if option.score is not None and item.is_scored else ""

    return tuple(
        StepLine(
            number=number[step.id],
            label=step.label.get(language),
            help=step.help.get(language) if step.help else "",
            options=tuple(
                OptionLine(
                    o.code,
                    o.label.get(language),
                    o.description.get(language) if o.description else "",
                    then(o),
                )
                for o in step.options
            ),
        )
        for step in item.steps
    )


def _path_rules(item: Item, t: dict[str, str]) -> tuple[str, ...]:
    if item.kind != "path":
        return ()
    return (t["path_rule"] if item.is_scored else t["path_unscored_rule"],)


def _bound(value: float, item: Item, language: Language) -> str:
    if item.kind == "percent":
        return formatting.percent(value, 0 if float(value).is_integer() else 1, language=language)
    unit = f"{formatting.NBSP}{item.unit.get(language)}" if item.unit else ""
    return _num(value, language) + unit


def build_questionnaire_document(
    questionnaire: Questionnaire, language: Language = "fr"
) -> QuestionnaireDocument:
    """The questionnaire as the PDF prints it: dimensions in the questionnaire's order, each
    with its questions in order, then the context and open questions; numbered from 1."""
    t = _texts(language)
    groups: list[tuple[str, str, str, str, list[Item]]] = [
        (
            d.id,
            shown(d.label, language, questionnaire.default_language),
            shown(d.description, language, questionnaire.default_language),
            t["dimension_weight"].format(weight=_num(d.weight, language)),
            [i for i in questionnaire.items if i.dimension == d.id],
        )
        for d in questionnaire.dimensions
    ]
    known = {d.id for d in questionnaire.dimensions}
    others = [i for i in questionnaire.items if i.dimension not in known]
    if others:
        groups.append(("context", t["context"], t["context_intro"], "", others))
    sections = []
    number = 0
    for section_id, title, description, weight, items in groups:
        questions = []
        for item in items:
            number += 1
            questions.append(_question(number, item, questionnaire, t, language))
        if questions:
            sections.append(Section(section_id, title, description, weight, tuple(questions)))
    methodology = questionnaire.methodology
    return QuestionnaireDocument(
        language=language,
        title=shown(questionnaire.title, language, questionnaire.default_language),
        description=shown(questionnaire.description, language, questionnaire.default_language),
        versions=t["versions"].format(
            id=questionnaire.id,
            version=questionnaire.version,
            methodology=methodology.version,
        ),
        roles=tuple(role.label.get(language) for role in questionnaire.roles),
        sections=tuple(sections),
        ladder=tuple(
            OptionLine(o.code, o.label.get(language), "", _num(o.score or 0, language))
            for o in methodology.status_ladder
        ),
        q=t,
    )


def questionnaire_html(questionnaire: Questionnaire, language: Language = "fr") -> str:
    return render_html("questionnaire.html", build_questionnaire_document(questionnaire, language))


def questionnaire_pdf_bytes(questionnaire: Questionnaire, language: Language = "fr") -> bytes:
    """The PDF of the questions (tagged PDF/UA-1) in `language`."""
    return pdf_bytes(questionnaire_html(questionnaire, language))


def write_questionnaire_pdf(
    questionnaire: Questionnaire, target: str | Path, language: Language = "fr"
) -> Path:
    """Write the PDF of the questions to `target` (under a temporary name, then renamed)."""
    return write_pdf(questionnaire_html(questionnaire, language), target)


# --- conditional questions (`relevant`) ----------------------------------------------------


def _condition_rules(
    item: Item, questionnaire: Questionnaire, t: dict[str, str], language: Language
) -> tuple[str, ...]:
    """“Answer only if ...” for a conditional item, and for each of its conditional options."""
    rules = []
    if item.relevant is not None:
        rules.append(
            t["only_if"].format(condition=_condition(item.relevant, questionnaire, t, language))
        )
    for option in effective_options(item, questionnaire.methodology):
        if option.relevant is not None:
            condition = _condition(option.relevant, questionnaire, t, language)
            rules.append(
                t["option_only_if"].format(option=option.label.get(language), condition=condition)
            )
    return tuple(rules)


def _joined(parts: list[str], key: str, t: dict[str, str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text = t[key].format(first=text, second=part)
    return text


def _condition(
    relevance: Relevance, q: Questionnaire, t: dict[str, str], language: Language
) -> str:
    said = []
    for condition in relevance.conditions:
        target = q.item(condition.item)
        labels = {o.code: o.label.get(language) for o in effective_options(target, q.methodology)}
        quoted = [t["condition_quoted"].format(answer=labels.get(c, c)) for c in condition.in_]
        answers = _joined(quoted, "condition_or", t)
        key = "condition_ticked" if target.kind == "multi" else "condition_answer"
        said.append(
            t[key].format(question=target.label.get(language), item=target.id, answers=answers)
        )
    return _joined(said, "condition_and" if relevance.needs_all else "condition_or", t)
