"""What people read for the methodology's codes, in French and English.

The codes stay as the methodology names them (`pionnier`, `OPH`, `raking`...); only their
labels are translated.
"""

from django.utils.translation import gettext_lazy as _

TYPOLOGY = {
    "pionnier": _("Pioneers (pionniers)"),
    "timide": _("Timid adopters (timides)"),
    "conservateur": _("Conservatives (conservateurs)"),
    "prudent": _("Cautious (prudents)"),
}
ORGANISATION_TYPES = {
    "OPH": _("Public housing offices (OPH)"),
    "ESH": _("Social housing companies (ESH)"),
    "COOP": _("HLM cooperatives"),
    "SEM": _("Mixed-economy companies (SEM)"),
}
WEIGHTING = {
    "poststratification": _("post-stratification on type and size of organisation"),
    "raking": _("raking on the margins of type, size and region"),
}
SIZE_CLASSES = {
    "<1500": _("fewer than 1,500 dwellings"),
    "1500-12000": _("1,500 to 12,000 dwellings"),
    ">12000": _("more than 12,000 dwellings"),
}
SERIES = {
    "sector": _("Responding organisations (unweighted mean)"),
    "peers": _("Peers"),
    "sector_mean": _("Mean of responding organisations (unweighted)"),
}


def label(table: dict, code: str | None) -> str:
    return str(table.get(code, code)) if code else "—"
