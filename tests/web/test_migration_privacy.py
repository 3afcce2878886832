"""Migrations campaigns 0007 and responses 0003 (docs/privacy.md): existing respondents get a
random pseudonym each, waves already closed start their e-mail retention at the upgrade, and
going back is refused once an address has been erased."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("campaigns", "0006_typed_results_and_organisation_type"),
    ("responses", "0002_answer_versions_and_log"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def old_rows():
    """Two waves (one closed, one open) and three respondents, stored before the migrations."""
    apps = migrate(BEFORE)
    Wave = apps.get_model("campaigns", "Wave")
    Organisation = apps.get_model("organisations", "Organisation")
    AccessLink = apps.get_model("campaigns", "AccessLink")
    Respondent = apps.get_model("responses", "Respondent")
    organisation = Organisation.objects.create(external_id="ALPHA", name="Office Alpha")
    waves = {}
    for year, status in ((2025, 30), (2026, 20)):
        waves[year] = Wave.objects.create(
            year=year,
            title=f"Baromètre {year}",
            questionnaire_yaml="",
            questionnaire_id="tiny",
            questionnaire_version="1",
            methodology_version="1",
            status=status,
        )
    for n in range(3):
        link = AccessLink.objects.create(
            wave=waves[2025],
            organisation=organisation,
            kind="respondent",
            role="numerique",
            email=f"p{n}@alpha.example",
            token_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(days=30),
        )
        Respondent.objects.create(
            wave=waves[2025], organisation=organisation, role="numerique", link=link
        )
    yield
    latest()


def test_existing_respondents_get_distinct_random_pseudonyms(old_rows):
    before = timezone.now()
    latest()
    from barometre.web.campaigns.models import Wave
    from barometre.web.responses.models import Respondent

    pseudonyms = list(Respondent.objects.values_list("pseudonym", flat=True))
    assert len(set(pseudonyms)) == 3
    assert all(re.fullmatch(r"R-[23456789A-HJKMNP-TV-Z]{10}", p) for p in pseudonyms)
    # the closed wave's retention counts from the upgrade; the open one has no closing date
    closed = Wave.objects.get(year=2025)
    assert closed.closed_at is not None and closed.closed_at >= before
    assert Wave.objects.get(year=2026).closed_at is None


def test_going_back_is_refused_once_an_address_was_erased(old_rows):
    latest()
    from barometre.web.responses.privacy import emails_retention

    assert [w.addresses for w in emails_retention(now=timezone.now() + timedelta(days=91))] == [3]
    with pytest.raises(RuntimeError, match="erased"):
        migrate(BEFORE)


def test_going_back_works_while_no_address_was_erased(old_rows):
    latest()
    apps = migrate(BEFORE)
    Respondent = apps.get_model("responses", "Respondent")
    assert Respondent.objects.count() == 3
