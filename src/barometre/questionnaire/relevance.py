"""Conditional questions: which items and options are shown to a respondent (`relevant`).

An item (or an option) with `relevant` is shown, answered and scored only when the respondent's
own answer to an earlier item is one of the codes listed (for a multi item: one of them is
ticked); `any_of` / `all_of` join several such conditions. An unanswered condition item, or
one answered "not applicable" or "don't know", meets no condition (as XLSForm's `relevant`);
an item not shown is "not applicable" for that respondent and leaves the denominators.
A condition reads the *counted* answer of its item: the answer of an item not shown counts
as unanswered (so an item whose condition item is not shown is not shown either, a cascade),
and a choice of an option not shown is left out of it (a choice the web keeps, set aside,
never calls for a later question; SurveyJS unticks it, ODK's `choice_filter` drops it).

The rules are made once per questionnaire (`relevance_rules`). `shown_to_respondents`
evaluates them for every respondent of a responses table at once (a loop over the
questionnaire's conditions, none over answers); `shown_for` does the same for one
respondent's answers (the web page, `AnswerRules`); both give the same result.
`check_relevance` holds the rules between parts a condition must follow (docs/
questionnaire-format.md, "Conditional questions").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from barometre.errors import Code, Problem, problem
from barometre.questionnaire.models import (
    MULTI_SEPARATOR,
    Item,
    Questionnaire,
    Relevance,
)

#: Kinds an item named by a condition may have: its answer is one code, or ticked codes.
CONDITION_KINDS = frozenset({"scale", "single", "multi", "yesno"})


@dataclass(frozen=True, slots=True)
class Clause:
    """One condition: the answer to `item_id` is one of `codes` (ticked, for a multi item)."""

    item_id: str
    codes: frozenset[str]
    ticks: bool


@dataclass(frozen=True, slots=True)
class Rule:
    """A `relevant`: its clauses, all needed (`all_of`) or one enough."""

    clauses: tuple[Clause, ...]
    needs_all: bool

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether the rule holds for one respondent's counted answers, by item id."""
        met = (_clause_holds(clause, answers.get(clause.item_id, "")) for clause in self.clauses)
        return all(met) if self.needs_all else any(met)

    def text(self) -> str:
        """The rule as written in messages: `q3 in yes, partly or q4 in none`."""
        joiner = " and " if self.needs_all else " or "
        return joiner.join(
            f"{clause.item_id} in {', '.join(sorted(clause.codes))}" for clause in self.clauses
        )


def _clause_holds(clause: Clause, answer: str) -> bool:
    if clause.ticks:
        return any(tick.strip() in clause.codes for tick in answer.split(MULTI_SEPARATOR))
    return answer in clause.codes


@dataclass(frozen=True)
class RelevanceRules:
    """The conditions of a questionnaire.

    items:   item id -> its rule, for the conditional items, in the questionnaire's order.
    options: item id -> option code -> its rule, for the conditional options.
    order:   every item that has or names a condition, in the questionnaire's order.
    """

    items: Mapping[str, Rule] = field(default_factory=lambda: MappingProxyType({}))
    options: Mapping[str, Mapping[str, Rule]] = field(default_factory=lambda: MappingProxyType({}))
    order: tuple[str, ...] = ()
    multi: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.items and not self.options

    @property
    def condition_items(self) -> frozenset[str]:
        """The items some condition looks at."""
        rules = list(self.items.values())
        rules += [rule for by_code in self.options.values() for rule in by_code.values()]
        return frozenset(clause.item_id for rule in rules for clause in rule.clauses)


def _rule(relevance: Relevance, multi: frozenset[str]) -> Rule:
    return Rule(
        clauses=tuple(
            Clause(c.item, frozenset(c.in_), c.item in multi) for c in relevance.conditions
        ),
        needs_all=relevance.needs_all,
    )


def relevance_rules(questionnaire: Questionnaire) -> RelevanceRules:
    """The questionnaire's conditions, ready to evaluate (empty when it has none)."""
    multi = frozenset(item.id for item in questionnaire.items if item.kind == "multi")
    items: dict[str, Rule] = {}
    options: dict[str, dict[str, Rule]] = {}
    for item in questionnaire.items:
        if item.relevant is not None:
            items[item.id] = _rule(item.relevant, multi)
        for option in item.options:
            if option.relevant is not None:
                options.setdefault(item.id, {})[option.code] = _rule(option.relevant, multi)
    if not items and not options:
        return RelevanceRules()
    rules = RelevanceRules(
        items=MappingProxyType(items),
        options=MappingProxyType({k: MappingProxyType(v) for k, v in options.items()}),
        multi=multi,
    )
    involved = set(items) | set(options) | rules.condition_items
    order = tuple(item.id for item in questionnaire.items if item.id in involved)
    return RelevanceRules(items=rules.items, options=rules.options, order=order, multi=multi)


# --- one respondent -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownOne:
    """What one respondent is not shown: items, and options by item."""

    hidden_items: frozenset[str] = frozenset()
    hidden_options: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def item_shown(self, item_id: str) -> bool:
        return item_id not in self.hidden_items

    def option_shown(self, item_id: str, code: str) -> bool:
        return code not in self.hidden_options.get(item_id, frozenset())

    def counted(self, item_id: str, answer: str) -> str:
        """What of an answer to `item_id` (its own field or a status row's) counts, as
        `drop_hidden_answers` leaves it: "" for an item not shown, else the answer without
        the choices of the options not shown ("" when nothing else was chosen)."""
        if item_id in self.hidden_items:
            return ""
        answer = str(answer).strip()
        for code in self.hidden_options.get(item_id, frozenset()):
            answer = _without(answer, code)
        return answer


def shown_for(rules: RelevanceRules, answers: Mapping[str, str]) -> ShownOne:
    """The items and options hidden from one respondent, from their answers (field id ->
    answer; the answer of a status table's row is not looked at)."""
    if rules.empty:
        return ShownOne()
    # item id -> its counted answer: "" when not shown, else without the hidden choices
    effective: dict[str, str] = {}
    hidden: set[str] = set()
    options: dict[str, frozenset[str]] = {}
    for item_id in rules.order:
        # an option's condition names earlier items only: their counted answers are known
        by_code = rules.options.get(item_id, {})
        hidden_codes = frozenset(
            code for code, rule in by_code.items() if not rule.holds(effective)
        )
        if hidden_codes:
            options[item_id] = hidden_codes
        rule = rules.items.get(item_id)
        if rule is not None and not rule.holds(effective):
            hidden.add(item_id)
            continue
        answer = str(answers.get(item_id, "")).strip()
        for code in hidden_codes:
            answer = _without(answer, code)
        effective[item_id] = answer
    return ShownOne(frozenset(hidden), MappingProxyType(options))


# --- every respondent of a responses table at once ----------------------------------------


@dataclass(frozen=True)
class ShownTable:
    """Per respondent (`respondents`, positions), whether each conditional item and option is
    shown: `items[item_id]` and `options[(item_id, code)]` are boolean arrays."""

    respondents: pd.Index
    items: Mapping[str, np.ndarray]
    options: Mapping[tuple[str, str], np.ndarray]


def shown_to_respondents(
    rules: RelevanceRules, respondent_ids: pd.Series, item_ids: pd.Series, answers: pd.Series
) -> ShownTable:
    """`shown_for` for every respondent of a long table of stripped answers (the first answer
    of a respondent to an item counts, as for a duplicate the engine refuses)."""
    respondents = pd.Index(pd.unique(respondent_ids.to_numpy(dtype=object)))
    n = len(respondents)
    looked_at = item_ids.isin(rules.condition_items).to_numpy()
    person = respondents.get_indexer(pd.Index(respondent_ids.to_numpy(dtype=object)[looked_at]))
    looked_items = item_ids.to_numpy(dtype=object)[looked_at]
    looked_answers = answers.to_numpy(dtype=object)[looked_at]
    raw: dict[str, np.ndarray] = {}
    for item_id in rules.condition_items:
        values = np.full(n, "", dtype=object)
        at = looked_items == item_id
        # reversed, so that the first answer of a respondent is the one left written
        values[person[at][::-1]] = looked_answers[at][::-1]
        raw[item_id] = values
    # item id -> its counted answers: "" where not shown, else without the hidden choices
    effective: dict[str, np.ndarray] = {}
    items: dict[str, np.ndarray] = {}
    options: dict[tuple[str, str], np.ndarray] = {}
    for item_id in rules.order:
        # an option's condition names earlier items only: their counted answers are known
        for code, option_rule in rules.options.get(item_id, {}).items():
            options[(item_id, code)] = _holds_all(option_rule, effective, n)
        rule = rules.items.get(item_id)
        if rule is not None:
            items[item_id] = _holds_all(rule, effective, n)
        if item_id in raw:
            shown = items.get(item_id)
            values = raw[item_id] if shown is None else np.where(shown, raw[item_id], "")
            for code in rules.options.get(item_id, {}):
                values = _without_where(values, ~options[(item_id, code)], code)
            effective[item_id] = values
    return ShownTable(respondents, MappingProxyType(items), MappingProxyType(options))


def _without_where(values: np.ndarray, where: np.ndarray, code: str) -> np.ndarray:
    """`values` with the choice `code` left out where `where` holds (`_without`, once per
    distinct answer)."""
    at = np.flatnonzero(where & (values != ""))
    if not len(at):
        return values
    chosen = pd.Series(values[at], dtype=object)
    distinct = pd.unique(chosen.to_numpy(dtype=object))
    cleaned = {value: _without(value, code) for value in distinct}
    out = values.copy()
    out[at] = chosen.map(cleaned).to_numpy(dtype=object)
    return out


def _holds_all(rule: Rule, effective: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    met = [_clause_holds_all(clause, effective.get(clause.item_id), n) for clause in rule.clauses]
    return np.logical_and.reduce(met) if rule.needs_all else np.logical_or.reduce(met)


def _clause_holds_all(clause: Clause, values: np.ndarray | None, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=bool)
    codes = list(clause.codes)
    if not clause.ticks:
        return pd.Index(values).isin(codes)
    ticks = pd.Series(values, dtype=object).str.split(MULTI_SEPARATOR, regex=False).explode()
    hit = ticks.str.strip().isin(codes)
    return hit.groupby(level=0).any().reindex(range(n), fill_value=False).to_numpy(dtype=bool)


# --- answers kept but not counted (the web) ------------------------------------------------


def drop_hidden_answers(responses: pd.DataFrame, rules: RelevanceRules) -> pd.DataFrame:
    """The responses table without what its own conditions hide: the answers to items not
    shown to their respondent (a status table's rows included) and the choices of options not
    shown (a multi answer keeps its other ticks) are made empty, unanswered; every row stays,
    so that every respondent does. The web keeps such answers (nothing typed is lost) and
    scores the rest; a responses file must not hold them (`not_relevant`)."""
    if rules.empty or responses.empty:
        return responses
    text = responses["answer"].astype(object).fillna("").astype(str).str.strip()
    item_ids = responses["item_id"].astype(str).str.strip().str.split(".", n=1).str[0]
    respondent_ids = responses["respondent_id"].astype(str).str.strip()
    table = shown_to_respondents(rules, respondent_ids, item_ids, text)
    person = table.respondents.get_indexer(pd.Index(respondent_ids.to_numpy(dtype=object)))
    keep = np.ones(len(responses), dtype=bool)
    for item_id, shown in table.items.items():
        keep &= ~((item_ids.to_numpy() == item_id) & ~shown[person])
    answer = text.to_numpy(dtype=object).copy()
    for (item_id, code), shown in table.options.items():
        at = keep & (item_ids.to_numpy() == item_id) & ~shown[person]
        if at.any():
            answer[at] = [_without(value, code) for value in answer[at]]
    return responses.assign(answer=np.where(keep, answer, ""))


def _without(answer: str, code: str) -> str:
    ticks = [tick.strip() for tick in answer.split(MULTI_SEPARATOR)]
    return MULTI_SEPARATOR.join(tick for tick in ticks if tick != code)


# --- the rules between parts --------------------------------------------------------------


def check_relevance(q: Questionnaire, item: Item, where: str) -> Iterator[Problem]:
    """The conditions of `item` and of its options name earlier option items, their options,
    and are asked of every role of the item."""
    position = {other.id: index for index, other in enumerate(q.items)}
    here = position.get(item.id, len(q.items))
    if item.relevant is not None:
        yield from _check_rule(q, item, item.relevant, "relevant", here, position, where)
    for option in item.options:
        if option.relevant is not None:
            name = f"options.{option.code}.relevant"
            yield from _check_rule(q, item, option.relevant, name, here, position, where)


def _option_codes(item: Item) -> list[str]:
    codes = [option.code for option in item.options]
    return codes or (["yes", "no"] if item.kind == "yesno" else [])


def _check_rule(
    q: Questionnaire,
    item: Item,
    relevance: Relevance,
    name: str,
    here: int,
    position: Mapping[str, int],
    where: str,
) -> Iterator[Problem]:
    for condition in relevance.conditions:
        at = position.get(condition.item)
        if at is None:
            yield problem(where, Code.RELEVANT_UNKNOWN_ITEM, field=name, item=condition.item)
            continue
        if at >= here:
            yield problem(where, Code.RELEVANT_LATER_ITEM, field=name, item=condition.item)
            continue
        target = q.items[at]
        if target.kind not in CONDITION_KINDS:
            yield problem(
                where, Code.RELEVANT_KIND, field=name, item=condition.item, kind=target.kind
            )
            continue
        codes = _option_codes(target)
        for code in condition.in_:
            if code not in codes:
                yield problem(
                    where,
                    Code.RELEVANT_UNKNOWN_OPTION,
                    field=name,
                    item=condition.item,
                    option=code,
                    options=", ".join(codes),
                )
        missing = [role for role in item.roles if role not in target.roles]
        if missing:
            yield problem(
                where,
                Code.RELEVANT_ROLES,
                field=name,
                item=condition.item,
                roles=", ".join(missing),
            )


def relevance_text(relevance: Relevance | None) -> str | None:
    """A condition in one line, as compared and described (`interop/versions.py`):
    `q3 in yes, partly`, `q3 in yes or q4 in none`; None without a condition."""
    if relevance is None:
        return None
    joiner = " and " if relevance.needs_all else " or "
    return joiner.join(f"{c.item} in {', '.join(c.in_)}" for c in relevance.conditions)
