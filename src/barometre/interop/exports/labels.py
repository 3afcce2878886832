"""The exports' own words (column labels, the read-me sheet): English source texts with their
French from the one catalogue (`barometre.i18n`); the questionnaire brings its own labels."""

from __future__ import annotations

from barometre.errors import gettext_noop as _
from barometre.i18n import translation

ORGANISATION = _("Organisation")
RESPONDENT = _("Respondent (pseudonym, stable within the wave)")
ROLE = _("Role")
FIELD = _("Answer field (item, or ITEM.ROW for a row of a status table)")
ANSWER = _("Answer as stored (option codes, NA, DK, number or text)")
GLOBAL = _("Global index")
LEVEL = _("Level")
FAMILY = _("Family")
BORDERLINE = _("Borderline family (an axis within measurement error of its threshold)")
TECH = _("Technology axis")
TRANSFO = _("Transformation axis")
TECH_SE = _("Standard error of the technology axis")
TRANSFO_SE = _("Standard error of the transformation axis")
TECH_COVERAGE = _("Coverage of the technology axis")
TRANSFO_COVERAGE = _("Coverage of the transformation axis")
#: The axes a questionnaire names itself (methodology.typology.axes).
NAMED_AXIS = _("Axis: {axis}")
NAMED_AXIS_SE = _("Standard error of the axis: {axis}")
NAMED_AXIS_COVERAGE = _("Coverage of the axis: {axis}")
N_RESPONDENTS = _("Number of respondents")
N_ROLE = _("Respondents: {role}")
PERCEPTION_GAP = _("Perception gap (management minus other roles)")
PERCEIVED = _("Perceived maturity (self-rating)")
PERCEIVED_GAP = _("Perceived maturity minus the global index")
ORGANISATION_TYPE = _("Type of organisation")
DWELLINGS = _("Dwellings")
SIZE_CLASS = _("Size class")
DEPARTMENT = _("Department")
DIMENSION_SCORE = _("Score: {dimension}")
DIMENSION_LEVEL = _("Level: {dimension}")
DIMENSION_COVERAGE = _("Coverage: {dimension}")
DIMENSION_DISPERSION = _("Dispersion: {dimension}")
DIMENSION_GAP = _("Perception gap: {dimension}")
LEVEL_SHARE = _("Share of organisations at level: {level} (0-1)")
FAMILY_SHARE = _("Share of organisations in family: {family} (0-1)")
ITEM_SCORE = _("Item score: {item}")
DOMAIN_VARIABLE = _("Breakdown (sector, organisation type, size class, region)")
DOMAIN = _("Domain")
INDICATOR = _("Indicator")
ESTIMATE = _("Estimate")
UNWEIGHTED = _("Unweighted estimate")
SE = _("Standard error")
CI_LOW = _("Lower bound of the confidence interval")
CI_HIGH = _("Upper bound of the confidence interval")
CI_METHOD = _("Method of the confidence interval")
N = _("Number of organisations")
DEFF = _("Design effect")
EFFECTIVE_N = _("Effective number of organisations")
SUPPRESSED = _("Suppressed (1 yes, 0 no)")
SUPPRESSION = _("Kind of suppression (primary, complementary)")
TICKED = _("ticked")
NOT_TICKED = _("not ticked")
YES = _("yes")
NO = _("no")
NOT_APPLICABLE = _("not applicable")
DONT_KNOW = _("don't know")
POINTS = _("points out of 100")

FAMILIES = {
    "pionnier": _("Pioneer (pionnier)"),
    "timide": _("Timid adopter (timide)"),
    "conservateur": _("Conservative (conservateur)"),
    "prudent": _("Cautious (prudent)"),
}
ORGANISATION_TYPES = {
    "OPH": _("Public housing offices (OPH)"),
    "ESH": _("Social housing companies (ESH)"),
    "COOP": _("HLM cooperatives"),
    "SEM": _("Mixed-economy companies (SEM)"),
}
SIZE_CLASSES = {
    "<1500": _("fewer than 1,500 dwellings"),
    "1500-12000": _("1,500 to 12,000 dwellings"),
    ">12000": _("more than 12,000 dwellings"),
}

README_TITLE = _("Baromètre export: read me")
README_LINES = (
    _("Questionnaire: {questionnaire}, methodology {methodology}."),
    _("Tables: {tables}; the codebook sheet describes every column of every sheet."),
    _(
        "Respondents are pseudonyms (HMAC-SHA256 of their id under the wave's key): the same "
        "person has the same pseudonym in every export of the wave; no e-mail address is exported."
    ),
    _(
        "Coded answers are numbers with their labels in the codebook; a multiple choice is one "
        "column per option (1 ticked, 0 not ticked)."
    ),
    _(
        "Missing answers: {na} = not applicable (NA), {dk} = don't know (DK), empty = "
        "unanswered. Leave these codes out before computing a mean."
    ),
    _("Scores are on 0-100; coverage and shares on 0-1. Format described in docs/exports.md."),
)


def french(text: str) -> str:
    """`text` (an English msgid) in French."""
    return translation("fr")(text)


def both(
    text: str, fr: dict[str, str] | None = None, en: dict[str, str] | None = None
) -> tuple[str, str]:
    """`text` in French and in English, the placeholders filled from `fr` and `en`
    (`str.format`; `en` defaults to `fr`)."""
    french = translation("fr")(text)
    return french.format(**(fr or {})), text.format(**(en if en is not None else fr or {}))
