"""Exports of a wave in the web application (issue 12 §1, web shell): asked for on a page,
made by the job queue (run at once in tests, as after the commit), downloaded and read back
with the tool each format is made for.

The sector is the simulator's (synthetic), 30 organisations; Olivia is the operator; Rémi is
the referent of SYN-0001 and Sofia of SYN-0002 (as in the permission matrix).
"""

from __future__ import annotations

import io
import json
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import get_args

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.errors import ConfigurationError
from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.audit.models import AuditEntry
from barometre.web.campaigns import exports
from barometre.web.campaigns.exports import (
    EXPORT,
    FORMATS,
    TABLES,
    ExportParams,
    ExportRefused,
    exports_expire,
    pseudonym_key,
    request_export,
)
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.config.settings import base as base_settings
from barometre.web.jobs import scheduler
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer, Respondent
from tests.web.conftest import create_wave, wave_action

pytestmark = pytest.mark.django_db

PASSWORD = "Un mot de passe sûr 2026"


def export_job_done(
    wave: Wave,
    *,
    user,
    organisation: str | None = None,
    table: str = "organisations",
    fmt: str = "csv",
    finished_at=None,
) -> Job:
    """A finished export whose file exists (its content is a synthetic stand-in), as the
    worker leaves it; for the permission matrix and the retention tests."""
    params = ExportParams(
        table=table,  # type: ignore[arg-type]
        format=fmt,  # type: ignore[arg-type]
        organisation=organisation,
        requested_by=user.pk,
        by_operator=user.is_staff,
    )
    job = Job.objects.create(
        kind=EXPORT,
        wave=wave,
        params=params.model_dump(mode="json"),
        status=Job.Status.DONE,
        finished_at=finished_at or timezone.now(),
    )
    folder = exports.exports_root() / str(wave.year) / f"job-{job.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}{exports.SUFFIXES[fmt]}"
    path.write_bytes(b"organisation_id\nSYN-0001\n")  # synthetic
    Job.objects.filter(pk=job.pk).update(output=str(path))
    job.refresh_from_db()
    return job


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(load_questionnaire("hlm-2026"), organisations=30, seed=5)


@pytest.fixture
def computed(computed_wave, sector) -> Wave:
    return computed_wave(sector, year=2025)


def _referent(email: str, organisation: str):
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(external_id=organisation)
    )
    return user


@pytest.fixture
def remi(db):
    return _referent("remi@un.example", "SYN-0001")


@pytest.fixture
def sofia(db):
    return _referent("sofia@deux.example", "SYN-0002")


def _signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def _ask(client, url: str, **data):
    """Post the form as a person does; the page comes back (post, redirect, get)."""
    response = client.post(url, {"language": "fr", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url
    return response


def _latest() -> Job:
    return Job.objects.filter(kind=EXPORT).order_by("-pk").first()


def _download(client, url: str) -> tuple[bytes, object]:
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content), response


def _operator_download(client, job: Job) -> tuple[bytes, object]:
    url = reverse("backoffice:export_download", kwargs={"year": job.wave.year, "job_id": job.pk})
    return _download(client, url)


def _read(content: bytes, fmt: str, tmp_path: Path, name: str = "export"):
    """The file as its tool reads it: (table, metadata or None)."""
    path = tmp_path / f"{name}{exports.SUFFIXES[fmt]}"
    path.write_bytes(content)
    if fmt == "csv":
        return pd.read_csv(path, dtype={"organisation_id": str}), None
    if fmt == "csv-fr":
        return pd.read_csv(
            path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"organisation_id": str}
        ), None
    if fmt == "sav":
        return pyreadstat.read_sav(str(path), user_missing=True)
    if fmt == "dta":
        return pyreadstat.read_dta(str(path))
    if fmt == "parquet":
        return pq.read_table(path).to_pandas(), pq.read_schema(path).metadata
    workbook = openpyxl.load_workbook(path, read_only=True)
    return workbook, None


# --- the operator ---------------------------------------------------------------------------


def test_the_operator_exports_each_format_and_each_opens_in_its_tool(
    client, computed, committed, tmp_path
):
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    scored = {o.organisation_id for o in computed.scores.organisations}
    assert len(scored) >= 5  # the synthetic organisations that answered
    for fmt in FORMATS:
        with committed():
            _ask(client, url, table="all" if fmt == "xlsx" else "organisations", format=fmt)
        job = _latest()
        assert job.status == Job.Status.DONE, job.error
        assert (job.done, job.total) != (0, 0) and job.done == job.total
        content, response = _operator_download(client, job)
        assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]
        table, meta = _read(content, fmt, tmp_path, fmt)
        if fmt == "xlsx":
            assert "codebook" in table.sheetnames
            codebook = list(table["codebook"].iter_rows(values_only=True))
            assert len(codebook) > 10  # a row per column of every sheet, and its header
            continue
        assert len(table) == len(computed.scores.organisations), fmt
        assert set(table.iloc[:, 0].astype(str)) <= scored | {
            o.organisation_id for o in computed.scores.organisations
        }
        if fmt in ("sav", "dta"):
            assert meta.column_labels and any(meta.column_labels), fmt  # variable labels
        if fmt == "parquet":
            assert meta  # the codebook in the schema's metadata
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("data-export-download") == len(FORMATS)


def test_the_spss_export_of_the_answers_keeps_labels_and_missing_values(
    client, computed, committed, tmp_path
):
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    with committed():
        _ask(client, url, table="responses", format="sav")
    job = _latest()
    assert job.status == Job.Status.DONE, job.error
    content, _response = _operator_download(client, job)
    table, meta = _read(content, "sav", tmp_path)
    respondents = Respondent.objects.filter(wave=computed).count()
    assert len(table) == respondents  # one row per respondent
    assert meta.variable_value_labels  # coded answers carry their labels
    assert meta.missing_ranges or meta.missing_user_values  # "not applicable", "don't know"


def test_an_operator_exports_one_organisation(client, computed, committed, tmp_path):
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    with committed():
        _ask(client, url, table="responses-long", format="csv", organisation="SYN-0007")
    job = _latest()
    content, _response = _operator_download(client, job)
    table, _meta = _read(content, "csv", tmp_path)
    assert set(table["organisation_id"]) == {"SYN-0007"}
    stored = Answer.objects.filter(
        respondent__wave=computed, respondent__organisation__external_id="SYN-0007"
    ).count()
    assert len(table) == stored


def test_a_problem_of_the_core_fails_the_job_and_is_shown_in_french(
    client, computed, committed, monkeypatch
):
    from barometre.interop.exports import writers

    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)  # a sheet of 2 rows: the answers overflow
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    with committed():
        _ask(client, url, table="responses-long", format="xlsx")
    job = _latest()
    assert job.status == Job.Status.FAILED and not job.output
    [found] = exports.export_problems(job)
    assert found.code == "export_sheet_too_long" and found.location == "table responses-long"
    page = client.get(url).content.decode()
    assert "export_sheet_too_long" in page and "table responses-long" in page
    assert "feuille Excel" in page and "rows of an Excel sheet" not in page  # in French
    assert not list((exports.exports_root() / "2025" / f"job-{job.pk}").glob("*.xlsx"))


def test_a_wave_without_computed_results_is_refused_with_the_reason(client, olivia, sector):
    create_wave(client, sector, 2026)
    wave_action(client, "open", 2026)
    url = reverse("backoffice:exports", kwargs={"year": 2026})
    page = client.get(url)
    assert "data-not-computed" in page.content.decode()
    response = client.post(url, {"table": "organisations", "format": "csv", "language": "fr"})
    assert response.status_code == 302
    shown = client.get(url).content.decode()
    assert "pas encore de résultats calculés" in shown or "no computed results" in shown
    assert not Job.objects.filter(kind=EXPORT).exists()


def test_the_same_request_while_it_runs_gives_the_same_job(computed, olivia):
    # outside `committed()`, the job waits: as when the worker is busy
    first = request_export(user=olivia, wave=computed, table="items", fmt="sav", language="fr")
    again = request_export(user=olivia, wave=computed, table="items", fmt="sav", language="fr")
    other = request_export(user=olivia, wave=computed, table="items", fmt="dta", language="fr")
    assert first.pk == again.pk != other.pk
    assert Job.objects.filter(kind=EXPORT).count() == 2
    assert ExportParams.model_validate(first.params).table == "items"


def test_every_table_in_one_file_needs_xlsx(computed, olivia):
    with pytest.raises(ExportRefused):
        request_export(user=olivia, wave=computed, table=None, fmt="csv")


def test_the_form_needs_its_csrf_token(computed, olivia):
    careful = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr")
    careful.force_login(olivia)
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    response = careful.post(url, {"table": "organisations", "format": "csv", "language": "fr"})
    assert response.status_code == 403
    assert not Job.objects.filter(kind=EXPORT).exists()


# --- referents ------------------------------------------------------------------------------


def test_a_referents_export_holds_only_its_organisation(computed, remi, committed, tmp_path):
    client = _signed_in(remi)
    url = reverse("organisations:exports", kwargs={"external_id": "SYN-0001", "year": 2025})
    dashboard = client.get(
        reverse("organisations:dashboard", kwargs={"external_id": "SYN-0001", "year": 2025})
    )
    assert url in dashboard.content.decode()  # the dashboard links its exports
    for table in ("organisations", "items"):
        with committed():
            _ask(client, url, table=table, format="csv")
        job = _latest()
        assert job.status == Job.Status.DONE, job.error
        download = reverse(
            "organisations:export_download",
            kwargs={"external_id": "SYN-0001", "year": 2025, "job_id": job.pk},
        )
        content, _response = _download(client, download)
        frame, _meta = _read(content, "csv", tmp_path, table)
        assert set(frame["organisation_id"]) == {"SYN-0001"}, table
        assert len(frame) == 1
    # every table in one workbook: the same two, never the answers
    with committed():
        _ask(client, url, table="all", format="xlsx")
    job = _latest()
    assert job.status == Job.Status.DONE, job.error
    download = reverse(
        "organisations:export_download",
        kwargs={"external_id": "SYN-0001", "year": 2025, "job_id": job.pk},
    )
    content, _response = _download(client, download)
    workbook = tmp_path / "all.xlsx"
    workbook.write_bytes(content)
    sheets = openpyxl.load_workbook(workbook, read_only=True).sheetnames
    assert not any("respon" in sheet.lower() or "répon" in sheet.lower() for sheet in sheets)
    page = client.get(url).content.decode()
    assert page.count("data-export-download") == 3
    choices = [
        value for value, _label in exports.ExportForm(operator=False).fields["table"].choices
    ]
    assert "estimates" not in choices
    assert "responses" not in choices and "responses-long" not in choices


def test_a_referent_never_exports_the_colleagues_answers(computed, remi):
    # The results pages never let a person's answers be read (the perception gap needs two
    # respondents on each side); under a pseudonym, with a role or two each, they would be.
    for table in ("responses", "responses-long"):
        with pytest.raises(PermissionDenied):
            request_export(
                user=remi, wave=computed, table=table, fmt="csv", organisation="SYN-0001"
            )


def test_a_referent_may_not_export_the_sector_nor_another_organisation(computed, remi):
    for table, organisation in (("estimates", "SYN-0001"), ("organisations", "SYN-0002")):
        with pytest.raises(PermissionDenied):
            request_export(
                user=remi, wave=computed, table=table, fmt="csv", organisation=organisation
            )
    with pytest.raises(PermissionDenied):  # the whole wave
        request_export(user=remi, wave=computed, table="organisations", fmt="csv")
    assert not Job.objects.filter(kind=EXPORT).exists()


def test_an_export_is_downloaded_only_by_whoever_may(computed, remi, sofia, olivia, client):
    own = export_job_done(computed, user=remi, organisation="SYN-0001")
    operators = export_job_done(computed, user=olivia)
    own_url = reverse(
        "organisations:export_download",
        kwargs={"external_id": "SYN-0001", "year": 2025, "job_id": own.pk},
    )
    # another referent, even under her own organisation's address
    assert _signed_in(sofia).get(own_url).status_code == 403
    sofia_url = reverse(
        "organisations:export_download",
        kwargs={"external_id": "SYN-0002", "year": 2025, "job_id": own.pk},
    )
    assert _signed_in(sofia).get(sofia_url).status_code == 404
    anonymous = Client().get(own_url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client.get(own_url).status_code == 404  # the operator: not his export
    assert _signed_in(remi).get(own_url).status_code == 200
    # an operator's export, by the referent's route: not found
    remi_on_operators = reverse(
        "organisations:export_download",
        kwargs={"external_id": "SYN-0001", "year": 2025, "job_id": operators.pk},
    )
    assert _signed_in(remi).get(remi_on_operators).status_code == 404
    operator_url = reverse(
        "backoffice:export_download", kwargs={"year": 2025, "job_id": operators.pk}
    )
    assert _signed_in(remi).get(operator_url).status_code == 403
    other_operator = get_user_model().objects.create_user(
        "otto@operateur.example", password="x" * 12, is_staff=True
    )
    assert _signed_in(other_operator).get(operator_url).status_code == 200
    # a referent whose membership ended no longer downloads what he asked
    Membership.objects.filter(user=remi).update(ended_at=timezone.now())
    assert _signed_in(remi).get(own_url).status_code == 403


# --- what the pages say, and how the list follows an export ---------------------------------

#: Who may download, as each page says it (written by hand from `may_download`), with a
#: retention of 9 days: an operator's export is every operator's; a referent's, theirs only.
SAYS_OPERATOR = {
    "fr": "Le fichier contient des données personnelles\u202f: un export demandé par un "
    "opérateur peut être téléchargé par tous les opérateurs du baromètre, et par personne "
    "d’autre\u202f; il est supprimé au bout de 9 jours.",
    "en": "The file contains personal data: an export asked for by an operator can be "
    "downloaded by every operator of the barometer, and by nobody else; it is deleted after "
    "9 days.",
}
SAYS_REFERENT = {
    "fr": "Le fichier contient des données personnelles\u202f: personne d’autre que vous ne peut "
    "le télécharger, et il est supprimé au bout de 9 jours.",
    "en": "The file contains personal data: only you can download it, and it is deleted after "
    "9 days.",
}


def _page(user, url: str, language: str = "fr") -> BeautifulSoup:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _who(page: BeautifulSoup) -> str:
    [says] = page.select("[data-exports-who]")
    return re.sub(r"[ \n]+", " ", says.get_text()).strip()  # keeps the narrow no-break spaces


def test_each_page_says_truly_who_may_download_its_exports(computed, olivia, remi, sofia, settings):
    settings.BAROMETRE_EXPORT_RETENTION_DAYS = 9
    operator_url = reverse("backoffice:exports", kwargs={"year": 2025})
    referent_url = reverse(
        "organisations:exports", kwargs={"external_id": "SYN-0001", "year": 2025}
    )
    for language in ("fr", "en"):
        assert _who(_page(olivia, operator_url, language)) == SAYS_OPERATOR[language]
        assert _who(_page(remi, referent_url, language)) == SAYS_REFERENT[language]
        # an operator on an organisation's page asks as an operator: every operator's export
        assert _who(_page(olivia, referent_url, language)) == SAYS_OPERATOR[language]
    for page in (_page(olivia, operator_url), _page(remi, referent_url)):
        text = page.get_text()
        assert "seule la personne qui" not in text and "'" not in _who(page)
    # and what they say is what `may_download` does
    otto = get_user_model().objects.create_user(
        "otto@operateur.example", password="x" * 12, is_staff=True
    )
    operators = export_job_done(computed, user=olivia)
    remis = export_job_done(computed, user=remi, organisation="SYN-0001")
    assert [exports.may_download(user=u, job=operators) for u in (olivia, otto, remi)] == [
        True,
        True,
        False,
    ]
    assert [exports.may_download(user=u, job=remis) for u in (remi, olivia, otto, sofia)] == [
        True,
        False,
        False,
        False,
    ]


def test_while_an_export_is_under_way_the_list_is_a_live_region_and_nothing_reloads(
    computed, olivia, remi
):
    # no worker runs in this test (the jobs start after the commit): both stay waiting
    request_export(user=olivia, wave=computed, table="items", fmt="csv")
    request_export(user=remi, wave=computed, table="items", fmt="csv", organisation="SYN-0001")
    operator_url = reverse("backoffice:exports", kwargs={"year": 2025})
    referent_url = reverse(
        "organisations:exports", kwargs={"external_id": "SYN-0001", "year": 2025}
    )
    for user, url in ((olivia, operator_url), (remi, referent_url)):
        page = _page(user, url)
        assert page.select('meta[http-equiv="refresh"]') == [], url  # no reload (WCAG 2.2.1)
        [region] = page.select("[data-exports-list]")
        assert (region["role"], region["aria-live"]) == ("status", "polite")
        assert region.select("tr[data-export]") and region.select("[data-exports-under-way]")
        [refresh] = region.select("[data-exports-under-way] a")  # without JavaScript
        assert refresh["href"] == url and refresh.get_text() == "Actualiser maintenant"
        # the script says the list follows by itself: hidden until it runs
        assert region.select_one("[data-exports-follows]").has_attr("hidden")
        # the form is outside the region the script replaces
        assert page.select("form[data-export-form]") and not region.select("form")
        [script] = page.select('script[src$="barometre/exports.js"]')
        assert script.has_attr("defer")
    # the script is served from the site (the CSP allows 'self' scripts only)
    assert Client().get("/static/barometre/exports.js").status_code == 200


def test_with_no_export_under_way_the_list_says_nothing_is_running(computed, olivia):
    export_job_done(computed, user=olivia)
    page = _page(olivia, reverse("backoffice:exports", kwargs={"year": 2025}), "en")
    [region] = page.select("[data-exports-list]")
    assert region.select("tr[data-export]") and not region.select("[data-exports-under-way]")
    assert page.select('meta[http-equiv="refresh"]') == []


def test_a_respondent_link_opens_no_export(computed):
    # a respondent holds no account, only the token of their link: signed out, every
    # export page and file sends to the sign-in
    assert AccessLink.objects.filter(wave=computed, kind=AccessLink.Kind.RESPONDENT).exists()
    job = export_job_done(computed, user=get_user_model().objects.get(is_staff=True))
    anonymous = Client()
    for url in (
        reverse("backoffice:exports", kwargs={"year": 2025}),
        reverse("backoffice:export_download", kwargs={"year": 2025, "job_id": job.pk}),
        reverse("organisations:exports", kwargs={"external_id": "SYN-0001", "year": 2025}),
    ):
        assert anonymous.get(url)["Location"].startswith(reverse("login")), url


# --- identities -----------------------------------------------------------------------------


def test_no_email_and_no_stored_respondent_id_leaves_in_an_export(
    client, computed, committed, tmp_path
):
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    emails = set(AccessLink.objects.filter(wave=computed).values_list("email", flat=True))
    stored = set(Respondent.objects.filter(wave=computed).values_list("pseudonym", flat=True))
    assert emails and stored
    for table, fmt in (("responses-long", "csv"), ("responses", "parquet"), ("all", "xlsx")):
        with committed():
            _ask(client, url, table=table, format=fmt)
        job = _latest()
        assert job.status == Job.Status.DONE, job.error
        content, _response = _operator_download(client, job)
        if fmt == "xlsx":  # its text is compressed: read every cell
            workbook, _meta = _read(content, fmt, tmp_path, "all")
            text = "\n".join(
                str(value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
            )
        elif fmt == "parquet":
            frame, _meta = _read(content, fmt, tmp_path)
            text = frame.to_csv()
        else:
            text = content.decode("utf-8-sig")
        assert "@" not in text, table
        assert not any(pseudonym in text for pseudonym in stored), table


def _respondent_ids(client, wave: Wave, committed, tmp_path, fmt: str) -> set[str]:
    url = reverse("backoffice:exports", kwargs={"year": wave.year})
    with committed():
        _ask(client, url, table="responses-long", format=fmt)
    job = _latest()
    assert job.status == Job.Status.DONE, job.error
    content, _response = _operator_download(client, job)
    frame, _meta = _read(content, fmt, tmp_path, f"{wave.year}-{fmt}")
    return set(frame["respondent"].astype(str))


def test_pseudonyms_are_stable_within_a_wave_and_differ_between_waves(
    client, computed, computed_wave, sector, committed, tmp_path
):
    first = _respondent_ids(client, computed, committed, tmp_path, "csv")
    again = _respondent_ids(client, computed, committed, tmp_path, "parquet")
    assert first == again and len(first) == Respondent.objects.filter(wave=computed).count()
    later = computed_wave(sector, year=2026)
    assert pseudonym_key(later) != pseudonym_key(computed)
    assert _respondent_ids(client, later, committed, tmp_path, "csv").isdisjoint(first)


# --- retention ------------------------------------------------------------------------------


def test_expired_exports_are_deleted_and_no_longer_downloaded(computed, olivia, client, settings):
    settings.BAROMETRE_EXPORT_RETENTION_DAYS = 7
    old = export_job_done(
        computed, user=olivia, finished_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    recent = export_job_done(computed, user=olivia, finished_at=timezone.now() - timedelta(days=6))
    old_file, recent_file = Path(old.output), Path(recent.output)
    url = reverse("backoffice:export_download", kwargs={"year": 2025, "job_id": old.pk})
    assert client.get(url).status_code == 404  # past its time, even before the clean-up
    assert exports_expire() == 1
    assert not old_file.exists() and not old_file.parent.exists()
    assert not Job.objects.filter(pk=old.pk).exists()
    assert recent_file.exists() and Job.objects.filter(pk=recent.pk).exists()
    # an export folder whose job is gone (its wave deleted) goes once as old
    orphan = exports.exports_root() / "2019" / "job-999999"
    orphan.mkdir(parents=True)
    (orphan / "items.csv").write_text("synthetic\n")
    assert exports_expire() == 0  # not old yet
    past = (timezone.now() - timedelta(days=8)).timestamp()
    os.utime(orphan, (past, past))
    assert exports_expire() == 1 and not orphan.exists()


def test_the_workers_scheduler_deletes_the_expired_exports(computed, olivia, settings, monkeypatch):
    settings.BAROMETRE_EXPORT_RETENTION_DAYS = 3
    old = export_job_done(
        computed, user=olivia, finished_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    recent = export_job_done(
        computed, user=olivia, finished_at=timezone.now() - timedelta(days=2, hours=23)
    )
    # tick() drops stale connections first: in a test, that would be the test's transaction
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    scheduler.tick()  # what the worker runs every BAROMETRE_SCHEDULER_SECONDS
    assert not Path(old.output).exists() and not Job.objects.filter(pk=old.pk).exists()
    assert Path(recent.output).exists() and Job.objects.filter(pk=recent.pk).exists()


@pytest.mark.parametrize(("value", "expected"), [("", 7), ("1", 1), ("30", 30), (" 14 ", 14)])
def test_the_retention_setting_is_a_positive_whole_number(value, expected, monkeypatch):
    if value:
        monkeypatch.setenv("BAROMETRE_EXPORT_RETENTION_DAYS", value)
    else:
        monkeypatch.delenv("BAROMETRE_EXPORT_RETENTION_DAYS", raising=False)
    assert base_settings._positive_integer("BAROMETRE_EXPORT_RETENTION_DAYS", "7") == expected


@pytest.mark.parametrize("value", ["0", "-3", "7.5", "sept", "²", "   "])
def test_a_bad_retention_setting_is_refused_with_its_name(value, monkeypatch):
    monkeypatch.setenv("BAROMETRE_EXPORT_RETENTION_DAYS", value)
    with pytest.raises(ConfigurationError) as refused:
        base_settings._positive_integer("BAROMETRE_EXPORT_RETENTION_DAYS", "7")
    assert "BAROMETRE_EXPORT_RETENTION_DAYS" in str(refused.value)
    assert "1 or more" in str(refused.value)


def test_asking_for_an_export_cleans_the_expired_ones(computed, olivia):
    old = export_job_done(computed, user=olivia, finished_at=timezone.now() - timedelta(days=30))
    request_export(user=olivia, wave=computed, table="organisations", fmt="csv")
    assert not Job.objects.filter(pk=old.pk).exists() and not Path(old.output).exists()


def test_a_stored_output_outside_the_exports_folder_is_never_served(
    computed, olivia, client, tmp_path
):
    job = export_job_done(computed, user=olivia)
    elsewhere = tmp_path / "secret.csv"
    elsewhere.write_text("not an export\n")
    Job.objects.filter(pk=job.pk).update(output=str(elsewhere))
    url = reverse("backoffice:export_download", kwargs={"year": 2025, "job_id": job.pk})
    assert client.get(url).status_code == 404


# --- audit ----------------------------------------------------------------------------------

ADDRESS = "203.0.113.7"  # a documentation address (RFC 5737): it must be stored nowhere


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _no_address(entry: AuditEntry) -> None:
    fields = [str(getattr(entry, f.attname)) for f in AuditEntry._meta.concrete_fields]
    assert not any(ADDRESS in value for value in fields)


def test_a_request_is_audited_with_its_table_format_and_organisation(computed, olivia, remi):
    job = request_export(
        user=olivia, wave=computed, table="responses", fmt="dta", organisation="SYN-0002"
    )
    request_export(user=remi, wave=computed, table="items", fmt="csv-fr", organisation="SYN-0001")
    request_export(user=olivia, wave=computed, table=None, fmt="xlsx")
    # pressing the button again while the first is under way: the same job, no new entry
    assert (
        request_export(
            user=olivia, wave=computed, table="responses", fmt="dta", organisation="SYN-0002"
        )
        == job
    )
    entries = _audit("export_request")
    assert [(e.user, e.wave, e.wave_year, e.target) for e in entries] == [
        (olivia, computed, 2025, "table responses, format dta, organisation SYN-0002"),
        (remi, computed, 2025, "table items, format csv-fr, organisation SYN-0001"),
        (olivia, computed, 2025, "table all, format xlsx, organisation whole wave"),
    ]
    assert entries[0].detail == f"job {job.pk}"
    with translation.override("en"):
        assert entries[0].get_action_display() == "wave export requested"
    with translation.override("fr"):
        assert entries[0].get_action_display() == "export de la vague demandé"


def test_a_refused_request_is_not_audited(computed, remi):
    with pytest.raises(ExportRefused):  # no such format
        request_export(user=remi, wave=computed, table="items", fmt="xls", organisation="SYN-0001")
    with pytest.raises(PermissionDenied):  # never the sector estimates for a referent
        request_export(
            user=remi, wave=computed, table="estimates", fmt="csv", organisation="SYN-0001"
        )
    with pytest.raises(PermissionDenied):  # another organisation's
        request_export(user=remi, wave=computed, table="items", fmt="csv", organisation="SYN-0002")
    assert _audit("export_request") == []


def test_a_download_is_audited_and_a_refused_one_is_not(computed, olivia, remi, sofia):
    own = export_job_done(computed, user=remi, organisation="SYN-0001", table="items")
    url = reverse(
        "organisations:export_download",
        kwargs={"external_id": "SYN-0001", "year": 2025, "job_id": own.pk},
    )
    sofia_client = _signed_in(sofia)
    assert sofia_client.get(url, REMOTE_ADDR=ADDRESS).status_code == 403
    assert _audit("export_download") == []
    response = _signed_in(remi).get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    operators = export_job_done(computed, user=olivia, fmt="parquet")
    operator_url = reverse(
        "backoffice:export_download", kwargs={"year": 2025, "job_id": operators.pk}
    )
    assert _signed_in(olivia).get(operator_url, REMOTE_ADDR=ADDRESS).status_code == 200
    entries = _audit("export_download")
    assert [(e.user, e.wave, e.target, e.detail) for e in entries] == [
        (remi, computed, "table items, format csv, organisation SYN-0001", f"job {own.pk}"),
        (
            olivia,
            computed,
            "table organisations, format parquet, organisation whole wave",
            f"job {operators.pk}",
        ),
    ]
    for entry in entries:
        _no_address(entry)


# --- the contract with the core and bad input -----------------------------------------------


def test_the_tables_and_formats_are_the_cores():
    from barometre.interop.exports import FORMAT_SUFFIX, ExportFormat, ExportTable

    assert set(get_args(ExportTable)) == set(TABLES)
    assert set(get_args(ExportFormat)) == set(FORMATS)
    assert {f: FORMAT_SUFFIX[f] for f in FORMATS} == exports.SUFFIXES


PARAMS = st.builds(
    ExportParams,
    table=st.sampled_from([*TABLES, None]),
    format=st.sampled_from(FORMATS),
    language=st.sampled_from(["fr", "en"]),
    organisation=st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_.-]{1,64}", fullmatch=True)),
    requested_by=st.integers(min_value=1, max_value=2**31),
    by_operator=st.booleans(),
)


@given(PARAMS)
def test_a_jobs_params_read_back_as_they_were_written(params):
    stored = json.loads(json.dumps(params.model_dump(mode="json")))  # a JSON column
    assert ExportParams.model_validate(stored) == params


WORDS = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["CSV", "xls", "spss", "sav ", "../x", "\x00", "toutes", "estimate"]),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=WORDS, fmt=WORDS, language=WORDS)
def test_a_bad_request_is_refused_and_starts_nothing(computed, olivia, table, fmt, language):
    if table in TABLES and fmt in FORMATS and language in ("fr", "en"):
        return
    with pytest.raises(ExportRefused):
        request_export(user=olivia, wave=computed, table=table, fmt=fmt, language=language)
    assert not Job.objects.filter(kind=EXPORT).exists()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(st.sampled_from(["table", "format", "language", "organisation"]), WORDS)
)
def test_the_form_never_fails_on_random_input(computed, olivia, data):
    client = _signed_in(olivia)
    url = reverse("backoffice:exports", kwargs={"year": 2025})
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    io.StringIO(response.content.decode())  # a page, never a traceback
