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
    # Grouped by the organisation's position among `organisations` (an integer: a million
    # respondents group faster than by their texts); a group's rows keep their order.
    organisation = organisations.get_indexer(
        pd.Index(people["organisation_id"].reindex(values.index).to_numpy(), dtype=object)
    )
    everyone = pd.RangeIndex(len(organisations))

    def by_organisation(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.reindex(everyone).set_axis(organisations, axis=0)

    grouped = values.groupby(organisation)
    sd = by_organisation(grouped.std(ddof=1))
    count = by_organisation(grouped.count())  # respondents with a score, per group
    is_management = (people["role"].reindex(values.index) == MANAGEMENT_ROLE).to_numpy()
    management = values[is_management].groupby(organisation[is_management])
    others = values[~is_management].groupby(organisation[~is_management])
    enough = (by_organisation(management.count()) >= MIN_RESPONDENTS_PER_SIDE) & (
        by_organisation(others.count()) >= MIN_RESPONDENTS_PER_SIDE
    )
    gap = by_organisation(management.mean()) - by_organisation(others.mean())
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(count.to_numpy(dtype=float))
    return RespondentSpread(
        dispersion=sd.where(count >= MIN_RESPONDENTS_PER_SIDE),
        perception_gap=gap.where(enough.fillna(False).astype(bool)),
        standard_error=se.where(count >= 2),
    )
