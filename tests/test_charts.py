"""Charts are SVG, deterministic and carry their labels."""

from barometre.reports.charts import radar, typology


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
