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
        "%(breakdown)s the global index differs significantly at 95%% for %(pairs)s; the "
        "other differences are within the margin of error."
    ),
    "all": _("%(breakdown)s the global index differs significantly at 95%% for %(pairs)s."),
    "pair": _("%(higher)s above %(lower)s by %(difference)s points"),
    "hidden": _(
        "%(breakdown)s the differences of the global index are not published (too few "
        "organisations in a group)."
    ),
}


def _text(language: Language, key: str) -> str:
    return translation(language)(TEXTS[key])


def difference_sentence(
    contrasts: Sequence[DomainContrast],
    variable: str,
    breakdown: str,
    name: Callable[[str], str],
    language: Language,
) -> str:
    """The sentence of one breakdown (`variable`), e.g. "By size: the global index differs
    significantly at 95 % for >12 000 above <1 500 by 12.3 points; ...". `breakdown` is the
    breakdown's name, `name` gives a group's label. Empty when the file has no contrasts for
    this breakdown (files written before them)."""
    rows = [c for c in contrasts if c.variable == variable and c.indicator == "global"]
    if not rows:
        return ""
    lead = formatting.label(breakdown, language=language)
    shown = [c for c in rows if not c.suppressed]
    if not shown:
        return _text(language, "hidden") % {"breakdown": lead}
    significant = [c for c in shown if c.significant]
    if not significant:
        return _text(language, "none") % {"breakdown": lead}
    pairs = []
    for c in sorted(significant, key=lambda c: -abs(c.value or 0.0)):
        value = c.value or 0.0
        higher, lower = (c.second, c.first) if value > 0 else (c.first, c.second)
        pairs.append(
            _text(language, "pair")
            % {
                "higher": name(higher),
                "lower": name(lower),
                "difference": formatting.number(abs(value), 1, language=language),
            }
        )
    key = "all" if len(significant) == len(rows) else "some"
    return _text(language, key) % {"breakdown": lead, "pairs": ", ".join(pairs)}
