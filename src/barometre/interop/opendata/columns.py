"""The columns of the package's tables (`_Column`, `_Table`), the cells of a figure as the
public page shows it (`barometre.publication`), and the labels of groups and indicators."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from barometre.contracts.change import Difference
from barometre.contracts.estimates import Figure
from barometre.contracts.vocabulary import DomainVariable
from barometre.geo import region_names
from barometre.i18n import translation
from barometre.interop.opendata.codes import (
    CI_METHODS,
    DOMAIN_CODES,
    ENGLISH,
    SUPPRESSION_CODES,
    TEXTS,
    Cell,
    FieldType,
)
from barometre.interop.opendata.descriptor import (
    Category,
    Constraints,
    ForeignKey,
    TableField,
    TableSchema,
)
from barometre.publication import hidden_reason
from barometre.questionnaire.models import Questionnaire

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
    #: The field's codes: (code, French label, English label); they are its `enum` too.
    codes: tuple[tuple[str, str, str], ...] = ()

    def field(self) -> TableField:
        constraints = self.constraints
        if self.codes:
            constraints = (constraints or Constraints()).model_copy(
                update={"enum": [code for code, _fr_label, _en_label in self.codes]}
            )
        return TableField(
            name=self.name,
            type=self.type,
            title=_fr(self.title),
            title_en=self.title_en,
            description=f"{_fr(self.description)}{ENGLISH}{self.description_en}",
            unit=self.unit,
            constraints=constraints,
            categories=[Category(value=c, label=_fr(fr), label_en=en) for c, fr, en in self.codes]
            or None,
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


def _key_columns() -> tuple[_Column, ...]:
    return (
        _Column(
            "domaine",
            "string",
            "Domaine d'estimation",
            "Estimation domain",
            "Le découpage, un code du fichier d'estimations\u202f: sector (l'ensemble du secteur, "
            "groupe all), organisation_type (type d'organisme), size_class (taille en "
            "logements) ou region (région, code INSEE).",
            "The breakdown, a code of the estimates file: sector (the whole sector, group "
            "all), organisation_type, size_class (size in dwellings) or region (INSEE code).",
            constraints=Constraints(required=True),
            codes=DOMAIN_CODES,
        ),
        _Column(
            "groupe",
            "string",
            "Groupe",
            "Group",
            "Le code du groupe dans son découpage\u202f: all pour l'ensemble du secteur, OPH, "
            "ESH, COOP ou SEM, <1500, 1500-12000 ou >12000 logements, code INSEE de la région.",
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
    value: _Column, confidence: str, confidence_en: str, unit: str | None, *, method: bool
) -> tuple[_Column, ...]:
    """The columns of a figure; `method`: with the interval's method (`methode_ic`)."""
    interval_method = _Column(
        "methode_ic",
        "string",
        "Méthode de l'intervalle de confiance",
        "Confidence interval method",
        "Comment l'intervalle est calculé (wald-normale, wald-student, logit, korn-graubard, "
        "korn-graubard-borne\u202f: voir les catégories)\u202f; vide quand le chiffre est masqué.",
        "How the interval is computed (wald-normale, wald-student, logit, korn-graubard, "
        "korn-graubard-borne: see the categories); empty when the figure is suppressed.",
        codes=tuple(CI_METHODS.values()),
    )
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
        *((interval_method,) if method else ()),
        _Column(
            "n",
            "integer",
            "Nombre d'organismes",
            "Number of organisations",
            "Le nombre d'organismes répondants sur lesquels repose le chiffre\u202f; vide quand "
            "il est inférieur au minimum de diffusion (secret primaire), donné pour un secret "
            "secondaire.",
            "The number of responding organisations the figure rests on; empty when it is "
            "below the disclosure minimum (primary suppression), given for a complementary "
            "suppression.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        *_suppression_columns(
            "Vrai quand le chiffre n'est pas publié\u202f: sa valeur, son erreur type et son "
            "intervalle sont vides (n reste pour un secret secondaire).",
            "True when the figure is not published: its value, standard error and interval "
            "are empty (n stays for a complementary suppression).",
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
            "Un code du fichier d'estimations\u202f: primary (secret primaire, repose sur moins "
            "d'organismes que le minimum de diffusion)\u202f; complementary (secret secondaire, "
            "masqué pour qu'un chiffre masqué ne se retrouve pas par soustraction)\u202f; vide "
            "quand rien n'est masqué.",
            "A code of the estimates file: primary (rests on fewer organisations than the "
            "disclosure minimum); complementary (hidden so that a hidden figure cannot be "
            "recovered by subtraction); empty when nothing is suppressed.",
            codes=SUPPRESSION_CODES,
        ),
    )


def _figure_cells(figure: Figure | Difference | None, *, method: bool) -> tuple[Cell, ...]:
    """value, se, low, high[, interval method], n, suppressed, reason: the numbers only when
    the page shows them (`barometre.publication`); n as the estimate gives it (it stays for a
    complementary suppression, as on the page)."""
    n = figure.n if figure is not None else None
    reason = hidden_reason(figure)
    if figure is not None and reason is None:
        ci_method = getattr(figure, "ci_method", None)
        code = CI_METHODS[ci_method][0] if ci_method is not None else None
        interval = (figure.ci_low, figure.ci_high, *((code,) if method else ()))
        return (figure.value, figure.se, *interval, n, False, None)
    return (None, None, None, None, *((None,) if method else ()), n, True, reason)


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
        typology = questionnaire.methodology.typology
        #: The questionnaire's own names of its axes, by role (none for tech / transfo).
        self.axes = (
            {role: (label.get("fr"), label.get("en")) for role, label in typology.labels().items()}
            if typology is not None and typology.named
            else {}
        )

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
        if key in self.axes:
            return self.axes[key]
        if key in ("global", "tech", "transfo"):
            return self.text(key)
        return self.dimensions.get(key, (key, key))

    def category(self, kind: str, code: str) -> tuple[str, str]:
        if kind == "level":
            return self.levels.get(code, (code, code))
        return self.text(code) if code in TEXTS else (code, code)
