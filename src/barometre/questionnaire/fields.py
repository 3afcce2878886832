"""The questionnaire flattened into answer fields, the unit the scoring engine works on.

Most items are answered once; a `status` table is answered once per row, as the field
`ITEM.ROW`. Each field carries its dimension, axis, weight and roles, and its options with the
score each one is worth. Building these tables once per questionnaire keeps the engine free of
per-answer Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from barometre.questionnaire.models import Item, Localized, Methodology, Option, Questionnaire
from barometre.questionnaire.relevance import RelevanceRules, relevance_rules

YES_NO_OPTIONS = (
    Option(code="yes", label=Localized(fr="Oui", en="Yes"), score=100),
    Option(code="no", label=Localized(fr="Non", en="No"), score=0),
)


def effective_options(item: Item, methodology: Methodology) -> list[Option]:
    """The options an item is answered with, defaults and linear scale scores filled in."""
    if item.kind == "status" and not item.options:
        return list(methodology.status_ladder)
    if item.kind == "yesno" and not item.options:
        return list(YES_NO_OPTIONS)
    if item.kind == "scale" and item.options and all(o.score is None for o in item.options):
        last = len(item.options) - 1
        return [
            o.model_copy(update={"score": 100.0 * rank / last if last else 100.0})
            for rank, o in enumerate(item.options)
        ]
    return list(item.options)


def best_score(item: Item, methodology: Methodology) -> float:
    """The score of the answer the recommendations name as an item's best: 100, but for a
    multi item with a weighted exclusive option, whose denominator holds that option's
    weight: every option that is not exclusive ticked, 100 x their weight / the total."""
    if item.kind != "multi" or not any(o.exclusive and o.weight for o in item.options):
        return 100.0
    ticked = sum(o.weight or 1.0 for o in item.options if not o.exclusive)
    total = ticked + sum(o.weight or 0.0 for o in item.options if o.exclusive)
    return 100.0 * ticked / total


def field_id(item: Item, row_id: str | None) -> str:
    return f"{item.id}.{row_id}" if row_id else item.id


@dataclass(frozen=True)
class FieldTables:
    """Vectorisable view of a questionnaire.

    fields:  one row per answer field, indexed by `field_id`; columns item_id, row_id, kind,
             dimension, axis, weight (item weight shared among its status rows), scored,
             reference_role, worst, best, minimum, maximum, missing_as_zero (an unanswered
             field counts 0: its dimension's setting), axis_role (the role `tech` or
             `transfo` its axis plays in the typology; None without one).
    roles:   boolean DataFrame, fields x role codes: who is asked what.
    options: one row per (field_id, code) with score, weight (multi; 0 for an exclusive
             option without a weight), exclusive.
    paths:   one row per (field_id, step, code) of a path item: step (position, from 0),
             step_id, code, next (position of the step it leads to, -1 when it ends the
             path), score (of an ending answer).
    relevance: the conditions of the conditional items and options (`relevant`).
    """

    fields: pd.DataFrame
    roles: pd.DataFrame
    options: pd.DataFrame
    paths: pd.DataFrame = field(default_factory=lambda: _path_table([]))
    #: The conditions of conditional items and options (`questionnaire/relevance.py`).
    relevance: RelevanceRules = field(default_factory=RelevanceRules)


def build_field_tables(questionnaire: Questionnaire) -> FieldTables:
    field_rows: list[dict] = []
    option_rows: list[dict] = []
    role_codes = [role.code for role in questionnaire.roles]
    role_rows: list[list[bool]] = []
    for item in questionnaire.items:
        item_options = effective_options(item, questionnaire.methodology)
        rows = item.rows if item.kind == "status" else [None]
        total_row_weight = sum(r.weight for r in item.rows) if item.kind == "status" else 1.0
        for row in rows:
            fid = field_id(item, row.id if row else None)
            share = row.weight / total_row_weight if row else 1.0
            field_rows.append(_field_record(item, fid, row.id if row else None, share))
            role_rows.append([code in item.roles for code in role_codes])
            option_rows.extend(_option_record(fid, o) for o in item_options)
    fields = pd.DataFrame(field_rows).set_index("field_id")
    fields["missing_as_zero"] = _missing_as_zero(questionnaire, fields["dimension"])
    # The role each field's axis plays (tech / transfo; None without a typology or axis).
    typology = questionnaire.methodology.typology
    role_of = typology.role_of() if typology is not None else {}
    fields["axis_role"] = pd.Series(
        [role_of.get(axis) if isinstance(axis, str) else None for axis in fields["axis"]],
        index=fields.index,
        dtype=object,
    )
    roles = pd.DataFrame(role_rows, index=fields.index, columns=role_codes, dtype=bool)
    options = pd.DataFrame(
        option_rows, columns=["field_id", "code", "score", "weight", "exclusive"]
    )
    paths = _path_table([row for item in questionnaire.items for row in _path_records(item)])
    return FieldTables(
        fields=fields,
        roles=roles,
        options=options,
        paths=paths,
        relevance=relevance_rules(questionnaire),
    )


PATH_COLUMNS = ["field_id", "step", "step_id", "code", "next", "score"]


def _path_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=PATH_COLUMNS)
    return table.astype({"step": "int64", "next": "int64", "score": "float64"})


def _path_records(item: Item) -> list[dict]:
    """The steps of a path item, one row per option (nothing for another kind)."""
    if item.kind != "path":
        return []
    position = {step.id: p for p, step in enumerate(item.steps)}
    return [
        {
            "field_id": item.id,
            "step": p,
            "step_id": step.id,
            "code": option.code,
            "next": -1 if option.next is None else position.get(option.next, -1),
            "score": float("nan") if option.score is None else option.score,
        }
        for p, step in enumerate(item.steps)
        for option in step.options
    ]


def _field_record(item: Item, fid: str, row_id: str | None, share: float) -> dict:
    goalposts = item.goalposts
    return {
        "field_id": fid,
        "item_id": item.id,
        "row_id": row_id,
        "kind": item.kind,
        "dimension": item.dimension,
        "axis": item.axis,
        "weight": item.weight * share,
        "scored": item.is_scored,
        "context": item.context,
        "reference_role": item.reference_role,
        "worst": goalposts.worst if goalposts else float("nan"),
        "best": goalposts.best if goalposts else float("nan"),
        "minimum": _bound(item, "minimum"),
        "maximum": _bound(item, "maximum"),
    }


def _missing_as_zero(questionnaire: Questionnaire, dimensions: pd.Series) -> pd.Series:
    """Whether an unanswered field counts 0: its dimension's setting (methodology §4,
    docs/questionnaire-format.md), False for a field of no dimension."""
    method = questionnaire.methodology
    setting = {d.id: d.counts_missing_as_zero(method) for d in questionnaire.dimensions}
    return dimensions.map(lambda d: setting.get(d, False)).astype(bool)


def _bound(item: Item, which: str) -> float:
    value = getattr(item, which)
    if value is None and item.kind == "percent":
        value = 0.0 if which == "minimum" else 100.0
    return float("nan") if value is None else float(value)


def _option_record(fid: str, option: Option) -> dict:
    return {
        "field_id": fid,
        "code": option.code,
        "score": float("nan") if option.score is None else option.score,
        # An exclusive option weighs only when it declares a weight (a weighted exclusive).
        "weight": (option.weight or 0.0) if option.exclusive else (option.weight or 1.0),
        "exclusive": option.exclusive,
    }
