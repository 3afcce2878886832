"""A `Questionnaire` written back as the YAML text of `docs/questionnaire-format.md`.

Every import of a questionnaire made elsewhere (an XLSForm workbook, a SurveyJS form) ends
here: `questionnaire_yaml(q)` is the text that `load_questionnaire` reads back to a model
EQUAL to `q` (`tests/interop/test_questionnaire_writer.py` checks it on hlm-2026 and on
random questionnaires). The text is deterministic: keys in a fixed order (the order of
hlm-2026: what an item is and where it counts, then what it says, then its answers), only the
fields that differ from their default, short mappings (texts, goalposts, options, rows) on one
line, numbers written so that they read back as the same double (`repr`, whole numbers without
`.0`).
"""

from __future__ import annotations

from typing import Any

import yaml

from barometre.questionnaire.models import (
    Dimension,
    Goalposts,
    Item,
    Localized,
    Methodology,
    Option,
    PathOption,
    PathStep,
    Questionnaire,
    Relevance,
    Role,
    StatusRow,
    Typology,
)

#: Order of an item's keys in the file (the order of hlm-2026).
ITEM_KEYS = (
    "id",
    "kind",
    "dimension",
    "axis",
    "roles",
    "reference_role",
    "weight",
    "scored",
    "context",
    "relevant",
    "label",
    "help",
    "unit",
    "goalposts",
    "better",
    "minimum",
    "maximum",
    "options",
    "rows",
    "steps",
)
_HEADER = "# Questionnaire {id} {version}, written by barometre (docs/questionnaire-format.md).\n"
#: Longest mapping written on one line, in characters.
_FLOW_WIDTH = 80
#: Largest whole number written without its decimal part (beyond it `repr` is kept).
_WHOLE_LIMIT = 1e15


class _Flow(dict[str, Any]):
    """A mapping written on one line: `{fr: ..., en: ...}`."""


class _FlowList(list[str]):
    """A list written on one line: `[direction, numerique]`."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper; `_Flow` mappings in flow style, lists of mappings indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    if data.is_integer() and abs(data) < _WHOLE_LIMIT:
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(float, _represent_float)


def questionnaire_yaml(q: Questionnaire) -> str:
    """The questionnaire as YAML text that `load_questionnaire` reads back to an equal model."""
    document: dict[str, Any] = {"id": q.id, "version": q.version}
    if q.languages is not None:
        document["languages"] = _FlowList(q.languages)
    document["title"] = _text(q.title)
    if q.description is not None:
        document["description"] = _text(q.description)
    methodology = _methodology(q.methodology)
    if methodology:
        document["methodology"] = methodology
    document["roles"] = [_role(role) for role in q.roles]
    document["dimensions"] = [_dimension(dimension) for dimension in q.dimensions]
    document["items"] = [_item(item) for item in q.items]
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return _HEADER.format(id=_comment(q.id), version=_comment(q.version)) + body


def _comment(text: str) -> str:
    # A comment ends at the end of its line: no line break may get into it.
    return " ".join(text.split())


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """`mapping` on one line when it is short, else as a block of lines."""
    flow = _Flow(mapping)
    line = yaml.dump(flow, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)
    return flow if len(line) <= _FLOW_WIDTH else dict(mapping)


def _text(text: Localized) -> dict[str, Any]:
    return _compact(text.model_dump(exclude_none=True))


def _role(role: Role) -> dict[str, Any]:
    return {"code": role.code, "label": _text(role.label)}


def _dimension(dimension: Dimension) -> dict[str, Any]:
    out: dict[str, Any] = {"id": dimension.id}
    if dimension.weight != 1.0:
        out["weight"] = dimension.weight
    out["label"] = _text(dimension.label)
    if dimension.description is not None:
        out["description"] = _text(dimension.description)
    if dimension.descriptors:
        out["descriptors"] = {code: _text(text) for code, text in dimension.descriptors.items()}
    if dimension.missing_as_zero is not None:
        out["missing_as_zero"] = dimension.missing_as_zero
    return out


def _methodology(methodology: Methodology) -> dict[str, Any]:
    """The methodology's parameters that differ from the defaults (none: the section is left
    out)."""
    default = Methodology()
    out: dict[str, Any] = {}
    for name in Methodology.model_fields:
        value = getattr(methodology, name)
        if value == getattr(default, name):
            continue
        if name in ("levels", "status_ladder"):
            out[name] = [_listed(part) for part in value]
        elif name == "typology":
            out[name] = _typology(value)
        elif name in ("borderline", "variance"):
            out[name] = _compact(value.model_dump())
        elif name == "recommendation":
            out[name] = {
                key: _compact(part)
                if isinstance(part, dict)
                else _FlowList(part)
                if isinstance(part, list)
                else part
                for key, part in value.model_dump().items()
            }
        else:
            out[name] = value
    return out


def _typology(typology: Typology | None) -> dict[str, Any] | None:
    """`null` (no typology); the named axes, each on one line (their thresholds are the
    roles'); or the two thresholds."""
    if typology is None:
        return None
    if typology.axes is None:
        return _compact(typology.model_dump(exclude={"axes"}))
    return {
        "axes": [
            _compact({"id": axis.id, "label": _text(axis.label), "threshold": axis.threshold})
            for axis in typology.axes
        ]
    }


def _listed(part: Any) -> dict[str, Any]:
    """A level or a ladder's option, on one line."""
    if isinstance(part, Option):
        return _option(part)
    return _compact({"code": part.code, "label": _text(part.label), "min": part.min})


def _option(option: Option) -> dict[str, Any]:
    out: dict[str, Any] = {"code": option.code, "label": _text(option.label)}
    if option.description is not None:
        out["description"] = _text(option.description)
    if option.score is not None:
        out["score"] = option.score
    if option.weight is not None:
        out["weight"] = option.weight
    if option.exclusive:
        out["exclusive"] = True
    if option.relevant is not None:
        out["relevant"] = _relevance(option.relevant)
    return _compact(out)


def _row(row: StatusRow) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "label": _text(row.label)}
    if row.weight != 1.0:
        out["weight"] = row.weight
    return _compact(out)


def _step(step: PathStep) -> dict[str, Any]:
    """A step of a path item: its question, then its options, each on one line if short."""
    out: dict[str, Any] = {"id": step.id, "label": _text(step.label)}
    if step.help is not None:
        out["help"] = _text(step.help)
    out["options"] = [_path_option(option) for option in step.options]
    return out


def _path_option(option: PathOption) -> dict[str, Any]:
    out: dict[str, Any] = {"code": option.code, "label": _text(option.label)}
    if option.description is not None:
        out["description"] = _text(option.description)
    if option.next is not None:
        out["next"] = option.next
    if option.score is not None:
        out["score"] = option.score
    return _compact(out)


def _goalposts(goalposts: Goalposts) -> _Flow:
    return _Flow({"worst": goalposts.worst, "best": goalposts.best})


def _item(item: Item) -> dict[str, Any]:
    default = _DEFAULT_ITEM
    out: dict[str, Any] = {}
    for key in ITEM_KEYS:
        value = getattr(item, key)
        if key not in ("id", "kind", "label", "roles") and value == getattr(default, key):
            continue
        if isinstance(value, Localized):
            out[key] = _text(value)
        elif isinstance(value, Goalposts):
            out[key] = _goalposts(value)
        elif isinstance(value, Relevance):
            out[key] = _relevance(value)
        elif key == "options":
            out[key] = [_option(option) for option in value]
        elif key == "rows":
            out[key] = [_row(row) for row in value]
        elif key == "steps":
            out[key] = [_step(step) for step in value]
        elif key == "roles":
            out[key] = _FlowList(value)
        else:
            out[key] = value
    return out


def _relevance(relevance: Relevance) -> dict[str, Any]:
    """A condition `{item: q3, in: [yes]}`, or `any_of` / `all_of` a list of them."""
    conditions = [_Flow({"item": c.item, "in": _FlowList(c.in_)}) for c in relevance.conditions]
    if relevance.item is not None:
        return conditions[0]
    return {"all_of" if relevance.needs_all else "any_of": conditions}


# The defaults of an item's optional keys, read from the model itself.
_DEFAULT_ITEM = Item(id="x", kind="text", label=Localized(fr="x"), roles=["x"])
