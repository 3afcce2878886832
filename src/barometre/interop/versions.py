"""What changed between two versions of a questionnaire, and which scores stay comparable
between waves that use them (docs/versions.md).

`diff_questionnaires(old, new)` lists every change as a `Change`: its kind, its path
(`items.str_strategy.options.written.score`), the old and new values, and its effect:

- `breaking`: the same answers may score differently (scores, weights, roles asked, dimension
  or axis membership, kind, goalposts, direction, bounds, the set of options or rows, the
  methodology's scoring parameters); the change names the dimension scores, axes and other
  scores it moves;
- `wording`: a scored question, answer, row or unit reads differently. The scores of the same
  answers do not move, so it does not break comparability by itself; it is reported apart
  because a substantive rewording may measure something else, which only a person can judge;
- `cosmetic`: nothing a score depends on (help texts, descriptions, labels of dimensions,
  roles and levels, the questionnaire's languages, unscored items other than the context
  items, order, recommendation weights, the version's name).

The context items are unscored but feed published figures: the declared organisation type,
dwellings (size class) and department group the organisations' scores (`breakdowns`), and the
perceived maturity's range sets the perceived gap (`perceived_gap`); what changes the answers
they collect (kind, options added or removed, bounds, roles asked) is breaking for those.
An option reorder is a change of its own (`options_reordered`): it moves no score unless the
item is a scale scored by position, but the exports number the answers 1, 2... in the
questionnaire's order when their codes are not whole numbers (`exports_recoded`).

Options are compared as they are scored (`questionnaire.fields.effective_options`): a scale
without written scores is compared on its linear scores, so that adding or moving one of its
answers shows as the scores it changes. The `Comparability` of a diff says, score by score,
what stays comparable; two waves are compared only when the diff has no breaking change
(`comparability.comparability_problem`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Literal

from barometre import formatting
from barometre.contracts.base import FileContract, Record
from barometre.contracts.scores import QuestionnaireRef
from barometre.errors import EXCERPT_LENGTH, excerpt
from barometre.i18n import Language, translation
from barometre.problems import Code
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.models import CODED_KINDS, Axis, Item, Methodology, Questionnaire
from barometre.questionnaire.relevance import relevance_text

__all__ = [
    "Change",
    "ChangeKind",
    "Comparability",
    "Effect",
    "QuestionnaireDiff",
    "ScoreName",
    "describe",
    "diff_questionnaires",
    "dimension_reasons",
    "explain",
    "in_one_sentence",
    "shortened",
]

ChangeKind = Literal[
    "questionnaire_changed",
    "methodology_changed",
    "role_added",
    "role_removed",
    "role_changed",
    "dimension_added",
    "dimension_removed",
    "dimension_changed",
    "item_added",
    "item_removed",
    "item_changed",
    "option_added",
    "option_removed",
    "option_changed",
    "options_reordered",
    "row_added",
    "row_removed",
    "row_changed",
]
Effect = Literal["breaking", "wording", "cosmetic"]
EFFECTS: tuple[Effect, ...] = ("breaking", "wording", "cosmetic")
#: Scores a change moves besides the dimensions and axes: the global index (dimension weights,
#: dimensions added or removed), the levels (their thresholds), the families (typology
#: thresholds, borderline rule), the sector estimates (weighting cell size, disclosure minimum),
#: the breakdowns of organisations' scores by what they declare in the context items
#: (organisation type, dwellings' size class, department), the perceived gap (the perceived
#: maturity item's range; it also moves with the global index).
ScoreName = Literal["global", "levels", "families", "estimates", "breakdowns", "perceived_gap"]
AXES: tuple[Axis, ...] = ("tech", "transfo")
ALL_SCORES: tuple[ScoreName, ...] = (
    "global",
    "levels",
    "families",
    "estimates",
    "breakdowns",
    "perceived_gap",
)
#: What each context item's answers feed (`scoring.engine._context`): the declared type,
#: dwellings and department group the organisations in the exports and in the peer comparison
#: of a report made without a frame; the perceived maturity gives the perceived gap. The
#: sector estimates' domains and calibration come from the frame, not from these answers.
CONTEXT_SCORES: dict[str, ScoreName] = {
    "organisation_type": "breakdowns",
    "dwellings": "breakdowns",
    "department": "breakdowns",
    "perceived_maturity": "perceived_gap",
}

#: An old or new value: a text, a number, a flag, a list of codes, or absent.
Value = str | bool | int | float | list[str] | None


class Change(Record):
    """One difference between two questionnaires."""

    kind: ChangeKind
    #: Where, in the questionnaire's terms: `items.ID.options.CODE.score`, `dimensions.ID.weight`,
    #: `methodology.levels.CODE.min`; collections are keyed by their ids and codes.
    path: str
    #: The value in the old and in the new questionnaire (None when absent). An added or
    #: removed item, option, row, dimension, role or level is given by its French label.
    old: Value
    new: Value
    effect: Effect
    #: The item the change is part of (None for anything else).
    item: str | None
    #: What a breaking change moves: dimension scores, axes, and other scores.
    dimensions: list[str]
    axes: list[Axis]
    scores: list[ScoreName]
    #: An option reorder of an item whose answers the exports write as numbers 1, 2... in the
    #: questionnaire's order (codes that are not whole numbers): the exports' codes change.
    exports_recoded: bool = False


class Comparability(Record):
    """What stays comparable between a wave of the old and a wave of the new questionnaire."""

    #: No breaking change: the waves compare (a change since the previous wave is computed).
    comparable: bool
    #: Dimensions of both questionnaires that no breaking change touches, in the new order.
    dimensions: list[str]
    #: Every other dimension (changed, added or removed), with the paths of the breaking
    #: changes that touch it.
    not_comparable: dict[str, list[str]]
    #: The axes, by role (a typology's named axes play `tech` then `transfo`); None, as for
    #: `families`, when neither questionnaire has a typology (`typology: null`: no axis).
    tech: bool | None
    transfo: bool | None
    #: The global index: every dimension comparable, the same dimensions and dimension weights.
    global_index: bool
    #: Maturity levels: the global index comparable and the same level thresholds.
    levels: bool
    #: Families: both axes comparable and the same typology thresholds and borderline rule.
    families: bool | None
    #: Sector estimates' method: the same weighting cell size and disclosure minimum.
    estimates: bool
    #: The organisations are grouped alike: no breaking change to the context items they
    #: declare their type, dwellings and department in.
    breakdowns: bool
    #: The perceived gap: the global index comparable and the perceived maturity item's
    #: answers (range, roles asked) unchanged.
    perceived_gap: bool


class QuestionnaireDiff(FileContract):
    """`barometre questionnaire diff --json`: every change and what stays comparable."""

    FORMAT: ClassVar[str] = "barometre.questionnaire-diff"
    VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "questionnaire diff"

    format: Literal["barometre.questionnaire-diff"] = "barometre.questionnaire-diff"
    format_version: Literal[1] = 1
    old: QuestionnaireRef
    new: QuestionnaireRef
    changes: list[Change]
    comparability: Comparability

    def of_effect(self, effect: Effect) -> list[Change]:
        return [c for c in self.changes if c.effect == effect]

    @property
    def breaking(self) -> list[Change]:
        return self.of_effect("breaking")

    def change(self, path: str) -> Change:
        for change in self.changes:
            if change.path == path:
                return change
        raise KeyError(path)


# --- the questionnaire as a tree keyed by ids ----------------------------------------------------


class _Keyed(dict[str, Any]):
    """A collection keyed by its members' ids or codes (items, options, rows...): a key on
    one side only is a member added or removed, not a value changed."""


def _keyed(members: list[dict[str, Any]], key: str) -> _Keyed:
    return _Keyed((str(m[key]), {k: v for k, v in m.items() if k != key}) for m in members)


def _uses_ladder(item: Item) -> bool:
    return item.kind == "status" and not item.options


def _item_view(item: Item, methodology: Methodology, fill_ladder: bool) -> dict[str, Any]:
    """An item as compared: a scored item with the options it is scored with (linear scale
    scores, yes/no, a multi's default weights, a percent's default bounds written out) and
    its roles as a set."""
    data = item.model_dump(mode="json")
    if item.context is not None:
        data["roles"] = sorted(item.roles)
    if item.is_scored and (fill_ladder or not _uses_ladder(item)):
        options = [o.model_dump(mode="json") for o in effective_options(item, methodology)]
        if item.kind == "multi":
            for option in options:
                # an exclusive option's own weight (a weighted exclusive), else none
                option["weight"] = (
                    option["weight"] if option["exclusive"] else option["weight"] or 1.0
                )
        data["options"] = options
        data["roles"] = sorted(item.roles)  # who is asked, not in which order they are listed
        if item.kind == "percent":
            data["minimum"] = 0.0 if item.minimum is None else item.minimum
            data["maximum"] = 100.0 if item.maximum is None else item.maximum
    _relevance_view(item, data)
    data["options"] = _keyed(data["options"], "code")
    data["rows"] = _keyed(data["rows"], "id")
    _steps_view(data)
    return data


def _steps_view(data: dict[str, Any]) -> None:
    """A path item's steps keyed by id, and each step's options by code (`steps` is left out
    of every other item's view, so that it never shows in their diff)."""
    steps = data.pop("steps", None) or []
    if steps:
        data["steps"] = _keyed(
            [{**step, "options": _keyed(step["options"], "code")} for step in steps], "id"
        )


def _relevance_view(item: Item, data: dict[str, Any]) -> None:
    """Conditions compared as one line each (`q3 in yes`): a change of who is asked."""
    data["relevant"] = relevance_text(item.relevant)
    conditions = {o.code: relevance_text(o.relevant) for o in item.options}
    for option in data["options"]:
        option["relevant"] = conditions.get(option["code"])


def _tree(q: Questionnaire, ladder_items: set[str]) -> dict[str, Any]:
    methodology = q.methodology.model_dump(mode="json")
    methodology["levels"] = _keyed(methodology["levels"], "code")
    methodology["status_ladder"] = _keyed(methodology["status_ladder"], "code")
    return {
        "id": q.id,
        "version": q.version,
        # the languages as they are meant: no key is French and English
        "languages": list(q.declared_languages),
        "title": q.title.model_dump(mode="json"),
        "description": q.description.model_dump(mode="json") if q.description else None,
        "methodology": methodology,
        "roles": _keyed([r.model_dump(mode="json") for r in q.roles], "code"),
        "dimensions": _keyed([d.model_dump(mode="json") for d in q.dimensions], "id"),
        "items": _Keyed(
            (i.id, _item_view(i, q.methodology, i.id not in ladder_items)) for i in q.items
        ),
    }


#: (path, old, new, added or removed member): one raw difference of the two trees.
_Raw = tuple[tuple[str, ...], Any, Any, bool]


def _walk(path: tuple[str, ...], old: Any, new: Any) -> Iterator[_Raw]:
    if isinstance(old, _Keyed) or isinstance(new, _Keyed):
        old, new = old or _Keyed(), new or _Keyed()
        common_old = [k for k in old if k in new]
        common_new = [k for k in new if k in old]
        if common_old != common_new:
            yield (*path, "order"), common_old, common_new, False
        for key in new:
            if key in old:
                yield from _walk((*path, key), old[key], new[key])
            else:
                yield (*path, key), None, new[key], True
        for key in old:
            if key not in new:
                yield (*path, key), old[key], None, True
    elif isinstance(old, dict) or isinstance(new, dict):
        old, new = old or {}, new or {}
        for key in [*new, *(k for k in old if k not in new)]:
            yield from _walk((*path, key), old.get(key), new.get(key))
    elif old != new:
        yield path, old, new, False


# --- what each difference is -------------------------------------------------------------------

_ITEM_BREAKING = frozenset(
    {
        "kind",
        "dimension",
        "axis",
        "roles",
        "reference_role",
        "weight",
        "scored",
        "context",
        "goalposts",
        "better",
        "minimum",
        "maximum",
        "relevant",
    }
)
_OPTION_BREAKING = frozenset({"score", "weight", "exclusive", "relevant"})
#: The kinds of a member added, removed or changed, by the item's collection.
_MEMBER_KINDS: dict[str, tuple[ChangeKind, ChangeKind, ChangeKind]] = {
    "options": ("option_added", "option_removed", "option_changed"),
    "rows": ("row_added", "row_removed", "row_changed"),
}
_WORDING = frozenset({"label", "unit"})
#: What changes the answers a context item collects (its options added or removed too).
_CONTEXT_BREAKING = frozenset(
    {"kind", "context", "roles", "minimum", "maximum", "scored", "relevant"}
)


class _Classifier:
    """Turns the raw differences of two trees into `Change`s, knowing both questionnaires."""

    def __init__(self, old: Questionnaire, new: Questionnaire):
        self.old, self.new = old, new
        self.old_items = {i.id: i for i in old.items}
        self.new_items = {i.id: i for i in new.items}
        #: An item's axis → the role it plays (named axes take the roles tech, transfo).
        self.axis_roles: dict[str, Axis] = {
            axis: role
            for q in (old, new)
            if q.methodology.typology is not None
            for axis, role in q.methodology.typology.role_of().items()
        }
        self.all_dimensions = list(
            dict.fromkeys([*(d.id for d in new.dimensions), *(d.id for d in old.dimensions)])
        )

    def versions(self, item_id: str) -> list[Item]:
        return [q[item_id] for q in (self.old_items, self.new_items) if item_id in q]

    def scored(self, item_id: str) -> bool:
        return any(item.is_scored for item in self.versions(item_id))

    def context_scores(self, item_id: str) -> tuple[ScoreName, ...]:
        """What the item feeds as a context item, in either version."""
        found = [CONTEXT_SCORES[i.context] for i in self.versions(item_id) if i.context]
        return tuple(s for s in ALL_SCORES if s in found)

    def reordered(self, item_id: str, path: str, old: Any, new: Any, scored: bool) -> Change:
        """The options of an item in another order: it moves the scores of a scale scored by
        position (its linear scores), and the exports' codes of answers numbered in order."""
        item = self.new_items[item_id]
        by_position = item.kind == "scale" and any(
            o.score is None for i in self.versions(item_id) for o in i.options
        )
        recoded = item.kind in CODED_KINDS and not _whole_numbers([str(c) for c in new])
        if scored and by_position:
            dimensions, axes = self.reach(self.versions(item_id))
            change = _change(
                "options_reordered", path, old, new, "breaking", item_id, dimensions, axes
            )
        else:
            change = _change("options_reordered", path, old, new, "cosmetic", item_id)
        return change.model_copy(update={"exports_recoded": recoded})

    def reach(self, items: list[Item]) -> tuple[list[str], list[Axis]]:
        dimensions = [i.dimension for i in items if i.is_scored and i.dimension]
        axes = [self.axis_roles.get(i.axis) for i in items if i.is_scored and i.axis]
        return _unique(dimensions), [a for a in AXES if a in axes]

    def zero_moved(self, dimension: str | None) -> tuple[list[str], list[Axis]]:
        """The dimensions (`dimension` alone, or those following the methodology's setting
        when None) whose unanswered items count 0 in one version and not in the other, and
        the axes of their items."""

        def counts(q: Questionnaire, dimension_id: str) -> bool | None:
            found = next((d for d in q.dimensions if d.id == dimension_id), None)
            return None if found is None else found.counts_missing_as_zero(q.methodology)

        both = [d.id for d in self.new.dimensions if any(o.id == d.id for o in self.old.dimensions)]
        moved = [
            d
            for d in both
            if counts(self.old, d) != counts(self.new, d)
            and (
                d == dimension
                if dimension is not None
                else any(q.dimension(d).missing_as_zero is None for q in (self.old, self.new))
            )
        ]
        items = [i for q in (self.old, self.new) for i in q.items if i.dimension in moved]
        return self.reach(items)

    def everything(self, kind: ChangeKind, path: str, old: Any, new: Any) -> Change:
        return _change(
            kind, path, old, new, "breaking", None, self.all_dimensions, AXES, ALL_SCORES
        )

    def classify(self, raw: _Raw) -> Change:
        parts, old, new, member = raw
        path = ".".join(parts)
        head = parts[0]
        if member:
            old, new = _member_value(old), _member_value(new)
        if head in ("id", "version", "languages", "title", "description"):
            if head == "id":
                return self.everything("questionnaire_changed", path, old, new)
            return _change("questionnaire_changed", path, old, new, "cosmetic")
        if head == "methodology":
            return self.methodology(parts[1:], path, old, new)
        if head == "roles":
            if parts[1] == "order":
                return _change("role_changed", path, old, new, "cosmetic")
            kind: ChangeKind = (
                "role_changed" if not member else "role_added" if old is None else "role_removed"
            )
            return _change(kind, path, old, new, "cosmetic")
        if head == "dimensions":
            return self.dimension(parts[1:], path, old, new, member)
        return self.item(parts[1:], path, old, new, member)

    def methodology(self, parts: tuple[str, ...], path: str, old: Any, new: Any) -> Change:
        name = parts[0]
        kind: ChangeKind = "methodology_changed"
        if name == "recommendation" or parts[-1] in ("order", "description"):
            return _change(kind, path, old, new, "cosmetic")
        if name == "variance":  # no score, no point estimate: the estimates' errors only
            return _change(kind, path, old, new, "cosmetic")
        if name in ("version", "coverage_threshold"):
            return self.everything(kind, path, old, new)
        if name == "levels":
            if parts[-1] == "label" or "label" in parts[2:]:
                return _change(kind, path, old, new, "cosmetic")
            return _change(kind, path, old, new, "breaking", scores=("levels",))
        if name == "levels_closed":  # the same score may fall in another level
            return _change(kind, path, old, new, "breaking", scores=("levels",))
        if name == "missing_as_zero":  # the dimensions that follow the methodology's setting
            dimensions, axes = self.zero_moved(None)
            effect: Effect = "breaking" if dimensions else "cosmetic"
            return _change(kind, path, old, new, effect, None, dimensions, axes)
        if name == "typology" and ("label" in parts or _same_axes(old, new)):
            return _change(kind, path, old, new, "cosmetic")  # a named axis's label: words
        if name in ("typology", "borderline"):
            return _change(kind, path, old, new, "breaking", scores=("families",))
        if name in ("disclosure_minimum", "calibration_min_cell"):
            return _change(kind, path, old, new, "breaking", scores=("estimates",))
        if name == "status_ladder":
            users = [
                i for q in (self.old, self.new) for i in q.items if i.is_scored and _uses_ladder(i)
            ]
            if "label" in parts[2:]:
                return _change(kind, path, old, new, "wording" if users else "cosmetic")
            if not users:
                return _change(kind, path, old, new, "cosmetic")
            dimensions, axes = self.reach(users)
            return _change(kind, path, old, new, "breaking", None, dimensions, axes)
        return self.everything(kind, path, old, new)  # a parameter this code does not know

    def dimension(
        self, parts: tuple[str, ...], path: str, old: Any, new: Any, member: bool
    ) -> Change:
        if parts[0] == "order":
            return _change("dimension_changed", path, old, new, "cosmetic")
        dimension = parts[0]
        if member:
            kind: ChangeKind = "dimension_added" if old is None else "dimension_removed"
            return _change(kind, path, old, new, "breaking", None, [dimension], (), ("global",))
        if parts[1] == "weight":
            return _change("dimension_changed", path, old, new, "breaking", scores=("global",))
        if parts[1] == "missing_as_zero":  # breaking when what the dimension follows changes
            dimensions, axes = self.zero_moved(dimension)
            effect: Effect = "breaking" if dimensions else "cosmetic"
            return _change("dimension_changed", path, old, new, effect, None, dimensions, axes)
        return _change("dimension_changed", path, old, new, "cosmetic")

    def item(self, parts: tuple[str, ...], path: str, old: Any, new: Any, member: bool) -> Change:
        if parts[0] == "order":
            return _change("item_changed", path, old, new, "cosmetic")
        item_id = parts[0]
        scored = self.scored(item_id)
        dimensions, axes = self.reach(self.versions(item_id))

        def breaking(kind: ChangeKind) -> Change:
            return _change(kind, path, old, new, "breaking", item_id, dimensions, axes)

        context = () if scored else self.context_scores(item_id)

        def plain(kind: ChangeKind, words: bool) -> Change:
            effect: Effect = "wording" if words and (scored or context) else "cosmetic"
            return _change(kind, path, old, new, effect, item_id)

        def fed(kind: ChangeKind) -> Change:
            """Breaking for what a context item feeds (no dimension or axis)."""
            return _change(kind, path, old, new, "breaking", item_id, scores=context)

        if len(parts) == 1:  # the item added or removed
            kind: ChangeKind = "item_added" if old is None else "item_removed"
            return breaking(kind) if scored else fed(kind) if context else plain(kind, False)
        field = parts[1]
        if field == "steps":
            return self.path_step(parts, breaking, plain)
        if field in ("options", "rows"):
            added, removed, changed = _MEMBER_KINDS[field]
            if parts[2] == "order":
                if field == "options":
                    return self.reordered(item_id, path, old, new, scored)
                return plain(changed, False)
            if member:
                kind = added if old is None else removed
                if scored:
                    return breaking(kind)
                return fed(kind) if context and field == "options" else plain(kind, False)
            kind = changed
            attribute = parts[3]
            counts = _OPTION_BREAKING if field == "options" else frozenset({"weight"})
            if attribute in counts:
                return breaking(kind) if scored else plain(kind, False)
            return plain(kind, attribute in _WORDING)
        if field in _ITEM_BREAKING and scored:
            return breaking("item_changed")
        if field in _CONTEXT_BREAKING and context:
            return fed("item_changed")
        return plain("item_changed", field in _WORDING)

    def path_step(self, parts: tuple[str, ...], breaking, plain) -> Change:
        """A change in a path item's steps (`items.ID.steps.STEP...`): its wording (a label,
        a help, a description) changes no score; anything else (a step or an option added,
        removed or moved, where an answer leads, an ending score) changes what the answers
        are worth, or which answers there are."""
        if parts[-1] in ("label", "help", "description") or (
            len(parts) > 2 and parts[-2] in ("label", "help", "description")
        ):
            return plain("item_changed", True)
        return breaking("item_changed") if self.scored(parts[0]) else plain("item_changed", False)


def _same_axes(old: Any, new: Any) -> bool:
    """Two lists of named axes that differ only in their labels (the same ids, in the same
    order, with the same thresholds)."""

    def key(axes: Any) -> list[tuple[Any, Any]] | None:
        if not isinstance(axes, list) or not all(isinstance(a, dict) for a in axes):
            return None
        return [(a.get("id"), a.get("threshold")) for a in axes]

    return key(old) is not None and key(old) == key(new)


def _whole_numbers(codes: list[str]) -> bool:
    """The exports write these codes as themselves (`exports.tables._option_numbers`)."""
    return all(c.isdigit() for c in codes) and len({int(c) for c in codes}) == len(codes)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _member_value(value: Any) -> Value:
    """An added or removed member is told by its French label."""
    if isinstance(value, dict):
        label = value.get("label")
        if isinstance(label, dict) and isinstance(label.get("fr"), str):
            return label["fr"]
    return None if value is None else ""


def _value(value: Any) -> Value:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _change(
    kind: ChangeKind,
    path: str,
    old: Any,
    new: Any,
    effect: Effect,
    item: str | None = None,
    dimensions: list[str] | tuple[str, ...] = (),
    axes: list[Axis] | tuple[Axis, ...] = (),
    scores: tuple[ScoreName, ...] = (),
) -> Change:
    moves = effect == "breaking"
    return Change(
        kind=kind,
        path=path,
        old=_value(old),
        new=_value(new),
        effect=effect,
        item=item,
        dimensions=list(dimensions) if moves else [],
        axes=list(axes) if moves else [],
        scores=list(scores) if moves else [],
    )


# --- the diff and its comparability ------------------------------------------------------------


def diff_questionnaires(old: Questionnaire, new: Questionnaire) -> QuestionnaireDiff:
    """Every change from `old` to `new`, and what stays comparable (module docstring)."""
    # A status table on the methodology's ladder in both versions is compared through the
    # ladder (one methodology change), not item by item.
    ladder = _ladder_items(old, new)
    classifier = _Classifier(old, new)
    changes = [
        classifier.classify(raw) for raw in _walk((), _tree(old, ladder), _tree(new, ladder))
    ]
    return QuestionnaireDiff(
        old=QuestionnaireRef(id=old.id, version=old.version),
        new=QuestionnaireRef(id=new.id, version=new.version),
        changes=changes,
        comparability=_comparability(old, new, changes),
    )


def _ladder_items(old: Questionnaire, new: Questionnaire) -> set[str]:
    after = {i.id: i for i in new.items}
    return {
        i.id for i in old.items if _uses_ladder(i) and i.id in after and _uses_ladder(after[i.id])
    }


def _comparability(old: Questionnaire, new: Questionnaire, changes: list[Change]) -> Comparability:
    breaking = [c for c in changes if c.effect == "breaking"]
    before = [d.id for d in old.dimensions]
    after = [d.id for d in new.dimensions]
    touched: dict[str, list[str]] = {}
    for dimension in dict.fromkeys([*after, *before]):
        paths = [c.path for c in breaking if dimension in c.dimensions]
        if paths:
            touched[dimension] = paths
    comparable = [d for d in after if d in before and d not in touched]
    scores = {name for c in breaking for name in c.scores}
    axes = {axis: not any(axis in c.axes for c in breaking) for axis in AXES}
    global_index = not touched and set(before) == set(after) and "global" not in scores
    # without a typology on either side there is no axis and no family to compare
    typed = old.methodology.typology is not None or new.methodology.typology is not None
    families = axes["tech"] and axes["transfo"] and "families" not in scores
    return Comparability(
        comparable=not breaking,
        dimensions=comparable,
        not_comparable=touched,
        tech=axes["tech"] if typed else None,
        transfo=axes["transfo"] if typed else None,
        global_index=global_index,
        levels=global_index and "levels" not in scores,
        families=families if typed else None,
        estimates="estimates" not in scores,
        breakdowns="breakdowns" not in scores,
        perceived_gap=global_index and "perceived_gap" not in scores,
    )


# --- in words ----------------------------------------------------------------------------------


def _say(language: Language, code: Code, **params: str) -> str:
    return translation(language)(code.template) % params


#: Characters of context kept on each side of what differs in two long texts.
TEXT_CONTEXT = 20


def shortened(old: str, new: str, limit: int = EXCERPT_LENGTH) -> tuple[str, str]:
    """Two texts for a sentence: whole when both fit in `limit` characters, else the part
    that differs with `TEXT_CONTEXT` characters around it and "…" where text is left out
    ("…comité de direction ?" / "…comité de direction de l'organisme ?")."""
    if len(old) <= limit and len(new) <= limit:
        return old, new
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    start = max(0, prefix - TEXT_CONTEXT)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - suffix + TEXT_CONTEXT)
        piece = text[start:end]
        if len(piece) > limit:
            piece, end = piece[: limit - 1], start + limit - 1
        return ("…" if start else "") + piece + ("…" if end < len(text) else "")

    return cut(old), cut(new)


def _shown(value: Value, language: Language, text: str | None = None) -> str:
    """A value in a sentence: numbers with the language's typography, texts quoted (`text`:
    the part of a long text to show)."""
    if value is None:
        return formatting.MISSING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        places = min(6, max(0, -exponent)) if isinstance(exponent, int) else 0
        return formatting.number(value, places, language=language)
    if isinstance(value, list):
        return ", ".join(value) if value else formatting.MISSING
    text = excerpt(value) if text is None else text
    return f"«\u202f{text}\u202f»" if language == "fr" else f"“{text}”"


def _shown_pair(old: Value, new: Value, language: Language) -> tuple[str, str]:
    if isinstance(old, str) and isinstance(new, str):
        short_old, short_new = shortened(old, new)
        return _shown(old, language, short_old), _shown(new, language, short_new)
    return _shown(old, language), _shown(new, language)


def describe(change: Change, language: Language = "en") -> str:
    """One change in a sentence, in French or English: "question loc_x removed"."""
    parts = change.path.split(".")
    old, new = _shown_pair(change.old, change.new, language)
    kind = change.kind
    rest = ".".join(parts[2:])
    if kind == "item_added":
        return _say(language, Code.VERSION_ITEM_ADDED, item=parts[1])
    if kind == "item_removed":
        return _say(language, Code.VERSION_ITEM_REMOVED, item=parts[1])
    if kind == "item_changed" and parts[1] == "order":
        return _say(language, Code.VERSION_ITEMS_REORDERED)
    if kind == "item_changed":
        return _say(
            language, Code.VERSION_ITEM_CHANGED, item=parts[1], field=rest, old=old, new=new
        )
    if kind in ("option_added", "option_removed", "option_changed", "options_reordered"):
        return _describe_option(change, parts, language, old, new)
    if kind in ("row_added", "row_removed", "row_changed"):
        return _describe_row(change, parts, language, old, new)
    if kind == "dimension_added":
        return _say(language, Code.VERSION_DIMENSION_ADDED, dimension=parts[1])
    if kind == "dimension_removed":
        return _say(language, Code.VERSION_DIMENSION_REMOVED, dimension=parts[1])
    if kind == "dimension_changed" and parts[1] == "order":
        return _say(language, Code.VERSION_DIMENSIONS_REORDERED)
    if kind == "dimension_changed":
        return _say(
            language,
            Code.VERSION_DIMENSION_CHANGED,
            dimension=parts[1],
            field=rest,
            old=old,
            new=new,
        )
    if kind == "role_added":
        return _say(language, Code.VERSION_ROLE_ADDED, role=parts[1])
    if kind == "role_removed":
        return _say(language, Code.VERSION_ROLE_REMOVED, role=parts[1])
    if kind == "role_changed":
        return _say(
            language,
            Code.VERSION_ROLE_CHANGED,
            role=parts[1],
            field=rest or parts[1],
            old=old,
            new=new,
        )
    if kind == "methodology_changed":
        return _say(
            language,
            Code.VERSION_METHODOLOGY_CHANGED,
            parameter=".".join(parts[1:]),
            old=old,
            new=new,
        )
    return _say(language, Code.VERSION_QUESTIONNAIRE_CHANGED, field=change.path, old=old, new=new)


def _describe_option(
    change: Change, parts: list[str], language: Language, old: str, new: str
) -> str:
    item, option = parts[1], ".".join(parts[3:-1]) if change.kind == "option_changed" else ""
    if change.kind == "options_reordered":
        if change.exports_recoded:
            return _say(
                language, Code.VERSION_OPTIONS_REORDERED_RECODED, item=item, old=old, new=new
            )
        return _say(language, Code.VERSION_OPTIONS_REORDERED, item=item)
    if change.kind == "option_added":
        return _say(language, Code.VERSION_OPTION_ADDED, item=item, option=".".join(parts[3:]))
    if change.kind == "option_removed":
        return _say(language, Code.VERSION_OPTION_REMOVED, item=item, option=".".join(parts[3:]))
    # an option's code may hold dots: the attribute is the last part but for a label's language
    field = parts[-1]
    if parts[-2] in ("label", "description"):
        field, option = ".".join(parts[-2:]), ".".join(parts[3:-2])
    return _say(
        language,
        Code.VERSION_OPTION_CHANGED,
        item=item,
        option=option,
        field=field,
        old=old,
        new=new,
    )


def _describe_row(change: Change, parts: list[str], language: Language, old: str, new: str) -> str:
    item = parts[1]
    if parts[3] == "order":
        return _say(language, Code.VERSION_ROWS_REORDERED, item=item)
    if change.kind == "row_added":
        return _say(language, Code.VERSION_ROW_ADDED, item=item, row=parts[3])
    if change.kind == "row_removed":
        return _say(language, Code.VERSION_ROW_REMOVED, item=item, row=parts[3])
    return _say(
        language,
        Code.VERSION_ROW_CHANGED,
        item=item,
        row=parts[3],
        field=".".join(parts[4:]),
        old=old,
        new=new,
    )


def dimension_reasons(
    diff: QuestionnaireDiff,
    labels: Mapping[str, str],
    language: Language = "en",
    limit: int = 3,
) -> list[str]:
    """Each non-comparable dimension in a sentence, with its first `limit` breaking changes:
    "The dimension “Relation locataire” changed: question loc_x removed"."""
    sentences = []
    for dimension, paths in diff.comparability.not_comparable.items():
        sentences.append(
            _say(
                language,
                Code.VERSION_DIMENSION_NOT_COMPARABLE,
                dimension=labels.get(dimension, dimension),
                changes=_listed(
                    [describe(diff.change(p), language) for p in paths], language, limit
                ),
            )
        )
    return sentences


def explain(diff: QuestionnaireDiff, language: Language = "en", limit: int = 3) -> str:
    """The first `limit` breaking changes in one sentence (empty when there is none)."""
    return in_one_sentence(diff.breaking, language, limit)


def in_one_sentence(changes: list[Change], language: Language = "en", limit: int = 3) -> str:
    """The first `limit` changes, separated by semicolons, and how many more there are."""
    return _listed([describe(c, language) for c in changes], language, limit)


def _listed(sentences: list[str], language: Language, limit: int) -> str:
    separator = f"{formatting.NNBSP}; " if language == "fr" else "; "
    shown = separator.join(sentences[:limit])
    if len(sentences) > limit:
        more = _say(
            language,
            Code.VERSION_AND_MORE,
            count=formatting.count(len(sentences) - limit, language=language),
        )
        shown += separator + more
    return shown
