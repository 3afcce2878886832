"""The constants of the open data package: licence, file names, the words a person reads
(English source, French from the catalogue) and the codes of its fields with their meanings
(docs/opendata.md)."""

from __future__ import annotations

from typing import Literal

from barometre.contracts.vocabulary import DomainVariable
from barometre.errors import gettext_noop

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

VARIABLES: tuple[DomainVariable, ...] = ("sector", "organisation_type", "size_class", "region")

#: The codes of the package's fields and what they mean, (code, French, English). The codes are
#: the estimates file's own (its `domains` keys, `suppression`, ...), stable for a program; the
#: descriptor lists them as each field's `enum` and `categories` (docs/opendata.md).
DOMAIN_CODES: tuple[tuple[str, str, str], ...] = (
    ("sector", "Ensemble du secteur (un seul groupe, all)", "Whole sector (one group, all)"),
    ("organisation_type", "Type d'organisme", "Type of organisation"),
    ("size_class", "Taille de l'organisme, en logements", "Size of the organisation, in dwellings"),
    ("region", "Région (code INSEE)", "Region (INSEE code)"),
)
SUPPRESSION_CODES: tuple[tuple[str, str, str], ...] = (
    (
        "primary",
        "Secret primaire\u202f: repose sur moins d'organismes que le minimum de diffusion",
        "Primary suppression: rests on fewer organisations than the disclosure minimum",
    ),
    (
        "complementary",
        "Secret secondaire\u202f: masqué pour qu'un chiffre masqué ne se retrouve pas par "
        "soustraction",
        "Complementary suppression: hidden so that a hidden figure cannot be recovered by "
        "subtraction",
    ),
)
CLASSIFICATION_CODES: tuple[tuple[str, str, str], ...] = (
    ("level", "Niveau de maturité (sur l'indice global)", "Maturity level (on the global index)"),
    ("family", "Famille de la typologie (deux axes)", "Family of the typology (two axes)"),
)
MEASURE_CODES: tuple[tuple[str, str, str], ...] = (
    (
        "population",
        "Variation du chiffre pondéré du secteur entre les deux vagues",
        "Change of the weighted sector figure between the two waves",
    ),
    (
        "panel",
        "Variation moyenne des organismes ayant répondu aux deux vagues",
        "Mean change of the organisations that answered both waves",
    ),
)
#: The estimates file's `ci_method` (English text, `stats/estimators.py`) -> the package's
#: code, with its meaning (docs/statistics.md, "Intervals").
CI_METHODS: dict[str, tuple[str, str, str]] = {
    "wald (normal)": (
        "wald-normale",
        "Wald\u202f: valeur ± z × erreur type, z de la loi normale",
        "Wald: value ± z × standard error, z from the normal distribution",
    ),
    "wald (student)": (
        "wald-student",
        "Wald\u202f: valeur ± t × erreur type, t de la loi de Student",
        "Wald: value ± t × standard error, t from Student's distribution",
    ),
    "logit": (
        "logit",
        "Wald sur l'échelle logit, ramené entre 0 et 1 (méthode logit de R svyciprop)",
        "Wald on the log-odds scale, back-transformed into [0, 1] (R svyciprop logit)",
    ),
    "korn-graubard": (
        "korn-graubard",
        "Korn et Graubard\u202f: Clopper-Pearson à la taille d'échantillon effective (R beta)",
        "Korn and Graubard: Clopper-Pearson at the effective sample size (R beta)",
    ),
    "korn-graubard (share at a bound)": (
        "korn-graubard-borne",
        "Korn et Graubard pour une part de 0 ou 1, où la méthode logit ne s'applique pas",
        "Korn and Graubard for a share of 0 or 1, where the logit method does not apply",
    ),
}
