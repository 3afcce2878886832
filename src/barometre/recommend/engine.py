"""From an organisation's scores to prioritised sheets, a roadmap and the next steps.

Methodology §8:
- a sheet is triggered when one of its rules holds (an item or dimension score below a bound);
- priority = impact × gap / effort cost × family factor, where the gap is the largest shortfall
  of a triggered rule (points below the bound, out of 100), the effort costs (S 1, M 2, L 3 by
  default) and the family factor (1.5 by default, when the sheet suits the organisation's
  family first) are the methodology's `recommendation` weights;
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
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.models import Item, Localized, Questionnaire, RecommendationWeights
from barometre.recommend.answers import figure_text, told_answer
from barometre.recommend.sheets import Library, Sheet


@dataclass(frozen=True)
class Reason:
    """A rule that triggered a sheet: the score and the bound it is below and, for an item,
    what the organisation answered (told back from its consolidated score, `answers.py`)."""

    target: str  # "item" or "dimension"
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
) -> Plan:
    """The plan of one organisation of a scores file; `size` sheets in the roadmap (default:
    the methodology's `roadmap_size`)."""
    weights = questionnaire.methodology.recommendation
    known = ({i.id for i in questionnaire.scored_items}, {d.id for d in questionnaire.dimensions})
    triggered = sorted(
        (
            r
            for s in library.sheets
            if (r := _evaluate(s, organisation, questionnaire, known, language, weights))
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
        if trigger.item is not None:
            item = q.item(trigger.item)
            score = org.items.get(trigger.item)
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
            if score is not None and score < trigger.below:
                reasons.append(Reason("dimension", dimension, label, score, trigger.below))
    if not reasons:
        return None
    gap = max(r.below - r.score for r in reasons) / 100.0
    fits = org.family in sheet.families
    factor = weights.family_factor if fits else 1.0
    priority = sheet.impact * gap / weights.effort_cost[sheet.effort] * factor
    return Recommendation(
        sheet=sheet, priority=priority, gap=gap, family_fit=fits, reasons=tuple(reasons)
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
        )
        steps.append(
            NextStep(
                dimension=dimension.id,
                label=dimension.label.get(language),
                score=score,
                level=code,
                next_level=following.code if following else None,
                next_min=following.min if following else None,
                descriptor=descriptor.get(language) if descriptor else "",
                moves=moves,
                reachable=reachable,
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
        if value is None:
            candidates[item.id] = (item, 0.0, 0.0, item.weight)  # unanswered: full weight
        elif value < 100:
            answered = weights.get(item.id, item.weight)
            candidates[item.id] = (item, value, answered, answered)
    total = sum(weights.get(i.id, i.weight) for i in items if scores.get(i.id) is not None)
    if not total:
        return (), False
    moves, current = [], score
    while current < target - 1e-9 and candidates:
        best_id, (new_score, new_total) = None, (float("-inf"), total)
        for key in sorted(candidates):  # ties go to the first id: deterministic
            outcome = _after(current, total, *candidates[key][1:])
            if outcome[0] > new_score:
                best_id, (new_score, new_total) = key, outcome
        assert best_id is not None  # some candidate is left, and every outcome is finite
        item, value, _answered, _added = candidates.pop(best_id)
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
    return tuple(moves), current >= target - 1e-9


def _after(
    current: float, total: float, value: float, answered: float, added: float
) -> tuple[float, float]:
    """Dimension score and answered weight once an item gets its best answer: its answered
    weight moves from `value` to 100 and `added - answered` joins the denominator."""
    new_total = total + added - answered
    return (current * total + 100.0 * added - value * answered) / new_total, new_total


def _best_answer(item: Item, q: Questionnaire, language: Language) -> str:
    if item.kind in ("percent", "number") and item.goalposts is not None:
        return figure_text(item, item.goalposts.best, language)
    options = effective_options(item, q.methodology)
    if item.kind == "multi":
        return ", ".join(o.label.get(language) for o in options if not o.exclusive)
    best = max(options, key=lambda o: o.score or 0.0)
    return best.label.get(language)
