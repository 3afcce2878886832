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
