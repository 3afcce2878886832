"""In a browser: Olivia, the operator, asks for an SPSS export of a computed wave from its
page, sees it wait (the worker is busy: the queue only stores the task), starts filling in
the form for another one, and sees the list of exports update by itself when the worker has
made it — no reload: what she typed and her focus stay (WCAG 2.2.1, 2.2.2); then downloads
it and SPSS's reader opens it with its labels.

The wave is a small synthetic sector (the simulator's) on the test questionnaire."""

from __future__ import annotations

import pyreadstat
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from barometre.web.campaigns.exports import request_export
from barometre.web.jobs.models import Job
from barometre.web.jobs.services import job_run
from barometre.web.responses.models import Respondent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_worker(settings):
    """Tasks are stored, not run: the job waits until the test runs it as the worker would."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "emails"],
        }
    }


def test_operator_asks_for_an_export_follows_it_and_downloads_it(
    live_server, desktop, olivia, computed, busy_worker, tmp_path, screenshot
):
    page = desktop.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(olivia.email)
    page.get_by_label("Mot de passe").fill(olivia.password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="2026").click()
    page.get_by_role("link", name="Exporter les données de la vague").click()
    expect(page.locator("h1")).to_have_text("Exports — Baromètre 2026")

    page.get_by_label("Table").select_option(label="Réponses, une ligne par répondant")
    page.get_by_label("Format").select_option(label="SPSS (.sav) avec les libellés")
    page.get_by_role("button", name="Demander l’export").click()
    expect(page.get_by_text("L’export a commencé")).to_be_visible()
    row = page.locator("tr[data-export]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("en attente")
    notice = page.locator("[data-exports-under-way]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Cette liste le suit d’elle-même.")  # the script runs
    expect(notice.get_by_role("link", name="Actualiser maintenant")).to_be_visible()
    expect(row.get_by_role("link", name="Télécharger")).to_have_count(0)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0

    # she starts on another export while this one waits; the page must not reload under her
    page.get_by_label("Table").select_option(
        label="Scores des organismes (une ligne par organisme)"
    )
    organisation = page.get_by_label("Organisme (identifiant")
    organisation.fill("SYN-0003")
    page.evaluate("window.__notReloaded = true")

    job = Job.objects.get(kind="wave_export")
    job_run(job.pk)  # the worker gets to it; nobody clicks "Actualiser maintenant"
    expect(row).to_contain_text("terminé", timeout=15_000)  # the list followed by itself
    expect(notice).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True  # the list changed, not the page
    expect(organisation).to_have_value("SYN-0003")
    expect(organisation).to_be_focused()
    expect(page.get_by_label("Table")).to_have_value("organisations")
    with page.expect_download() as download:
        row.get_by_role("link", name="Télécharger").click()
    assert download.value.suggested_filename == "barometre-2026-responses.sav"
    page.set_viewport_size({"width": 1280, "height": 1400})  # the form and the finished export
    screenshot(page, "operator-exports-fr-desktop")
    path = tmp_path / "export.sav"
    download.value.save_as(path)
    table, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert len(table) == Respondent.objects.filter(wave=computed).count()
    assert meta.column_labels and meta.variable_value_labels


def _sign_in(page, url: str, olivia) -> None:
    page.goto(f"{url}/connexion/")
    page.get_by_label("Adresse électronique").fill(olivia.email)
    page.get_by_label("Mot de passe").fill(olivia.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="2026")).to_be_visible()


@pytest.mark.slow  # waits for the script's polls (every 3 seconds)
def test_the_list_shows_an_export_asked_elsewhere_and_stops_asking_once_none_is_under_way(
    live_server, desktop, olivia, computed, busy_worker
):
    operator = get_user_model().objects.get(username="olivia@operateur.example")
    first = request_export(user=operator, wave=computed, table="items", fmt="csv")
    page = desktop.new_page()
    _sign_in(page, live_server.url, olivia)
    url = f"{live_server.url}/operateur/vague/2026/exports/"
    page.goto(url)
    rows = page.locator("tr[data-export]")
    expect(rows).to_have_count(1)
    # another export asked in another tab: a new row, the whole list put in place
    second = request_export(user=operator, wave=computed, table="organisations", fmt="csv-fr")
    expect(rows).to_have_count(2, timeout=15_000)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if request.url == url else None)
    job_run(first.pk)
    job_run(second.pk)
    expect(page.locator("tr[data-export-status='done']")).to_have_count(2, timeout=15_000)
    expect(page.locator("[data-exports-under-way]")).to_have_count(0)
    asked = len(polls)
    assert asked >= 1  # the rows turned done by a poll of the page
    page.wait_for_timeout(4_000)  # more than a poll's interval
    assert len(polls) == asked  # none under way: it no longer asks


def test_without_javascript_the_refresh_link_follows_the_export(
    live_server, browser, olivia, computed, busy_worker
):
    operator = get_user_model().objects.get(username="olivia@operateur.example")
    job = request_export(user=operator, wave=computed, table="items", fmt="csv")
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        _sign_in(page, live_server.url, olivia)
        page.goto(f"{live_server.url}/operateur/vague/2026/exports/")
        notice = page.locator("[data-exports-under-way]")
        expect(notice).to_contain_text("Un export est en cours.")
        follows = notice.get_by_text("Cette liste le suit d’elle-même.")
        expect(follows).to_have_count(1)
        expect(follows).to_be_hidden()  # untrue without the script: not shown
        job_run(job.pk)
        notice.get_by_role("link", name="Actualiser maintenant").click()
        expect(page.locator("tr[data-export]")).to_contain_text("terminé")
        expect(notice).to_have_count(0)
    finally:
        context.close()
