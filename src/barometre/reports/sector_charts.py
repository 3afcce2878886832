"""The sector barometer's charts: the same SVG on the public page and in the sector PDF.

Every function takes typed records and a `language` and returns SVG text that carries its own
text alternative (`role="img"`, `aria-label`, `<title>`, `<desc>`); the page and the PDF keep
the table of the same figures under the chart. Suppressed figures are drawn as such ("n < 5",
"hidden"), never as a number. Pass `for_print=True` for the PDF (see `charts._svg`).

Functions (for the PDF template and the public page):

- `Point.of(label, figure)`: a chart row from an estimate `Figure` or a change `Difference`.
- `interval_chart(points, language, *, title, minimum, scale=100.0, for_print=False)`:
  dots and 95 % whiskers, one row per point (dimension scores, a breakdown's global index).
- `grouped_interval_chart(labels, series, language, *, title, minimum, for_print=False)`:
  dimension scores of several groups (`Series`), one row per label, one colour per group.
- `share_chart(points, language, *, title, minimum, for_print=False)`: shares of
  organisations (figures in 0-1) as bars with interval whiskers (levels, families).
- `change_chart(rows, language, *, title, minimum, for_print=False)`: population and
  panel change of each `ChangeRow`, around a zero line.
- `change_sentences(rows, language, *, minimum)`: one sentence per `ChangeRow` saying what
  is and is not significant at 95 %; `change_caveat(language)`, the sentence that goes with
  the list (each change tested on its own, without correction for multiple comparisons).
- `region_tile_map(points, language, *, title, minimum, for_print=False)`: the 18
  regions as tiles coloured by the global index; `points` maps INSEE region codes to `Point`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Rectangle

from barometre import formatting
from barometre.contracts.change import Difference
from barometre.contracts.estimates import Figure
from barometre.errors import gettext_noop as _
from barometre.geo import region_names
from barometre.i18n import Language, translation
from barometre.reports.charts import COLOURS, _legend_below, _svg, _wrap

GREY = "#4a4a55"
SUPPRESSED_FILL = "#e4e4e8"
TILE_MAP = matplotlib.colormaps["Blues"]

TEXTS: dict[str, str] = {
    "hidden": _("hidden"),
    "fewer": _("n < %(minimum)s"),
    "n": _("n = %(n)s"),
    "score_axis": _("Score (0-100), 95% confidence interval"),
    "share_axis": _("Share of organisations (%), 95% confidence interval"),
    "change_axis": _("Change in points, 95% confidence interval"),
    "population": _("Sector"),
    "panel": _("Organisations that answered both waves"),
    "no_data": _("no figure"),
    "overseas": _("Overseas"),
    "population_same": _(
        "the sector change (%(change)s) is within the margin of error (not significant at 95%%)"
    ),
    "population_up": _(
        "the sector change (%(change)s) is significant at 95%%: the sector progressed"
    ),
    "population_down": _(
        "the sector change (%(change)s) is significant at 95%%: the sector regressed"
    ),
    "population_hidden": _("the sector change is not published"),
    "panel_same": _(
        "the panel change (%(change)s) is within the margin of error (not significant at 95%%)"
    ),
    "panel_up": _(
        "the panel change (%(change)s) is significant at 95%%: the organisations that answered "
        "both waves progressed"
    ),
    "panel_down": _(
        "the panel change (%(change)s) is significant at 95%%: the organisations that answered "
        "both waves regressed"
    ),
    "panel_hidden": _("the panel change is not published"),
    "change_caveat": _(
        "Each change is tested on its own, without correction for multiple comparisons: "
        "among many indicators, a change can come out significant by chance."
    ),
}


def _text(language: Language, key: str) -> str:
    return translation(language)(TEXTS[key])


@dataclass(frozen=True)
class Point:
    """One figure on a chart: its label, value, 95 % interval and the n it rests on; no
    number when suppressed (`suppression` says why: "primary" or "complementary")."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    n: int | None
    suppression: str | None = None

    @classmethod
    def of(cls, label: str, figure: Figure | Difference | None) -> Point:
        if figure is None or figure.suppressed or figure.value is None:
            kind = getattr(figure, "suppression", None) if figure is not None else None
            return cls(label, None, None, None, getattr(figure, "n", None), kind or "primary")
        return cls(label, figure.value, figure.ci_low, figure.ci_high, figure.n)

    @property
    def shown(self) -> bool:
        return self.value is not None and self.low is not None and self.high is not None


@dataclass(frozen=True)
class Series:
    """A group's figures, one per label of a grouped chart (a `Point` per dimension)."""

    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class ChangeRow:
    """The change of one indicator: population (sector) change and panel change."""

    label: str
    population: Point
    panel: Point


def _write_why_hidden(axes, x: float, y: float, point, language: Language, minimum: int) -> None:
    """In place of a hidden figure's dot, why it is hidden."""
    text = _suppressed_text(point, language, minimum)
    axes.text(x, y, text, va="center", fontsize=7, color=GREY, style="italic")


def _suppressed_text(point: Point, language: Language, minimum: int) -> str:
    if point.suppression == "complementary":
        return _text(language, "hidden")
    return _text(language, "fewer") % {"minimum": minimum}


def _value_text(point: Point, language: Language, minimum: int, scale: float = 1.0) -> str:
    """ "48,6 [45,1 ; 52,0] (n = 40)", or why it is not shown."""
    if not point.shown:
        return _suppressed_text(point, language, minimum)
    assert point.value is not None and point.low is not None and point.high is not None
    factor = formatting.exact(scale)
    value = formatting.number(formatting.exact(point.value) * factor, language=language)
    bounds = formatting.interval(
        formatting.exact(point.low) * factor,
        formatting.exact(point.high) * factor,
        language=language,
    )
    return f"{value} {bounds}{_n_suffix(point, language)}"


def _n_suffix(point: Point, language: Language) -> str:
    if point.n is None:
        return ""
    return " (" + _text(language, "n") % {"n": formatting.count(point.n, language=language)} + ")"


def _tick(point: Point, language: Language) -> str:
    """A row's label with the n its figure rests on."""
    return _wrap(point.label, 28) + (
        "\n" + _n_suffix(point, language).strip(" ()") if point.n else ""
    )


def _accessible(svg: str, title: str, description: str) -> str:
    """The chart's own text alternative: screen readers read the label, the title and the
    description name every figure (the table under the chart gives them too). Its ids get a
    prefix of its own, so that several charts inline in one page or PDF never share an id."""
    svg = _own_ids(svg)
    label = escape(f"{title}. {description}", quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    head = svg.index(">") + 1
    alternative = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    return f"{svg[:head]}\n{alternative}{svg[head:]}"


def _own_ids(svg: str) -> str:
    """Every `id` and reference to it prefixed by a digest of the chart: matplotlib names its
    elements "figure_1", "line2d_4"... the same in every chart."""
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    return re.sub(r'(\bid="|url\(#|href="#)', lambda m: m.group(1) + prefix, svg)


def _semicolon(language: Language) -> str:
    return f"{formatting.NNBSP}; " if language == "fr" else "; "


def _describe(points: Sequence[Point], language: Language, minimum: int, scale: float = 1.0) -> str:
    return _semicolon(language).join(
        f"{formatting.label(p.label, language=language)} {_value_text(p, language, minimum, scale)}"
        for p in points
    )


def _finish(figure, axes: Axes, title: str, description: str, for_print: bool) -> str:
    if title:
        axes.set_title(title, fontsize=10, loc="left")
    _legend_below(figure, axes)
    return _accessible(_svg(figure, for_print), title, description)


@matplotlib.rc_context({"text.parse_math": False})  # a `$` in a label is a character
def interval_chart(
    points: Sequence[Point],
    language: Language,
    *,
    title: str,
    minimum: int,
    scale: float = 100.0,
    for_print: bool = False,
) -> str:
    """Dots with their 95 % whiskers, one row per point, on 0-`scale`; a suppressed figure is
    written in its row instead."""
    figure, axes = plt.subplots(figsize=(6.4, 0.9 + 0.42 * len(points)))
    rows = list(range(len(points)))[::-1]
    for row, point in zip(rows, points, strict=True):
        _whisker(axes, point, row, COLOURS[0], language, minimum, scale * 0.01)
    axes.set_yticks(rows, [_tick(p, language) for p in points], fontsize=8)
    axes.set_ylim(-0.7, len(points) - 0.3)
    axes.set_xlim(0, scale)
    axes.set_xlabel(_text(language, "score_axis"), fontsize=8)
    _grid(axes)
    return _finish(figure, axes, title, _describe(points, language, minimum), for_print)


def _whisker(
    axes: Axes,
    point: Point,
    y: float,
    colour: str,
    language: Language,
    minimum: int,
    text_x: float,
    label: str | None = None,
    marker: str = "o",
) -> None:
    """A dot and its whiskers at height `y`, or, suppressed, why, written from `text_x`."""
    if not point.shown:
        _write_why_hidden(axes, text_x, y, point, language, minimum)
        return
    assert point.value is not None and point.low is not None and point.high is not None
    axes.errorbar(
        [point.value],
        [y],
        xerr=[[point.value - point.low], [point.high - point.value]],
        fmt=marker,
        color=colour,
        ecolor=colour,
        elinewidth=1.5,
        capsize=3,
        markersize=5,
        label=label,
    )


def _grid(axes: Axes) -> None:
    axes.grid(axis="x", color="#d0d0d8", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", labelsize=7)


@matplotlib.rc_context({"text.parse_math": False})
def grouped_interval_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    language: Language,
    *,
    title: str,
    minimum: int,
    for_print: bool = False,
) -> str:
    """Dimension scores of several groups: one row per label, one dot and whisker per group,
    the groups' colours named in the legend under the chart."""
    count = max(len(series), 1)
    band = 0.8 / count
    figure, axes = plt.subplots(figsize=(6.4, 1.2 + 0.22 * count * len(labels)))
    rows = list(range(len(labels)))[::-1]
    colours = [COLOURS[i % len(COLOURS)] for i in range(count)]
    markers = "osD^v"
    for index, (group, colour) in enumerate(zip(series, colours, strict=True)):
        offset = 0.4 - band * (index + 0.5)
        marker = markers[index % len(markers)]
        # the legend names every group in order, even one whose figures are all hidden
        axes.plot([], [], marker=marker, linestyle="none", color=colour, label=group.name)
        for row, point in zip(rows, group.points, strict=True):
            _whisker(axes, point, row + offset, colour, language, minimum, 1.0, None, marker)
    axes.set_yticks(rows, [_wrap(label, 28) for label in labels], fontsize=8)
    axes.set_ylim(-0.6, len(labels) - 0.4)
    axes.set_xlim(0, 100)
    axes.set_xlabel(_text(language, "score_axis"), fontsize=8)
    _grid(axes)
    description = " — ".join(
        f"{formatting.label(group.name, language=language)} "
        f"{_describe(group.points, language, minimum)}"
        for group in series
    )
    return _finish(figure, axes, title, description, for_print)


@matplotlib.rc_context({"text.parse_math": False})
def share_chart(
    points: Sequence[Point],
    language: Language,
    *,
    title: str,
    minimum: int,
    for_print: bool = False,
) -> str:
    """Shares of organisations (figures in 0-1) as horizontal bars in percent, with their
    interval whiskers."""
    figure, axes = plt.subplots(figsize=(6.4, 0.9 + 0.42 * len(points)))
    rows = list(range(len(points)))[::-1]
    for row, point in zip(rows, points, strict=True):
        if not point.shown:
            _write_why_hidden(axes, 1, row, point, language, minimum)
            continue
        assert point.value is not None and point.low is not None and point.high is not None
        value, low, high = point.value * 100, point.low * 100, point.high * 100
        axes.barh([row], [value], height=0.6, color=COLOURS[0], alpha=0.85)
        axes.errorbar(
            [value],
            [row],
            xerr=[[value - low], [high - value]],
            fmt="none",
            ecolor="#1b1b1f",
            elinewidth=1.2,
            capsize=3,
        )
    axes.set_yticks(rows, [_tick(p, language) for p in points], fontsize=8)
    axes.set_ylim(-0.7, len(points) - 0.3)
    top = max([p.high * 100 for p in points if p.shown and p.high is not None] + [10.0])
    axes.set_xlim(0, min(100.0, math.ceil(top / 10) * 10 + 5))
    axes.set_xlabel(_text(language, "share_axis"), fontsize=8)
    _grid(axes)
    return _finish(figure, axes, title, _describe(points, language, minimum, 100.0), for_print)


@matplotlib.rc_context({"text.parse_math": False})
def change_chart(
    rows: Sequence[ChangeRow],
    language: Language,
    *,
    title: str,
    minimum: int,
    for_print: bool = False,
) -> str:
    """Population and panel change of each indicator with their 95 % intervals, around the
    zero line: a whisker that crosses it is not significant at 95 %."""
    figure, axes = plt.subplots(figsize=(6.4, 1.2 + 0.5 * len(rows)))
    ys = list(range(len(rows)))[::-1]
    bounds = [0.0]
    for row in rows:
        for point in (row.population, row.panel):
            if point.shown:
                assert point.low is not None and point.high is not None
                bounds += [point.low, point.high]
    reach = max(abs(b) for b in bounds) or 1.0
    reach = math.ceil(reach * 1.15)
    legend = {"population": True, "panel": True}
    for y, row in zip(ys, rows, strict=True):
        for key, point, offset, colour in (
            ("population", row.population, 0.15, COLOURS[0]),
            ("panel", row.panel, -0.15, COLOURS[1]),
        ):
            label = _text(language, key) if legend[key] and point.shown else None
            if label:
                legend[key] = False
            _whisker(axes, point, y + offset, colour, language, minimum, -reach * 0.98, label)
    for key, colour in (("population", COLOURS[0]), ("panel", COLOURS[1])):
        if legend[key]:
            axes.plot([], [], "o", color=colour, label=_text(language, key))
    axes.axvline(0, color=GREY, linewidth=1)
    axes.set_yticks(ys, [_wrap(row.label, 28) for row in rows], fontsize=8)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_xlim(-reach, reach)
    axes.set_xlabel(_text(language, "change_axis"), fontsize=8)
    _grid(axes)
    description = " ".join(
        (*change_sentences(rows, language, minimum=minimum), change_caveat(language))
    )
    return _finish(figure, axes, title, description, for_print)


def _change_text(point: Point, language: Language) -> str:
    assert point.value is not None
    return (
        f"{formatting.signed(point.value, language=language)} "
        f"{formatting.interval(point.low, point.high, language=language)}"
    )


def _verdict(point: Point, subject: str, language: Language) -> str:
    """What one change says: `subject` is "population" or "panel"."""
    if not point.shown:
        return _text(language, f"{subject}_hidden")
    assert point.low is not None and point.high is not None
    if point.low > 0:
        key = "up"
    elif point.high < 0:
        key = "down"
    else:  # the interval holds 0: within the margin of error
        key = "same"
    return _text(language, f"{subject}_{key}") % {"change": _change_text(point, language)}


def change_sentences(
    rows: Sequence[ChangeRow], language: Language, *, minimum: int
) -> tuple[str, ...]:
    """One sentence per indicator: which of its changes is significant at 95 % (its interval
    does not cross 0) and which is within the margin of error."""
    del minimum  # the suppressed changes are named without their n
    return tuple(
        f"{formatting.label(row.label, language=language)} "
        f"{_verdict(row.population, 'population', language)}{_semicolon(language)}"
        f"{_verdict(row.panel, 'panel', language)}."
        for row in rows
    )


def change_caveat(language: Language) -> str:
    """The one sentence that goes with the list of `change_sentences`: each indicator's change
    is a test of its own, without correction for multiple comparisons."""
    return _text(language, "change_caveat")


#: Tile positions (column, row) of the regions: metropolitan France roughly as on a map, the
#: five overseas regions in a row of their own under it.
TILES: dict[str, tuple[int, int]] = {
    "32": (2, 0),
    "28": (1, 1),
    "11": (2, 1),
    "44": (3, 1),
    "53": (0, 2),
    "52": (1, 2),
    "24": (2, 2),
    "27": (3, 2),
    "75": (1, 3),
    "84": (2, 3),
    "76": (1, 4),
    "93": (2, 4),
    "94": (3, 4),
    "01": (0, 6),
    "02": (1, 6),
    "03": (2, 6),
    "04": (3, 6),
    "06": (4, 6),
}


@matplotlib.rc_context({"text.parse_math": False, "hatch.color": "#8a8a94"})
def region_tile_map(
    points: Mapping[str, Point],
    language: Language,
    *,
    title: str,
    minimum: int,
    for_print: bool = False,
) -> str:
    """The 18 regions as tiles coloured by their global index; a suppressed region is grey
    and hatched with "n < 5" (or "hidden"), a region without a figure is white. The colour
    scale and the suppression key are in the legend under the map."""
    names = region_names()
    shown = [p.value for p in points.values() if p.shown and p.value is not None]
    low = math.floor(min(shown) / 10) * 10 if shown else 0
    high = math.ceil(max(shown) / 10) * 10 if shown else 100
    if high <= low:
        high = low + 10
    norm = Normalize(vmin=low, vmax=high)
    figure, axes = plt.subplots(figsize=(6.0, 6.4))
    for code, (column, row) in TILES.items():
        point = points.get(code)
        _tile(axes, column, -row, names.get(code, code), point, norm, language, minimum)
    axes.text(-0.05, -5.55, _text(language, "overseas"), fontsize=8, color=GREY, va="center")
    axes.set_xlim(-0.1, 5.0)
    axes.set_ylim(-7.0, 1.0)
    axes.set_aspect("equal")
    axes.axis("off")
    scale = figure.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=TILE_MAP),
        ax=axes,
        orientation="horizontal",
        fraction=0.04,
        pad=0.02,
        aspect=25,
        shrink=0.7,
    )
    scale.set_label(translation(language)("Global index"), fontsize=8)
    scale.ax.tick_params(labelsize=7)
    axes.legend(
        handles=[
            Patch(
                facecolor=SUPPRESSED_FILL,
                hatch="///",
                edgecolor=GREY,
                label=_text(language, "fewer") % {"minimum": minimum},
            ),
            Patch(facecolor=SUPPRESSED_FILL, edgecolor=GREY, label=_text(language, "hidden")),
            Patch(
                facecolor="white",
                edgecolor="#c8c8d0",
                label=f"{formatting.MISSING} {_text(language, 'no_data')}",
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(0.62, 1.0),
        fontsize=7,
        frameon=False,
    )
    if title:
        axes.set_title(title, fontsize=10, loc="left")
    ordered = [
        points.get(code) or Point(names.get(code, code), None, None, None, None) for code in TILES
    ]
    description = _describe(
        [
            Point(names.get(c, c), p.value, p.low, p.high, p.n, p.suppression)
            for c, p in zip(TILES, ordered, strict=True)
        ],
        language,
        minimum,
    )
    return _accessible(_svg(figure, for_print), title, description)


def _tile(
    axes: Axes,
    column: int,
    row: int,
    name: str,
    point: Point | None,
    norm: Normalize,
    language: Language,
    minimum: int,
) -> None:
    if point is not None and point.shown:
        assert point.value is not None
        fill: str | tuple[float, float, float, float] = TILE_MAP(norm(point.value))
        hatch: str | None = None
        figure_text = formatting.number(point.value, language=language)
        ink = "white" if norm(point.value) > 0.55 else "#1b1b1f"
    elif point is not None:
        fill, ink = SUPPRESSED_FILL, "#1b1b1f"
        hatch = None if point.suppression == "complementary" else "///"
        figure_text = _suppressed_text(point, language, minimum)
    else:
        fill, hatch, ink = "white", None, GREY
        figure_text = formatting.MISSING  # the legend says what it means
    axes.add_patch(
        Rectangle(
            (column, row - 0.95),
            0.95,
            0.95,
            facecolor=fill,
            edgecolor="white",
            hatch=hatch,
            linewidth=1,
        )
    )
    if point is None:
        axes.add_patch(Rectangle((column, row - 0.95), 0.95, 0.95, fill=False, edgecolor="#c8c8d0"))
    centre = (column + 0.475, row - 0.475)
    axes.text(
        centre[0],
        row - 0.07,  # from the tile's top: a three-line name stays inside
        _tile_name(name),
        ha="center",
        va="top",
        fontsize=5.5,
        color=ink,
        linespacing=1.0,
    )
    axes.text(
        centre[0],
        centre[1] - 0.05,
        figure_text,
        ha="center",
        va="top",
        fontsize=8 if point is not None and point.shown else 6,
        color=ink,
        weight="bold",
        bbox={"facecolor": SUPPRESSED_FILL, "edgecolor": "none", "pad": 1} if hatch else None,
    )


def _tile_name(name: str) -> str:
    """A region's name on at most 12 characters a line, broken at spaces and hyphens
    ("Bourgogne-\nFranche-Comté")."""
    return _wrap(name.replace("-", "- "), 12).replace("- ", "-")
