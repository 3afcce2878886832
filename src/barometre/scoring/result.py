"""The result of scoring a wave, and its file (`ScoresFile`, the contract of `barometre score`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, cast

import numpy as np
import pandas as pd

from barometre.contracts.base import DECIMALS
from barometre.contracts.scores import (
    Axes,
    AxisName,
    BorderlineRule,
    Context,
    DimensionScore,
    LevelBound,
    MethodologyRef,
    OrganisationScores,
    QuestionnaireRef,
    ScoresFile,
    TypologyThresholds,
)
from barometre.contracts.vocabulary import FAMILIES
from barometre.contracts.vocabulary import ORGANISATION_TYPES as TYPES
from barometre.questionnaire.models import AXIS_ROLES, Methodology


@dataclass(frozen=True)
class ScoreResult:
    """Scores of every organisation. DataFrames are indexed by organisation_id.

    organisations: n_respondents, global, level, tech, transfo, tech_se, transfo_se, family,
        borderline, perception_gap, declared_organisation_type, dwellings, department,
        perceived_maturity (mean 1-10 self-rating), perceived_score (0-100), perceived_gap.
    dimension_*: organisations x dimensions.
    item_scores: organisations x scored items (status tables: weighted mean of their rows).
    item_weights: organisations x scored items, the weight of the answered fields (a status
        table partly answered counts only its answered rows).
    roles: organisations x roles, number of respondents.
    """

    questionnaire_id: str
    questionnaire_version: str
    methodology: Methodology
    dimension_ids: list[str]
    organisations: pd.DataFrame
    dimension_scores: pd.DataFrame
    dimension_coverage: pd.DataFrame
    dimension_levels: pd.DataFrame
    dimension_dispersion: pd.DataFrame
    dimension_perception_gap: pd.DataFrame
    axis_coverage: pd.DataFrame
    item_scores: pd.DataFrame
    item_weights: pd.DataFrame
    roles: pd.DataFrame

    @property
    def scored(self) -> pd.Series:
        """Which organisations have a global index (by organisation_id): the same test as
        `OrganisationScores.scored` on the file."""
        return self.organisations["global"].notna()

    def organisation_table(self) -> pd.DataFrame:
        """One row per organisation: organisation_id, global, level, family, tech, transfo
        and one column per dimension score (the input of the sector estimate)."""
        orgs = self.organisations
        table = pd.DataFrame(
            {
                "organisation_id": orgs.index.to_numpy(),
                "global": orgs["global"].to_numpy(dtype=float),
                "level": pd.Series([_text(v) for v in orgs["level"]], dtype=object),
                "family": pd.Series([_text(v) for v in orgs["family"]], dtype=object),
                "tech": orgs["tech"].to_numpy(dtype=float),
                "transfo": orgs["transfo"].to_numpy(dtype=float),
            }
        )
        for dimension in self.dimension_ids:
            table[dimension] = self.dimension_scores[dimension].to_numpy(dtype=float)
        return table

    def to_file(self) -> ScoresFile:
        """The scores file: every number rounded to 10 decimals, NaN written as null."""
        columns = _Columns.of(self)
        return ScoresFile(
            questionnaire=QuestionnaireRef(
                id=self.questionnaire_id, version=self.questionnaire_version
            ),
            methodology=methodology_ref(self.methodology),
            organisations=tuple(
                columns.organisation(at) for at in range(len(columns.organisation_ids))
            ),
        )

    def dumps(self) -> str:
        """The text of the scores file: `to_file().dumps()`, byte for byte, written from the
        tables column by column instead of through a record per organisation."""
        return "".join(self.json_chunks())

    def json_chunks(self, batch: int = 1000) -> Iterator[str]:
        """`dumps()` in pieces of `batch` organisations (a large file is written as it is
        made, never held whole in memory)."""
        _check_vocabulary(self.organisations)
        header = ScoresFile(
            questionnaire=QuestionnaireRef(
                id=self.questionnaire_id, version=self.questionnaire_version
            ),
            methodology=methodology_ref(self.methodology),
            organisations=(),
        ).dumps()
        if not len(self.organisations):
            yield header
            return
        assert header.endswith(_NO_ORGANISATIONS), header[-40:]
        yield header[: -len(_NO_ORGANISATIONS)] + '  "organisations": [\n'
        typology = self.methodology.typology is not None
        for start in range(0, len(self.organisations), batch):
            part = _Columns.of(self, slice(start, start + batch))
            text = ",\n".join(part.json_texts(typology))
            yield (",\n" if start else "") + text
        yield "\n  ]\n}\n"


def methodology_ref(method: Methodology) -> MethodologyRef:
    """The methodology parameters a file records (and a method annex prints)."""
    return MethodologyRef(
        version=method.version,
        coverage_threshold=method.coverage_threshold,
        levels=tuple(LevelBound(code=lv.code, min=lv.min) for lv in method.levels),
        typology=_typology_ref(method),
        borderline=BorderlineRule(**method.borderline.model_dump()),
        disclosure_minimum=method.disclosure_minimum,
    )


def _typology_ref(method: Methodology) -> TypologyThresholds | None:
    """The thresholds, and the questionnaire's own axes when it names them (None: no
    typology)."""
    typology = method.typology
    if typology is None:
        return None
    axes = None
    if typology.axes is not None:
        axes = tuple(
            AxisName(
                role=role,
                id=axis.id,
                label=axis.label.model_dump(exclude_none=True),
            )
            for role, axis in zip(AXIS_ROLES, typology.axes, strict=False)
        )
    return TypologyThresholds(
        tech_threshold=typology.tech_threshold,
        transfo_threshold=typology.transfo_threshold,
        axes=axes,
    )


#: The end of a scores file without organisations, where `json_chunks` puts them.
_NO_ORGANISATIONS = '  "organisations": []\n}\n'
#: The keys of an organisation's record, in the file's order (`OrganisationScores`, by alias).
ORGANISATION_KEYS = (
    "organisation_id",
    "n_respondents",
    "respondents_by_role",
    "global",
    "level",
    "family",
    "borderline",
    "axes",
    "axes_se",
    "axes_coverage",
    "perception_gap",
    "perceived_maturity",
    "perceived_gap",
    "context",
    "dimensions",
    "items",
    "item_weights",
)
#: The numbers of an organisation's record: (column of `ScoreResult.organisations`, key).
_ORGANISATION_NUMBERS = (
    ("global", "global"),
    ("tech", "tech"),
    ("transfo", "transfo"),
    ("tech_se", "tech_se"),
    ("transfo_se", "transfo_se"),
    ("perception_gap", "perception_gap"),
    ("perceived_maturity", "perceived_maturity"),
    ("perceived_gap", "perceived_gap"),
    ("dwellings", "dwellings"),
)
_ORGANISATION_TEXTS = ("level", "family", "declared_organisation_type", "department")
_DIMENSION_NUMBERS = ("score", "coverage", "dispersion", "perception_gap")


@dataclass(frozen=True)
class _Columns:
    """Some organisations of a `ScoreResult`, column by column, as the scores file has them:
    numbers rounded to `DECIMALS` (NaN where the file says null), texts (None where null).

    `organisation(at)` makes the record of one of them; `json_texts()` the text of every
    record, exactly as `ScoresFile.dumps()` writes it, without making the records."""

    organisation_ids: list[str]
    n_respondents: list[int]
    roles: list[str]
    role_counts: list[list[Any]]
    numbers: dict[str, np.ndarray]
    texts: dict[str, list[str | None]]
    borderline: list[bool | None]
    axes_coverage: dict[str, np.ndarray]
    dimension_ids: list[str]
    dimension_numbers: dict[str, np.ndarray]  # organisations x dimensions
    dimension_levels: list[list[str | None]]
    item_ids: list[str]
    item_scores: np.ndarray  # organisations x item_ids
    weight_ids: list[str]
    item_weights: np.ndarray  # organisations x weight_ids, 0 where not a finite number
    weighted: np.ndarray  # organisations x weight_ids: the items `item_weights` writes

    @classmethod
    def of(cls, result: ScoreResult, rows: slice | None = None) -> _Columns:
        """The organisations of `result` (those at `rows` of `result.organisations`)."""
        orgs = result.organisations if rows is None else result.organisations.iloc[rows]
        ids = orgs.index

        def aligned(frame: pd.DataFrame) -> pd.DataFrame:
            # As `frame.loc[organisation_id]`, one organisation after the other did.
            if frame.index.equals(result.organisations.index):
                return frame if rows is None else frame.iloc[rows]
            return frame.loc[ids]

        dims = list(result.dimension_ids)
        roles = aligned(result.roles)
        weights = aligned(result.item_weights)
        raw_weights = weights.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            weighted = raw_weights > 0
        rounded_weights = _rounded(raw_weights)
        axis_coverage = aligned(result.axis_coverage)
        items = aligned(result.item_scores)
        return cls(
            organisation_ids=[str(org) for org in ids],
            n_respondents=[int(n) for n in orgs["n_respondents"].tolist()],
            roles=[str(role) for role in roles.columns],
            role_counts=roles.to_numpy(dtype=object).tolist(),
            numbers={key: _rounded(_floats(orgs[column])) for column, key in _ORGANISATION_NUMBERS},
            texts={
                column: [_text(v) for v in orgs[column].to_numpy(dtype=object)]
                for column in _ORGANISATION_TEXTS
            },
            borderline=[_flag(v) for v in orgs["borderline"].to_numpy(dtype=object)],
            axes_coverage={
                role: _rounded(_floats(axis_coverage[role])) for role in ("tech", "transfo")
            },
            dimension_ids=dims,
            dimension_numbers={
                "score": _rounded(_matrix(aligned(result.dimension_scores), dims)),
                "coverage": _rounded(_matrix(aligned(result.dimension_coverage), dims)),
                "dispersion": _rounded(_matrix(aligned(result.dimension_dispersion), dims)),
                "perception_gap": _rounded(_matrix(aligned(result.dimension_perception_gap), dims)),
            },
            dimension_levels=[
                [_text(v) for v in row]
                for row in aligned(result.dimension_levels)[dims].to_numpy(dtype=object)
            ],
            item_ids=[str(item) for item in items.columns],
            item_scores=_rounded(items.to_numpy(dtype=float, na_value=np.nan)),
            weight_ids=[str(item) for item in weights.columns],
            item_weights=np.where(np.isnan(rounded_weights), 0.0, rounded_weights),
            weighted=weighted,
        )

    def organisation(self, at: int) -> OrganisationScores:
        """The record of the organisation at `at`."""
        numbers = {key: _number_at(values, at) for key, values in self.numbers.items()}
        dimensions = {key: values[at].tolist() for key, values in self.dimension_numbers.items()}
        return OrganisationScores(
            organisation_id=self.organisation_ids[at],
            n_respondents=self.n_respondents[at],
            respondents_by_role={
                role: int(count)
                for role, count in zip(self.roles, self.role_counts[at], strict=True)
                if count
            },
            global_index=numbers["global"],
            level=self.texts["level"][at],
            family=cast(Any, self.texts["family"][at]),
            borderline=self.borderline[at],
            axes=Axes(tech=numbers["tech"], transfo=numbers["transfo"]),
            axes_se=Axes(tech=numbers["tech_se"], transfo=numbers["transfo_se"]),
            axes_coverage=Axes(
                tech=_number_at(self.axes_coverage["tech"], at),
                transfo=_number_at(self.axes_coverage["transfo"], at),
            ),
            perception_gap=numbers["perception_gap"],
            perceived_maturity=numbers["perceived_maturity"],
            perceived_gap=numbers["perceived_gap"],
            context=Context(
                organisation_type=cast(Any, self.texts["declared_organisation_type"][at]),
                dwellings=numbers["dwellings"],
                department=self.texts["department"][at],
            ),
            dimensions={
                dim: DimensionScore(
                    score=_or_none(dimensions["score"][d]),
                    level=self.dimension_levels[at][d],
                    coverage=_or_none(dimensions["coverage"][d]),
                    dispersion=_or_none(dimensions["dispersion"][d]),
                    perception_gap=_or_none(dimensions["perception_gap"][d]),
                )
                for d, dim in enumerate(self.dimension_ids)
            },
            items=dict(
                zip(self.item_ids, map(_or_none, self.item_scores[at].tolist()), strict=True)
            ),
            item_weights={
                item: weight
                for item, weight, kept in zip(
                    self.weight_ids,
                    self.item_weights[at].tolist(),
                    self.weighted[at].tolist(),
                    strict=True,
                )
                if kept
            },
        )

    def json_texts(self, typology: bool) -> list[str]:
        """The JSON text of each organisation's record, as an element of the file's
        `organisations` (indented 4 spaces, no comma); without `typology`, no `family`,
        `borderline` or axes (`ScoresFile` leaves them out)."""
        ids = [_json_text(org) for org in self.organisation_ids]
        numbers = {key: _json_numbers(values) for key, values in self.numbers.items()}
        coverage = {role: _json_numbers(values) for role, values in self.axes_coverage.items()}
        texts = {key: [_json_text(v) for v in values] for key, values in self.texts.items()}
        flags = [
            "null" if flag is None else "true" if flag else "false" for flag in self.borderline
        ]
        role_keys = [f"        {_json_text(role)}: " for role in self.roles]
        dim_keys = [f"        {_json_text(dim)}: {{\n" for dim in self.dimension_ids]
        dim_numbers = {key: _json_numbers(v) for key, v in self.dimension_numbers.items()}
        levels = [[_json_text(v) for v in row] for row in self.dimension_levels]
        item_keys = [f"        {_json_text(item)}: " for item in self.item_ids]
        item_scores = _json_numbers(self.item_scores)
        # The items' object is the same text around each organisation's numbers: one
        # template, filled per organisation (`str.format`, in C), instead of a join of parts.
        items_template = _object_template(item_keys)
        dimensions_template = _object_template(
            [
                key.replace("{", "{{").replace("}", "}}")
                + '          "score": {},\n'
                + '          "level": {},\n'
                + '          "coverage": {},\n'
                + '          "dispersion": {},\n'
                + '          "perception_gap": {}\n'
                + "        }}"
                for key in dim_keys
            ],
            escape=False,
        )
        weight_keys = [f"        {_json_text(item)}: " for item in self.weight_ids]
        item_weights = _json_numbers(self.item_weights)
        weight_templates: dict[bytes, tuple[str, np.ndarray]] = {}
        records = []
        for at in range(len(ids)):
            roles = [
                key + repr(int(count))
                for key, count in zip(role_keys, self.role_counts[at], strict=True)
                if count
            ]
            dimension_values = [
                value
                for d in range(len(dim_keys))
                for value in (
                    dim_numbers["score"][at][d],
                    levels[at][d],
                    dim_numbers["coverage"][at][d],
                    dim_numbers["dispersion"][at][d],
                    dim_numbers["perception_gap"][at][d],
                )
            ]
            kept = self.weighted[at]
            pattern = kept.tobytes()
            if pattern not in weight_templates:  # organisations share a few patterns
                weight_templates[pattern] = (
                    _object_template([key for key, k in zip(weight_keys, kept, strict=True) if k]),
                    np.flatnonzero(kept),
                )
            weights_template, weighted = weight_templates[pattern]
            weights_row = item_weights[at]
            record = [
                f'    {{\n      "organisation_id": {ids[at]},\n',
                f'      "n_respondents": {self.n_respondents[at]!r},\n',
                f'      "respondents_by_role": {_json_object(roles)},\n',
                f'      "global": {numbers["global"][at]},\n',
                f'      "level": {texts["level"][at]},\n',
            ]
            if typology:
                record += [
                    f'      "family": {texts["family"][at]},\n',
                    f'      "borderline": {flags[at]},\n',
                    _json_axes("axes", numbers["tech"][at], numbers["transfo"][at]),
                    _json_axes("axes_se", numbers["tech_se"][at], numbers["transfo_se"][at]),
                    _json_axes("axes_coverage", coverage["tech"][at], coverage["transfo"][at]),
                ]
            record += [
                f'      "perception_gap": {numbers["perception_gap"][at]},\n',
                f'      "perceived_maturity": {numbers["perceived_maturity"][at]},\n',
                f'      "perceived_gap": {numbers["perceived_gap"][at]},\n',
                '      "context": {\n',
                f'        "organisation_type": {texts["declared_organisation_type"][at]},\n',
                f'        "dwellings": {numbers["dwellings"][at]},\n',
                f'        "department": {texts["department"][at]}\n',
                "      },\n",
                '      "dimensions": ' + dimensions_template.format(*dimension_values) + ",\n",
                '      "items": ' + items_template.format(*item_scores[at]) + ",\n",
                '      "item_weights": '
                + weights_template.format(*[weights_row[w] for w in weighted])
                + "\n",
                "    }",
            ]
            records.append("".join(record))
        return records


def _check_vocabulary(organisations: pd.DataFrame) -> None:
    """Refuse, as the records would, a family or an organisation type outside the
    vocabulary (`json_chunks` writes the text without making the records that check them,
    and checks before the first piece is written)."""
    for column, allowed in (("family", FAMILIES), ("declared_organisation_type", TYPES)):
        found = {_text(v) for v in organisations[column].to_numpy(dtype=object)}
        unknown = sorted(v for v in found if v is not None and v not in allowed)
        if unknown:
            raise ValueError(f"{column}: not in the vocabulary: {unknown}")


def _floats(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=float, na_value=np.nan)


def _matrix(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The `columns` of `frame` as floats (a KeyError names a missing one)."""
    return frame[columns].to_numpy(dtype=float, na_value=np.nan)


def _rounded(values: np.ndarray) -> np.ndarray:
    """`contracts.base.rounded` of every value: NaN where it gives None."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = np.round(values, DECIMALS) + 0.0
    result[~np.isfinite(values)] = np.nan
    return result


def _or_none(value: float) -> float | None:
    return None if value != value else value  # NaN is the one float unequal to itself


def _number_at(values: np.ndarray, at: int) -> float | None:
    return _or_none(float(values[at]))


def _json_numbers(values: np.ndarray) -> list[Any]:
    """Each number as `json.dumps` writes it (`null` where it is not finite), in nested
    lists of the shape of `values`."""
    flat = values.ravel()
    finite = np.isfinite(flat)
    if np.signbit(flat[finite & (flat == 0.0)]).any():  # -0.0 and 0.0 are told apart
        texts = np.array(list(map(float.__repr__, flat.tolist())), dtype=object)
    else:
        # Scores repeat (a mean of a few answers): each distinct number is written once.
        distinct, each = np.unique(flat, return_inverse=True)
        texts = np.array(list(map(float.__repr__, distinct.tolist())), dtype=object)[each]
    texts[~finite] = "null"
    return texts.reshape(values.shape).tolist()


def _json_text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _json_object(members: list[str]) -> str:
    """An object of the file's organisations whose `members` (`"key": value` lines,
    indented 8 spaces) are given: `{}` when there are none."""
    if not members:
        return "{}"
    return "{\n" + ",\n".join(members) + "\n      }"


def _object_template(keys: list[str], escape: bool = True) -> str:
    """`_json_object` of members `key + value` as a `str.format` template of the values
    (`keys` already templates themselves, braces doubled, without `escape`)."""
    if not keys:
        return "{{}}"
    escaped = [key.replace("{", "{{").replace("}", "}}") + "{}" for key in keys] if escape else keys
    return "{{\n" + ",\n".join(escaped) + "\n      }}"


def _json_axes(key: str, tech: str, transfo: str) -> str:
    return f'      "{key}": {{\n        "tech": {tech},\n        "transfo": {transfo}\n      }},\n'


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    return bool(value) if isinstance(value, bool | np.bool_) else None
