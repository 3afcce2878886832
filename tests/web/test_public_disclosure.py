"""The public pages tell the reader why a figure is hidden: too few organisations (primary) or
to protect another figure (complementary suppression, issue 10 finding 3)."""

from __future__ import annotations

from django.utils import translation

from barometre.contracts.estimates import Figure
from barometre.web.public.templatetags.figures import estimate


def test_a_complementary_cell_says_it_protects_another():
    figure = Figure(suppressed=True, suppression="complementary", n=12)
    with translation.override("fr"):
        html = estimate(figure, 5)
    assert ">masqué</span>" in html
    assert "masqué pour protéger un autre chiffre\u202f: par soustraction" in html
    assert "moins de 5 organismes" in html
    with translation.override("en"):
        html = estimate(figure, 5)
    assert ">hidden</span>" in html and "fewer than 5 organisations" in html


def test_a_primary_cell_still_names_the_minimum():
    for figure in (Figure(suppressed=True, suppression="primary"), Figure(suppressed=True)):
        with translation.override("fr"):
            html = estimate(figure, 5)
        assert ">n &lt; 5</span>" in html and "moins de 5 organismes\u202f: non publié" in html
