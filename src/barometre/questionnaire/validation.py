"""Rules that relate the parts of a questionnaire to each other.

Each check returns problems instead of raising, so that a file with several problems reports
them all at once. Codes are stable: tests and the documentation refer to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from barometre.errors import Code, Problem, problem
from barometre.questionnaire.languages import check_languages
from barometre.questionnaire.models import (
    NUMERIC_KINDS,
    OPTION_KINDS,
    Item,
    Questionnaire,
)
from barometre.questionnaire.paths import path_problems
from barometre.questionnaire.relevance import check_relevance

CONTEXT_KINDS = {
    "organisation_type": {"single"},
    "dwellings": {"number"},
    "department": {"single", "text"},
    "perceived_maturity": {"scale", "number"},
}


def check_questionnaire(
    questionnaire: Questionnaire, source: str, line_of: dict[str, int | None] | None = None
) -> list[Problem]:
    line_of = line_of or {}

    def at(item: Item) -> str:
        line = line_of.get(item.id)
        return f"{source}:{line} item {item.id!r}" if line else f"{source} item {item.id!r}"

    problems = list(_check_header(questionnaire, source))
    problems += list(_check_ids(questionnaire, at))
    for item in questionnaire.items:
        problems += list(_check_item(questionnaire, item, at(item)))
    problems += list(_check_coverage_of_structure(questionnaire, source))
    problems += list(check_languages(questionnaire, source, at))
    return problems


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def _listed(values) -> str:
    return ", ".join(str(v) for v in values)


def _check_header(q: Questionnaire, source: str) -> Iterator[Problem]:
    for dup in _duplicates([r.code for r in q.roles]):
        yield problem(
            source,
            Code.DUPLICATE_ROLE,
            role=dup,
        )
    for dup in _duplicates([d.id for d in q.dimensions]):
        yield problem(
            source,
            Code.DUPLICATE_DIMENSION,
            dimension=dup,
        )
    levels = q.methodology.levels
    for dup in _duplicates([level.code for level in levels]):
        yield problem(
            source,
            Code.DUPLICATE_LEVEL,
            level=dup,
        )
    if levels[0].min != 0:
        yield problem(
            source,
            Code.LEVELS_START,
            minimum=levels[0].min,
        )
    mins = [level.min for level in levels]
    if any(b <= a for a, b in pairwise(mins)):
        yield problem(
            source,
            Code.LEVELS_ORDER,
            minimums=_listed(f"{m:g}" for m in mins),
        )
    yield from _check_typology(q, source)
    for dup in _duplicates([o.code for o in q.methodology.status_ladder]):
        yield problem(
            source,
            Code.DUPLICATE_OPTION_STATUS_LADDER,
            option=dup,
        )
    if any(o.score is None for o in q.methodology.status_ladder):
        yield problem(source, Code.OPTION_WITHOUT_SCORE_STATUS_LADDER)
    level_codes = {level.code for level in levels}
    for dimension in q.dimensions:
        for code in dimension.descriptors:
            if code not in level_codes:
                yield problem(
                    source,
                    Code.UNKNOWN_LEVEL,
                    dimension=dimension.id,
                    level=code,
                    levels=_listed(sorted(level_codes)),
                )


def _check_typology(q: Questionnaire, source: str) -> Iterator[Problem]:
    """Named axes: exactly two, distinct, their thresholds not contradicted by the roles'."""
    typology = q.methodology.typology
    if typology is None or typology.axes is None:
        return
    if len(typology.axes) != 2:
        yield problem(source, Code.TYPOLOGY_AXES_COUNT, count=len(typology.axes))
    for dup in _duplicates([axis.id for axis in typology.axes]):
        yield problem(source, Code.DUPLICATE_TYPOLOGY_AXIS, axis=dup)
    for name, axis in zip(("tech_threshold", "transfo_threshold"), typology.axes, strict=False):
        value = getattr(typology, name)
        if value != axis.threshold:
            yield problem(
                source,
                Code.TYPOLOGY_THRESHOLD_CONFLICT,
                field=name,
                value=value,
                axis=axis.id,
                threshold=axis.threshold,
            )


def _check_ids(q: Questionnaire, at) -> Iterator[Problem]:
    seen: set[str] = set()
    field_ids: set[str] = set()
    for item in q.items:
        if item.id in seen:
            yield problem(
                at(item),
                Code.DUPLICATE_ID,
                item=item.id,
            )
        seen.add(item.id)
        field_ids.update(f"{item.id}.{row.id}" for row in item.rows)
    for clash in sorted(seen & field_ids):
        yield problem(
            at(q.item(clash)),
            Code.DUPLICATE_ID_STATUS_ROW,
            item=clash,
        )


def _check_item(q: Questionnaire, item: Item, where: str) -> Iterator[Problem]:
    yield from _check_placement(q, item, where)
    yield from _check_options(q, item, where)
    yield from _check_numeric(item, where)
    yield from _check_context(item, where)
    yield from path_problems(item, where)
    yield from check_relevance(q, item, where)


def _check_placement(q: Questionnaire, item: Item, where: str) -> Iterator[Problem]:
    dimensions = {d.id for d in q.dimensions}
    roles = {r.code for r in q.roles}
    if item.dimension is not None and item.dimension not in dimensions:
        yield problem(
            where,
            Code.UNKNOWN_DIMENSION,
            dimension=item.dimension,
            declared=_listed(sorted(dimensions)),
        )
    for role in item.roles:
        if role not in roles:
            yield problem(where, Code.UNKNOWN_ROLE, role=role, declared=_listed(sorted(roles)))
    for dup in _duplicates(item.roles):
        yield problem(where, Code.DUPLICATE_ROLE_IN_ITEM, role=dup)
    if item.reference_role is not None and item.reference_role not in item.roles:
        yield problem(
            where, Code.REFERENCE_ROLE, role=item.reference_role, roles=_listed(item.roles)
        )
    typology = q.methodology.typology
    if item.kind == "text" and item.axis is not None:
        yield problem(where, Code.TEXT_SCORED)
    elif typology is None and item.axis is not None:
        yield problem(where, Code.AXIS_WITHOUT_TYPOLOGY)
    elif typology is not None and item.axis is not None and item.axis not in typology.axis_ids:
        yield problem(where, Code.UNKNOWN_AXIS, axis=item.axis, declared=_listed(typology.axis_ids))
    if item.is_scored:
        if item.dimension is None:
            yield problem(where, Code.MISSING_DIMENSION)
        if item.axis is None and typology is not None and not typology.named:
            yield problem(where, Code.MISSING_AXIS)
        elif item.axis is None and typology is not None:
            yield problem(where, Code.MISSING_NAMED_AXIS, declared=_listed(typology.axis_ids))
        if item.context is not None:
            yield problem(where, Code.SCORED_CONTEXT)


def _check_options(q: Questionnaire, item: Item, where: str) -> Iterator[Problem]:
    if item.kind not in OPTION_KINDS:
        if item.options:
            yield problem(where, Code.UNEXPECTED_OPTIONS, kind=item.kind)
        if item.rows:
            yield problem(where, Code.UNEXPECTED_ROWS)
        return
    if item.rows and item.kind != "status":
        yield problem(where, Code.UNEXPECTED_ROWS)
    if item.kind == "status":
        if not item.rows:
            yield problem(where, Code.MISSING_ROWS)
        for dup in _duplicates([r.id for r in item.rows]):
            yield problem(where, Code.DUPLICATE_ROW, row=dup)
    if item.kind in {"scale", "single", "multi"} and len(item.options) < 2:
        yield problem(where, Code.TOO_FEW_OPTIONS, kind=item.kind)
    for dup in _duplicates([o.code for o in item.options]):
        yield problem(where, Code.DUPLICATE_OPTION, option=dup)
    for code in sorted({o.code for o in item.options} & {"NA", "DK"}):
        yield problem(where, Code.RESERVED_CODE, option=code)
    if item.kind == "yesno" and item.options:
        codes = sorted(o.code for o in item.options)
        if codes != ["no", "yes"]:
            yield problem(where, Code.YESNO_OPTIONS, codes=_listed(codes))
    yield from _check_exclusive(item, where)
    yield from _check_option_scores(item, where)


def _check_exclusive(item: Item, where: str) -> Iterator[Problem]:
    exclusive = [o for o in item.options if o.exclusive]
    if exclusive and item.kind != "multi":
        yield problem(where, Code.EXCLUSIVE_MISUSE)
        return
    for option in exclusive:
        # A weighted exclusive option counts in the denominator: its worth must be explicit.
        if option.weight is not None and option.score is None:
            yield problem(where, Code.EXCLUSIVE_MISUSE_WEIGHT, option=option.code)
    if item.kind == "multi" and item.options and len(exclusive) == len(item.options):
        yield problem(where, Code.EXCLUSIVE_MISUSE_ALL_EXCLUSIVE)


def _check_option_scores(item: Item, where: str) -> Iterator[Problem]:
    if item.kind == "multi":
        for option in item.options:
            if option.score is not None and not option.exclusive:
                yield problem(where, Code.MULTI_SCORE, option=option.code)
        return
    for option in item.options:
        if option.weight is not None:
            yield problem(where, Code.UNEXPECTED_WEIGHT, option=option.code)
    if not item.is_scored:
        return
    missing = [o.code for o in item.options if o.score is None]
    if item.kind == "scale" and missing and len(missing) < len(item.options):
        yield problem(where, Code.OPTION_WITHOUT_SCORE_SCALE, options=_listed(missing))
    if item.kind in {"single", "status", "yesno"} and missing:
        yield problem(where, Code.OPTION_WITHOUT_SCORE, options=_listed(missing))


def _check_numeric(item: Item, where: str) -> Iterator[Problem]:
    if item.kind not in NUMERIC_KINDS:
        for key in ("goalposts", "better", "minimum", "maximum", "unit"):
            if getattr(item, key) is not None:
                yield problem(where, Code.UNEXPECTED_KEY, key=key)
        return
    if item.minimum is not None and item.maximum is not None and item.minimum >= item.maximum:
        yield problem(where, Code.BOUNDS_ORDER, minimum=item.minimum, maximum=item.maximum)
    if not item.is_scored:
        return
    posts = item.goalposts
    if posts is None:
        yield problem(where, Code.MISSING_GOALPOSTS)
        return
    if posts.worst == posts.best:
        yield problem(where, Code.GOALPOSTS_EQUAL, worst=posts.worst)
    elif item.better == "higher" and posts.best < posts.worst:
        yield problem(where, Code.GOALPOSTS_INVERTED, best=posts.best, worst=posts.worst)
    elif item.better == "lower" and posts.best > posts.worst:
        yield problem(where, Code.GOALPOSTS_INVERTED_LOWER, best=posts.best, worst=posts.worst)
    if item.better is None:
        yield problem(where, Code.MISSING_BETTER)
    if item.kind == "percent" and not all(0 <= v <= 100 for v in (posts.worst, posts.best)):
        yield problem(where, Code.GOALPOSTS_RANGE)


def _check_context(item: Item, where: str) -> Iterator[Problem]:
    if item.context is None:
        return
    allowed = CONTEXT_KINDS[item.context]
    if item.kind not in allowed:
        yield problem(
            where, Code.CONTEXT_KIND, context=item.context, kinds=" / ".join(sorted(allowed))
        )


def _check_coverage_of_structure(q: Questionnaire, source: str) -> Iterator[Problem]:
    scored = q.scored_items
    used = {item.dimension for item in scored}
    for dimension in q.dimensions:
        if dimension.id not in used:
            yield problem(
                source,
                Code.EMPTY_DIMENSION,
                dimension=dimension.id,
            )
    for key, count in Counter(i.context for i in q.items if i.context).items():
        if count > 1:
            yield problem(
                source,
                Code.DUPLICATE_CONTEXT,
                context=key,
                count=count,
            )
    axes = {item.axis for item in scored}
    typology = q.methodology.typology
    for axis in typology.axis_ids[:2] if typology is not None else ():
        if scored and axis not in axes:
            yield problem(
                source,
                Code.EMPTY_AXIS,
                axis=axis,
            )
