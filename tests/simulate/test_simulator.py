"""The synthetic sector: seeded, margins as published, plausible and labelled synthetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometre.organisations import check_frame
from barometre.questionnaire import load_questionnaire
from barometre.scoring import FAMILIES, score_responses
from barometre.simulate import simulate_sector
from barometre.simulate.frame import simulate_frame, type_counts

HLM = load_questionnaire("hlm-2026")


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(HLM, organisations=570, seed=2026)


@pytest.fixture(scope="module")
def scores(sector):
    return score_responses(HLM, sector.responses)


def test_same_seed_same_output_other_seed_other_output():
    a = simulate_sector(HLM, organisations=80, seed=5)
    b = simulate_sector(HLM, organisations=80, seed=5)
    c = simulate_sector(HLM, organisations=80, seed=6)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert not a.responses.equals(c.responses)


def test_type_counts_follow_the_published_figures():
    # OPH 175, ESH 166, HLM cooperatives 162 (Le Moniteur) and 67 SEM: 570 in all
    assert type_counts(570) == {"OPH": 175, "ESH": 166, "COOP": 162, "SEM": 67}
    assert sum(type_counts(57).values()) == 57


def test_size_margins_are_plausible():
    frame = simulate_frame(5700, np.random.default_rng(1))
    small = (frame["dwellings"] < 1500).mean()
    assert 0.28 <= small <= 0.42  # 37 % had fewer than 1,500 dwellings in 2017
    means = frame.groupby("organisation_type")["dwellings"].mean()
    assert means["OPH"] > means["SEM"] > means["COOP"]
    oph_share = (
        frame.loc[frame["organisation_type"] == "OPH", "dwellings"].sum() / frame["dwellings"].sum()
    )
    assert 0.3 <= oph_share <= 0.55  # OPH hold about 40 % of the stock


def test_the_frame_is_a_valid_frame_with_french_departments(sector):
    checked = check_frame(sector.frame.assign(dwellings=sector.frame["dwellings"].astype(str)))
    assert checked["region"].notna().all()
    oph_departments = sector.frame.loc[sector.frame["organisation_type"] == "OPH", "department"]
    assert oph_departments.nunique() == 101  # every department has its OPH


def test_everything_is_labelled_synthetic(sector):
    assert sector.frame["organisation_id"].str.startswith("SYN-").all()
    assert sector.frame["name"].str.contains("synthétique").all()
    free_text = {i.id for i in HLM.items if i.kind == "text" and i.context is None}
    texts = sector.responses.loc[sector.responses["item_id"].isin(free_text), "answer"]
    assert len(texts) > 0
    assert texts.str.startswith("[synthétique]").all()


def test_the_responses_score_without_error(scores, sector):
    assert len(scores.organisations) == sector.latent["responded"].sum()
    assert scores.organisations["global"].notna().mean() > 0.85


def test_level_distribution_resembles_the_2019_sector_study(scores):
    scored = scores.organisations.dropna(subset=["global"])
    low = scored["level"].isin(["tres_faible", "faible"]).mean()
    high = (scored["level"] == "avancee").mean()
    assert 0.5 <= low <= 0.7  # about 60 % low or very low
    assert 0.05 <= high <= 0.2  # about 12 % high


def test_every_family_appears(scores):
    counts = scores.organisations["family"].value_counts()
    assert set(counts.index) == set(FAMILIES)
    assert counts.min() >= 5


def test_equipment_without_buy_in_produces_timides(sector, scores):
    latent = sector.latent.set_index("organisation_id").loc[scores.organisations.index]
    equipped_no_buy_in = (latent["tech_latent"] > 0.5) & (latent["transfo_latent"] < -0.3)
    families = scores.organisations.loc[equipped_no_buy_in, "family"]
    assert len(families) >= 3
    assert (families == "timide").mean() >= 0.5


def test_management_sees_more_maturity_in_timides():
    # The perception gap needs two respondents in management and two in other roles
    # (scoring/respondents.py): eight respondents per organisation give two directors.
    sector = simulate_sector(HLM, organisations=300, seed=2026, respondents_per_organisation=8)
    orgs = score_responses(HLM, sector.responses).organisations
    gap = orgs.groupby("family")["perception_gap"].mean()
    assert gap["timide"] > gap["pionnier"]
    assert gap["timide"] > 0


def test_self_selection_favours_the_better_equipped(sector):
    latent = sector.latent
    assert (
        latent.loc[latent["responded"], "tech_latent"].mean()
        > latent.loc[~latent["responded"], "tech_latent"].mean()
    )


def test_fixed_number_of_respondents():
    small = simulate_sector(
        HLM, organisations=20, response_rate=1.0, seed=1, respondents_per_organisation=10
    )
    per_org = small.respondents.groupby("organisation_id").size()
    assert (per_org == 10).all() and len(per_org) == 20
    assert set(small.respondents["role"]) == {
        "direction",
        "numerique",
        "clientele",
        "patrimoine",
        "proximite",
        "support",
    }


@pytest.mark.parametrize(("n", "rate"), [(0, 0.5), (10, 0.0), (10, 1.5)])
def test_bad_parameters(n, rate):
    with pytest.raises(ValueError, match="parameter"):
        simulate_sector(HLM, organisations=n, response_rate=rate)
