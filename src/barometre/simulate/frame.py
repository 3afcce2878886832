"""A synthetic frame of social landlords whose margins follow published sector figures.

No public file lists the landlords with their sizes (the RPLS open data omit the landlord), so the
demo draws a synthetic frame. Its margins follow `docs/sector-facts.md`:

- organisation types in the proportions OPH 175, ESH 166, HLM cooperatives 162 (Le Moniteur,
  2024-25), plus SEM, about 12 % of HLM-sector landlords;
- sizes drawn from a log-normal per organisation type, tuned so that about a third of
  organisations have fewer than 1,500 dwellings (37 % in 2017) and OPH and ESH hold most of the
  stock;
- departments from the INSEE geography; every department has its OPH first, as the public
  offices historically were departmental or municipal.

Every name says the organisation is synthetic, and identifiers start with `SYN-`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometre.geo import departments
from barometre.organisations import ORGANISATION_TYPES, size_class_of

#: Relative weight of each organisation type in the frame (OPH 175, ESH 166, COOP 162, SEM 67
#: of 570).
TYPE_WEIGHTS = {"OPH": 175, "ESH": 166, "COOP": 162, "SEM": 67}
#: Log-normal size per organisation type: median dwellings and sigma of the log.
SIZE_MODEL = {
    "OPH": (9000.0, 0.8),
    "ESH": (7000.0, 1.1),
    "COOP": (600.0, 0.9),
    "SEM": (1200.0, 1.0),
}
SYNTHETIC_PREFIX = "SYN-"


def type_counts(n: int) -> dict[str, int]:
    """Split n organisations among organisation types by largest remainders (exact total)."""
    weights = np.array([TYPE_WEIGHTS[f] for f in ORGANISATION_TYPES], dtype=float)
    quotas = n * weights / weights.sum()
    counts = np.floor(quotas).astype(int)
    order = np.argsort(-(quotas - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return dict(zip(ORGANISATION_TYPES, counts.tolist(), strict=True))


def simulate_frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """A synthetic frame of `n` organisations (columns of the frame CSV, plus region and size)."""
    counts = type_counts(n)
    organisation_type = np.repeat(list(counts), list(counts.values()))
    medians = np.array([SIZE_MODEL[f][0] for f in organisation_type])
    sigmas = np.array([SIZE_MODEL[f][1] for f in organisation_type])
    dwellings = np.round(medians * np.exp(sigmas * rng.standard_normal(n))).astype(int)
    dwellings = np.maximum(dwellings, 50)
    department = _departments(organisation_type, rng)
    ids = [f"{SYNTHETIC_PREFIX}{i:04d}" for i in range(1, n + 1)]
    geo = departments()
    frame = pd.DataFrame(
        {
            "organisation_id": ids,
            "name": [
                f"Bailleur synthétique {i:04d} ({f})" for i, f in enumerate(organisation_type, 1)
            ],
            "organisation_type": organisation_type,
            "dwellings": dwellings,
            "department": department,
        }
    )
    frame["region"] = geo["region"].reindex(frame["department"]).to_numpy()
    frame["size_class"] = size_class_of(frame["dwellings"])
    return frame


def _departments(organisation_type: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    codes = departments().index.to_numpy()
    result = rng.choice(codes, size=len(organisation_type))
    oph = np.flatnonzero(organisation_type == "OPH")
    first = rng.permutation(codes)[: len(oph)]
    result[oph[: len(first)]] = first
    return result
