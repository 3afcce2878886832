"""A peer comparison the sector estimate hides (issue 10, disclosure control): the organisation
report shows no peer figure and says why, in French and in English; without an estimate at
hand (an operator's report from the scores alone) every comparison is shown as before."""

from __future__ import annotations

import pytest

from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector

HLM = load_questionnaire("hlm-2026")
CELL = ("COOP", "<1500")


@pytest.fixture(scope="module")
def wave():
    """Seven scored organisations in the COOP < 1500 cell (each sees 6 peers, shown from 5),
    every other one in OPH > 12000."""
    sector = simulate_sector(HLM, organisations=60, response_rate=0.6, seed=8)
    scores = score_responses(HLM, sector.responses).to_file()
    scored = [o.organisation_id for o in scores.organisations if o.scored]
    assert len(scored) >= 8
    cell = set(scored[:7])
    peer_keys = {
        o.organisation_id: CELL if o.organisation_id in cell else ("OPH", ">12000")
        for o in scores.organisations
    }
    return scores, scored[0], scored[1:7], peer_keys


def report(wave, language="fr", hidden=()):
    scores, own, _peers, peer_keys = wave
    return build_organisation_report(
        scores,
        own,
        HLM,
        load_library(None, HLM),
        language=language,
        peer_keys=peer_keys,
        hidden_peer_cells=hidden,
    )


def test_a_shown_peer_comparison_is_the_mean_of_the_six_others(wave):
    scores, _own, peers, _keys = wave
    shown = report(wave)
    assert not shown.peers_hidden and shown.peers_n == 6
    for row in shown.dimensions:
        values = [scores.organisation(p).dimension_score(row.id) for p in peers]
        present = [v for v in values if v is not None]
        expected = sum(present) / len(present) if len(present) >= 5 else None
        assert row.peers == pytest.approx(expected)


def test_a_hidden_peer_comparison_shows_no_figure_and_says_why(wave):
    hidden = report(wave, hidden=[CELL])
    assert hidden.peers_hidden and hidden.peers_n == 6
    assert all(row.peers is None for row in hidden.dimensions)
    html = organisation_html(hidden)
    assert (
        html.count(
            "non affiché\u202f: avec les chiffres publiés, il donnerait un chiffre portant sur "
            "moins de 5 organismes"
        )
        == 2
    )  # under the radar and in the method annex
    # the radar has the organisation and the sector only: no peers' series in its legend
    assert ">Pairs<" not in hidden.radar_svg and ">Pairs<" in report(wave).radar_svg
    english = organisation_html(report(wave, language="en", hidden=[CELL]))
    assert (
        "not shown: with the published figures it would give a figure about fewer than 5 "
        "organisations"
    ) in english


def test_another_cell_hidden_leaves_the_comparison(wave):
    other = report(wave, hidden=[("OPH", ">12000")])
    assert not other.peers_hidden
    assert all(row.peers is not None for row in other.dimensions if row.score is not None)
