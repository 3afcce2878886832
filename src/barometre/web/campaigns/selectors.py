"""Reads on waves: the responses table the engine scores, and response rates."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Q

from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.web.campaigns.models import AccessLink, FrameEntry, Wave
from barometre.web.responses.models import Answer, Respondent


def wave_responses(*, wave: Wave) -> pd.DataFrame:
    """Every answer of the wave, in the responses-file contract.

    Answers are saved as they are given, so the answers of a respondent who never pressed
    "send" (link expired or revoked, wave closed first) are real answers and count too; the
    coverage rule decides whether they are enough.
    """
    rows = (
        Answer.objects.filter(respondent__wave=wave)
        .order_by("respondent_id", "field_id")
        .values_list(
            "respondent__organisation__external_id",
            "respondent_id",
            "respondent__role",
            "field_id",
            "value",
        )
    )
    table = pd.DataFrame(list(rows), columns=RESPONSE_COLUMNS, dtype=object)
    table["respondent_id"] = "R" + table["respondent_id"].astype(str)
    return table


def wave_frame(*, wave: Wave) -> pd.DataFrame:
    rows = FrameEntry.objects.filter(wave=wave).values_list(
        "organisation__external_id",
        "organisation__name",
        "family",
        "dwellings",
        "department",
        "region",
        "size_class",
    )
    return pd.DataFrame(
        list(rows),
        columns=[
            "organisation_id",
            "name",
            "family",
            "dwellings",
            "department",
            "region",
            "size_class",
        ],
    )


def wave_progress(*, wave: Wave) -> list[dict]:
    """Per organisation of the frame: referent invited, respondents invited/started/submitted
    by role."""
    invited = (
        AccessLink.objects.filter(wave=wave)
        .values("organisation_id", "kind", "role")
        .annotate(n=Count("id"), revoked=Count("id", filter=Q(revoked_at__isnull=False)))
    )
    by_org: dict[int, dict] = {}
    for row in invited:
        entry = by_org.setdefault(row["organisation_id"], {"referent": 0, "roles": {}})
        if row["kind"] == AccessLink.Kind.REFERENT:
            entry["referent"] += row["n"] - row["revoked"]
        else:
            entry["roles"].setdefault(row["role"], {"invited": 0, "started": 0, "submitted": 0})
            entry["roles"][row["role"]]["invited"] += row["n"] - row["revoked"]
    people = (
        Respondent.objects.filter(wave=wave)
        .values("organisation_id", "role")
        .annotate(started=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
    )
    for row in people:
        entry = by_org.setdefault(row["organisation_id"], {"referent": 0, "roles": {}})
        counts = entry["roles"].setdefault(
            row["role"], {"invited": 0, "started": 0, "submitted": 0}
        )
        counts["started"] += row["started"]
        counts["submitted"] += row["submitted"]
    result = []
    for entry in FrameEntry.objects.filter(wave=wave).select_related("organisation"):
        data = by_org.get(entry.organisation_id, {"referent": 0, "roles": {}})
        submitted = sum(r["submitted"] for r in data["roles"].values())
        result.append(
            {
                "organisation": entry.organisation,
                "family": entry.family,
                "referent": data["referent"],
                "roles": data["roles"],
                "submitted": submitted,
            }
        )
    return result


def comparable_previous_wave(wave: Wave) -> Wave | None:
    """The last computed wave run with the same questionnaire and methodology version
    (methodology §7: only comparable waves are compared)."""
    return (
        Wave.objects.filter(
            year__lt=wave.year,
            scores_json__isnull=False,
            questionnaire_id=wave.questionnaire_id,
            methodology_version=wave.methodology_version,
        )
        .order_by("-year")
        .first()
    )
