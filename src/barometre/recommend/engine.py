"""From an organisation's scores to prioritised sheets, a roadmap and the next steps.

Methodology §8:
- a sheet is triggered when one of its rules holds: an item or dimension score below a bound,
  or an answer (an option chosen by at least one of the respondents who count for the item, a
  status row whose consolidated score is at most or exactly a ladder step's), read from the
  organisation's `OrganisationAnswers` (`scoring/organisation_answers.py`);
- priority = impact × gap / effort cost × family factor, where the gap is the largest shortfall
  of a triggered rule out of 100 (points below the bound; for an answer, the sheet's declared
  `gap`, else the answer's score short of 100: the item's consolidated score, or the row's),
  the effort costs (S 1, M 2, L 3 by default) and the family factor (1.5 by default, when the
  sheet suits the organisation's family first) are the methodology's `recommendation` weights;
- the roadmap keeps the best sheets with the triggered prerequisites they need, orders them so
  that a prerequisite always comes first, and places each in a horizon (0-6, 6-18, 18-36 months)
  from its effort, never earlier than its prerequisites;
- for every dimension, the next level and the answers that would reach it.
Everything is deterministic: ties are broken by sheet id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from barometre.contracts.scores import OrganisationScores
from barometre.i18n import Language
from barometre.questionnaire.fields import best_score, effective_options
from barometre.questionnaire.languages import shown
from barometre.questionnaire.models import Item, Localized, Questionnaire, RecommendationWeights
from barometre.questionnaire.paths import whole_paths
from barometre.recommend.answers import (
    TOLERANCE,
    figure_text,
    option_labels,
    told_answer,
    told_step,
)
from barometre.recommend.sheets import Library, Sheet, Trigger
from barometre.scoring.organisation_answers import OrganisationAnswers
from barometre.scoring.typology import reaches


@dataclass(frozen=True)
class Reason:
    """A rule that triggered a sheet: the score and the bound it is below and, for an item,
    what the organisation answered (told back from its consolidated score, `answers.py`).

    An answer rule (`target` "option" or "row") has the answer's score (the item's consolidated
    score, or the row's) and `below` 100, the shortfall counting for the priority unless the
    sheet declares its `gap`."""

    target: str  # "item", "dimension", "option" (an option chosen) or "row" (a status row)
    id: str
    label: str
    score: float
    below: float
    #: The organisation's answer, in both languages; None for a dimension (its score is what
    #: triggers) and for an item whose answer cannot be told from its score.
    answer: Localized | None = None
    #: The answer is consolidated from several respondents (their mean, or the reference
    #: role's), not one person's.
    consolidated: bool = False
    #: An option rule: each option of the rule that was chosen (in its quotes, both languages)
    #: with how many of the `respondents` chose (ticked) it.
    chosen: tuple[tuple[Localized, int], ...] = ()
    #: An option or row rule: the respondents who count for the item (or row).
    respondents: int = 0
    #: An option rule on a `multi` item: the options are ticked, not chosen.
    ticked: bool = False
    #: A row rule: the ladder step it names (in its quotes), and whether the row is at most
    #: that step (else exactly at it).
    step: Localized | None = None
    at_most: bool = False
    #: The gap the sheet declares for an answer rule, in points (None: `below` − `score`).
    declared_gap: float | None = None
    #: A row rule: the status row's id (`id` is its table's).
    row: str | None = None

    @property
    def shortfall(self) -> float:
        """The rule's gap in points out of 100: what counts for the priority."""
        if self.declared_gap is not None:
            return self.declared_gap
        return self.below - self.score


@dataclass(frozen=True)
class Recommendation:
    sheet: Sheet
    priority: float
    gap: float
    family_fit: bool
    reasons: tuple[Reason, ...]
    horizon: int = 0
    needed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Move:
    """An answer that would raise a dimension: the item, its score now, the best answer."""

    item_id: str
    label: str
    score: float
    best_answer: str
    gain: float  # points of dimension score


@dataclass(frozen=True)
class NextStep:
    dimension: str
    label: str
    score: float | None
    level: str | None
    next_level: str | None
    next_min: float | None
    descriptor: str
    moves: tuple[Move, ...]
    reachable: bool
    #: The next level starts above `next_min`, not at it (`levels_closed: upper`).
    next_above: bool = False


@dataclass(frozen=True)
class Plan:
    organisation_id: str
    family: str | None
    triggered: tuple[Recommendation, ...]  # every triggered sheet, by priority
    roadmap: tuple[Recommendation, ...]  # the selection, prerequisites first
    next_steps: tuple[NextStep, ...]

    horizons: tuple[str, ...] = ("0-6", "6-18", "18-36")  # months, from the methodology

    def horizon(self, index: int) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.roadmap if r.horizon == index)


def recommend(
    organisation: OrganisationScores,
    questionnaire: Questionnaire,
    library: Library,
    size: int | None = None,
    language: Language = "fr",
    answers: OrganisationAnswers | None = None,
) -> Plan:
    """The plan of one organisation of a scores file; `size` sheets in the roadmap (default:
    the methodology's `roadmap_size`). `answers`: the organisation's answers, for the rules on
    answers (without them, those rules are not evaluated: only scores trigger)."""
    weights = questionnaire.methodology.recommendation
    known = ({i.id for i in questionnaire.scored_items}, {d.id for d in questionnaire.dimensions})
    triggered = sorted(
        (
            r
            for s in library.sheets
            if (r := _evaluate(s, organisation, questionnaire, known, language, weights, answers))
            is not None
        ),
        key=lambda r: (-r.priority, r.sheet.id),
    )
    return Plan(
        organisation_id=organisation.organisation_id,
        family=organisation.family,
        triggered=tuple(triggered),
        roadmap=_roadmap(triggered, size or weights.roadmap_size, weights),
        next_steps=tuple(next_steps(organisation, questionnaire, language)),
        horizons=tuple(weights.horizons),
    )


def _evaluate(
    sheet: Sheet,
    org: OrganisationScores,
    q: Questionnaire,
    known: tuple[set[str], set[str]],
    language: Language,
    weights: RecommendationWeights,
    answers: OrganisationAnswers | None = None,
) -> Recommendation | None:
    reasons = []
    known_items, known_dimensions = known
    for trigger in sheet.triggers:
        # A sheet written for another questionnaire may name items this one lacks: such a
        # rule can never hold (`barometre practices validate` reports it).
        if trigger.item is not None and trigger.item not in known_items:
            continue
        if trigger.dimension is not None and trigger.dimension not in known_dimensions:
            continue
        if trigger.by_answer:
            if answers is not None:
                item = q.item(trigger.item or "")
                reason = _answer_reason(trigger, item, org, q, answers, language)
                if reason is not None:
                    reasons.append(reason)
        elif trigger.item is not None:
            item = q.item(trigger.item)
            score = org.items.get(trigger.item)
            assert trigger.below is not None  # a score rule (not `by_answer`)
            if score is not None and score < trigger.below:
                reasons.append(
                    Reason(
                        "item",
                        item.id,
                        item.label.get(language),
                        score,
                        trigger.below,
                        answer=told_answer(
                            item, score, q.methodology, consolidated=org.n_respondents > 1
                        ),
                        consolidated=org.n_respondents > 1,
                    )
                )
        else:
            dimension = trigger.dimension
            assert dimension is not None  # a trigger names exactly one of item or dimension
            score = org.dimension_score(dimension)
            label = q.dimension(dimension).label.get(language)
            assert trigger.below is not None  # a dimension's rule is a score
            if score is not None and score < trigger.below:
                reasons.append(Reason("dimension", dimension, label, score, trigger.below))
    if not reasons:
        return None
    gap = max(r.shortfall for r in reasons) / 100.0
    fits = org.family in sheet.families
    factor = weights.family_factor if fits else 1.0
    priority = sheet.impact * gap / weights.effort_cost[sheet.effort] * factor
    return Recommendation(
        sheet=sheet, priority=priority, gap=gap, family_fit=fits, reasons=tuple(reasons)
    )


def _answer_reason(
    trigger: Trigger,
    item: Item,
    org: OrganisationScores,
    q: Questionnaire,
    answers: OrganisationAnswers,
    language: Language,
) -> Reason | None:
    """The reason of an answer rule when it holds; None when it does not, or when it names
    what this questionnaire's item lacks (`barometre practices validate` reports it)."""
    options = effective_options(item, q.methodology)
    if trigger.chosen is not None:
        if item.kind == "status":
            return None
        chosen = answers.items.get(item.id)
        by_code = {o.code: o for o in options}
        hits = [
            (option_labels([by_code[code]]), chosen.options[code])
            for code in trigger.chosen
            if chosen is not None and code in by_code and chosen.options.get(code)
        ]
        if chosen is None or not hits:
            return None
        score = org.items.get(item.id)
        return Reason(
            "option",
            item.id,
            item.label.get(language),
            float("nan") if score is None else score,
            100.0,
            consolidated=chosen.counted > 1,
            chosen=tuple(hits),
            respondents=chosen.counted,
            ticked=item.kind == "multi",
            # without the item's score (an engine that keeps none), the full gap
            declared_gap=trigger.gap if trigger.gap is not None or score is not None else 100.0,
        )
    row = next((r for r in item.rows if r.id == trigger.row), None)
    step = next((o for o in options if o.code == trigger.step), None)
    if item.kind != "status" or row is None or step is None or step.score is None:
        return None
    answer = answers.rows.get(f"{item.id}.{row.id}")
    if answer is None:
        return None
    if trigger.at_most is not None:
        holds = answer.score <= step.score + TOLERANCE
    else:
        holds = abs(answer.score - step.score) <= TOLERANCE
    if not holds:
        return None
    consolidated = answer.counted > 1
    return Reason(
        "row",
        item.id,
        f"{item.label.get(language)} — {row.label.get(language)}",
        answer.score,
        100.0,
        answer=told_step(options, answer.score, consolidated=consolidated),
        consolidated=consolidated,
        respondents=answer.counted,
        step=option_labels([step]),
        at_most=trigger.at_most is not None,
        declared_gap=trigger.gap,
        row=row.id,
    )


def _roadmap(
    triggered: list[Recommendation], size: int, weights: RecommendationWeights
) -> tuple[Recommendation, ...]:
    by_id = {r.sheet.id: r for r in triggered}
    chosen: dict[str, set[str]] = {}  # sheet id -> the chosen sheets that need it

    def take(sheet_id: str, needed_by: str | None) -> None:
        users = chosen.setdefault(sheet_id, set())
        if needed_by:
            users.add(needed_by)
        for prerequisite in by_id[sheet_id].sheet.prerequisites:
            if prerequisite in by_id:  # an untriggered prerequisite is already in place
                take(prerequisite, sheet_id)

    for recommendation in triggered[:size]:
        take(recommendation.sheet.id, None)
    ordered = _prerequisites_first([by_id[i] for i in chosen])
    horizons: dict[str, int] = {}
    result = []
    for r in ordered:
        earliest = max([horizons[p] for p in r.sheet.prerequisites if p in horizons], default=0)
        horizons[r.sheet.id] = max(weights.effort_horizon[r.sheet.effort], earliest)
        result.append(
            replace(r, horizon=horizons[r.sheet.id], needed_by=tuple(sorted(chosen[r.sheet.id])))
        )
    position = {r.sheet.id: n for n, r in enumerate(ordered)}
    return tuple(sorted(result, key=lambda r: (r.horizon, position[r.sheet.id])))


def _prerequisites_first(items: list[Recommendation]) -> list[Recommendation]:
    """Topological order (Kahn); among the ready ones, the highest priority first."""
    ids = {r.sheet.id for r in items}
    waiting = {r.sheet.id: {p for p in r.sheet.prerequisites if p in ids} for r in items}
    by_id = {r.sheet.id: r for r in items}
    order = []
    while waiting:
        ready = sorted(
            (i for i, needs in waiting.items() if not needs), key=lambda i: (-by_id[i].priority, i)
        )
        first = ready[0]
        order.append(by_id[first])
        del waiting[first]
        for needs in waiting.values():
            needs.discard(first)
    return order


def next_steps(
    org: OrganisationScores, q: Questionnaire, language: Language = "fr"
) -> list[NextStep]:
    levels = q.methodology.levels
    items_by_dimension: dict[str, list[Item]] = {}
    for item in q.scored_items:
        if item.dimension is not None:  # a scored item has one (the questionnaire's rules)
            items_by_dimension.setdefault(item.dimension, []).append(item)
    steps = []
    for dimension in q.dimensions:
        mine = org.dimensions[dimension.id]
        score, code = mine.score, mine.level
        index = next((i for i, lv in enumerate(levels) if lv.code == code), None)
        following = levels[index + 1] if index is not None and index + 1 < len(levels) else None
        descriptor = dimension.descriptors.get(following.code if following else code or "")
        moves, reachable = _moves(
            items_by_dimension.get(dimension.id, []),
            org,
            q,
            score,
            following.min if following else None,
            language,
            q.methodology.levels_closed == "upper",
        )
        steps.append(
            NextStep(
                dimension=dimension.id,
                label=shown(dimension.label, language, q.default_language),
                score=score,
                level=code,
                next_level=following.code if following else None,
                next_min=following.min if following else None,
                descriptor=shown(descriptor, language, q.default_language),
                moves=moves,
                reachable=reachable,
                next_above=q.methodology.levels_closed == "upper",
            )
        )
    return steps


def _moves(
    items: list[Item],
    org: OrganisationScores,
    q: Questionnaire,
    score: float | None,
    target: float | None,
    language: Language,
    above: bool = False,
) -> tuple[tuple[Move, ...], bool]:
    """The fewest answers, largest gain first, that lift the dimension to `target`.

    The dimension score is the weighted mean of its answered fields: an answered item weighs
    what was answered of it (`item_weights` of the scores file; a status table partly answered
    counts only its answered rows), and answering an unanswered item adds its full weight.
    """
    if score is None or target is None:
        return (), False
    scores, weights = org.items, org.item_weights
    candidates = {}
    for item in items:
        value = scores.get(item.id)
        best = best_score(item, q.methodology)
        if value is None:
            candidates[item.id] = (item, 0.0, 0.0, item.weight, best)  # unanswered: full weight
        elif value < best:
            answered = weights.get(item.id, item.weight)
            candidates[item.id] = (item, value, answered, answered, best)
    total = sum(weights.get(i.id, i.weight) for i in items if scores.get(i.id) is not None)
    if not total:
        return (), False
    goal: float = target

    def reached(value: float) -> bool:
        # Levels closed above (`above`): the next level starts beyond its minimum, as
        # `scoring.typology.levels_of` places a score, after its rounding.
        return reaches(value, goal, q.methodology) if above else value >= goal - 1e-9

    moves, current = [], score
    while not reached(current) and candidates:
        best_id, (new_score, new_total) = None, (float("-inf"), total)
        for key in sorted(candidates):  # ties go to the first id: deterministic
            outcome = _after(current, total, *candidates[key][1:])
            if outcome[0] > new_score:
                best_id, (new_score, new_total) = key, outcome
        assert best_id is not None  # some candidate is left, and every outcome is finite
        item, value, _answered, _added, _best = candidates.pop(best_id)
        moves.append(
            Move(
                item.id,
                item.label.get(language),
                value,
                _best_answer(item, q, language),
                new_score - current,
            )
        )
        current, total = new_score, new_total
    return tuple(moves), reached(current)


def _after(
    current: float, total: float, value: float, answered: float, added: float, best: float
) -> tuple[float, float]:
    """Dimension score and answered weight once an item gets its best answer: its answered
    weight moves from `value` to `best` (100, or less for a multi item with a weighted
    exclusive option) and `added - answered` joins the denominator."""
    new_total = total + added - answered
    return (current * total + best * added - value * answered) / new_total, new_total


def _best_answer(item: Item, q: Questionnaire, language: Language) -> str:
    if item.kind in ("percent", "number") and item.goalposts is not None:
        return figure_text(item, item.goalposts.best, language)
    if item.kind == "path":  # the complete path worth most, its questions and answers
        paths = whole_paths(item)
        return max(paths, key=lambda w: w.score or 0.0).label.get(language) if paths else ""
    options = effective_options(item, q.methodology)
    if item.kind == "multi":
        return ", ".join(o.label.get(language) for o in options if not o.exclusive)
    if not options:
        return ""
    best = max(options, key=lambda o: o.score or 0.0)
    return best.label.get(language)
