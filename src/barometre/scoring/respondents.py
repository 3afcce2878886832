"""What the respondents of one organisation say differently (methodology §3).

Each respondent gets their own dimension and axis scores from their own answers, with the fields
their role is asked as denominators and the same coverage rule. From these come, per
organisation: the dispersion between respondents (standard deviation, at least two respondents),
the perception gap (mean of `direction` respondents minus mean of the other roles, at least two
respondents on each side) and the standard error of each axis used for the borderline flag.

The thresholds protect the people who answer, whose names and roles their referent sees: with
one director, the gap and the organisation's score would give that director's own score; with
one respondent, the dispersion is no spread at all. Below them the value is NaN (not shown).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.scoring.aggregate import GroupScores

MANAGEMENT_ROLE = "direction"
#: Respondents with a score needed on each side of the perception gap (management, others) and
#: in all for the dispersion (issue 10: a mean of one person is that person's answer).
MIN_RESPONDENTS_PER_SIDE = 2


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
    count = grouped.count()  # respondents with a score, per organisation and group
    is_management = (people["role"].reindex(values.index) == MANAGEMENT_ROLE).to_numpy()
    management = values[is_management].groupby(organisation[is_management].to_numpy())
    others = values[~is_management].groupby(organisation[~is_management].to_numpy())
    enough = (management.count().reindex(organisations) >= MIN_RESPONDENTS_PER_SIDE) & (
        others.count().reindex(organisations) >= MIN_RESPONDENTS_PER_SIDE
    )
    gap = management.mean().reindex(organisations) - others.mean().reindex(organisations)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(count.to_numpy(dtype=float))
    return RespondentSpread(
        dispersion=sd.where(count >= MIN_RESPONDENTS_PER_SIDE).reindex(organisations),
        perception_gap=gap.where(enough.fillna(False).astype(bool)),
        standard_error=se.where(count >= 2).reindex(organisations),
    )
