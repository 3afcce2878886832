"""Benchmark: a full `estimate_sector` on 600 responding organisations (SYNTHETIC data).

The frame (1,800 organisations) and the scores are generated here with a seeded numpy Generator;
they are synthetic, not a real sector. Three runs of each variance method are timed and the best
is printed: linearisation, the Rao-Wu bootstrap with 500 replicates, and the JK1 jackknife
(one replicate per respondent, 600; the default). The sample is drawn unevenly so that some
organisation type x size class cells are sparse and the weighting has to rake (with region
collapsing), the costlier path. `bench_coverage.py` times a wave's computation (`estimate_wave`
on the demo's wave) with linearisation and with the jackknife.

    .venv/bin/python benchmarks/bench_estimate.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from barometre.stats.sector import estimate_sector

SEED = 20260601
FRAME_SIZE = 1_800
RESPONDENTS = 600
REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")
DIMENSIONS = ("strategie", "competences", "usages", "services", "patrimoine", "donnees")


def synthetic_frame(rng: np.random.Generator) -> pd.DataFrame:
    kind = rng.choice(["OPH", "ESH", "COOP", "SEM"], FRAME_SIZE, p=[0.3, 0.3, 0.25, 0.15])
    dwellings = np.exp(rng.normal(8.3, 1.3, FRAME_SIZE)).round().astype(int)
    size = np.where(dwellings < 1500, "<1500", np.where(dwellings > 12000, ">12000", "1500-12000"))
    region = rng.choice(REGIONS, FRAME_SIZE, p=np.r_[np.full(12, 0.08), 0.04])
    return pd.DataFrame(
        {
            "organisation_id": [f"SYN{i:05d}" for i in range(FRAME_SIZE)],
            "name": [f"Synthetic landlord {i}" for i in range(FRAME_SIZE)],
            "organisation_type": kind,
            "dwellings": dwellings,
            "department": "00",
            "region": region,
            "size_class": size,
        }
    )


def synthetic_scores(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    sem_large = (frame["organisation_type"] == "SEM") & (frame["size_class"] == ">12000")
    propensity = np.where(sem_large, 0.02, 1.0)
    chosen = rng.choice(FRAME_SIZE, RESPONDENTS, replace=False, p=propensity / propensity.sum())
    n = len(chosen)
    base = np.clip(rng.normal(45, 15, n), 0, 100)
    scores = pd.DataFrame(
        {"organisation_id": frame["organisation_id"].to_numpy()[chosen], "global": base}
    )
    for dimension in DIMENSIONS:
        values = np.clip(base + rng.normal(0, 10, n), 0, 100)
        values[rng.random(n) < 0.05] = np.nan  # insufficient coverage
        scores[dimension] = values
    scores["tech"] = np.clip(base + rng.normal(0, 10, n), 0, 100)
    scores["transfo"] = np.clip(base + rng.normal(0, 10, n), 0, 100)
    scores["level"] = np.select(
        [base < 25, base < 50, base < 75], ["tres_faible", "faible", "intermediaire"], "avancee"
    )
    tech, transfo = scores["tech"] >= 50, scores["transfo"] >= 50
    scores["family"] = np.select(
        [tech & transfo, tech & ~transfo, ~tech & ~transfo],
        ["pionnier", "timide", "conservateur"],
        "prudent",
    )
    return scores


def best_of(runs: int, **kwargs) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = estimate_sector(SCORES, FRAME, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


rng = np.random.default_rng(SEED)
FRAME = synthetic_frame(rng)
SCORES = synthetic_scores(rng, FRAME)

if __name__ == "__main__":
    print(
        f"SYNTHETIC data (seed {SEED}): frame of {FRAME_SIZE} organisations, "
        f"{RESPONDENTS} respondents, {len(DIMENSIONS)} dimensions"
    )
    for label, kwargs in (
        ("linearisation", {"variance": "linearisation"}),
        ("bootstrap, 500 replicates", {"variance": "bootstrap", "replicates": 500, "seed": 1}),
        (f"jackknife JK1, {RESPONDENTS} replicates", {"variance": "jackknife"}),
    ):
        seconds, result = best_of(3, **kwargs)
        figures = sum(len(d.figures) for d in result.domains)
        print(
            f"estimate_sector, {label:<32} {seconds:7.3f} s  "
            f"({result.weighting.method}, {len(result.domains)} domains, {figures} figures)"
        )
