"""Migration 0006 upgrades a wave's results of format 1 in place: the files written by the
code before it (tests/data/format1/) become what the current code computes from the same
synthetic sector, and the stored questionnaire speaks of the organisation type."""

from __future__ import annotations

import hashlib
import json
import math

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import builtin_path, load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave
from tests.helpers import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

FORMAT1 = ROOT / "tests" / "data" / "format1"
BEFORE = [("campaigns", "0005_links_emails_digest")]
#: The built-in questionnaire as a wave stored it before 0006.
STORED_BEFORE = (
    builtin_path("hlm-2026")
    .read_text(encoding="utf-8")
    .replace("context: organisation_type", "context: family")
    .replace('{fr: "Type de votre organisme"', '{fr: "Famille de votre organisme"')
)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_wave():
    """A computed wave stored with the results of format 1, at migration 0005."""
    apps = migrate(BEFORE)
    Wave = apps.get_model("campaigns", "Wave")
    wave = Wave.objects.create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=STORED_BEFORE,
        questionnaire_digest=hashlib.sha256(STORED_BEFORE.encode()).hexdigest(),
        questionnaire_id="hlm-2026",
        questionnaire_version="2026.1",
        methodology_version="1.0",
        status=40,
        scores_json=json.loads((FORMAT1 / "scores-2026.json").read_text()),
        estimates_json=json.loads((FORMAT1 / "estimates-2026.json").read_text()),
        change_json={
            "before_year": 2025,
            **json.loads((FORMAT1 / "change-2025-2026.json").read_text()),
        },
    )
    yield wave.pk
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def close(a, b, path=""):
    """The same JSON document, numbers to 1e-9 (the estimate of format 1 was made from scores
    not yet rounded to 10 decimals)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        # omega comes from an iterative one-factor fit: equal to its convergence tolerance.
        tolerance = 1e-7 if path.endswith(".omega") else 1e-9
        assert math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance), (path, a, b)
    else:
        assert a == b, (path, a, b)


def store_frame(apps, wave_pk, frame, type_column: str = "family"):
    """The wave's frame as stored at 0005 (a computed wave always has one); from 0006 on, the
    column of the type of organisation is `organisation_type`."""
    Organisation = apps.get_model("organisations", "Organisation")
    FrameEntry = apps.get_model("campaigns", "FrameEntry")
    for row in frame.itertuples():
        FrameEntry.objects.create(
            wave_id=wave_pk,
            organisation=Organisation.objects.get_or_create(
                external_id=row.organisation_id, defaults={"name": row.name}
            )[0],
            **{type_column: row.organisation_type},
            dwellings=int(row.dwellings),
            department=row.department,
            region=row.region,
            size_class=row.size_class,
        )


def store_previous_wave(apps, sector, questionnaire):
    """The published 2025 wave the change of format 1 was computed against (README), with
    scores of format 2 (0006 leaves them as they are)."""
    Wave = apps.get_model("campaigns", "Wave")
    wave = Wave.objects.create(
        year=2025,
        title="Baromètre 2025",
        questionnaire_yaml=STORED_BEFORE,
        questionnaire_digest=hashlib.sha256(STORED_BEFORE.encode()).hexdigest(),
        questionnaire_id="hlm-2026",
        questionnaire_version="2026.1",
        methodology_version="1.0",
        status=50,
        scores_json=score_responses(questionnaire, sector.responses).to_file().to_json(),
    )
    store_frame(apps, wave.pk, sector.frame)


def test_format_1_results_become_what_the_current_code_computes(old_wave):
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=40, response_rate=0.5, seed=2026)
    previous = simulate_sector(questionnaire, organisations=40, response_rate=0.5, seed=2025)
    # 0008 estimates the wave again from its frame, and its change against the previous
    # published wave (the disclosure rules of issue 10): both are stored, as a real wave has.
    apps = migrate(BEFORE)
    store_frame(apps, old_wave, sector.frame)
    store_previous_wave(apps, previous, questionnaire)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from barometre.web.campaigns.models import Wave
    from barometre.web.campaigns.questionnaires import wave_questionnaire

    wave = Wave.objects.get(pk=old_wave)
    scores = score_responses(questionnaire, sector.responses).to_file()
    # Scores: exactly the current code's file (renamed keys, rounded to 10 decimals).
    assert wave.scores == scores
    # Estimates: the same figures under the new names; the weighting's free-text reason and
    # notes keep the words they were written with.
    # Format-1 estimates were linearised (the default then), and 0008 re-estimates them so.
    estimates = estimate_wave(
        scores, sector.frame, questionnaire, wave_year=2026, variance="linearisation"
    ).to_json()
    upgraded = wave.estimates.to_json()
    for words in ("reason", "notes"):
        upgraded["weighting"].pop(words), estimates["weighting"].pop(words)
    upgraded["method"]["variance"] = estimates["method"]["variance"]
    close(upgraded, estimates)
    assert wave.estimates.domains.organisation_type[0].level == "OPH"
    # Change: the years and the methodology version now in the file.
    change = wave.change
    assert (change.before_year, change.after_year, change.methodology_version) == (
        2025,
        2026,
        "1.0",
    )
    global_change = change.indicator("global")
    assert global_change is not None and global_change.population.value is not None
    before = score_responses(questionnaire, previous.responses).to_file()
    # ... and the change likewise (0008 computes it linearised, as the change was then).
    expected = compare_wave_scores(
        before,
        previous.frame,
        scores,
        sector.frame,
        questionnaire,
        before_year=2025,
        after_year=2026,
        variance="linearisation",
    )
    close(change.to_json(), expected.to_json())
    # The stored questionnaire: the new context key and label, and its digest up to date.
    assert "context: organisation_type" in wave.questionnaire_yaml
    assert "Famille de votre organisme" not in wave.questionnaire_yaml
    assert wave.questionnaire_digest == hashlib.sha256(wave.questionnaire_yaml.encode()).hexdigest()
    parsed, _tables = wave_questionnaire(wave)
    assert parsed.context_item("organisation_type").label.fr == "Type de votre organisme"


def test_the_frame_column_is_renamed_with_its_values(old_wave):
    apps = migrate(BEFORE)
    Organisation = apps.get_model("organisations", "Organisation")
    FrameEntry = apps.get_model("campaigns", "FrameEntry")
    frame = simulate_sector(
        load_questionnaire("hlm-2026"), organisations=40, response_rate=0.5, seed=2026
    ).frame
    assert "organisation_type" in csv_text(frame[FRAME_COLUMNS]).splitlines()[0]
    row = frame.iloc[0]
    FrameEntry.objects.create(
        wave_id=old_wave,
        organisation=Organisation.objects.create(external_id=row["organisation_id"], name="x"),
        family=row["organisation_type"],
        dwellings=int(row["dwellings"]),
        department=row["department"],
        region=row["region"],
        size_class=row["size_class"],
    )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from barometre.web.campaigns.models import FrameEntry as Current

    assert list(Current.objects.values_list("organisation_type", flat=True)) == [
        row["organisation_type"]
    ]


def test_going_back_before_0006_is_refused_while_results_are_of_format_2(old_wave):
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    with pytest.raises(RuntimeError, match="format 2"):
        migrate(BEFORE)
