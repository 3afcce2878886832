"""Robustness of the typology: does an unsupervised clustering find the same four groups?

Methodology §5: a k-means check on the two axis scores, reported as the share of organisations
whose cluster matches their family once each cluster is paired with the family it overlaps most
(an optimal one-to-one pairing). It never replaces the rule; a low agreement says the sector
does not fall naturally into the four quadrants, which the method annex reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2
from scipy.optimize import linear_sum_assignment

from barometre.contracts.vocabulary import FAMILIES


@dataclass(frozen=True)
class TypologyAgreement:
    n: int
    agreement: float  # share of organisations whose cluster is paired with their family
    pairing: dict[int, str]  # cluster number -> family


def typology_agreement(
    tech: pd.Series, transfo: pd.Series, family: pd.Series, seed: int = 0
) -> TypologyAgreement:
    """k-means (k = 4, k-means++ start, seeded) on the axes, compared with the families."""
    known = tech.notna() & transfo.notna() & family.notna()
    points = np.column_stack([tech[known].to_numpy(float), transfo[known].to_numpy(float)])
    labels_family = family[known].to_numpy()
    k = len(FAMILIES)
    if len(points) < k:
        return TypologyAgreement(n=len(points), agreement=float("nan"), pairing={})
    _, cluster = kmeans2(points, k, minit="++", seed=np.random.default_rng(seed))
    overlap = np.array(
        [[np.sum((cluster == c) & (labels_family == f)) for f in FAMILIES] for c in range(k)]
    )
    rows, cols = linear_sum_assignment(-overlap)
    agreement = overlap[rows, cols].sum() / len(points)
    return TypologyAgreement(
        n=len(points),
        agreement=float(agreement),
        pairing={int(r): FAMILIES[c] for r, c in zip(rows, cols, strict=True)},
    )
