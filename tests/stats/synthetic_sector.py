"""Hand-built frames and scores for the sector tests (synthetic, seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

ORGANISATION_TYPES = ("OPH", "ESH", "COOP", "SEM")
SIZES = {"<1500": 800, "1500-12000": 5000, ">12000": 20000}  # dwellings per size class
DIMENSIONS = ("strategy", "data", "services")


def frame(cells: dict[tuple[str, str], int], regions: dict[str, float]) -> pd.DataFrame:
    """`cells[(organisation_type, size_class)]` organisations, regions drawn in turn by the
    given shares."""
    names = list(regions)
    shares = np.array(list(regions.values()), dtype=float)
    quota = np.cumsum(shares / shares.sum())
    rows = []
    for (organisation_type, size), count in cells.items():
        for _ in range(count):
            position = (len(rows) * 0.6180339887) % 1.0
            region = names[int(np.searchsorted(quota, position, side="right"))]
            rows.append(
                {
                    "organisation_id": f"ORG{len(rows):04d}",
                    "name": f"Organisation {len(rows)}",
                    "organisation_type": organisation_type,
                    "dwellings": SIZES[size],
                    "department": "75",
                    "region": region,
                    "size_class": size,
                }
            )
    return pd.DataFrame(rows)


def scores(frame_: pd.DataFrame, respondents: list[str], seed: int = 1) -> pd.DataFrame:
    """Scores of the responding organisations: global 0-100, dimensions around it, axes,
    level and typology family computed with the methodology's thresholds."""
    rng = np.random.default_rng(seed)
    chosen = frame_.set_index("organisation_id").loc[respondents]
    effect = {"OPH": 5.0, "ESH": 10.0, "COOP": -5.0, "SEM": 0.0}
    bonus = chosen["organisation_type"].map(effect).to_numpy()
    base = np.clip(rng.normal(45, 15, len(chosen)) + bonus, 0, 100)
    table = pd.DataFrame({"organisation_id": respondents, "global": base})
    for dimension in DIMENSIONS:
        table[dimension] = np.clip(base + rng.normal(0, 8, len(chosen)), 0, 100)
    table["tech"] = np.clip(base + rng.normal(0, 10, len(chosen)), 0, 100)
    table["transfo"] = np.clip(base + rng.normal(0, 10, len(chosen)), 0, 100)
    table["level"] = pd.cut(
        table["global"],
        [0, 25, 50, 75, 100.0001],
        right=False,
        labels=["tres_faible", "faible", "intermediaire", "avancee"],
    ).astype(str)
    high_tech, high_transfo = table["tech"] >= 50, table["transfo"] >= 50
    table["family"] = np.select(
        [high_tech & high_transfo, high_tech & ~high_transfo, ~high_tech & ~high_transfo],
        ["pionnier", "timide", "conservateur"],
        default="prudent",
    )
    return table
