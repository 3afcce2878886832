"""The tables of a wave's export, as typed tables (a DataFrame and its codebook columns).

- `organisations`: one row per organisation, its scores (global index, dimensions, axes, level,
  family, coverage, dispersion, perception gap) and context (type, size);
- `items`: one row per organisation, one column per scored item (0-100);
- `responses`: one row per respondent, one column per answer field, coded (docs/exports.md);
- `responses-long`: one row per answer, as stored, respondents as pseudonyms;
- `estimates`: one row per figure of the sector estimate (indicator x domain).

Every table is built column by column (numpy, pandas): there is no Python loop per answer.
A respondent id never appears: it is replaced by its pseudonym (`pseudonyms.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from barometre.comparability import WaveMethod
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.scores import OrganisationScores, ScoresFile
from barometre.contracts.vocabulary import FAMILIES, ORGANISATION_TYPES, SIZE_CLASSES
from barometre.errors import (
    ArgumentError,
    Code,
    ComparabilityError,
    InputError,
    Problem,
    problem,
)
from barometre.interop.exports import labels as L
from barometre.interop.exports.choices import TABLES, ExportTable
from barometre.interop.exports.codebook import (
    Codebook,
    CodebookColumn,
    ColumnKind,
    MissingCode,
    StorageType,
    ValueLabel,
)
from barometre.interop.exports.names import SPSS_NAME_BYTES, variable_names
from barometre.interop.exports.pseudonyms import pseudonymise
from barometre.organisations import size_class_of
from barometre.questionnaire.fields import FieldTables, build_field_tables, effective_options
from barometre.questionnaire.models import (
    CODED_KINDS,
    DONT_KNOW,
    MULTI_SEPARATOR,
    NOT_APPLICABLE,
    NUMERIC_KINDS,
    Item,
    Localized,
    Questionnaire,
)
from barometre.questionnaire.paths import whole_paths
from barometre.questionnaire.relevance import relevance_text
from barometre.scoring.answers import MISSING, score_answers

#: The tables made from the answers, and from the sector estimate.
RESPONSE_TABLES: frozenset[str] = frozenset({"responses", "responses-long"})

#: User-missing codes of coded answers, multiple-choice columns and figures that cannot be
#: negative: -1 not applicable (NA), -2 don't know (DK). A figure whose range reaches below 0
#: gets codes below its minimum (`missing_codes`).
NA_CODE, DK_CODE = -1, -2
#: Codes of a figure with no minimum at all.
UNBOUNDED_NA_CODE, UNBOUNDED_DK_CODE = -999_999_998, -999_999_999


class ExportError(InputError):
    """An export cannot be made as asked (a table without its input, a format's limit)."""


@dataclass(frozen=True, kw_only=True)
class WaveData:
    """What a wave's export is made from.

    questionnaire: the wave's questionnaire (scores and estimates must be made with it);
    scores: the scores file; responses: the responses table (the five contract columns of
    docs/responses-format.md, as read by `read_responses`, or from the database), or None;
    estimates: the sector estimate, or None (it must be made from these scores:
    `estimates_problems`); pseudonym_key: the key of the respondents' pseudonyms
    (HMAC-SHA256); organisations: only these organisations (a referent's export: never the
    sector's `estimates` table), or None for every one; source: the location of the
    responses' problems (their file); estimates_source: the location of the estimates'
    problems (their file).
    """

    questionnaire: Questionnaire
    scores: ScoresFile
    responses: pd.DataFrame | None = None
    estimates: EstimatesFile | None = None
    pseudonym_key: bytes
    organisations: frozenset[str] | None = None
    source: str = "export"
    estimates_source: str = "estimates"


@dataclass(frozen=True)
class Table:
    """One exported table: `frame` has one column per codebook column, named by its `key`;
    numbers are float64 (NaN for empty), text is object (None for empty)."""

    name: ExportTable
    frame: pd.DataFrame
    columns: tuple[CodebookColumn, ...]
    data: WaveData = field(repr=False)

    @property
    def rows(self) -> int:
        return len(self.frame)

    def codebook(self, name_limit: int = SPSS_NAME_BYTES) -> Codebook:
        names = variable_names([c.key for c in self.columns], name_limit)
        q = self.data.questionnaire
        return Codebook(
            table=self.name,
            questionnaire_id=q.id,
            questionnaire_version=q.version,
            methodology_version=q.methodology.version,
            rows=self.rows,
            columns=tuple(
                c.model_copy(update={"name": n}) for c, n in zip(self.columns, names, strict=True)
            ),
        )


def available_tables(data: WaveData) -> tuple[ExportTable, ...]:
    """The tables the inputs allow: organisations and items always, the responses tables with
    the responses, the estimates with the estimates file, for the whole wave only (the
    sector's figures are no organisation's)."""
    return tuple(
        t
        for t in TABLES
        if (t not in RESPONSE_TABLES or data.responses is not None)
        and (t != "estimates" or (data.estimates is not None and data.organisations is None))
    )


def build_tables(data: WaveData, names: Iterable[ExportTable]) -> list[Table]:
    """The tables `names`, after every check of the inputs (every problem at once)."""
    wanted = list(dict.fromkeys(names))
    if not data.pseudonym_key and RESPONSE_TABLES & set(wanted):
        # A pseudonym under a key everyone knows could be traced back to its respondent id.
        raise ArgumentError("The 'pseudonym_key' parameter must not be empty. Got b'' instead.")
    problems = export_problems(data, wanted)
    if any(p.code == Code.OTHER_QUESTIONNAIRE for p in problems):
        raise ComparabilityError(data.source, problems)
    if problems:
        raise ExportError(data.source, problems)
    builder = _Builder(data)
    return [builder.table(name) for name in wanted]


def export_problems(data: WaveData, names: Iterable[ExportTable]) -> list[Problem]:
    """Every problem of exporting the tables `names` of `data`, found without building them:
    scores of another questionnaire (`other_questionnaire`), estimates not of the scores'
    wave (`estimates_problems`), a table without its input, the sector's estimates asked
    for a selection of organisations, organisations not in the scores. The answers
    themselves are checked when the tables are built (`build_tables`)."""
    wanted = list(dict.fromkeys(names))
    made_with = WaveMethod.of_questionnaire(data.questionnaire)
    problems: list[Problem] = []
    if WaveMethod.of_file(data.scores) != made_with:
        problems.append(
            problem(
                f"{data.source}: {data.scores.KIND}",
                Code.OTHER_QUESTIONNAIRE,
                made_with=str(WaveMethod.of_file(data.scores)),
                loaded=str(made_with),
            )
        )
    if data.estimates is not None:
        problems += estimates_problems(data.estimates, data.scores, data.estimates_source)
    for name in wanted:
        if name in RESPONSE_TABLES and data.responses is None:
            problems.append(problem(f"table {name}", Code.EXPORT_NEEDS_RESPONSES, table=name))
        if name == "estimates" and data.organisations is not None:
            problems.append(problem(f"table {name}", Code.EXPORT_ESTIMATES_OF_SECTOR, table=name))
        elif name == "estimates" and data.estimates is None:
            problems.append(problem(f"table {name}", Code.EXPORT_NEEDS_ESTIMATES, table=name))
    if data.organisations is not None:
        if not data.organisations:
            problems.append(problem(data.source, Code.EXPORT_EMPTY_SELECTION))
        known = set(data.scores.organisation_ids)
        problems += [
            problem(data.source, Code.EXPORT_UNKNOWN_ORGANISATION, organisation=o)
            for o in sorted(data.organisations - known)
        ]
    return problems


#: How close the estimates' unweighted sector means must be to the scores' own (they are the
#: same sums of the same floats, added in another order).
_SAME_MEAN = {"rel_tol": 1e-9, "abs_tol": 1e-9}


def estimates_problems(
    estimates: EstimatesFile, scores: ScoresFile, location: str
) -> list[Problem]:
    """Why the estimates were not made from these scores (at most one problem, at
    `location`), or nothing.

    An estimates file names no digest of its scores, and a scores file no wave year; what
    both hold is checked, from the cheapest to the strongest: the questionnaire and
    methodology (`export_estimates_other_questionnaire`); the number of responding
    organisations (every organisation of the scores file is one); then, for the whole
    sector's global index, axes and dimensions, the number of organisations with a score and
    their plain (unweighted) mean, which `barometre estimate` writes beside each weighted
    figure and which the scores give again (`export_estimates_other_wave`). A sector
    suppressed as a whole (fewer organisations than the disclosure minimum) has no figures:
    only the count is checked then."""
    made_with, of_scores = WaveMethod.of_file(estimates), WaveMethod.of_file(scores)
    if made_with != of_scores:
        return [
            problem(
                location,
                Code.EXPORT_ESTIMATES_OTHER_QUESTIONNAIRE,
                made_with=str(made_with),
                scores=str(of_scores),
            )
        ]

    def other_wave(field: str, estimated: float, scored: float) -> list[Problem]:
        return [
            problem(
                location,
                Code.EXPORT_ESTIMATES_OTHER_WAVE,
                field=field,
                estimated=f"{estimated:.10g}",
                scored=f"{scored:.10g}",
            )
        ]

    counted = len(scores.organisations)
    if estimates.frame.responding_organisations != counted:
        return other_wave(
            "frame.responding_organisations", estimates.frame.responding_organisations, counted
        )
    table = scores.organisation_table()
    sector = estimates.sector
    figures: list[tuple[str, str, Figure]] = [
        ("global", "global", sector.global_index),
        *((role, f"axes.{role}", figure) for role, figure in sector.axis_figures()),
    ]
    figures += [(d, f"dimensions.{d}", f) for d, f in sector.dimensions.items()]
    for column, path, figure in figures:
        values = (
            pd.to_numeric(table[column], errors="coerce").dropna().to_numpy(dtype=float)
            if column in table.columns
            else np.array([], dtype=float)
        )
        field_path = f"domains.sector.0.{path}"
        if figure.n is not None and figure.n != len(values):
            return other_wave(f"{field_path}.n", figure.n, len(values))
        if figure.unweighted_value is not None:
            mean = float(values.mean()) if len(values) else math.nan
            if not math.isclose(figure.unweighted_value, mean, **_SAME_MEAN):
                return other_wave(f"{field_path}.unweighted_value", figure.unweighted_value, mean)
    return []


def _pair(text: str, fr: dict[str, str] | None = None, en: dict[str, str] | None = None):
    label_fr, label_en = L.both(text, fr, en)
    return {"label_fr": label_fr, "label_en": label_en}


def _localized(text: Localized) -> dict[str, str]:
    return {"label_fr": text.get("fr"), "label_en": text.get("en")}


def _column(key: str, kind: ColumnKind, type: StorageType, **details: Any) -> CodebookColumn:
    return CodebookColumn(name=key, key=key, kind=kind, type=type, **details)


def _values(pairs: Iterable[tuple[int, str, str, str]]) -> tuple[ValueLabel, ...]:
    return tuple(ValueLabel(code=c, value=v, label_fr=fr, label_en=en) for c, v, fr, en in pairs)


def _coded(codes: Iterable[str], text: dict[str, str] | None = None) -> tuple[ValueLabel, ...]:
    """Codes 1, 2, ... for the vocabulary `codes`, labelled from `text` (English msgids)."""
    pairs = []
    for number, code in enumerate(codes, start=1):
        fr, en = L.both(text[code]) if text and code in text else (code, code)
        pairs.append((number, code, fr, en))
    return _values(pairs)


def _code_array(values: Iterable[str | None], labels: tuple[ValueLabel, ...]) -> np.ndarray:
    lookup = {v.value: float(v.code) for v in labels}
    return np.array([lookup.get(v, math.nan) if v is not None else math.nan for v in values])


def missing_codes(item_kind: str, minimum: float) -> tuple[float, float]:
    """The (NA, DK) codes of a column: -1 and -2 unless it holds a figure that may be
    negative, then just below its minimum, or -999999998 and -999999999 without a minimum."""
    if item_kind not in NUMERIC_KINDS or minimum >= 0:
        return float(NA_CODE), float(DK_CODE)
    if math.isnan(minimum):
        return float(UNBOUNDED_NA_CODE), float(UNBOUNDED_DK_CODE)
    base = math.floor(minimum)
    return float(base - 1), float(base - 2)


def _missing(na: float, dk: float) -> tuple[MissingCode, ...]:
    na_fr, na_en = L.both(L.NOT_APPLICABLE)
    dk_fr, dk_en = L.both(L.DONT_KNOW)
    return (
        MissingCode(answer="NA", code=na, stata="a", label_fr=na_fr, label_en=na_en),
        MissingCode(answer="DK", code=dk, stata="b", label_fr=dk_fr, label_en=dk_en),
    )


class _Builder:
    def __init__(self, data: WaveData):
        self.data = data
        self.q = data.questionnaire
        selected = data.organisations
        self.organisations = tuple(
            o
            for o in data.scores.organisations
            if selected is None or o.organisation_id in selected
        )
        self._answers: _Answers | None = None
        self._people: pd.DataFrame | None = None
        self.fields: FieldTables = build_field_tables(self.q)

    def table(self, name: ExportTable) -> Table:
        build = {
            "organisations": self.organisation_table,
            "items": self.item_table,
            "responses": self.wide_table,
            "responses-long": self.long_table,
            "estimates": self.estimate_table,
        }[name]
        frame, columns = build()
        return Table(name=name, frame=frame, columns=tuple(columns), data=self.data)

    # --- organisations ----------------------------------------------------------------------
    def organisation_table(self) -> tuple[pd.DataFrame, list[CodebookColumn]]:
        orgs = self.organisations
        method = self.q.methodology
        columns: list[CodebookColumn] = []
        data: dict[str, Any] = {}

        def add(column: CodebookColumn, values: Any) -> None:
            columns.append(column)
            data[column.key] = values

        def numbers(values: Iterable[float | None]) -> np.ndarray:
            return np.array([math.nan if v is None else float(v) for v in values])

        add(
            _column("organisation_id", "identifier", "string", **_pair(L.ORGANISATION)),
            [o.organisation_id for o in orgs],
        )
        types = _coded(ORGANISATION_TYPES, L.ORGANISATION_TYPES)
        add(
            _column(
                "organisation_type", "code", "integer", values=types, **_pair(L.ORGANISATION_TYPE)
            ),
            _code_array((o.context.organisation_type for o in orgs), types),
        )
        dwellings = numbers(o.context.dwellings for o in orgs)
        add(_column("dwellings", "number", "integer", **_pair(L.DWELLINGS)), dwellings)
        sizes = _coded(SIZE_CLASSES, L.SIZE_CLASSES)
        add(
            _column("size_class", "code", "integer", values=sizes, **_pair(L.SIZE_CLASS)),
            _code_array(size_class_of(pd.Series(dwellings)).tolist(), sizes),
        )
        add(
            _column("department", "text", "string", **_pair(L.DEPARTMENT)),
            [o.context.department for o in orgs],
        )
        add(
            _column("n_respondents", "number", "integer", **_pair(L.N_RESPONDENTS)),
            numbers(o.n_respondents for o in orgs),
        )
        for role in self.q.roles:
            add(
                _column(
                    f"n_{role.code}",
                    "number",
                    "integer",
                    **_pair(
                        L.N_ROLE, {"role": role.label.get("fr")}, {"role": role.label.get("en")}
                    ),
                ),
                numbers(o.respondents_by_role.get(role.code, 0) for o in orgs),
            )
        points = _pair(L.POINTS)
        unit = {"unit_fr": points["label_fr"], "unit_en": points["label_en"]}
        add(
            _column("global", "score", "number", **unit, **_pair(L.GLOBAL)),
            numbers(o.global_index for o in orgs),
        )
        levels = _values(
            (n, level.code, level.label.get("fr"), level.label.get("en"))
            for n, level in enumerate(method.levels, start=1)
        )
        add(
            _column("level", "code", "integer", values=levels, **_pair(L.LEVEL)),
            _code_array((o.level for o in orgs), levels),
        )
        if method.typology is not None:  # without a typology: no family, borderline, axes
            families = _coded(FAMILIES, L.FAMILIES)
            add(
                _column("family", "code", "integer", values=families, **_pair(L.FAMILY)),
                _code_array((o.family for o in orgs), families),
            )
            yes_no = _values([(1, "true", *L.both(L.YES)), (0, "false", *L.both(L.NO))])
            add(
                _column("borderline", "code", "integer", values=yes_no, **_pair(L.BORDERLINE)),
                numbers(None if o.borderline is None else int(o.borderline) for o in orgs),
            )
            for key, text, get in (
                ("tech", L.TECH, lambda o: o.axes.tech),
                ("transfo", L.TRANSFO, lambda o: o.axes.transfo),
                ("tech_se", L.TECH_SE, lambda o: o.axes_se.tech),
                ("transfo_se", L.TRANSFO_SE, lambda o: o.axes_se.transfo),
            ):
                add(
                    _column(key, "score", "number", **unit, **self._axis_pair(key, text)),
                    numbers(map(get, orgs)),
                )
            for key, text, get in (
                ("tech_coverage", L.TECH_COVERAGE, lambda o: o.axes_coverage.tech),
                ("transfo_coverage", L.TRANSFO_COVERAGE, lambda o: o.axes_coverage.transfo),
            ):
                add(
                    _column(key, "share", "number", **self._axis_pair(key, text)),
                    numbers(map(get, orgs)),
                )
        for key, text, get in (
            ("perception_gap", L.PERCEPTION_GAP, lambda o: o.perception_gap),
            ("perceived_maturity", L.PERCEIVED, lambda o: o.perceived_maturity),
            ("perceived_gap", L.PERCEIVED_GAP, lambda o: o.perceived_gap),
        ):
            add(_column(key, "number", "number", **_pair(text)), numbers(map(get, orgs)))
        for dimension in self.q.dimensions:
            d = dimension.id
            names = (
                {"dimension": dimension.label.get("fr")},
                {"dimension": dimension.label.get("en")},
            )
            part = {"dimension": d}

            def of(o: OrganisationScores, what: str, d: str = d) -> Any:
                score = o.dimensions.get(d)
                return None if score is None else getattr(score, what)

            add(
                _column(d, "score", "number", **part, **unit, **_pair(L.DIMENSION_SCORE, *names)),
                numbers(of(o, "score") for o in orgs),
            )
            add(
                _column(
                    f"{d}_level",
                    "code",
                    "integer",
                    values=levels,
                    **part,
                    **_pair(L.DIMENSION_LEVEL, *names),
                ),
                _code_array((of(o, "level") for o in orgs), levels),
            )
            add(
                _column(
                    f"{d}_coverage",
                    "share",
                    "number",
                    **part,
                    **_pair(L.DIMENSION_COVERAGE, *names),
                ),
                numbers(of(o, "coverage") for o in orgs),
            )
            add(
                _column(
                    f"{d}_dispersion",
                    "number",
                    "number",
                    **part,
                    **unit,
                    **_pair(L.DIMENSION_DISPERSION, *names),
                ),
                numbers(of(o, "dispersion") for o in orgs),
            )
            add(
                _column(
                    f"{d}_gap", "number", "number", **part, **unit, **_pair(L.DIMENSION_GAP, *names)
                ),
                numbers(of(o, "perception_gap") for o in orgs),
            )
        return pd.DataFrame(data), columns

    # --- items ------------------------------------------------------------------------------
    def item_table(self) -> tuple[pd.DataFrame, list[CodebookColumn]]:
        orgs = self.organisations
        points = _pair(L.POINTS)
        columns = [_column("organisation_id", "identifier", "string", **_pair(L.ORGANISATION))]
        data: dict[str, Any] = {"organisation_id": [o.organisation_id for o in orgs]}
        for item in self.q.scored_items:
            columns.append(
                _column(
                    item.id,
                    "score",
                    "number",
                    item=item.id,
                    dimension=item.dimension,
                    question_kind=item.kind,
                    unit_fr=points["label_fr"],
                    unit_en=points["label_en"],
                    **_pair(
                        L.ITEM_SCORE, {"item": item.label.get("fr")}, {"item": item.label.get("en")}
                    ),
                )
            )
            data[item.id] = np.array([_nan(o.items.get(item.id)) for o in orgs], dtype=float)
        return pd.DataFrame(data, index=pd.RangeIndex(len(orgs))), columns

    # --- answers ----------------------------------------------------------------------------
    def answers(self) -> _Answers:
        """The checked answers of the selected organisations (see `_Answers`)."""
        if self._answers is not None:
            return self._answers
        data = self.data
        assert data.responses is not None
        responses = data.responses
        if data.organisations is not None:
            ids = responses["organisation_id"].astype(str).str.strip()
            responses = responses[ids.isin(data.organisations).to_numpy()]
        checked = score_answers(responses, self.fields, data.source)
        organisation_ids = checked["organisation_id"].to_numpy(dtype=object)
        known = set(data.scores.organisation_ids)
        unknown = sorted(set(pd.unique(organisation_ids)) - known)
        if unknown:
            shown = ", ".join(unknown[:10]) + (", …" if len(unknown) > 10 else "")
            raise ExportError(
                data.source,
                [
                    problem(
                        data.source,
                        Code.EXPORT_RESPONSES_OTHER_WAVE,
                        count=str(len(unknown)),
                        organisations=shown,
                    )
                ],
            )
        roles = checked["role"].to_numpy(dtype=object)
        codes, uniques = pd.factorize(checked["respondent_id"].to_numpy(dtype=object))
        names = pseudonymise(pd.Series(np.asarray(uniques, dtype=object)), data.pseudonym_key)
        first = np.unique(codes, return_index=True)[1]
        people = pd.DataFrame(
            {
                "organisation_id": pd.Series(organisation_ids[first], dtype=object),
                "respondent": pd.Series(names.to_numpy(dtype=object), dtype=object),
                "role": pd.Series(roles[first], dtype=object),
            }
        )
        order = people.sort_values(["organisation_id", "respondent"], kind="stable").index
        rank = np.empty(len(people), dtype=np.int64)
        rank[order.to_numpy()] = np.arange(len(people))
        self._people = people.loc[order].reset_index(drop=True)
        field_ids = checked["field_id"].to_numpy(dtype=object)
        self._answers = _Answers(
            row=rank[codes],
            position=self.fields.fields.index.get_indexer(pd.Index(field_ids, dtype=object)),
            respondent=self._people["respondent"].to_numpy(dtype=object),
            organisation_id=organisation_ids,
            role=roles,
            field_id=field_ids,
            value=checked["value"].to_numpy(dtype=object),
            status=checked["status"].to_numpy(dtype=object),
        )
        return self._answers

    def people(self) -> pd.DataFrame:
        self.answers()
        assert self._people is not None
        return self._people

    def _role_column(self) -> tuple[CodebookColumn, tuple[ValueLabel, ...]]:
        roles = _values(
            (n, role.code, role.label.get("fr"), role.label.get("en"))
            for n, role in enumerate(self.q.roles, start=1)
        )
        return _column("role", "code", "integer", values=roles, **_pair(L.ROLE)), roles

    def long_table(self) -> tuple[pd.DataFrame, list[CodebookColumn]]:
        answers = self.answers()
        given = np.flatnonzero(answers.value != "")
        given = given[np.lexsort((answers.position[given], answers.row[given]))]
        frame = pd.DataFrame(
            {
                "organisation_id": _texts(answers.organisation_id[given]),
                "respondent": _texts(answers.respondent[answers.row[given]]),
                "role": _texts(answers.role[given]),
                "field_id": _texts(answers.field_id[given]),
                "answer": _texts(answers.value[given]),
            }
        )
        columns = [
            _column("organisation_id", "identifier", "string", **_pair(L.ORGANISATION)),
            _column("respondent", "identifier", "string", **_pair(L.RESPONDENT)),
            _column("role", "text", "string", **_pair(L.ROLE)),
            _column("field_id", "text", "string", **_pair(L.FIELD)),
            _column("answer", "text", "string", **_pair(L.ANSWER)),
        ]
        return frame, columns

    def wide_table(self) -> tuple[pd.DataFrame, list[CodebookColumn]]:
        answers = self.answers()
        people = self.people()
        layout = _WideLayout(self.q, self.fields)
        n = len(people)
        matrix = np.full((n, layout.width), np.nan)
        row, position, value = answers.row, answers.position, answers.value
        kind = layout.kind[position]
        na, dk = value == NOT_APPLICABLE, value == DONT_KNOW
        in_matrix = layout.start[position] >= 0
        # NA and DK fill every column of their field (each option of a multiple choice).
        special = (na | dk) & in_matrix
        rows, cols = layout.spread(row[special], position[special])
        is_na = np.repeat(na[special], layout.count[position[special]])
        matrix[rows, cols] = np.where(is_na, layout.na[cols], layout.dk[cols])
        given = ~na & ~dk & (answers.status != MISSING) & in_matrix
        coded = given & np.isin(kind, list(CODED_KINDS))
        matrix[row[coded], layout.start[position[coded]]] = layout.code_of(
            position[coded], value[coded]
        )
        path = given & (kind == "path")
        matrix[row[path], layout.start[position[path]]] = layout.code_of(
            position[path],
            pd.Series(value[path], dtype=object)
            .str.replace(r"\s*\|\s*", "|", regex=True)  # a path's codes, stripped
            .str.strip()
            .to_numpy(dtype=object),
        )
        numeric = given & np.isin(kind, list(NUMERIC_KINDS))
        figures = pd.to_numeric(
            pd.Series(value[numeric], dtype=object).str.replace(",", ".", regex=False),
            errors="coerce",
        ).to_numpy(dtype=float)
        matrix[row[numeric], layout.start[position[numeric]]] = figures
        multi = given & (kind == "multi")
        rows, cols = layout.spread(row[multi], position[multi])
        matrix[rows, cols] = 0.0
        ticks = pd.Series(value[multi], dtype=object).str.split(MULTI_SEPARATOR).explode()
        tick_rows = row[multi][ticks.index.to_numpy()]
        tick_positions = position[multi][ticks.index.to_numpy()]
        matrix[tick_rows, layout.option_column(tick_positions, ticks.str.strip().to_numpy())] = 1.0

        role_column, roles = self._role_column()
        data: dict[str, Any] = {
            "organisation_id": _texts(people["organisation_id"].to_numpy(dtype=object)),
            "respondent": _texts(people["respondent"].to_numpy(dtype=object)),
            "role": _code_array(people["role"].tolist(), roles),
        }
        texts = (kind == "text") & (value != "")
        for column, key in enumerate(layout.keys):
            text_position = layout.text_position.get(key)
            if text_position is None:
                data[key] = matrix[:, column]
                continue
            cells = np.full(n, None, dtype=object)
            mine = texts & (position == text_position)
            cells[row[mine]] = value[mine]
            data[key] = _texts(cells)
        columns = [
            _column("organisation_id", "identifier", "string", **_pair(L.ORGANISATION)),
            _column("respondent", "identifier", "string", **_pair(L.RESPONDENT)),
            role_column,
            *layout.columns,
        ]
        return pd.DataFrame(data), columns

    def _axis_pair(self, key: str, text: str) -> dict[str, str]:
        """The labels of an axis column (`tech`, `transfo_se`...): the questionnaire's own
        axis name when it names its axes, else `text`."""
        typology = self.q.methodology.typology
        if typology is None or not typology.named:
            return _pair(text)
        role, _sep, part = key.partition("_")
        named = {"": L.NAMED_AXIS, "se": L.NAMED_AXIS_SE, "coverage": L.NAMED_AXIS_COVERAGE}[part]
        label = typology.labels()["tech" if role == "tech" else "transfo"]
        return _pair(named, {"axis": label.get("fr")}, {"axis": label.get("en")})

    # --- estimates --------------------------------------------------------------------------
    def estimate_table(self) -> tuple[pd.DataFrame, list[CodebookColumn]]:
        estimates = self.data.estimates
        assert estimates is not None
        indicators: list[tuple[str, str, str]] = [("global", *L.both(L.GLOBAL))]
        if self.q.methodology.typology is not None:  # no axes without a typology
            for key, text in (("tech", L.TECH), ("transfo", L.TRANSFO)):
                pair = self._axis_pair(key, text)
                indicators.append((key, pair["label_fr"], pair["label_en"]))
        dimensions = {d.id: d for d in self.q.dimensions}
        for d in estimates.indicators.dimensions:
            label = dimensions[d].label if d in dimensions else Localized(fr=d)
            indicators.append(
                (
                    d,
                    *L.both(
                        L.DIMENSION_SCORE,
                        {"dimension": label.get("fr")},
                        {"dimension": label.get("en")},
                    ),
                )
            )
        levels = {level.code: level.label for level in self.q.methodology.levels}
        for code in estimates.indicators.levels:
            label = levels.get(code, Localized(fr=code))
            names = {"level": label.get("fr")}, {"level": label.get("en")}
            indicators.append((f"level.{code}", *L.both(L.LEVEL_SHARE, *names)))
        for code in estimates.indicators.typology:
            fr, en = L.both(L.FAMILIES[code]) if code in L.FAMILIES else (code, code)
            indicators.append(
                (f"family.{code}", *L.both(L.FAMILY_SHARE, {"family": fr}, {"family": en}))
            )
        indicator_values = _values(
            (n, code, fr, en) for n, (code, fr, en) in enumerate(indicators, start=1)
        )
        code_of = {v.value: v.code for v in indicator_values}
        variables = _values(
            (n, v, v, v)
            for n, v in enumerate(("sector", "organisation_type", "size_class", "region"), 1)
        )
        variable_code = {v.value: v.code for v in variables}
        records: list[tuple[Any, ...]] = []
        for variable in variable_code:
            for domain in estimates.domains.of(variable):  # type: ignore[arg-type]
                for indicator, figure in _figures(domain):
                    if indicator not in code_of:
                        continue
                    records.append(
                        (
                            variable_code[variable],
                            domain.level,
                            code_of[indicator],
                            _nan(figure.value),
                            _nan(figure.unweighted_value),
                            _nan(figure.se),
                            _nan(figure.ci_low),
                            _nan(figure.ci_high),
                            figure.ci_method,
                            _nan(figure.n),
                            _nan(figure.deff),
                            _nan(figure.effective_n),
                            float(figure.suppressed),
                            figure.suppression,
                        )
                    )
        yes_no = _values([(1, "true", *L.both(L.YES)), (0, "false", *L.both(L.NO))])
        columns = [
            _column(
                "domain_variable", "code", "integer", values=variables, **_pair(L.DOMAIN_VARIABLE)
            ),
            _column("domain", "text", "string", **_pair(L.DOMAIN)),
            _column("indicator", "code", "integer", values=indicator_values, **_pair(L.INDICATOR)),
            _column("estimate", "number", "number", **_pair(L.ESTIMATE)),
            _column("unweighted", "number", "number", **_pair(L.UNWEIGHTED)),
            _column("se", "number", "number", **_pair(L.SE)),
            _column("ci_low", "number", "number", **_pair(L.CI_LOW)),
            _column("ci_high", "number", "number", **_pair(L.CI_HIGH)),
            _column("ci_method", "text", "string", **_pair(L.CI_METHOD)),
            _column("n", "number", "integer", **_pair(L.N)),
            _column("deff", "number", "number", **_pair(L.DEFF)),
            _column("effective_n", "number", "number", **_pair(L.EFFECTIVE_N)),
            _column("suppressed", "code", "integer", values=yes_no, **_pair(L.SUPPRESSED)),
            _column("suppression", "text", "string", **_pair(L.SUPPRESSION)),
        ]
        frame = pd.DataFrame.from_records(records, columns=[c.key for c in columns])
        for c in columns:
            if c.type != "string":
                frame[c.key] = frame[c.key].astype(float)
            else:
                frame[c.key] = frame[c.key].astype(object)
        return frame, columns


@dataclass(frozen=True)
class _Answers:
    """The checked answers, one entry per answer (numpy arrays): `row`, the respondent's row
    in the wide table (respondents ordered by organisation, then pseudonym); `position`, the
    field's position in the questionnaire; `respondent`, the pseudonyms by row (not by
    answer); the answer's organisation, role, field, value (stripped) and status."""

    row: np.ndarray
    position: np.ndarray
    respondent: np.ndarray
    organisation_id: np.ndarray
    role: np.ndarray
    field_id: np.ndarray
    value: np.ndarray
    status: np.ndarray


def _texts(values: np.ndarray) -> pd.Series:
    """Text cells kept as Python strings (object), without pandas' string inference."""
    return pd.Series(values, dtype=object)


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _figures(domain: DomainEstimate) -> list[tuple[str, Figure]]:
    figures = [
        ("global", domain.global_index),
        *domain.axis_figures(),
    ]
    figures += list(domain.dimensions.items())
    figures += [(f"level.{k}", f) for k, f in domain.shares.level.items()]
    figures += [(f"family.{k}", f) for k, f in domain.shares.typology.items()]
    return figures


class _WideLayout:
    """Where each answer field goes in the wide table: `start[p]` is the first column of the
    field at position `p` (-1 for a text field, stored apart), `count[p]` its number of
    columns (one per option for a multiple choice); `na`, `dk` the missing codes of each
    column; `keys` and `columns` the codebook, text fields included, in questionnaire order."""

    def __init__(self, questionnaire: Questionnaire, tables: FieldTables):
        fields = tables.fields
        count = len(fields)
        self.kind = fields["kind"].to_numpy(dtype=object)
        self.start = np.full(count, -1, dtype=np.int64)
        self.count = np.zeros(count, dtype=np.int64)
        self.keys: list[str] = []
        self.columns: list[CodebookColumn] = []
        self.text_position: dict[str, int] = {}
        na_codes: list[float] = []
        dk_codes: list[float] = []
        option_keys: list[tuple[int, str, int, float]] = []  # position, code, column, number
        items = {item.id: item for item in questionnaire.items}
        width = 0
        for position, (index, spec) in enumerate(fields.iterrows()):
            fid = str(index)
            item = items[spec["item_id"]]
            row = next((r for r in item.rows if r.id == spec["row_id"]), None)
            label = item.label if row is None else _joined(item.label, row.label)
            common = {
                "item": item.id,
                "row": None if row is None else row.id,
                "dimension": item.dimension,
                "question_kind": item.kind,
            }
            if item.unit is not None:
                common |= {"unit_fr": item.unit.get("fr"), "unit_en": item.unit.get("en")}
            if item.relevant is not None:  # a conditional question
                common["asked_if"] = relevance_text(item.relevant)
            if item.kind == "text":
                self.text_position[fid] = position
                self.keys.append(fid)
                na_codes.append(math.nan)
                dk_codes.append(math.nan)
                self.columns.append(_column(fid, "text", "string", **common, **_localized(label)))
                width += 1
                continue
            na, dk = missing_codes(item.kind, float(spec["minimum"]))
            missing = _missing(na, dk)
            self.start[position] = width
            options = effective_options(item, questionnaire.methodology)
            if item.kind == "multi":
                ticked = _values([(1, "1", *L.both(L.TICKED)), (0, "0", *L.both(L.NOT_TICKED))])
                for option in options:
                    key = f"{fid}.{option.code}"
                    option_keys.append((position, option.code, width, 1.0))
                    self.keys.append(key)
                    self.columns.append(
                        _column(
                            key,
                            "dichotomy",
                            "integer",
                            option=option.code,
                            values=ticked,
                            missing=missing,
                            **common,
                            **_localized(_joined(label, option.label)),
                        )
                    )
                    na_codes.append(na)
                    dk_codes.append(dk)
                    width += 1
                self.count[position] = len(options)
                continue
            self.count[position] = 1
            if item.kind == "path":
                column = self._path_column(item, position, width, option_keys, common, label)
                column = column.model_copy(update={"missing": missing})
            elif item.kind in CODED_KINDS:
                numbers = _option_numbers(item, [o.code for o in options])
                values = tuple(
                    ValueLabel(
                        code=number,
                        value=o.code,
                        label_fr=o.label.get("fr"),
                        label_en=o.label.get("en"),
                        score=o.score,
                    )
                    for number, o in zip(numbers, options, strict=True)
                )
                option_keys += [
                    (position, o.code, width, float(number))
                    for number, o in zip(numbers, options, strict=True)
                ]
                column = _column(
                    fid,
                    "code",
                    "integer",
                    values=values,
                    missing=missing,
                    **common,
                    **_localized(label),
                )
            else:
                column = _column(
                    fid, "number", "number", missing=missing, **common, **_localized(label)
                )
            self.keys.append(fid)
            self.columns.append(column)
            na_codes.append(na)
            dk_codes.append(dk)
            width += 1
        self.width = width
        self.na = np.array(na_codes, dtype=float)
        self.dk = np.array(dk_codes, dtype=float)
        # (position, option code) → column and number, as one integer-keyed lookup.
        self._codes = pd.Index(pd.unique(pd.Series([k[1] for k in option_keys], dtype=object)))
        keys = np.array([k[0] for k in option_keys], dtype=np.int64) * max(len(self._codes), 1) + (
            self._codes.get_indexer(pd.Index([k[1] for k in option_keys]))
        )
        self._option_index = pd.Index(keys)
        self._option_column = np.array([k[2] for k in option_keys], dtype=np.int64)
        self._option_number = np.array([k[3] for k in option_keys], dtype=float)

    @staticmethod
    def _path_column(
        item: Item,
        position: int,
        width: int,
        option_keys: list[tuple[int, str, int, float]],
        common: dict[str, Any],
        label: Localized,
    ) -> CodebookColumn:
        """A path item's column: one code per complete path (1, 2, ... depth first), labelled
        with its questions and answers and worth the score of its end; an incomplete path
        is missing, as in the scores."""
        paths = whole_paths(item)
        values = tuple(
            ValueLabel(
                code=number,
                value=path.answer,
                label_fr=path.label.get("fr"),
                label_en=path.label.get("en"),
                score=path.score if item.is_scored else None,
            )
            for number, path in enumerate(paths, start=1)
        )
        option_keys += [
            (position, path.answer, width, float(number))
            for number, path in enumerate(paths, start=1)
        ]
        return _column(item.id, "code", "integer", values=values, **common, **_localized(label))

    def _lookup(self, positions: np.ndarray, codes: np.ndarray) -> np.ndarray:
        code = self._codes.get_indexer(pd.Index(codes))
        keys = np.where(code >= 0, positions * max(len(self._codes), 1) + code, -1)
        found = self._option_index.get_indexer(pd.Index(keys))
        if (found < 0).any():  # pragma: no cover - the answers were checked against the options
            raise AssertionError("an answer that is not an option passed the checks")
        return found

    def code_of(self, positions: np.ndarray, codes: np.ndarray) -> np.ndarray:
        return self._option_number[self._lookup(positions, codes)]

    def option_column(self, positions: np.ndarray, codes: np.ndarray) -> np.ndarray:
        return self._option_column[self._lookup(positions, codes)]

    def spread(self, rows: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (row, column) of the fields at `positions`: one per column of each field."""
        counts = self.count[positions]
        total = int(counts.sum())
        starts = np.repeat(self.start[positions], counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(rows, counts), starts + offsets


def _joined(first: Localized, second: Localized) -> Localized:
    return Localized(
        fr=f"{first.get('fr')} — {second.get('fr')}", en=f"{first.get('en')} — {second.get('en')}"
    )


def _option_numbers(item: Item, codes: list[str]) -> list[int]:
    """The numbers a coded item's options are written as: their own codes when all are whole
    numbers from 0 (a 1-10 rating stays 1-10), else 1, 2, ... in the questionnaire's order."""
    if all(code.isdigit() for code in codes) and len({int(c) for c in codes}) == len(codes):
        return [int(code) for code in codes]
    return list(range(1, len(codes) + 1))
