"""A published wave as a Frictionless Data Package (issue 12 §4; docs/opendata.md).

The package holds the published aggregates of a wave only, never an organisation's answers or
scores: the sector's figures by indicator and domain (`scores.csv`), the shares of levels and
families (`parts.csv`), the domains themselves (`domaines.csv`) and, when the wave has one, the
change since the previous comparable wave (`evolution.csv`); every figure with its n, standard
error and confidence interval. With them: the questionnaire as it was run (YAML, and XLSForm
when `barometre.interop.xlsform` is installed), the methodology section (JSON), a README in
French then English and `datapackage.json`, the descriptor (Data Package v1, one Table Schema
per table).

Disclosure: a figure is published exactly when the public page shows it (`published`): the
sector estimate has already suppressed what rests on fewer organisations than the
methodology's disclosure minimum, and what would give such a figure back by subtraction
(`stats/sector/disclosure.py`); a suppressed figure's numbers are empty cells here (the
missing value `""`), its `masque` flag true and `motif_masque` says why. Nothing is computed
again: the numbers are the estimates file's.

Same inputs, same bytes: fields and rows in a fixed order, keys of the descriptor sorted,
`created` given by the caller from the wave's data (never the clock), ZIP entries dated from
it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from barometre.comparability import WaveMethod
from barometre.contracts.change import ChangeFile, Difference, IndicatorChange
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.vocabulary import DomainVariable
from barometre.errors import Code, InputError, Problem, gettext_noop, problem
from barometre.files import write_atomic
from barometre.geo import region_names
from barometre.i18n import translation
from barometre.questionnaire.models import Questionnaire

#: Licence of every package: the French government's open licence (Etalab 2.0).
LICENCE_NAME = "etalab-2.0"
LICENCE_TITLE = "Licence Ouverte / Open Licence 2.0"
LICENCE_PATH = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
#: The descriptor's file name, at the root of the package.
DESCRIPTOR = "datapackage.json"
#: Between the French and the English of a description.
ENGLISH = " — English: "
#: ZIP entries' date when the caller gives no `created` (the earliest a ZIP can hold).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_ = gettext_noop
#: Words of the package that a person reads, English source, French from the catalogue.
TEXTS: dict[str, str] = {
    "sector": _("Whole sector"),
    "OPH": _("Public housing offices (OPH)"),
    "ESH": _("Social housing companies (ESH)"),
    "COOP": _("HLM cooperatives"),
    "SEM": _("Mixed-economy companies (SEM)"),
    "<1500": _("fewer than 1,500 dwellings"),
    "1500-12000": _("1,500 to 12,000 dwellings"),
    ">12000": _("more than 12,000 dwellings"),
    "pionnier": _("Pioneers (pionniers)"),
    "timide": _("Timid adopters (timides)"),
    "conservateur": _("Conservatives (conservateurs)"),
    "prudent": _("Cautious (prudents)"),
    "global": _("Global index"),
    "tech": _("Tech axis"),
    "transfo": _("Transformation axis"),
}

#: A cell of a CSV table: empty when None (the missing value).
Cell = str | int | float | bool | None
FieldType = Literal["string", "number", "integer", "boolean", "year"]


# --- the descriptor (Data Package v1, Table Schema v1) ------------------------------------


class _Descriptor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class License(_Descriptor):
    name: str
    title: str
    path: str


class Source(_Descriptor):
    title: str
    path: str | None = None


class Constraints(_Descriptor):
    required: bool | None = None
    enum: list[str] | None = None
    minimum: float | None = None
    maximum: float | None = None


class TableField(_Descriptor):
    """A column: `title` and `description` in French first (the description ends with its
    English), `title_en` the English title (a custom property), `unit` what a number counts."""

    name: str
    type: FieldType
    title: str
    title_en: str
    description: str
    unit: str | None = None
    constraints: Constraints | None = None


class Reference(_Descriptor):
    resource: str
    fields: list[str]


class ForeignKey(_Descriptor):
    fields: list[str]
    reference: Reference


class TableSchema(_Descriptor):
    fields: list[TableField]
    primary_key: list[str] = Field(alias="primaryKey")
    foreign_keys: list[ForeignKey] | None = Field(default=None, alias="foreignKeys")
    missing_values: list[str] = Field(default_factory=lambda: [""], alias="missingValues")


class Dialect(_Descriptor):
    delimiter: str = ","
    line_terminator: str = Field(default="\n", alias="lineTerminator")
    quote_char: str = Field(default='"', alias="quoteChar")
    double_quote: bool = Field(default=True, alias="doubleQuote")
    header: bool = True


class Resource(_Descriptor):
    """A file of the package: a CSV table with its Table Schema and CSV dialect
    (`tabular-data-resource`), or an attached file (`data-resource`); `bytes` and `hash`
    (`sha256:…`) let a reader check it."""

    name: str
    path: str
    profile: Literal["tabular-data-resource", "data-resource"]
    title: str
    description: str
    format: str
    mediatype: str
    encoding: str | None = None
    bytes: int
    hash: str
    table_schema: TableSchema | None = Field(default=None, alias="schema")
    dialect: Dialect | None = None


class DataPackage(_Descriptor):
    """`datapackage.json`: a Frictionless Data Package (v1) of a wave's published aggregates
    (docs/opendata.md)."""

    profile: Literal["data-package"] = "data-package"
    name: str
    id: str
    title: str
    description: str
    version: str
    created: str | None = None
    keywords: list[str]
    licenses: list[License]
    sources: list[Source]
    resources: list[Resource]

    def dumps(self) -> str:
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- what the caller gets back ---------------------------------------------------------------


@dataclass(frozen=True)
class TableSummary:
    """One CSV of the package: its rows and how many of them are suppressed."""

    name: str
    path: str
    rows: int
    suppressed: int


@dataclass(frozen=True)
class DataPackageSummary:
    """What `write_datapackage` wrote: where, the package's name and version, its tables and
    every file (attached files too)."""

    path: Path
    name: str
    version: str
    tables: tuple[TableSummary, ...]
    files: tuple[str, ...]

    def lines(self) -> list[str]:
        """The summary as a person reads it on the command line (English)."""
        lines = [f"Data package {self.name} (version {self.version}) written to {self.path}"]
        for table in self.tables:
            lines.append(
                f"  {table.path}: {table.rows} rows, {table.suppressed} with figures suppressed"
            )
        attached = [f for f in self.files if f not in {t.path for t in self.tables}]
        lines.append("  also: " + ", ".join(attached))
        return lines


@dataclass(frozen=True)
class PackageFiles:
    """The package in memory: every file's bytes by its path inside the package."""

    descriptor: DataPackage
    files: dict[str, bytes]
    tables: tuple[TableSummary, ...]


# --- the rule of the public page -------------------------------------------------------------


def published(figure: Figure | Difference | None) -> bool:
    """Whether the public page shows the figure's number (the `estimate` tag of
    `web/public/templatetags/figures.py`): not suppressed, with a value and both ends of its
    interval. Anything else is an empty cell of the package."""
    return not (
        figure is None
        or figure.suppressed
        or figure.value is None
        or figure.ci_low is None
        or figure.ci_high is None
    )


# --- the tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    type: FieldType
    title: str
    title_en: str
    description: str
    description_en: str
    unit: str | None = None
    constraints: Constraints | None = None

    def field(self) -> TableField:
        return TableField(
            name=self.name,
            type=self.type,
            title=_fr(self.title),
            title_en=self.title_en,
            description=f"{_fr(self.description)}{ENGLISH}{self.description_en}",
            unit=self.unit,
            constraints=self.constraints,
        )


@dataclass(frozen=True)
class _Table:
    name: str
    title: str
    description: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def suppressed(self) -> int:
        index = [c.name for c in self.columns].index("masque")
        return sum(1 for row in self.rows if row[index] is True)

    def csv_bytes(self) -> bytes:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        writer.writerows([_cell(value) for value in row] for row in self.rows)
        return stream.getvalue().encode("utf-8")

    def schema(self) -> TableSchema:
        return TableSchema(
            fields=[c.field() for c in self.columns],
            primary_key=list(self.primary_key),
            foreign_keys=list(self.foreign_keys) or None,
        )


def _fr(text: str) -> str:
    """French typography: a narrow no-break space before `:`, `;`, `%`, `?` and `!`."""
    return re.sub(r" ([:;%?!])", "\u202f\\1", text)


def _bilingual(text: str) -> str:
    """ "French — English: English" with the French half in French typography."""
    french, _sep, english = text.partition(ENGLISH)
    return _fr(french) + _sep + english


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return str(value)


VARIABLES: tuple[DomainVariable, ...] = ("sector", "organisation_type", "size_class", "region")


def _key_columns() -> tuple[_Column, ...]:
    return (
        _Column(
            "domaine",
            "string",
            "Domaine d'estimation",
            "Estimation domain",
            "Le découpage : sector (l'ensemble du secteur), organisation_type (type "
            "d'organisme), size_class (taille en logements) ou region (région INSEE).",
            "The breakdown: sector, organisation_type, size_class or region (INSEE region).",
            constraints=Constraints(required=True, enum=list(VARIABLES)),
        ),
        _Column(
            "groupe",
            "string",
            "Groupe",
            "Group",
            "Le code du groupe dans son découpage : all pour le secteur, OPH, ESH, COOP ou "
            "SEM, <1500, 1500-12000 ou >12000 logements, code INSEE de la région.",
            "The group's code: all for the sector, OPH, ESH, COOP or SEM, <1500, 1500-12000 "
            "or >12000 dwellings, the region's INSEE code.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "groupe_libelle",
            "string",
            "Libellé du groupe",
            "Group label (French)",
            "Le nom du groupe, en français.",
            "The group's name, in French.",
        ),
        _Column(
            "groupe_libelle_en",
            "string",
            "Libellé du groupe (anglais)",
            "Group label",
            "Le nom du groupe, en anglais.",
            "The group's name, in English.",
        ),
    )


def _figure_columns(
    value: _Column, confidence: str, confidence_en: str, unit: str | None
) -> tuple[_Column, ...]:
    return (
        value,
        _Column(
            "erreur_type",
            "number",
            "Erreur type",
            "Standard error",
            "L'erreur type de l'estimation (plan de sondage et calage pris en compte).",
            "The standard error of the estimate (design and calibration accounted for).",
            unit=unit,
            constraints=Constraints(minimum=0),
        ),
        _Column(
            "ic_bas",
            "number",
            "Borne basse de l'intervalle de confiance",
            "Confidence interval, low",
            f"La borne basse de l'intervalle de confiance à {confidence}.",
            f"The low end of the {confidence_en} confidence interval.",
            unit=unit,
        ),
        _Column(
            "ic_haut",
            "number",
            "Borne haute de l'intervalle de confiance",
            "Confidence interval, high",
            f"La borne haute de l'intervalle de confiance à {confidence}.",
            f"The high end of the {confidence_en} confidence interval.",
            unit=unit,
        ),
        _Column(
            "n",
            "integer",
            "Nombre d'organismes",
            "Number of organisations",
            "Le nombre d'organismes répondants sur lesquels repose le chiffre ; vide quand "
            "il est inférieur au minimum de diffusion.",
            "The number of responding organisations the figure rests on; empty when it is "
            "below the disclosure minimum.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        *_suppression_columns(
            "Vrai quand le chiffre n'est pas publié : ses nombres sont vides.",
            "True when the figure is not published: its numbers are empty.",
        ),
    )


def _suppression_columns(description: str, description_en: str) -> tuple[_Column, _Column]:
    return (
        _Column(
            "masque",
            "boolean",
            "Masqué",
            "Suppressed",
            description,
            description_en,
            constraints=Constraints(required=True),
        ),
        _Column(
            "motif_masque",
            "string",
            "Motif du masquage",
            "Reason for suppression",
            "primary : repose sur moins d'organismes que le minimum de diffusion ; "
            "complementary : masqué pour qu'un chiffre primaire ne se retrouve pas par "
            "soustraction ; vide quand le chiffre est publié.",
            "primary: rests on fewer organisations than the disclosure minimum; "
            "complementary: hidden so that a primary one cannot be recovered by "
            "subtraction; empty when published.",
            constraints=Constraints(enum=["primary", "complementary"]),
        ),
    )


def _figure_cells(figure: Figure | Difference | None) -> tuple[Cell, ...]:
    """value, se, low, high, n, suppressed, reason: the numbers only when the page shows them;
    n as the estimate gives it (it stays for a complementary suppression, as on the page)."""
    n = figure.n if figure is not None else None
    if figure is not None and published(figure):
        return (figure.value, figure.se, figure.ci_low, figure.ci_high, n, False, None)
    kind = (figure.suppression if figure is not None else None) or "primary"
    return (None, None, None, None, n, True, kind)


class _Labels:
    """French and English labels of groups, indicators and categories."""

    def __init__(self, questionnaire: Questionnaire):
        self.fr, self.en = translation("fr"), translation("en")
        self.regions = region_names()
        self.dimensions = {
            d.id: (d.label.get("fr"), d.label.get("en")) for d in questionnaire.dimensions
        }
        self.levels = {
            lv.code: (lv.label.get("fr"), lv.label.get("en"))
            for lv in questionnaire.methodology.levels
        }

    def text(self, key: str) -> tuple[str, str]:
        return self.fr(TEXTS[key]), self.en(TEXTS[key])

    def group(self, variable: DomainVariable, code: str) -> tuple[str, str]:
        if variable == "sector":
            return self.text("sector")
        if variable == "region":
            name = self.regions.get(code, code)
            return name, name
        return self.text(code) if code in TEXTS else (code, code)

    def indicator(self, key: str) -> tuple[str, str]:
        if key in ("global", "tech", "transfo"):
            return self.text(key)
        return self.dimensions.get(key, (key, key))

    def category(self, kind: str, code: str) -> tuple[str, str]:
        if kind == "level":
            return self.levels.get(code, (code, code))
        return self.text(code) if code in TEXTS else (code, code)


def _domains(estimates: EstimatesFile) -> Iterable[tuple[DomainVariable, DomainEstimate]]:
    for variable in VARIABLES:
        for domain in estimates.domains.of(variable):
            yield variable, domain


def _domain_fk() -> ForeignKey:
    return ForeignKey(
        fields=["domaine", "groupe"],
        reference=Reference(resource="domaines", fields=["domaine", "groupe"]),
    )


def _domains_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    columns = (
        *_key_columns(),
        _Column(
            "organismes_cadre",
            "integer",
            "Organismes du champ",
            "Organisations of the frame",
            "Le nombre d'organismes du champ (la base de sondage) dans le groupe ; vide quand "
            "le groupe est masqué.",
            "Organisations of the frame in the group; empty when the group is suppressed.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        _Column(
            "organismes_repondants",
            "integer",
            "Organismes répondants",
            "Responding organisations",
            "Le nombre d'organismes du groupe qui ont répondu ; vide quand il est inférieur "
            "au minimum de diffusion.",
            "Responding organisations in the group; empty when below the disclosure minimum.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        *_suppression_columns(
            "Vrai quand le groupe est masqué en entier.",
            "True when the whole group is suppressed.",
        ),
    )
    rows = []
    for variable, domain in _domains(estimates):
        fr, en = labels.group(variable, domain.level)
        reason = (domain.suppression or "primary") if domain.suppressed else None
        rows.append(
            (
                variable,
                domain.level,
                fr,
                en,
                domain.population,
                domain.organisations,
                domain.suppressed,
                reason,
            )
        )
    return _Table(
        "domaines",
        "Domaines d'estimation : secteur, types d'organisme, tailles, régions",
        "Les groupes sur lesquels le secteur est estimé, avec leurs effectifs. — English: "
        "The groups the sector is estimated on, with their counts.",
        columns,
        ("domaine", "groupe"),
        tuple(rows),
    )


def _confidence(estimates: EstimatesFile) -> tuple[str, str]:
    level = estimates.method.confidence_level * 100
    text = f"{level:g}"
    return f"{text.replace('.', ',')}\u202f%", f"{text}%"


def _scores_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "valeur",
        "number",
        "Score",
        "Score",
        "Le score du groupe, moyenne pondérée des organismes sur une échelle de 0 à 100.",
        "The group's score, the weighted mean of the organisations on a 0 to 100 scale.",
        unit="points (0-100)",
        constraints=Constraints(minimum=0, maximum=100),
    )
    columns = (
        *_key_columns(),
        _Column(
            "indicateur",
            "string",
            "Indicateur",
            "Indicator",
            "global (indice global), tech (axe technologie), transfo (axe transformation) ou "
            "l'identifiant d'une dimension du questionnaire.",
            "global (global index), tech (tech axis), transfo (transformation axis) or the "
            "id of a dimension of the questionnaire.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "indicateur_libelle",
            "string",
            "Libellé de l'indicateur",
            "Indicator label (French)",
            "Le nom de l'indicateur, en français.",
            "The indicator's name, in French.",
        ),
        _Column(
            "indicateur_libelle_en",
            "string",
            "Libellé de l'indicateur (anglais)",
            "Indicator label",
            "Le nom de l'indicateur, en anglais.",
            "The indicator's name, in English.",
        ),
        *_figure_columns(value, confidence, confidence_en, "points (0-100)"),
    )
    rows = []
    for variable, domain in _domains(estimates):
        group = (variable, domain.level, *labels.group(variable, domain.level))
        figures: list[tuple[str, Figure | None]] = [
            ("global", domain.global_index),
            ("tech", domain.axes.tech),
            ("transfo", domain.axes.transfo),
        ]
        figures += [(key, domain.dimensions.get(key)) for key in estimates.indicators.dimensions]
        for key, figure in figures:
            rows.append((*group, key, *labels.indicator(key), *_figure_cells(figure)))
    return _Table(
        "scores",
        "Scores de maturité numérique du secteur, par indicateur et par domaine",
        f"Indice global, axes et dimensions (0 à 100), avec erreur type, intervalle de "
        f"confiance à {confidence} et nombre d'organismes. — English: Global index, axes and "
        f"dimensions (0 to 100), with standard error, {confidence_en} confidence interval "
        f"and number of organisations.",
        columns,
        ("domaine", "groupe", "indicateur"),
        tuple(rows),
        (_domain_fk(),),
    )


def _shares_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "part",
        "number",
        "Part des organismes",
        "Share of organisations",
        "La part pondérée des organismes du groupe dans la catégorie, de 0 à 1.",
        "The weighted share of the group's organisations in the category, from 0 to 1.",
        unit="part (0-1)",
        constraints=Constraints(minimum=0, maximum=1),
    )
    columns = (
        *_key_columns(),
        _Column(
            "classement",
            "string",
            "Classement",
            "Classification",
            "level : niveau de maturité sur l'indice global ; family : famille de la "
            "typologie (deux axes).",
            "level: maturity level on the global index; family: family of the typology (two axes).",
            constraints=Constraints(required=True, enum=["level", "family"]),
        ),
        _Column(
            "categorie",
            "string",
            "Catégorie",
            "Category",
            "Le code du niveau ou de la famille.",
            "The level's or family's code.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "categorie_libelle",
            "string",
            "Libellé de la catégorie",
            "Category label (French)",
            "Le nom du niveau ou de la famille, en français.",
            "The level's or family's name, in French.",
        ),
        _Column(
            "categorie_libelle_en",
            "string",
            "Libellé de la catégorie (anglais)",
            "Category label",
            "Le nom du niveau ou de la famille, en anglais.",
            "The level's or family's name, in English.",
        ),
        *_figure_columns(value, confidence, confidence_en, "part (0-1)"),
    )
    rows = []
    for variable, domain in _domains(estimates):
        group = (variable, domain.level, *labels.group(variable, domain.level))
        for kind, codes, shares in (
            ("level", estimates.indicators.levels, domain.shares.level),
            ("family", estimates.indicators.typology, domain.shares.typology),
        ):
            for code in codes:
                cells = _figure_cells(shares.get(code))
                rows.append((*group, kind, code, *labels.category(kind, code), *cells))
    return _Table(
        "parts",
        "Répartition des organismes par niveau de maturité et par famille",
        f"Parts pondérées (0 à 1) avec erreur type, intervalle de confiance à {confidence} "
        f"et nombre d'organismes. — English: Weighted shares (0 to 1) with standard error, "
        f"{confidence_en} confidence interval and number of organisations.",
        columns,
        ("domaine", "groupe", "classement", "categorie"),
        tuple(rows),
        (_domain_fk(),),
    )


def _change_table(change: ChangeFile, estimates: EstimatesFile, labels: _Labels) -> _Table | None:
    """The change of the global index and of each dimension, as the public page shows it: no
    table when the global index's change is suppressed (the page then shows no change)."""
    if change.indicator("global") is None:
        return None
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "variation",
        "number",
        "Variation",
        "Change",
        "La variation du score depuis la vague précédente, en points.",
        "The change of the score since the previous wave, in points.",
        unit="points",
    )
    columns = (
        _Column(
            "indicateur",
            "string",
            "Indicateur",
            "Indicator",
            "global (indice global) ou l'identifiant d'une dimension du questionnaire.",
            "global (global index) or the id of a dimension of the questionnaire.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "indicateur_libelle",
            "string",
            "Libellé de l'indicateur",
            "Indicator label (French)",
            "Le nom de l'indicateur, en français.",
            "The indicator's name, in French.",
        ),
        _Column(
            "indicateur_libelle_en",
            "string",
            "Libellé de l'indicateur (anglais)",
            "Indicator label",
            "Le nom de l'indicateur, en anglais.",
            "The indicator's name, in English.",
        ),
        _Column(
            "mesure",
            "string",
            "Mesure",
            "Measure",
            "population : variation du chiffre pondéré du secteur entre les deux vagues ; "
            "panel : variation moyenne des organismes ayant répondu aux deux vagues.",
            "population: change of the weighted sector figure between the two waves; panel: "
            "mean change of the organisations that answered both waves.",
            constraints=Constraints(required=True, enum=["population", "panel"]),
        ),
        _Column(
            "vague_precedente",
            "integer",
            "Vague précédente",
            "Previous wave",
            "L'année de la vague à laquelle celle-ci est comparée.",
            "The year of the wave this one is compared with.",
        ),
        *_figure_columns(value, confidence, confidence_en, "points"),
    )
    keys = ["global", *(k for k in labels.dimensions if change.indicator(k) is not None)]
    rows = []
    for key in keys:
        indicator = change.indicator(key)
        assert isinstance(indicator, IndicatorChange)
        for measure, difference in (
            ("population", indicator.population),
            ("panel", indicator.panel),
        ):
            cells = _figure_cells(difference)
            rows.append((key, *labels.indicator(key), measure, change.before_year, *cells))
    return _Table(
        "evolution",
        "Évolution depuis la vague précédente comparable",
        f"Variation de l'indice global et de chaque dimension, en points, pour le secteur "
        f"et pour le panel, avec intervalle de confiance à {confidence}. — English: Change of "
        f"the global index and of each dimension, in points, for the sector and the panel, "
        f"with {confidence_en} confidence interval.",
        columns,
        ("indicateur", "mesure"),
        tuple(rows),
    )


# --- the package -----------------------------------------------------------------------------


def _check(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    change: ChangeFile | None,
    source: str,
) -> list[Problem]:
    problems: list[Problem] = []
    if estimates.wave_year is None:
        problems.append(problem(f"{source}: wave_year", Code.OPENDATA_NO_WAVE_YEAR))
    made_with, given = WaveMethod.of_file(estimates), WaveMethod.of_questionnaire(questionnaire)
    if made_with != given:
        problems.append(
            problem(
                f"{source}: questionnaire",
                Code.OPENDATA_OTHER_QUESTIONNAIRE,
                estimates=str(made_with),
                questionnaire=str(given),
            )
        )
    if change is not None and (
        change.after_year != estimates.wave_year
        or (change.after.id, change.after.version)
        != (estimates.questionnaire.id, estimates.questionnaire.version)
    ):
        problems.append(
            problem(
                f"{source}: change",
                Code.OPENDATA_OTHER_WAVE_CHANGE,
                change_year=change.after_year if change.after_year is not None else "none",
                year=estimates.wave_year if estimates.wave_year is not None else "none",
            )
        )
    return problems


def _questionnaire_yaml(questionnaire: Questionnaire) -> str:
    data = questionnaire.model_dump(mode="json", exclude_none=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when installed
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def questionnaire_xlsform(questionnaire: Questionnaire) -> bytes | None:
    """The XLSForm workbook of the questionnaire (`interop.xlsform`), byte-stable, or None
    when that module is not there."""
    try:
        from barometre.interop import xlsform
    except ImportError:
        return None
    make: Callable[[Questionnaire], bytes] | None = getattr(xlsform, "xlsform_bytes", None)
    return _stable_xlsx(make(questionnaire)) if make is not None else None


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _stable_xlsx(workbook: bytes) -> bytes:
    """The workbook with what openpyxl dates from the clock fixed: its ZIP entries' dates and
    the `modified` property (set to the workbook's `created`), so that the same
    questionnaire gives the same bytes."""
    stream = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                created = _CREATED.search(content)
                stamp = created.group(1) if created else b"1980-01-01T00:00:00Z"
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return stream.getvalue()


def _created_text(created: datetime | date | None) -> str | None:
    if created is None:
        return None
    if isinstance(created, datetime):
        moment = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
        return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"{created.isoformat()}T00:00:00Z"


def _readme(
    package: DataPackage,
    tables: Sequence[_Table],
    files: Collection[str],
    minimum: int,
    synthetic: bool,
) -> str:
    """README.md: French, then English."""
    year = package.name.rsplit("-", 1)[1]
    title_en = f"Digital maturity barometer of social housing {year}"
    listing_fr = "\n".join(f"- `{t.path}` : {t.title}." for t in tables)
    if "questionnaire.xlsx" in files:
        listing_fr += "\n- `questionnaire.xlsx` : le questionnaire en XLSForm (ODK, KoboToolbox)."
    listing_en = "\n".join(f"- `{t.path}`: {t.description.split(ENGLISH)[1]}" for t in tables)
    if "questionnaire.xlsx" in files:
        listing_en += "\n- `questionnaire.xlsx`: the questionnaire as XLSForm (ODK, KoboToolbox)."
    warning_fr = (
        "\n**Données synthétiques** : aucun organisme ni aucune réponse de ce jeu n'est réel.\n"
        if synthetic
        else ""
    )
    warning_en = (
        "\n**Synthetic data**: no organisation or answer in this package is real.\n"
        if synthetic
        else ""
    )
    french = f"""# {package.title}
{warning_fr}
{package.description.split(ENGLISH)[0]}

Version {package.version}. Licence : {LICENCE_TITLE} ({LICENCE_PATH}).

## Fichiers

{listing_fr}
- `questionnaire.yaml` : le questionnaire tel qu'il a été posé (format Baromètre).
- `methodologie.json` : les paramètres de la méthode (seuils, niveaux, minimum de diffusion).
- `datapackage.json` : la description de chaque fichier et de chaque colonne (Frictionless
  Data Package).

## Secret statistique

Aucun chiffre ne repose sur moins de {minimum} organismes répondants : ses nombres sont vides,
la colonne `masque` vaut `true` et `motif_masque` dit pourquoi (`primary` : trop peu
d'organismes ; `complementary` : masqué pour qu'un autre chiffre masqué ne se retrouve pas par
soustraction). Ce sont exactement les chiffres masqués de la page publique du baromètre.
"""
    english = f"""
---

# {title_en} — published aggregates
{warning_en}
{package.description.split(ENGLISH)[1]}

Version {package.version}. Licence: {LICENCE_TITLE} ({LICENCE_PATH}).

## Files

{listing_en}
- `questionnaire.yaml`: the questionnaire as it was asked (Baromètre format).
- `methodologie.json`: the method's parameters (thresholds, levels, disclosure minimum).
- `datapackage.json`: every file and column described (Frictionless Data Package).

## Disclosure control

No figure rests on fewer than {minimum} responding organisations: its numbers are empty, the
`masque` column is `true` and `motif_masque` says why (`primary`: too few organisations;
`complementary`: hidden so that another hidden figure cannot be recovered by subtraction).
These are exactly the figures hidden on the barometer's public page.
"""
    return _fr(french) + english


def _resource(
    name: str, path: str, content: bytes, title: str, description: str, kind: str
) -> Resource:
    formats = {
        "yaml": ("yaml", "application/yaml", "utf-8"),
        "json": ("json", "application/json", "utf-8"),
        "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
    }
    fmt, mediatype, encoding = formats[kind]
    return Resource(
        name=name,
        path=path,
        profile="data-resource",
        title=_fr(title),
        description=_bilingual(description),
        format=fmt,
        mediatype=mediatype,
        encoding=encoding,
        bytes=len(content),
        hash="sha256:" + hashlib.sha256(content).hexdigest(),
    )


def datapackage_files(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    *,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> PackageFiles:
    """The package's files in memory, after checking its inputs (every problem at once, in
    an `InputError`). `questionnaire_yaml`: the questionnaire's text as it was run (default:
    the model written as YAML); `change`: the wave's change since the previous comparable
    wave; `title`: the wave's French title; `created`: when the wave's data were final (the
    descriptor's `created`); `synthetic`: the data are simulated (the README says so)."""
    problems = _check(estimates, questionnaire, change, source)
    if problems:
        raise InputError(source, problems)
    year = estimates.wave_year
    assert year is not None  # checked above
    labels = _Labels(questionnaire)
    tables = [
        _domains_table(estimates, labels),
        _scores_table(estimates, labels),
        _shares_table(estimates, labels),
    ]
    if change is not None:
        changed = _change_table(change, estimates, labels)
        if changed is not None:
            tables.append(changed)
    files: dict[str, bytes] = {}
    resources: list[Resource] = []
    for table in tables:
        content = table.csv_bytes()
        files[table.path] = content
        resources.append(
            Resource(
                name=table.name,
                path=table.path,
                profile="tabular-data-resource",
                title=_fr(table.title),
                description=_bilingual(table.description),
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                bytes=len(content),
                hash="sha256:" + hashlib.sha256(content).hexdigest(),
                table_schema=table.schema(),
                dialect=Dialect(),
            )
        )
    text = (
        questionnaire_yaml if questionnaire_yaml is not None else _questionnaire_yaml(questionnaire)
    )
    files["questionnaire.yaml"] = text.encode("utf-8")
    resources.append(
        _resource(
            "questionnaire",
            "questionnaire.yaml",
            files["questionnaire.yaml"],
            f"Questionnaire {questionnaire.id} {questionnaire.version}",
            "Le questionnaire tel qu'il a été posé, au format Baromètre (docs/questionnaire-"
            "format.md). — English: The questionnaire as it was asked, in Baromètre's format.",
            "yaml",
        )
    )
    workbook = questionnaire_xlsform(questionnaire)
    if workbook is not None:
        files["questionnaire.xlsx"] = workbook
        resources.append(
            _resource(
                "questionnaire-xlsform",
                "questionnaire.xlsx",
                workbook,
                f"Questionnaire {questionnaire.id} {questionnaire.version} (XLSForm)",
                "Le questionnaire en XLSForm, pour ODK et KoboToolbox. — English: The "
                "questionnaire as an XLSForm workbook, for ODK and KoboToolbox.",
                "xlsx",
            )
        )
    methodology = {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "methodology": questionnaire.methodology.model_dump(mode="json"),
        "estimate_method": estimates.method.model_dump(mode="json"),
    }
    files["methodologie.json"] = (
        json.dumps(methodology, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    resources.append(
        _resource(
            "methodologie",
            "methodologie.json",
            files["methodologie.json"],
            f"Méthodologie {questionnaire.methodology.version}",
            "Les paramètres de la méthode (section methodology du questionnaire) et la "
            "méthode d'estimation. — English: The method's parameters (the questionnaire's "
            "methodology section) and the estimation method.",
            "json",
        )
    )
    wave_title = title or f"Baromètre de la maturité numérique du logement social {year}"
    minimum = estimates.method.suppression.min_organisations
    frame = estimates.frame
    package = DataPackage(
        name=f"barometre-maturite-numerique-hlm-{year}",
        id=f"barometre-{questionnaire.id}-{year}",
        title=_fr(f"{wave_title} — agrégats publiés"),
        description=_bilingual(
            f"Maturité numérique des organismes de logement social en {year} : estimations "
            f"pondérées du secteur ({frame.responding_organisations} organismes répondants sur "
            f"{frame.organisations}), par type d'organisme, taille et région, avec erreur type "
            f"et intervalle de confiance ; aucun chiffre ne repose sur moins de {minimum} "
            f"organismes. — English: Digital maturity of social housing organisations in "
            f"{year}: weighted estimates of the sector ({frame.responding_organisations} "
            f"responding organisations of {frame.organisations}), by type of organisation, "
            f"size and region, with standard error and confidence interval; no figure rests "
            f"on fewer than {minimum} organisations."
        ),
        version=(
            f"{year}+questionnaire.{questionnaire.version}"
            f".methodologie.{questionnaire.methodology.version}"
        ),
        created=_created_text(created),
        keywords=["logement social", "HLM", "maturité numérique", "baromètre", "open data"],
        licenses=[License(name=LICENCE_NAME, title=LICENCE_TITLE, path=LICENCE_PATH)],
        sources=[
            Source(
                title=f"Baromètre, vague {year} : questionnaire {questionnaire.id} "
                f"{questionnaire.version}, réponses des organismes"
            ),
            Source(
                title="INSEE, Code officiel géographique (régions)",
                path="https://www.insee.fr/fr/information/2560452",
            ),
        ],
        resources=resources,
    )
    files["README.md"] = _readme(package, tables, files, minimum, synthetic).encode("utf-8")
    files[DESCRIPTOR] = package.dumps().encode("utf-8")
    summaries = tuple(TableSummary(t.name, t.path, len(t.rows), t.suppressed) for t in tables)
    return PackageFiles(package, dict(sorted(files.items())), summaries)


def out_problems(out: Path, *, zipped: bool) -> list[Problem]:
    """What is wrong with `out` as the place of a package (a folder, or a ZIP file)."""
    if zipped:
        if out.is_dir():
            return [problem(str(out), Code.OPENDATA_OUT_IS_FOLDER)]
        return []
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        return [problem(str(out), Code.OPENDATA_OUT_NOT_EMPTY)]
    return []


def write_datapackage(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    out: str | Path,
    *,
    zipped: bool = False,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> DataPackageSummary:
    """Write the wave's data package to the folder `out` (new or empty), or as one ZIP file
    when `zipped`. Every problem of the inputs and of `out` is raised at once and nothing is
    written then; the folder is written beside `out` under a temporary name and renamed."""
    target = Path(out)
    problems = out_problems(target, zipped=zipped)
    try:
        built = datapackage_files(
            estimates,
            questionnaire,
            questionnaire_yaml=questionnaire_yaml,
            change=change,
            title=title,
            created=created,
            synthetic=synthetic,
            source=source,
        )
    except InputError as exc:
        problems = list(exc.problems) + problems
        raise InputError(source, problems) from None
    if problems:
        raise InputError(str(target), problems)
    if zipped:
        content = zip_bytes(built)
        write_atomic(target, lambda tmp: tmp.write_bytes(content))
    else:
        _write_folder(target, built.files)
    return DataPackageSummary(
        path=target,
        name=built.descriptor.name,
        version=built.descriptor.version,
        tables=built.tables,
        files=tuple(built.files),
    )


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        os.chmod(staging, 0o755)
        os.replace(staging, target)  # onto a missing or empty folder only (checked)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def zip_bytes(built: PackageFiles) -> bytes:
    """The package as one ZIP (what the public page offers): the same files, in name order,
    dated from the package's `created` so that the same wave gives the same bytes."""
    created = built.descriptor.created
    stamp = (
        datetime.fromisoformat(created.replace("Z", "+00:00")).timetuple()[:6]
        if created
        else _ZIP_EPOCH
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in built.files.items():
            info = zipfile.ZipInfo(f"{built.descriptor.name}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return stream.getvalue()


def datapackage_zip_bytes(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    *,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> bytes:
    """The wave's data package as ZIP bytes (the web's download)."""
    return zip_bytes(
        datapackage_files(
            estimates,
            questionnaire,
            questionnaire_yaml=questionnaire_yaml,
            change=change,
            title=title,
            created=created,
            synthetic=synthetic,
            source=source,
        )
    )


def descriptor_schema_text() -> str:
    """The JSON Schema of the descriptor (`DataPackage`), committed as
    docs/schemas/opendata-datapackage.schema.json
    (`python -m barometre.interop.opendata docs/schemas/opendata-datapackage.schema.json`)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **DataPackage.model_json_schema(by_alias=True, mode="serialization"),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys

    from barometre.files import write_text_atomic

    default = Path("docs/schemas/opendata-datapackage.schema.json")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    write_text_atomic(target, descriptor_schema_text())
    print(target)
