"""The one rule of what is published of a sector estimate (no Django).

The public page (`estimate` tag of `web/public/templatetags/figures.py`) and the open-data
package (`interop.opendata`) both call these functions, so that "suppressed exactly as on the
public page" cannot drift: a figure is shown when it is not suppressed and has a value and both
ends of its interval; otherwise it is hidden, for a `primary` reason (it rests on fewer
organisations than the disclosure minimum) unless the estimate says `complementary` (hidden so
that another hidden figure cannot be recovered by subtraction).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from barometre.contracts.estimates import SuppressionKind


class ShownFigure(Protocol):
    """What the rule reads of a figure (an estimate's `Figure`, a change's `Difference`)."""

    @property
    def suppressed(self) -> bool: ...
    @property
    def suppression(self) -> SuppressionKind | None: ...
    @property
    def value(self) -> float | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...


def published(figure: ShownFigure | None) -> bool:
    """Whether the public page shows the figure's number: not suppressed, with a value and both
    ends of its interval."""
    return not (
        figure is None
        or figure.suppressed
        or figure.value is None
        or figure.ci_low is None
        or figure.ci_high is None
    )


def hidden_reason(figure: ShownFigure | None) -> SuppressionKind | None:
    """Why the page hides the figure: None when it is shown; "complementary" when the estimate
    says so; "primary" otherwise (too few organisations, or no number at all)."""
    if published(figure):
        return None
    if figure is not None and figure.suppression == "complementary":
        return "complementary"
    return "primary"


#: The prefix of every simulated organisation's id (`barometre.simulate.frame.SYNTHETIC_PREFIX`,
#: repeated here so that this module stays light; a test checks they agree).
SYNTHETIC_PREFIX = "SYN-"


def synthetic_ids(ids: Iterable[str]) -> bool:
    """Whether a wave's data are simulated, read from its organisations' ids: there are some
    and every one starts with `SYN-` (the rule of the sector report, `reports/sector.py`). No
    file of a wave carries a flag of its own; a web deployment of synthetic data also says so
    with `BAROMETRE_SYNTHETIC` (the banner of every page)."""
    seen = list(ids)
    return bool(seen) and all(i.startswith(SYNTHETIC_PREFIX) for i in seen)
