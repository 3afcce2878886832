"""Charts are SVG, deterministic and carry their labels."""

from barometre.reports.charts import radar, radar_figure, typology, typology_figure


def test_radar_is_svg_and_byte_identical_across_runs():
    labels = ["Stratégie", "Relation locataire", "Patrimoine"]
    series = {"Organisme": [40.0, 55.5, None], "Secteur": [45.0, 50.0, 48.0]}
    first, second = radar(labels, series), radar(labels, series)
    assert first.startswith("<svg") and first == second
    assert "Organisme" in first and "Stratégie" in first


def test_typology_marks_the_quadrants():
    svg = typology((62.0, 41.0), "Office Alpha", reference=(45.0, 40.0), reference_label="Secteur")
    assert svg.startswith("<svg")
    for family in ("Pionniers", "Timides", "Conservateurs", "Prudents", "Office Alpha", "Secteur"):
        assert family in svg


def test_a_dollar_in_a_name_or_a_label_is_text_not_a_formula():
    # matplotlib reads `$...$` as mathtext: `$\frac$` made it raise, and `$Nord$` would be
    # drawn in italics without its dollars. Names and labels come from users' files.
    name, label = r"Habitat $\frac$ Nord", "Coût $x$"
    svg = radar([label, "Patrimoine", "Données"], {name: [40.0, 50.0, 60.0]})
    assert "Habitat $\\frac$ Nord" in svg and "Coût $x$" in svg
    svg = typology((60.0, 40.0), name, reference=(50.0, 50.0), reference_label="$5 €$")
    assert "Habitat $\\frac$ Nord" in svg and "$5 €$" in svg


def test_the_quadrants_are_named_in_the_chart_s_language():
    english = typology((62.0, 41.0), "Office Alpha", language="en")
    for family in ("Pioneers", "Timid adopters", "Conservatives", "Cautious"):
        assert family in english
    for french in ("Pionniers", "Timides", "Conservateurs", "Prudents"):
        assert french not in english
    assert "Pionniers" in typology((62.0, 41.0), "Office Alpha", language="fr")


def _overlaps_axes(figure) -> bool:
    """Whether the legend covers what the axes draw: the plot, the tick labels, the axis
    titles and the texts inside (quadrant names)."""
    renderer = figure.canvas.get_renderer()
    (legend,) = figure.legends
    box = legend.get_window_extent(renderer)
    (axes,) = figure.axes
    return box.overlaps(axes.get_tightbbox(renderer))


def test_the_legends_sit_outside_the_charts():
    labels = [f"Dimension numéro {n} au libellé long" for n in range(8)]
    series = {
        "Office Alpha": [40.0, 55.5, 30.0, 70.0, 20.0, 60.0, 50.0, 45.0],
        "Organismes répondants (moyenne non pondérée)": [45.0] * 8,
        "Pairs": [50.0] * 8,
    }
    figure = radar_figure(labels, series)
    assert not _overlaps_axes(figure)
    figure = typology_figure(
        (96.0, 3.0),  # in a corner, under a quadrant name
        "Office Alpha",
        (45.0, 40.0),
        "Moyenne des organismes répondants (non pondérée)",
        (50.0, 50.0),
        ("Tech", "Transfo"),
        "fr",
    )
    assert not _overlaps_axes(figure)


def test_a_chart_without_named_series_has_no_legend():
    figure = typology_figure(None, "", None, "", (50.0, 50.0), ("Tech", "Transfo"), "en")
    assert figure.legends == []
