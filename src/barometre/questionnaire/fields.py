"""The questionnaire flattened into answer fields, the unit the scoring engine works on.

Most items are answered once; a `status` table is answered once per row, as the field
`ITEM.ROW`. Each field carries its dimension, axis, weight and roles, and its options with the
score each one is worth. Building these tables once per questionnaire keeps the engine free of
per-answer Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from barometre.questionnaire.models import Item, Localized, Methodology, Option, Questionnaire

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


def field_id(item: Item, row_id: str | None) -> str:
    return f"{item.id}.{row_id}" if row_id else item.id


@dataclass(frozen=True)
class FieldTables:
    """Vectorisable view of a questionnaire.

    fields:  one row per answer field, indexed by `field_id`; columns item_id, row_id, kind,
             dimension, axis, weight (item weight shared among its status rows), scored,
             reference_role, worst, best, minimum, maximum.
    roles:   boolean DataFrame, fields x role codes: who is asked what.
    options: one row per (field_id, code) with score, weight (multi), exclusive.
    """

    fields: pd.DataFrame
    roles: pd.DataFrame
    options: pd.DataFrame


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
    roles = pd.DataFrame(role_rows, index=fields.index, columns=role_codes, dtype=bool)
    options = pd.DataFrame(
        option_rows, columns=["field_id", "code", "score", "weight", "exclusive"]
    )
    return FieldTables(fields=fields, roles=roles, options=options)


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
        "weight": 0.0 if option.exclusive else (option.weight or 1.0),
        "exclusive": option.exclusive,
    }
