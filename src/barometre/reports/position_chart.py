"""An organisation's position among the responding organisations: the percentile of its
global index, and a small strip chart of it.

The chart is drawn on the percentile scale, never on the scores of the other organisations:
a dot per organisation would show each one's global index (an aggregate of one), where the
percentile says only how many are below, a count the methodology's disclosure minimum allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

from barometre.reports.charts import COLOURS, _svg, plt  # charts chose the Agg backend


@dataclass(frozen=True)
class Position:
    """`percentile`: the share (0-100) of the other organisations whose global index is lower,
    ties counting half (the mid-rank), so that an organisation equal to every other one stands
    at 50."""

    global_index: float
    percentile: float
    others: int


def position_among(global_index: float, others: Sequence[float]) -> Position:
    """The position of `global_index` among the other organisations' global indices (at least
    one: the caller checks the disclosure minimum)."""
    if not others:
        raise ValueError("a position needs at least one other organisation")
    below = sum(1 for value in others if value < global_index)
    ties = sum(1 for value in others if value == global_index)
    return Position(
        global_index=global_index,
        percentile=100 * (below + ties / 2) / len(others),
        others=len(others),
    )


@matplotlib.rc_context({"text.parse_math": False})
def position_chart(
    position: Position,
    *,
    marker_label: str,
    lowest_label: str,
    highest_label: str,
    for_print: bool = False,
) -> str:
    """A strip from the lowest to the highest global index of the responding organisations,
    in quarters, with the organisation's marker at its percentile. The labels come in the
    reader's language (the caller translates them)."""
    figure, axes = plt.subplots(figsize=(5.2, 1.3))
    for quarter in range(4):
        axes.axvspan(
            25 * quarter,
            25 * (quarter + 1),
            ymin=0.3,
            ymax=0.7,
            color=COLOURS[0],
            alpha=0.12 + 0.12 * quarter,
            linewidth=0,
        )
    axes.plot([position.percentile], [0.5], marker="v", markersize=12, color=COLOURS[1])
    axes.annotate(
        marker_label,
        (position.percentile, 0.72),
        ha="center",
        va="bottom",
        fontsize=9,
        color=COLOURS[1],
    )
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 1.1)
    axes.set_yticks([])
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xticklabels([lowest_label, "", "", "", highest_label], fontsize=8)
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    return _svg(figure, for_print, inside_axes=True)  # the strip and marker within 0-100
