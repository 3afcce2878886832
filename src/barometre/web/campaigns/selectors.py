"""Reads on waves: the responses table the engine scores, response rates, the look-ups that
keep operators and referents from acting by mistake."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre.comparability import WaveMethod, comparability_problem
from barometre.i18n import Language, language_of
from barometre.interop.versions import (
    QuestionnaireDiff,
    diff_questionnaires,
    dimension_reasons,
    in_one_sentence,
)
from barometre.questionnaire.models import Questionnaire
from barometre.questionnaire.relevance import drop_hidden_answers
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.web.campaigns.mailing import latest_emails
from barometre.web.campaigns.models import RESULT_FIELDS, AccessLink, Email, FrameEntry, Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.organisations.models import Organisation
from barometre.web.responses.models import Answer, Respondent

#: Organisations per page of the operator's response rates.
PROGRESS_PAGE_SIZE = 50
#: Values per `IN (...)` of a look-up, below every database's limit on parameters.
_CHUNK = 5000


def wave_responses(*, wave: Wave, organisation: Organisation | None = None) -> pd.DataFrame:
    """Every answer of the wave (or of one of its organisations), in the responses-file
    contract.

    Answers are saved as they are given, so the answers of a respondent who never pressed
    "send" (link expired or revoked, wave closed first) are real answers and count too; the
    coverage rule decides whether they are enough.
    """
    answers = Answer.objects.filter(respondent__wave=wave)
    if organisation is not None:
        answers = answers.filter(respondent__organisation=organisation)
    return responses_table(answers, wave)


def responses_table(answers, wave: Wave) -> pd.DataFrame:
    """`answers` (a query of the wave's answers) in the responses-file contract, without the
    answers kept although their conditions now hide them (they count as unanswered)."""
    rows = answers.order_by("respondent__pseudonym", "field_id").values_list(
        "respondent__organisation__external_id",
        "respondent__pseudonym",  # never the row number: it would tell the arrival order
        "respondent__role",
        "field_id",
        "value",
    )
    responses = pd.DataFrame(list(rows), columns=RESPONSE_COLUMNS, dtype=object)
    return drop_hidden_answers(responses, wave_questionnaire(wave)[1].relevance)


def wave_frame(*, wave: Wave) -> pd.DataFrame:
    rows = FrameEntry.objects.filter(wave=wave).values_list(
        "organisation__external_id",
        "organisation__name",
        "organisation_type",
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
            "organisation_type",
            "dwellings",
            "department",
            "region",
            "size_class",
        ],
    )


class ProgressFilter(StrEnum):
    """Which organisations of the frame the operator's response rates list."""

    ALL = "all"
    NO_REFERENT = "no_referent"  # no live referent link
    NOBODY_INVITED = "nobody_invited"  # no live respondent link
    NOBODY_SENT = "nobody_sent"  # no respondent has sent
    SOME_SENT = "some_sent"  # at least one respondent has sent


@dataclass(frozen=True)
class RoleProgress:
    """Respondents of one role of an organisation: live links, respondents who started
    (opened their questionnaire) and who sent."""

    role: str
    invited: int = 0
    started: int = 0
    submitted: int = 0


@dataclass(frozen=True)
class OrganisationProgress:
    external_id: str
    name: str
    organisation_type: str
    referent: int  # live referent links (accepted ones included)
    roles: tuple[RoleProgress, ...] = field(default=())

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.roles)


@dataclass(frozen=True)
class WaveTotals:
    """The whole frame: organisations, those with a live referent link, those with at least
    one respondent who sent."""

    organisations: int
    with_referent: int
    answered: int


@dataclass(frozen=True)
class ProgressPage:
    """One page of the response rates; `page` is Django's (number, links, matching count)."""

    rows: tuple[OrganisationProgress, ...]
    page: Page

    @property
    def matching(self) -> int:
        return self.page.paginator.count


def _live_links(wave: Wave, kind: str) -> QuerySet[AccessLink]:
    return AccessLink.objects.filter(wave=wave, kind=kind, revoked_at__isnull=True)


def _organisations_with_live_link(wave: Wave, kind: str) -> QuerySet:
    return _live_links(wave, kind).values("organisation_id")


def _organisations_with_sent(wave: Wave) -> QuerySet:
    return Respondent.objects.filter(wave=wave, submitted_at__isnull=False).values(
        "organisation_id"
    )


def _frame_matching(wave: Wave, search: str, status: ProgressFilter) -> QuerySet[FrameEntry]:
    """The frame entries the search and the filter keep, in the frame's order; the filters
    are semi-joins the database runs once (`IN (SELECT ...)`), not a query per organisation."""
    entries = FrameEntry.objects.filter(wave=wave)
    if search:
        entries = entries.filter(
            Q(organisation__name__icontains=search) | Q(organisation__external_id__icontains=search)
        )
    referents = _organisations_with_live_link(wave, AccessLink.Kind.REFERENT)
    invited = _organisations_with_live_link(wave, AccessLink.Kind.RESPONDENT)
    sent = _organisations_with_sent(wave)
    if status == ProgressFilter.NO_REFERENT:
        entries = entries.exclude(organisation_id__in=referents)
    elif status == ProgressFilter.NOBODY_INVITED:
        entries = entries.exclude(organisation_id__in=invited)
    elif status == ProgressFilter.NOBODY_SENT:
        entries = entries.exclude(organisation_id__in=sent)
    elif status == ProgressFilter.SOME_SENT:
        entries = entries.filter(organisation_id__in=sent)
    return entries.select_related("organisation").order_by("pk")


def _counts(
    wave: Wave, organisation_ids: list[int], role_order: Sequence[str]
) -> tuple[dict[int, int], dict[int, tuple[RoleProgress, ...]]]:
    """Live referent links, and respondents by role, of these organisations only (two grouped
    queries)."""
    referents: dict[int, int] = {}
    roles: dict[int, dict[str, dict[str, int]]] = {}
    links = (
        AccessLink.objects.filter(wave=wave, organisation_id__in=organisation_ids)
        .order_by()
        .values("organisation_id", "kind", "role")
        .annotate(live=Count("pk", filter=Q(revoked_at__isnull=True)))
    )
    for row in links:
        if row["kind"] == AccessLink.Kind.REFERENT:
            referents[row["organisation_id"]] = (
                referents.get(row["organisation_id"], 0) + row["live"]
            )
        else:
            counts = roles.setdefault(row["organisation_id"], {}).setdefault(row["role"], {})
            counts["invited"] = counts.get("invited", 0) + row["live"]
    people = (
        Respondent.objects.filter(wave=wave, organisation_id__in=organisation_ids)
        .order_by()
        .values("organisation_id", "role")
        .annotate(started=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    )
    for row in people:
        counts = roles.setdefault(row["organisation_id"], {}).setdefault(row["role"], {})
        counts["started"] = row["started"]
        counts["submitted"] = row["submitted"]
    rank = {code: at for at, code in enumerate(role_order)}
    ordered = {
        org: tuple(
            RoleProgress(role, **counts)
            for role, counts in sorted(
                by_role.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])
            )
        )
        for org, by_role in roles.items()
    }
    return referents, ordered


def wave_progress(
    *,
    wave: Wave,
    search: str = "",
    status: ProgressFilter = ProgressFilter.ALL,
    page: int | str = 1,
    per_page: int = PROGRESS_PAGE_SIZE,
    role_order: Sequence[str] = (),
) -> ProgressPage:
    """One page of the frame's organisations with their referent and their respondents
    invited / started / sent by role (roles in `role_order`, the questionnaire's).

    `search` finds an organisation by name or identifier (any case); `status` keeps those an
    operator chases. The database counts, for this page's organisations only: the page
    costs the same for a frame of 500 or of 200,000 organisations. An out-of-range `page`
    gives the last page.
    """
    entries = _frame_matching(wave, search.strip(), ProgressFilter(status))
    shown = Paginator(entries, per_page).get_page(page)
    organisation_ids = [entry.organisation_id for entry in shown]
    referents, roles = _counts(wave, organisation_ids, role_order)
    rows = tuple(
        OrganisationProgress(
            external_id=entry.organisation.external_id,
            name=entry.organisation.name,
            organisation_type=entry.organisation_type,
            referent=referents.get(entry.organisation_id, 0),
            roles=roles.get(entry.organisation_id, ()),
        )
        for entry in shown
    )
    return ProgressPage(rows=rows, page=shown)


def wave_totals(*, wave: Wave) -> WaveTotals:
    """Counts over the whole frame, in one query."""
    counts = FrameEntry.objects.filter(wave=wave).aggregate(
        organisations=Count("pk"),
        with_referent=Count(
            "pk",
            filter=Q(
                organisation_id__in=_organisations_with_live_link(wave, AccessLink.Kind.REFERENT)
            ),
        ),
        answered=Count("pk", filter=Q(organisation_id__in=_organisations_with_sent(wave))),
    )
    return WaveTotals(**counts)


@dataclass(frozen=True)
class CloseSummary:
    """What closing the wave stops: respondents who started and have not sent (their link still
    works), and live links nobody has opened yet."""

    started_not_sent: int
    not_started: int


def wave_close_summary(*, wave: Wave) -> CloseSummary:
    return CloseSummary(
        started_not_sent=Respondent.objects.filter(
            wave=wave, submitted_at__isnull=True, link__revoked_at__isnull=True
        ).count(),
        not_started=_live_links(wave, AccessLink.Kind.RESPONDENT)
        .filter(respondent__isnull=True)
        .count(),
    )


@dataclass(frozen=True)
class PublicationSummary:
    """What publishing shows: the sector estimate made from `responding_organisations` of a
    frame of `organisations`."""

    responding_organisations: int
    organisations: int


def wave_publication_summary(*, wave: Wave) -> PublicationSummary | None:
    """None when the wave has no sector estimate (it cannot be published)."""
    if wave.estimates is None:
        return None
    frame = wave.estimates.frame
    return PublicationSummary(
        responding_organisations=frame.responding_organisations,
        organisations=frame.organisations,
    )


def referents_already_invited(
    *, wave: Wave, rows: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Among (organisation identifier, e-mail) pairs, those whose e-mail already has a live
    (not revoked) referent link for that organisation in this wave; e-mails compared in lower
    case, pairs returned as given."""
    wanted = {(org, email.lower()): (org, email) for org, email in rows}
    organisations = sorted({org for org, _email in wanted})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(organisations), _CHUNK):
        live = _live_links(wave, AccessLink.Kind.REFERENT).filter(
            organisation__external_id__in=organisations[start : start + _CHUNK]
        )
        for org, email in live.values_list("organisation__external_id", "email"):
            pair = wanted.get((org, email.lower()))
            if pair is not None:
                found.add(pair)
    return found


def colleague_live_links(*, wave: Wave, organisation: Organisation, email: str) -> list[AccessLink]:
    """The live (not revoked) respondent links of this e-mail for the organisation in this
    wave, oldest first."""
    return list(
        _live_links(wave, AccessLink.Kind.RESPONDENT)
        .filter(organisation=organisation, email__iexact=email.strip())
        .order_by("created_at", "pk")
    )


def comparable_previous_wave(wave: Wave) -> Wave | None:
    """The last published wave before this one that compares with it (the core's
    `comparability_problem`, docs/statistics.md "Comparable waves": the same questionnaire and
    methodology version, or a questionnaire version whose diff does not change the scores).

    Only a published wave: a change is published with the wave, and would otherwise disclose
    the figures of a wave the operator has not published (or never will)."""
    questionnaire, _tables = wave_questionnaire(wave)
    candidates = (
        Wave.objects.filter(
            year__lt=wave.year,
            status=Wave.Status.PUBLISHED,
            scores__isnull=False,
            questionnaire_id=wave.questionnaire_id,
            methodology_version=wave.methodology_version,
        )
        .defer(*RESULT_FIELDS)  # a chosen wave reads its scores when it uses them
        .order_by("-year")
    )
    for candidate in candidates:
        earlier, _tables = wave_questionnaire(candidate)
        reason = comparability_problem(
            WaveMethod.of_questionnaire(earlier),
            WaveMethod.of_questionnaire(questionnaire),
            (earlier, questionnaire),
        )
        if reason is None:
            return candidate
    return None


@dataclass(frozen=True)
class WaveComparison:
    """A wave and the last published wave before it: what changed between their
    questionnaires, and what stays comparable (`interop.versions`, docs/versions.md)."""

    previous_year: int
    diff: QuestionnaireDiff
    #: Why the two waves are not compared, in the reader's language (empty when they are).
    reasons: tuple[str, ...]
    #: The labels of the dimensions whose scores compare, in the reader's language.
    comparable_dimensions: tuple[str, ...]
    #: The earlier wave the change is computed with instead, when the last one does not compare.
    compared_year: int | None = None

    @property
    def comparable(self) -> bool:
        return not self.reasons

    @property
    def every_dimension_comparable(self) -> bool:
        return not self.diff.comparability.not_comparable


def previous_wave_comparison(wave: Wave) -> WaveComparison | None:
    """How the wave compares with the last published wave before it (None when there is
    none): the reasons the reader is told when the waves are not compared, instead of a
    change silently missing. Only questionnaires are read: what every published page shows."""
    previous = (
        Wave.objects.filter(year__lt=wave.year, status=Wave.Status.PUBLISHED, scores__isnull=False)
        .defer(*RESULT_FIELDS)
        .order_by("-year")
        .first()
    )
    if previous is None:
        return None
    earlier, _tables = wave_questionnaire(previous)
    questionnaire, _tables = wave_questionnaire(wave)
    language = language_of(get_language())
    diff = diff_questionnaires(earlier, questionnaire)
    labels = {d.id: d.label.get(language) for d in [*earlier.dimensions, *questionnaire.dimensions]}
    reasons = _comparison_reasons(previous, earlier, questionnaire, diff, labels, language)
    compared = comparable_previous_wave(wave) if reasons else None
    return WaveComparison(
        previous_year=previous.year,
        diff=diff,
        reasons=tuple(reasons),
        comparable_dimensions=tuple(labels[d] for d in diff.comparability.dimensions),
        compared_year=compared.year if compared is not None else None,
    )


def _comparison_reasons(
    previous: Wave,
    earlier: Questionnaire,
    questionnaire: Questionnaire,
    diff: QuestionnaireDiff,
    labels: dict[str, str],
    language: Language,
) -> list[str]:
    if earlier.id != questionnaire.id:
        return [
            _("The wave of %(year)s used another questionnaire (%(questionnaire)s).")
            % {"year": previous.year, "questionnaire": earlier.id}
        ]
    if earlier.methodology.version != questionnaire.methodology.version:
        return [
            _(
                "The wave of %(year)s used another version of the methodology (%(before)s; "
                "this wave: %(after)s)."
            )
            % {
                "year": previous.year,
                "before": earlier.methodology.version,
                "after": questionnaire.methodology.version,
            }
        ]
    reasons = dimension_reasons(diff, labels, language)
    method = [c for c in diff.breaking if not c.dimensions]
    if method:
        reasons.append(
            _("The method changed: %(changes)s") % {"changes": in_one_sentence(method, language)}
        )
    return reasons


@dataclass(frozen=True)
class EmailSummary:
    """What became of the wave's e-mails: the last one of each link, by status, and those
    that need a person (failed, bounced, interrupted)."""

    counts: dict[str, int]
    problems: list[Email]
    resendable: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_label(self) -> list[tuple[str | Promise, int]]:
        """The counts under the statuses' own labels (lazy: in the reader's language)."""
        return [(Email.Status(status).label, n) for status, n in self.counts.items()]


def wave_email_summary(*, wave: Wave, listed: int = 50) -> EmailSummary:
    latest = latest_emails(wave)
    counts: dict[str, int] = {}
    for email in latest:
        counts[email.status] = counts.get(email.status, 0) + 1
    troubled = (Email.Status.FAILED, Email.Status.BOUNCED, Email.Status.UNCERTAIN)
    problems = [e for e in latest if e.status in troubled]
    resendable = sum(e.status != Email.Status.BOUNCED for e in problems)
    return EmailSummary(counts=counts, problems=problems[:listed], resendable=resendable)
