"""Rules that relate the parts of a questionnaire to each other.

Each check returns problems instead of raising, so that a file with several problems reports
them all at once. Codes are stable: tests and the documentation refer to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from barometre.errors import Problem, gettext_noop, problem
from barometre.questionnaire.models import (
    NUMERIC_KINDS,
    OPTION_KINDS,
    Item,
    Questionnaire,
)

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
        problems += [
            problem(at(item), code, template, **params)
            for code, template, params in _check_item(questionnaire, item)
        ]
    problems += list(_check_coverage_of_structure(questionnaire, source))
    return problems


Finding = tuple[str, str, dict]  # code, message template, its parameters


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def _listed(values) -> str:
    return ", ".join(str(v) for v in values)


def _check_header(q: Questionnaire, source: str) -> Iterator[Problem]:
    for dup in _duplicates([r.code for r in q.roles]):
        yield problem(
            source,
            "duplicate_role",
            gettext_noop("role '%(role)s' is declared more than once"),
            role=dup,
        )
    for dup in _duplicates([d.id for d in q.dimensions]):
        yield problem(
            source,
            "duplicate_dimension",
            gettext_noop("dimension '%(dimension)s' is declared twice"),
            dimension=dup,
        )
    levels = q.methodology.levels
    for dup in _duplicates([level.code for level in levels]):
        yield problem(
            source,
            "duplicate_level",
            gettext_noop("level '%(level)s' is declared more than once"),
            level=dup,
        )
    if levels[0].min != 0:
        yield problem(
            source,
            "levels_start",
            gettext_noop("the first level must start at 0, not %(minimum)g"),
            minimum=levels[0].min,
        )
    mins = [level.min for level in levels]
    if any(b <= a for a, b in pairwise(mins)):
        yield problem(
            source,
            "levels_order",
            gettext_noop("level minimums must increase strictly, got %(minimums)s"),
            minimums=_listed(f"{m:g}" for m in mins),
        )
    for dup in _duplicates([o.code for o in q.methodology.status_ladder]):
        yield problem(
            source,
            "duplicate_option",
            gettext_noop("status ladder option '%(option)s' is repeated"),
            option=dup,
        )
    if any(o.score is None for o in q.methodology.status_ladder):
        yield problem(
            source, "option_without_score", gettext_noop("every status ladder option needs a score")
        )
    level_codes = {level.code for level in levels}
    for dimension in q.dimensions:
        for code in dimension.descriptors:
            if code not in level_codes:
                yield problem(
                    source,
                    "unknown_level",
                    gettext_noop(
                        "dimension '%(dimension)s' has a descriptor for unknown level "
                        "'%(level)s' (levels: %(levels)s)"
                    ),
                    dimension=dimension.id,
                    level=code,
                    levels=_listed(sorted(level_codes)),
                )


def _check_ids(q: Questionnaire, at) -> Iterator[Problem]:
    seen: set[str] = set()
    field_ids: set[str] = set()
    for item in q.items:
        if item.id in seen:
            yield problem(
                at(item),
                "duplicate_id",
                gettext_noop("item id '%(item)s' is used more than once"),
                item=item.id,
            )
        seen.add(item.id)
        field_ids.update(f"{item.id}.{row.id}" for row in item.rows)
    for clash in sorted(seen & field_ids):
        yield problem(
            at(q.item(clash)),
            "duplicate_id",
            gettext_noop("item id '%(item)s' collides with a status row of the same name"),
            item=clash,
        )


def _check_item(q: Questionnaire, item: Item) -> Iterator[Finding]:
    yield from _check_placement(q, item)
    yield from _check_options(q, item)
    yield from _check_numeric(item)
    yield from _check_context(item)


def _check_placement(q: Questionnaire, item: Item) -> Iterator[Finding]:
    dimensions = {d.id for d in q.dimensions}
    roles = {r.code for r in q.roles}
    if item.dimension is not None and item.dimension not in dimensions:
        yield (
            "unknown_dimension",
            gettext_noop("unknown dimension '%(dimension)s' (declared: %(declared)s)"),
            {"dimension": item.dimension, "declared": _listed(sorted(dimensions))},
        )
    for role in item.roles:
        if role not in roles:
            yield (
                "unknown_role",
                gettext_noop("unknown role '%(role)s' (declared: %(declared)s)"),
                {"role": role, "declared": _listed(sorted(roles))},
            )
    for dup in _duplicates(item.roles):
        yield "duplicate_role", gettext_noop("role '%(role)s' is listed twice"), {"role": dup}
    if item.reference_role is not None and item.reference_role not in item.roles:
        yield (
            "reference_role",
            gettext_noop("reference role '%(role)s' must be one of the item's roles (%(roles)s)"),
            {"role": item.reference_role, "roles": _listed(item.roles)},
        )
    if item.kind == "text" and item.axis is not None:
        yield "text_scored", gettext_noop("a text item is never scored: remove its 'axis'"), {}
    if item.is_scored:
        if item.dimension is None:
            yield "missing_dimension", gettext_noop("a scored item needs a 'dimension'"), {}
        if item.axis is None:
            yield (
                "missing_axis",
                gettext_noop("a scored item needs an 'axis' (tech or transfo)"),
                {},
            )
        if item.context is not None:
            yield (
                "scored_context",
                gettext_noop("a context item cannot be scored: set scored: false"),
                {},
            )


def _check_options(q: Questionnaire, item: Item) -> Iterator[Finding]:
    kind = {"kind": item.kind}
    if item.kind not in OPTION_KINDS:
        if item.options:
            yield "unexpected_options", gettext_noop("a %(kind)s item takes no options"), kind
        if item.rows:
            yield "unexpected_rows", gettext_noop("only a status item has rows"), {}
        return
    if item.rows and item.kind != "status":
        yield "unexpected_rows", gettext_noop("only a status item has rows"), {}
    if item.kind == "status":
        if not item.rows:
            yield (
                "missing_rows",
                gettext_noop("a status item needs at least one row (a practice)"),
                {},
            )
        for dup in _duplicates([r.id for r in item.rows]):
            yield "duplicate_row", gettext_noop("row '%(row)s' is listed twice"), {"row": dup}
    if item.kind in {"scale", "single", "multi"} and len(item.options) < 2:
        yield "too_few_options", gettext_noop("a %(kind)s item needs at least two options"), kind
    for dup in _duplicates([o.code for o in item.options]):
        yield (
            "duplicate_option",
            gettext_noop("option '%(option)s' is listed twice"),
            {"option": dup},
        )
    for code in sorted({o.code for o in item.options} & {"NA", "DK"}):
        yield (
            "reserved_code",
            gettext_noop("option code '%(option)s' is reserved for not applicable/don't know"),
            {"option": code},
        )
    if item.kind == "yesno" and item.options:
        codes = sorted(o.code for o in item.options)
        if codes != ["no", "yes"]:
            yield (
                "yesno_options",
                gettext_noop("a yesno item's options are 'yes' and 'no', got %(codes)s"),
                {"codes": _listed(codes)},
            )
    yield from _check_exclusive(item)
    yield from _check_option_scores(item)


def _check_exclusive(item: Item) -> Iterator[Finding]:
    exclusive = [o for o in item.options if o.exclusive]
    if exclusive and item.kind != "multi":
        yield "exclusive_misuse", gettext_noop("only a multi item can have an exclusive option"), {}
        return
    for option in exclusive:
        if option.weight is not None:
            yield (
                "exclusive_misuse",
                gettext_noop("exclusive option '%(option)s' stands alone and takes no weight"),
                {"option": option.code},
            )
    if item.kind == "multi" and item.options and len(exclusive) == len(item.options):
        yield (
            "exclusive_misuse",
            gettext_noop("a multi item needs at least one option that is not exclusive"),
            {},
        )


def _check_option_scores(item: Item) -> Iterator[Finding]:
    if item.kind == "multi":
        for option in item.options:
            if option.score is not None and not option.exclusive:
                yield (
                    "multi_score",
                    gettext_noop(
                        "option '%(option)s': a multi option counts with a 'weight', not a "
                        "'score' (only an exclusive option has a score)"
                    ),
                    {"option": option.code},
                )
        return
    for option in item.options:
        if option.weight is not None:
            yield (
                "unexpected_weight",
                gettext_noop("option '%(option)s': only multi options have a weight"),
                {"option": option.code},
            )
    if not item.is_scored:
        return
    missing = [o.code for o in item.options if o.score is None]
    if item.kind == "scale" and missing and len(missing) < len(item.options):
        yield (
            "option_without_score",
            gettext_noop(
                "options %(options)s have no score: give every option of a scale a score, "
                "or none (then levels are spread linearly on 0-100)"
            ),
            {"options": _listed(missing)},
        )
    if item.kind in {"single", "status", "yesno"} and missing:
        yield (
            "option_without_score",
            gettext_noop("options %(options)s have no score in a scored item"),
            {"options": _listed(missing)},
        )


def _check_numeric(item: Item) -> Iterator[Finding]:
    if item.kind not in NUMERIC_KINDS:
        for key in ("goalposts", "better", "minimum", "maximum", "unit"):
            if getattr(item, key) is not None:
                yield (
                    "unexpected_key",
                    gettext_noop("'%(key)s' applies only to percent and number items"),
                    {"key": key},
                )
        return
    if item.minimum is not None and item.maximum is not None and item.minimum >= item.maximum:
        yield (
            "bounds_order",
            gettext_noop("minimum %(minimum)g must be below maximum %(maximum)g"),
            {"minimum": item.minimum, "maximum": item.maximum},
        )
    if not item.is_scored:
        return
    posts = item.goalposts
    if posts is None:
        yield (
            "missing_goalposts",
            gettext_noop("a scored fact indicator needs goalposts {worst, best}"),
            {},
        )
        return
    values = {"worst": posts.worst, "best": posts.best}
    if posts.worst == posts.best:
        yield "goalposts_equal", gettext_noop("goalposts worst and best are both %(worst)g"), values
    elif item.better == "higher" and posts.best < posts.worst:
        yield (
            "goalposts_inverted",
            gettext_noop("higher is better but best (%(best)g) is below worst (%(worst)g)"),
            values,
        )
    elif item.better == "lower" and posts.best > posts.worst:
        yield (
            "goalposts_inverted",
            gettext_noop("lower is better but best (%(best)g) is above worst (%(worst)g)"),
            values,
        )
    if item.better is None:
        yield (
            "missing_better",
            gettext_noop("say whether 'higher' or 'lower' is better (key 'better')"),
            {},
        )
    if item.kind == "percent" and not all(0 <= v <= 100 for v in (posts.worst, posts.best)):
        yield "goalposts_range", gettext_noop("a percent item's goalposts lie in 0-100"), {}


def _check_context(item: Item) -> Iterator[Finding]:
    if item.context is None:
        return
    allowed = CONTEXT_KINDS[item.context]
    if item.kind not in allowed:
        yield (
            "context_kind",
            gettext_noop("context '%(context)s' must be a %(kinds)s item"),
            {"context": item.context, "kinds": " / ".join(sorted(allowed))},
        )


def _check_coverage_of_structure(q: Questionnaire, source: str) -> Iterator[Problem]:
    scored = q.scored_items
    used = {item.dimension for item in scored}
    for dimension in q.dimensions:
        if dimension.id not in used:
            yield problem(
                source,
                "empty_dimension",
                gettext_noop("dimension '%(dimension)s' has no scored item"),
                dimension=dimension.id,
            )
    for key, count in Counter(i.context for i in q.items if i.context).items():
        if count > 1:
            yield problem(
                source,
                "duplicate_context",
                gettext_noop("context '%(context)s' is set on %(count)s items"),
                context=key,
                count=count,
            )
    axes = {item.axis for item in scored}
    for axis in ("tech", "transfo"):
        if scored and axis not in axes:
            yield problem(
                source,
                "empty_axis",
                gettext_noop("no scored item is on the '%(axis)s' axis"),
                axis=axis,
            )
