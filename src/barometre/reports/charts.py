"""Server-made SVG charts (matplotlib), byte-identical from one run to the next.

The same functions serve the web pages and, later, the PDF reports. Every chart has a text
alternative: the pages show the same figures in a table next to it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

COLOURS = ("#1f4e9c", "#c05f00", "#2d7d46", "#6b4c9a")
FAMILY_LABELS = {
    "pionnier": "Pionniers",
    "timide": "Timides",
    "conservateur": "Conservateurs",
    "prudent": "Prudents",
}


def _svg(figure, text_as_paths: bool = False) -> str:
    """SVG text stays text for the web (searchable, accessible); print gets paths, which
    every PDF renderer draws the same."""
    buffer = io.StringIO()
    fonttype = "path" if text_as_paths else "none"
    with matplotlib.rc_context({"svg.hashsalt": "barometre", "svg.fonttype": fonttype}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline in HTML: no XML prolog


# Labels come from organisations' names and questionnaires: a `$` is a character, never the
# start of a mathtext formula (which would draw the wrong text, or fail on `$\frac$`).
@matplotlib.rc_context({"text.parse_math": False})
def radar(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str = "",
    text_as_paths: bool = False,
) -> str:
    """Dimension scores (0-100) of several series on a radar; missing values are skipped."""
    count = len(labels)
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    figure, axes = plt.subplots(figsize=(6.4, 5.6), subplot_kw={"polar": True})
    for (name, values), colour in zip(series.items(), COLOURS, strict=False):
        data = np.array([np.nan if v is None else v for v in values], dtype=float)
        closed = np.append(data, data[0])
        axes.plot(np.append(angles, angles[0]), closed, color=colour, linewidth=2, label=name)
        axes.fill(np.append(angles, angles[0]), np.nan_to_num(closed), color=colour, alpha=0.08)
    axes.set_xticks(angles, [_wrap(label) for label in labels], fontsize=8)
    axes.tick_params(axis="x", pad=14)
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7, color="#4a4a55")
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=8, frameon=False)
    if title:
        axes.set_title(title, fontsize=10, pad=24)
    return _svg(figure, text_as_paths)


@matplotlib.rc_context({"text.parse_math": False})  # a `$` is a character (see radar)
def typology(
    highlight: tuple[float, float] | None,
    highlight_label: str = "",
    reference: tuple[float, float] | None = None,
    reference_label: str = "",
    tech_threshold: float = 50.0,
    transfo_threshold: float = 50.0,
    axis_labels: tuple[str, str] = ("Tech", "Transfo"),
    text_as_paths: bool = False,
) -> str:
    """The two-axis typology: the four quadrants, one organisation and, as a reference, an
    aggregate point (a mean of at least five organisations — never another organisation)."""
    figure, axes = plt.subplots(figsize=(5.2, 5.2))
    axes.axvline(tech_threshold, color="#4a4a55", linewidth=1)
    axes.axhline(transfo_threshold, color="#4a4a55", linewidth=1)
    for (x, y), family in (
        ((75, 75), "pionnier"),
        ((75, 25), "timide"),
        ((25, 25), "conservateur"),
        ((25, 75), "prudent"),
    ):
        axes.text(
            x,
            y,
            FAMILY_LABELS[family],
            ha="center",
            va="center",
            fontsize=10,
            color="#4a4a55",
            alpha=0.8,
        )
    if reference is not None:
        axes.scatter(
            [reference[0]],
            [reference[1]],
            s=70,
            marker="s",
            color=COLOURS[0],
            zorder=3,
            label=reference_label or None,
        )
    if highlight is not None:
        axes.scatter(
            [highlight[0]],
            [highlight[1]],
            s=90,
            color=COLOURS[1],
            zorder=4,
            edgecolors="#1b1b1f",
            label=highlight_label or None,
        )
    if highlight_label or reference_label:
        axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 100)
    axes.set_xlabel(axis_labels[0])
    axes.set_ylabel(axis_labels[1])
    axes.set_aspect("equal")
    return _svg(figure, text_as_paths)


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
