"""The k-means check agrees with the rule when the groups are clear, less when they are not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometre.questionnaire.models import Methodology
from barometre.scoring import family_of
from barometre.scoring.robustness import typology_agreement


def test_four_well_separated_groups_agree_fully():
    rng = np.random.default_rng(0)
    centres = [(80, 80), (80, 20), (20, 20), (20, 80)]  # pionnier, timide, conservateur, prudent
    points = np.vstack([rng.normal(c, 4, size=(25, 2)) for c in centres])
    tech, transfo = pd.Series(points[:, 0]), pd.Series(points[:, 1])
    family = family_of(tech, transfo, Methodology())
    result = typology_agreement(tech, transfo, family, seed=1)
    assert result.agreement == 1.0
    assert sorted(result.pairing.values()) == sorted(
        ["pionnier", "timide", "conservateur", "prudent"]
    )


def test_a_shapeless_cloud_agrees_less_and_is_reproducible():
    rng = np.random.default_rng(1)
    tech, transfo = pd.Series(rng.uniform(0, 100, 200)), pd.Series(rng.uniform(0, 100, 200))
    family = family_of(tech, transfo, Methodology())
    first = typology_agreement(tech, transfo, family, seed=3)
    again = typology_agreement(tech, transfo, family, seed=3)
    assert first == again
    assert 0.25 <= first.agreement < 1.0


def test_too_few_organisations():
    s = pd.Series([10.0, 90.0])
    result = typology_agreement(s, s, pd.Series(["conservateur", "pionnier"]))
    assert np.isnan(result.agreement) and result.n == 2
