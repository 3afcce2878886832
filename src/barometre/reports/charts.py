"""Server-made SVG charts (matplotlib), byte-identical from one run to the next.

The same functions serve the web pages and the PDF reports (`for_print`). Every chart has a text
alternative: the pages show the same figures in a table next to it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from barometre.i18n import Language
from barometre.reports.texts import texts

COLOURS = ("#1f4e9c", "#c05f00", "#2d7d46", "#6b4c9a")
#: Each family's quadrant (tech, transfo) and where its name sits: in the outer corner, away
#: from the thresholds' cross where most organisations lie.
QUADRANTS = (
    ("pionnier", (98, 98), "right", "top"),
    ("timide", (98, 2), "right", "bottom"),
    ("conservateur", (2, 2), "left", "bottom"),
    ("prudent", (2, 98), "left", "top"),
)


def family_labels(language: Language = "fr") -> dict[str, str]:
    """The families' names on the two-axis chart, in the report's language."""
    words = texts(language)
    return {family: words[f"quadrant_{family}"] for family, *_ in QUADRANTS}


def _legend_below(figure: Figure, axes: Axes) -> None:
    """The legend under everything the axes draw (tick labels, axis titles), so that it never
    covers a label or a point."""
    handles, names = axes.get_legend_handles_labels()
    if not handles:
        return
    figure.draw_without_rendering()  # the tick labels' sizes are known once laid out
    extent = axes.get_tightbbox()
    assert extent is not None  # the axes are visible
    drawn = extent.transformed(figure.transFigure.inverted())
    figure.legend(
        handles,
        names,
        loc="upper center",
        bbox_to_anchor=((drawn.x0 + drawn.x1) / 2, drawn.y0 - 0.01),
        bbox_transform=figure.transFigure,
        fontsize=8,
        frameon=False,
        ncol=1,
    )


#: The font of the charts' text in print: the one matplotlib measures the text with (its copy
#: of DejaVu Sans), and the body font of the PDFs, which WeasyPrint finds through fontconfig
#: and embeds once for the whole document.
PRINT_FONT = "DejaVu Sans"
#: Without a title, creator, date...: matplotlib writes no `<metadata>` block.
NO_METADATA = dict.fromkeys(("Date", "Creator", "Format", "Type"))


def _svg(figure: Figure, for_print: bool = False, *, inside_axes: bool = False) -> str:
    """The figure as inline SVG, its text as `<text>`: searchable and accessible, and for a PDF
    renderer a third of the nodes that glyph outlines would be.

    For print (`for_print`) the text names `PRINT_FONT` alone, not the browsers' list of
    fallbacks, and nothing is written that white paper shows anyway: no metadata, no white
    background. With `inside_axes` (whatever the chart draws lies within its axes' limits by
    construction) no clip paths either."""
    buffer = io.StringIO()
    fonts = [PRINT_FONT] if for_print else matplotlib.rcParams["font.sans-serif"]
    metadata: dict[str, str | None] = NO_METADATA if for_print else {"Date": None}
    if for_print:  # no background patches: white on white paper
        figure.patch.set_visible(False)
        for axes in figure.axes:
            axes.patch.set_visible(False)
    with matplotlib.rc_context(
        {"svg.hashsalt": "barometre", "svg.fonttype": "none", "font.sans-serif": fonts}
    ):
        figure.savefig(buffer, format="svg", metadata=metadata, bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # inline in HTML: no XML prolog
    return _unclipped(text) if for_print and inside_axes else text


_CLIP_REFERENCE = re.compile(r' clip-path="url\(#[^)"]*\)"')
_CLIP_PATH = re.compile(r"\s*<clipPath .*?</clipPath>", re.DOTALL)
_EMPTY_DEFS = re.compile(r"\s*<defs>\s*</defs>")


def _unclipped(svg: str) -> str:
    """The SVG without its clip paths (the axes' outline): for a chart that draws nothing
    beyond its axes' limits, clipping changes nothing but the renderer's work."""
    return _EMPTY_DEFS.sub("", _CLIP_PATH.sub("", _CLIP_REFERENCE.sub("", svg)))


# Labels come from organisations' names and questionnaires: a `$` is a character, never the
# start of a mathtext formula (which would draw the wrong text, or fail on `$\frac$`).
def radar(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str = "",
    for_print: bool = False,
) -> str:
    """Dimension scores (0-100) of several series on a radar; missing values are skipped.
    `for_print`: the SVG of the PDF (see `_svg`)."""
    return _svg(radar_figure(labels, series, title), for_print, inside_axes=True)


@matplotlib.rc_context({"text.parse_math": False})
def radar_figure(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str = ""
) -> Figure:
    """The radar's figure, its legend under the chart (see `radar`)."""
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
    # A label on the right starts at its spoke and one on the left ends there, so that a long
    # label runs away from the circle instead of across it.
    for label, angle in zip(axes.get_xticklabels(), angles, strict=True):
        side = np.cos(angle)  # the first spoke points east, angles turn anticlockwise
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7, color="#4a4a55")
    if title:
        axes.set_title(title, fontsize=10, pad=24)
    _legend_below(figure, axes)
    return figure


def typology(
    highlight: tuple[float, float] | None,
    highlight_label: str = "",
    reference: tuple[float, float] | None = None,
    reference_label: str = "",
    tech_threshold: float = 50.0,
    transfo_threshold: float = 50.0,
    axis_labels: tuple[str, str] = ("Tech", "Transfo"),
    for_print: bool = False,
    language: Language = "fr",
) -> str:
    """The two-axis typology: the four quadrants (named in `language`), one organisation and,
    as a reference, an aggregate point (a mean of at least five organisations — never another
    organisation). `for_print`: the SVG of the PDF (see `_svg`)."""
    figure = typology_figure(
        highlight,
        highlight_label,
        reference,
        reference_label,
        (tech_threshold, transfo_threshold),
        axis_labels,
        language,
    )
    return _svg(figure, for_print, inside_axes=True)  # points and thresholds within 0-100


@matplotlib.rc_context({"text.parse_math": False})  # a `$` is a character (see radar)
def typology_figure(
    highlight: tuple[float, float] | None,
    highlight_label: str,
    reference: tuple[float, float] | None,
    reference_label: str,
    thresholds: tuple[float, float],
    axis_labels: tuple[str, str],
    language: Language,
) -> Figure:
    """The typology's figure, its legend under the chart (see `typology`)."""
    tech_threshold, transfo_threshold = thresholds
    figure, axes = plt.subplots(figsize=(5.2, 5.2))
    axes.axvline(tech_threshold, color="#4a4a55", linewidth=1)
    axes.axhline(transfo_threshold, color="#4a4a55", linewidth=1)
    names = family_labels(language)
    for family, (x, y), horizontal, vertical in QUADRANTS:
        axes.text(
            x,
            y,
            _wrap(names[family], 18),
            ha=horizontal,
            va=vertical,
            multialignment=horizontal,
            fontsize=9,
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
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 100)
    axes.set_xlabel(axis_labels[0])
    axes.set_ylabel(axis_labels[1])
    axes.set_aspect("equal")
    _legend_below(figure, axes)
    return figure


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
