"""What the respondents of one organisation say differently (methodology §3).

Each respondent gets their own dimension and axis scores from their own answers, with the fields
their role is asked as denominators and the same coverage rule. From these come, per
organisation: the dispersion between respondents (standard deviation, at least two respondents),
the perception gap (mean of `direction` respondents minus mean of the other roles) and the
standard error of each axis used for the borderline flag.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.scoring.aggregate import GroupScores

MANAGEMENT_ROLE = "direction"


@dataclass(frozen=True)
class RespondentSpread:
    dispersion: pd.DataFrame  # organisations x groups
    perception_gap: pd.DataFrame  # organisations x groups
    standard_error: pd.DataFrame  # organisations x groups: sd / sqrt(k), NaN if k < 2


def spread(scores: GroupScores, people: pd.DataFrame, organisations: pd.Index) -> RespondentSpread:
    values = scores.score
    organisation = people["organisation_id"].reindex(values.index)
    grouped = values.groupby(organisation.to_numpy())
    sd = grouped.std(ddof=1)
    count = grouped.count()
    is_management = (people["role"].reindex(values.index) == MANAGEMENT_ROLE).to_numpy()
    management = values[is_management].groupby(organisation[is_management].to_numpy()).mean()
    others = values[~is_management].groupby(organisation[~is_management].to_numpy()).mean()
    gap = management.reindex(organisations) - others.reindex(organisations)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(count.to_numpy(dtype=float))
    return RespondentSpread(
        dispersion=sd.reindex(organisations),
        perception_gap=gap,
        standard_error=se.where(count >= 2).reindex(organisations),
    )
