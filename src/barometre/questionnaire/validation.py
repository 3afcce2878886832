"""Rules that relate the parts of a questionnaire to each other.

Each check returns problems instead of raising, so that a file with several problems reports
them all at once. Codes are stable: tests and the documentation refer to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from barometre.errors import Problem
from barometre.questionnaire.models import (
    NUMERIC_KINDS,
    OPTION_KINDS,
    Item,
    Questionnaire,
)

CONTEXT_KINDS = {
    "family": {"single"},
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
        problems += [Problem(at(item), code, msg) for code, msg in _check_item(questionnaire, item)]
    problems += list(_check_coverage_of_structure(questionnaire, source))
    return problems


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def _check_header(q: Questionnaire, source: str) -> Iterator[Problem]:
    for dup in _duplicates([r.code for r in q.roles]):
        yield Problem(source, "duplicate_role", f"role {dup!r} is declared more than once")
    for dup in _duplicates([d.id for d in q.dimensions]):
        yield Problem(source, "duplicate_dimension", f"dimension {dup!r} is declared twice")
    levels = q.methodology.levels
    for dup in _duplicates([level.code for level in levels]):
        yield Problem(source, "duplicate_level", f"level {dup!r} is declared more than once")
    if levels[0].min != 0:
        yield Problem(
            source, "levels_start", f"the first level must start at 0, not {levels[0].min}"
        )
    mins = [level.min for level in levels]
    if any(b <= a for a, b in pairwise(mins)):
        yield Problem(source, "levels_order", f"level minimums must increase strictly, got {mins}")
    ladder_codes = [o.code for o in q.methodology.status_ladder]
    for dup in _duplicates(ladder_codes):
        yield Problem(source, "duplicate_option", f"status ladder option {dup!r} is repeated")
    if any(o.score is None for o in q.methodology.status_ladder):
        yield Problem(source, "option_without_score", "every status ladder option needs a score")
    level_codes = {level.code for level in levels}
    for dimension in q.dimensions:
        for code in dimension.descriptors:
            if code not in level_codes:
                yield Problem(
                    source,
                    "unknown_level",
                    f"dimension {dimension.id!r} has a descriptor for unknown level {code!r} "
                    f"(levels: {', '.join(sorted(level_codes))})",
                )


def _check_ids(q: Questionnaire, at) -> Iterator[Problem]:
    seen: set[str] = set()
    field_ids: set[str] = set()
    for item in q.items:
        if item.id in seen:
            yield Problem(at(item), "duplicate_id", f"item id {item.id!r} is used more than once")
        seen.add(item.id)
        field_ids.update(f"{item.id}.{row.id}" for row in item.rows)
    for clash in sorted(seen & field_ids):
        yield Problem(
            at(q.item(clash)),
            "duplicate_id",
            f"item id {clash!r} collides with a status row of the same name",
        )


def _check_item(q: Questionnaire, item: Item) -> Iterator[tuple[str, str]]:
    yield from _check_placement(q, item)
    yield from _check_options(q, item)
    yield from _check_numeric(item)
    yield from _check_context(item)


def _check_placement(q: Questionnaire, item: Item) -> Iterator[tuple[str, str]]:
    dimensions = {d.id for d in q.dimensions}
    roles = {r.code for r in q.roles}
    if item.dimension is not None and item.dimension not in dimensions:
        yield (
            "unknown_dimension",
            (f"unknown dimension {item.dimension!r} (declared: {', '.join(sorted(dimensions))})"),
        )
    for role in item.roles:
        if role not in roles:
            yield "unknown_role", f"unknown role {role!r} (declared: {', '.join(sorted(roles))})"
    for dup in _duplicates(item.roles):
        yield "duplicate_role", f"role {dup!r} is listed twice"
    if item.reference_role is not None and item.reference_role not in item.roles:
        yield (
            "reference_role",
            (
                f"reference role {item.reference_role!r} must be one of the item's roles "
                f"({', '.join(item.roles)})"
            ),
        )
    if item.kind == "text" and item.axis is not None:
        yield "text_scored", "a text item is never scored: remove its 'axis'"
    if item.is_scored:
        if item.dimension is None:
            yield "missing_dimension", "a scored item needs a 'dimension'"
        if item.axis is None:
            yield "missing_axis", "a scored item needs an 'axis' (tech or transfo)"
        if item.context is not None:
            yield "scored_context", "a context item cannot be scored: set scored: false"


def _check_options(q: Questionnaire, item: Item) -> Iterator[tuple[str, str]]:
    if item.kind not in OPTION_KINDS:
        if item.options:
            yield "unexpected_options", f"a {item.kind} item takes no options"
        if item.rows:
            yield "unexpected_rows", "only a status item has rows"
        return
    if item.rows and item.kind != "status":
        yield "unexpected_rows", "only a status item has rows"
    if item.kind == "status":
        if not item.rows:
            yield "missing_rows", "a status item needs at least one row (a practice)"
        for dup in _duplicates([r.id for r in item.rows]):
            yield "duplicate_row", f"row {dup!r} is listed twice"
    if item.kind in {"scale", "single", "multi"} and len(item.options) < 2:
        yield "too_few_options", f"a {item.kind} item needs at least two options"
    for dup in _duplicates([o.code for o in item.options]):
        yield "duplicate_option", f"option {dup!r} is listed twice"
    for code in sorted({o.code for o in item.options} & {"NA", "DK"}):
        yield "reserved_code", f"option code {code!r} is reserved for not applicable/don't know"
    if item.kind == "yesno" and item.options:
        codes = sorted(o.code for o in item.options)
        if codes != ["no", "yes"]:
            yield "yesno_options", f"a yesno item's options are 'yes' and 'no', got {codes}"
    yield from _check_exclusive(item)
    yield from _check_option_scores(item)


def _check_exclusive(item: Item) -> Iterator[tuple[str, str]]:
    exclusive = [o for o in item.options if o.exclusive]
    if exclusive and item.kind != "multi":
        yield "exclusive_misuse", "only a multi item can have an exclusive option"
        return
    for option in exclusive:
        if option.weight is not None:
            yield (
                "exclusive_misuse",
                (f"exclusive option {option.code!r} stands alone and takes no weight"),
            )
    if item.kind == "multi" and item.options and len(exclusive) == len(item.options):
        yield "exclusive_misuse", "a multi item needs at least one option that is not exclusive"


def _check_option_scores(item: Item) -> Iterator[tuple[str, str]]:
    if item.kind == "multi":
        for option in item.options:
            if option.score is not None and not option.exclusive:
                yield (
                    "multi_score",
                    (
                        f"option {option.code!r}: a multi option counts with a 'weight', "
                        "not a 'score' (only an exclusive option has a score)"
                    ),
                )
        return
    for option in item.options:
        if option.weight is not None:
            yield "unexpected_weight", f"option {option.code!r}: only multi options have a weight"
    if not item.is_scored:
        return
    missing = [o.code for o in item.options if o.score is None]
    if item.kind == "scale" and missing and len(missing) < len(item.options):
        yield (
            "option_without_score",
            (
                f"options {missing} have no score: give every option of a scale a score, or none "
                "(then levels are spread linearly on 0-100)"
            ),
        )
    if item.kind in {"single", "status", "yesno"} and missing:
        yield "option_without_score", f"options {missing} have no score in a scored item"


def _check_numeric(item: Item) -> Iterator[tuple[str, str]]:
    if item.kind not in NUMERIC_KINDS:
        for key in ("goalposts", "better", "minimum", "maximum", "unit"):
            if getattr(item, key) is not None:
                yield "unexpected_key", f"{key!r} applies only to percent and number items"
        return
    if item.minimum is not None and item.maximum is not None and item.minimum >= item.maximum:
        yield "bounds_order", f"minimum {item.minimum} must be below maximum {item.maximum}"
    if not item.is_scored:
        return
    posts = item.goalposts
    if posts is None:
        yield "missing_goalposts", "a scored fact indicator needs goalposts {worst, best}"
        return
    if posts.worst == posts.best:
        yield "goalposts_equal", f"goalposts worst and best are both {posts.worst}"
    elif item.better == "higher" and posts.best < posts.worst:
        yield (
            "goalposts_inverted",
            (f"higher is better but best ({posts.best}) is below worst ({posts.worst})"),
        )
    elif item.better == "lower" and posts.best > posts.worst:
        yield (
            "goalposts_inverted",
            (f"lower is better but best ({posts.best}) is above worst ({posts.worst})"),
        )
    if item.better is None:
        yield "missing_better", "say whether 'higher' or 'lower' is better (key 'better')"
    if item.kind == "percent" and not all(0 <= v <= 100 for v in (posts.worst, posts.best)):
        yield "goalposts_range", "a percent item's goalposts lie in 0-100"


def _check_context(item: Item) -> Iterator[tuple[str, str]]:
    if item.context is None:
        return
    allowed = CONTEXT_KINDS[item.context]
    if item.kind not in allowed:
        yield (
            "context_kind",
            (f"context {item.context!r} must be a {' or '.join(sorted(allowed))} item"),
        )


def _check_coverage_of_structure(q: Questionnaire, source: str) -> Iterator[Problem]:
    scored = q.scored_items
    used = {item.dimension for item in scored}
    for dimension in q.dimensions:
        if dimension.id not in used:
            yield Problem(
                source, "empty_dimension", f"dimension {dimension.id!r} has no scored item"
            )
    for key, count in Counter(i.context for i in q.items if i.context).items():
        if count > 1:
            yield Problem(source, "duplicate_context", f"context {key!r} is set on {count} items")
    axes = {item.axis for item in scored}
    for axis in ("tech", "transfo"):
        if scored and axis not in axes:
            yield Problem(source, "empty_axis", f"no scored item is on the {axis!r} axis")
