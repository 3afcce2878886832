"""One sentence per breakdown saying which groups differ significantly on the global index.

The differences are the estimates file's `contrasts` (the difference of two domain means with
their covariance, R `svycontrast`): a difference is significant at 95 % when its interval
excludes 0. Suppressed differences (either figure hidden) are never named. Used by the public
sector page and the sector report, French first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from barometre import formatting
from barometre.contracts.estimates import DomainContrast
from barometre.errors import gettext_noop as _
from barometre.i18n import Language, translation

TEXTS: dict[str, str] = {
    "none": _(
        "%(breakdown)s no difference of the global index between two groups is significant at 95%%."
    ),
    "some": _(
        "%(breakdown)s on the global index, with 95%% confidence, %(pairs)s; the other "
        "differences are within the margin of error."
    ),
    "all": _("%(breakdown)s on the global index, with 95%% confidence, %(pairs)s."),
    "pair": _("%(higher)s are ahead of %(lower)s by %(difference)s points"),
    "and": _("{first} and {second}"),
    "none_shown": _(
        "%(breakdown)s no published difference of the global index between two groups is "
        "significant at 95%%."
    ),
    "unpublished": _("Differences not published (too few organisations in a group): %(count)s."),
    "hidden": _(
        "%(breakdown)s the differences of the global index are not published (too few "
        "organisations in a group)."
    ),
}

#: Each group as the subject or object of the pair's sentence ("the HLM cooperatives are
#: ahead of the organisations with fewer than 1,500 dwellings..."), so that every type and
#: every size class reads naturally in both languages. A group not listed here (a code this
#: module does not know) is named by the caller's `name`.
GROUPS: dict[str, dict[str, str]] = {
    "organisation_type": {
        "OPH": _("the public housing offices (OPH)"),
        "ESH": _("the social housing companies (ESH)"),
        "COOP": _("the HLM cooperatives (COOP)"),
        "SEM": _("the mixed-economy companies (SEM)"),
    },
    "size_class": {
        "<1500": _("the organisations with fewer than 1,500 dwellings"),
        "1500-12000": _("the organisations with 1,500 to 12,000 dwellings"),
        ">12000": _("the organisations with more than 12,000 dwellings"),
    },
}


def _text(language: Language, key: str) -> str:
    return translation(language)(TEXTS[key])


def group_name(variable: str, code: str, name: Callable[[str], str], language: Language) -> str:
    """A group as the pair's sentence names it (the caller's `name` for an unknown code)."""
    phrase = GROUPS.get(variable, {}).get(code)
    return name(code) if phrase is None else translation(language)(phrase)


def _listed(parts: Sequence[str], language: Language) -> str:
    """ "a, b and c" in the reader's language."""
    if len(parts) == 1:
        return parts[0]
    return _text(language, "and").format(first=", ".join(parts[:-1]), second=parts[-1])


def difference_sentence(
    contrasts: Sequence[DomainContrast],
    variable: str,
    breakdown: str,
    name: Callable[[str], str],
    language: Language,
) -> str:
    """The sentence of one breakdown (`variable`), e.g. "By size: on the global index, with
    95% confidence, the organisations with more than 12,000 dwellings are ahead of the
    organisations with fewer than 1,500 dwellings by 12.3 points; ...". `breakdown` is the
    breakdown's name; groups are named by `GROUPS`, else by `name`. Empty when the file has
    no contrasts for this breakdown (files written before them)."""
    rows = [c for c in contrasts if c.variable == variable and c.indicator == "global"]
    if not rows:
        return ""
    lead = formatting.label(breakdown, language=language)
    shown = [c for c in rows if not c.suppressed]
    if not shown:
        return _text(language, "hidden") % {"breakdown": lead}
    significant = [c for c in shown if c.significant]
    # Suppressed pairs are unknown, not "within the margin of error": the sentence speaks of
    # the shown pairs only and counts the others.
    hidden = len(rows) - len(shown)
    tail = "" if not hidden else " " + _text(language, "unpublished") % {"count": hidden}
    if not significant:
        return _text(language, "none_shown" if hidden else "none") % {"breakdown": lead} + tail
    pairs = []
    for c in sorted(significant, key=lambda c: -abs(c.value or 0.0)):
        value = c.value or 0.0
        higher, lower = (c.second, c.first) if value > 0 else (c.first, c.second)
        pairs.append(
            _text(language, "pair")
            % {
                "higher": group_name(variable, higher, name, language),
                "lower": group_name(variable, lower, name, language),
                "difference": formatting.number(abs(value), 1, language=language),
            }
        )
    key = "all" if len(significant) == len(shown) else "some"
    return _text(language, key) % {"breakdown": lead, "pairs": _listed(pairs, language)} + tail
