"""Migration 0008 brings the results stored before issue 10 under the current disclosure rules:
an estimate stored with primary suppression only (built here from the current one, the cells
hidden to protect others put back) lets a reader recover a hidden organisation type by
subtraction, scores stored by the old rule (tests/data/format1/, and a made-up file) show the
perception gap of organisations with a single director, a stored panel change gives away two
joiners. After 0008 nothing is recoverable, those gaps are gone, the figures nothing newly
suppresses are those stored, and the change is what a computation gives now."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pandas as pd
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from barometre.contracts.change import Difference, IndicatorChange
from barometre.contracts.estimates import Domains
from barometre.contracts.vocabulary import FAMILIES
from barometre.questionnaire import build_field_tables, builtin_path, load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector import estimate_sector
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave
from tests.stats.test_disclosure import (
    MINIMUM,
    assert_nothing_recovered,
    domains_of,
    published_figures,
    subtraction,
)
from tests.stats.test_disclosure import units_of as units_of_table
from tests.web.test_migration_0006 import FORMAT1, STORED_BEFORE, store_frame

pytestmark = pytest.mark.django_db(transaction=True)

FORMAT_1_STATE = [("campaigns", "0005_links_emails_digest")]
BEFORE = [
    ("campaigns", "0007_privacy_closed_at_and_erasable_emails"),
    ("responses", "0003_respondent_pseudonym"),
]
#: The built-in questionnaire as a wave stores it from 0006 on.
STORED = builtin_path("hlm-2026").read_text(encoding="utf-8")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture(scope="module")
def sectors():
    """The synthetic sectors the files of format 1 were made from (their README)."""
    questionnaire = load_questionnaire("hlm-2026")
    return {
        year: simulate_sector(questionnaire, organisations=40, response_rate=0.5, seed=year)
        for year in (2025, 2026)
    }


def wave_fields(year, status, questionnaire=STORED):
    return {
        "year": year,
        "title": f"Baromètre {year}",
        "questionnaire_yaml": questionnaire,
        "questionnaire_digest": hashlib.sha256(questionnaire.encode()).hexdigest(),
        "questionnaire_id": "hlm-2026",
        "questionnaire_version": "2026.1",
        "methodology_version": "1.0",
        "status": status,
    }


def store_format_1_waves(sectors, previous_status):
    """At 0005: the 2026 wave published with the files of format 1, its frame, and the 2025
    wave its change was computed against; then migrated to 0007 (0006 upgrades the files
    without recomputing anything). Returns the 2026 wave's pk."""
    apps = migrate(FORMAT_1_STATE)
    Wave = apps.get_model("campaigns", "Wave")
    questionnaire = load_questionnaire("hlm-2026")
    previous = Wave.objects.create(
        **wave_fields(2025, previous_status, STORED_BEFORE),
        scores_json=score_responses(questionnaire, sectors[2025].responses).to_file().to_json(),
    )
    store_frame(apps, previous.pk, sectors[2025].frame)
    wave = Wave.objects.create(
        **wave_fields(2026, 50, STORED_BEFORE),
        scores_json=json.loads((FORMAT1 / "scores-2026.json").read_text()),
        estimates_json=json.loads((FORMAT1 / "estimates-2026.json").read_text()),
        change_json={
            "before_year": 2025,
            **json.loads((FORMAT1 / "change-2025-2026.json").read_text()),
        },
    )
    store_frame(apps, wave.pk, sectors[2026].frame)
    migrate(BEFORE)
    return wave.pk


@pytest.fixture
def published_waves(sectors):
    yield store_format_1_waves(sectors, previous_status=50)
    latest()


def stored_results(apps, pk):
    wave = apps.get_model("campaigns", "Wave").objects.get(pk=pk)
    return wave.scores, wave.estimates, wave.change


def units_of(scores, frame):
    """The organisations that carry each figure, with their value (the attack's knowledge)."""
    return units_of_table(scores.organisation_table(), frame)


# --- a wave estimated with primary suppression only -----------------------------------------


def primary_only(scores, frame, questionnaire):
    """The estimate as the code before issue 10 stored it: the current one, each domain it
    hides only to protect another (complementary) published with its figures, as an estimate
    that hides nothing computes them (the weighting does not depend on the threshold). Both
    linearised, the variance of that code and of the migration (frozen in time), whatever the
    questionnaire's `methodology.variance` says now."""
    protected = estimate_wave(
        scores, frame, questionnaire, wave_year=2026, variance="linearisation"
    )
    method = questionnaire.methodology
    everything = estimate_sector(
        scores.organisation_table(),
        frame,
        dimensions=[d.id for d in questionnaire.dimensions],
        variance="linearisation",
        min_cell=method.calibration_min_cell,
        min_domain=1,
        level_order=[level.code for level in method.levels],
        typology_order=FAMILIES,
    ).domains_record()
    domains = {}
    for variable in ("sector", "organisation_type", "size_class", "region"):
        shown = {d.level: d for d in everything.of(variable)}
        domains[variable] = tuple(
            shown[d.level] if d.suppression == "complementary" else d
            for d in protected.domains.of(variable)
        )
    unprotected = protected.model_copy(update={"domains": Domains(**domains)})
    return protected, unprotected


def with_single_director_gaps(scores):
    """The scores file as the code before issue 10 stored it: a perception gap for each
    organisation with one director and other respondents (its value does not matter here)."""
    organisations = []
    for organisation in scores.organisations:
        roles = organisation.respondents_by_role
        if roles.get("direction") == 1 and sum(roles.values()) > 1:
            dimensions = {
                k: d.model_copy(update={"perception_gap": 4.0})
                for k, d in organisation.dimensions.items()
            }
            organisation = organisation.model_copy(
                update={"perception_gap": 4.0, "dimensions": dimensions}
            )
        organisations.append(organisation)
    return scores.model_copy(update={"organisations": tuple(organisations)})


def store_frame_at_0007(apps, wave_pk, frame):
    store_frame(apps, wave_pk, frame, type_column="organisation_type")


@pytest.fixture(scope="module")
def eighty():
    """80 organisations, 60 % answering: one organisation type is hidden to protect another."""
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=80, response_rate=0.6, seed=2026)
    scores = score_responses(questionnaire, sector.responses).to_file()
    protected, unprotected = primary_only(scores, sector.frame, questionnaire)
    return scores, sector.frame, protected, unprotected


@pytest.fixture
def unprotected_wave(eighty):
    scores, frame, _protected, unprotected = eighty
    apps = migrate(BEFORE)
    wave = apps.get_model("campaigns", "Wave").objects.create(
        **wave_fields(2026, 50),
        scores=with_single_director_gaps(scores).to_json(),
        estimates=unprotected.to_json(),
    )
    store_frame_at_0007(apps, wave.pk, frame)
    yield wave.pk
    latest()


def test_no_stored_cell_is_recoverable_by_subtraction_after_0008(unprotected_wave, eighty):
    scores, frame, protected, _unprotected = eighty
    _scores, stored, _change = stored_results(migrate(BEFORE), unprotected_wave)
    units_by_column, merged = units_of(scores, frame)
    # Before: the sector minus the organisation types shown gives the hidden one's index.
    figures = published_figures(domains_of(stored), lambda d: d.global_index)
    rest_n, _mean = subtraction(
        figures[("sector", "all")],
        [f for (variable, _level), f in figures.items() if variable == "organisation_type"],
    )
    assert 0 < rest_n < MINIMUM
    with pytest.raises(AssertionError):
        assert_nothing_recovered(domains_of(stored), units_by_column, merged)
    latest()
    from barometre.web.campaigns.models import Wave

    wave = Wave.objects.get(pk=unprotected_wave)
    hidden = [(c.organisation_type, c.size_class) for c in wave.estimates.hidden_peer_cells]
    assert_nothing_recovered(domains_of(wave.estimates), units_by_column, merged, hidden)
    assert any(d.suppression == "complementary" for d in wave.estimates.domains.organisation_type)
    # what a computation of the wave gave when the migration was written (linearised)
    assert wave.estimates == protected
    assert wave.estimate_problem == ""


def test_the_figures_nothing_newly_suppresses_are_those_stored(unprotected_wave):
    _scores, before, _change = stored_results(migrate(BEFORE), unprotected_wave)
    latest()
    from barometre.web.campaigns.models import Wave

    after = Wave.objects.get(pk=unprotected_wave).estimates
    kept = newly_hidden = 0
    for variable, cells in domains_of(after).items():
        old_cells = {d.level: d for d in domains_of(before)[variable]}
        for cell in cells:
            if cell.suppression == "complementary":
                assert not old_cells[cell.level].suppressed
                assert cell.global_index.value is None
                newly_hidden += 1
            else:
                assert cell == old_cells[cell.level]
                kept += not cell.suppressed
    assert newly_hidden >= 1 and kept >= 5
    assert after.weighting == before.weighting and after.frame == before.frame


def test_the_gaps_stored_for_a_single_director_are_gone(unprotected_wave, eighty):
    scores, _frame, _protected, _unprotected = eighty
    stored, _estimates, _change = stored_results(migrate(BEFORE), unprotected_wave)
    assert sum(o.perception_gap is not None for o in stored.organisations) >= 10
    latest()
    from barometre.web.campaigns.models import Wave

    # exactly the scores the current code computes: the gaps null, everything else as stored
    assert Wave.objects.get(pk=unprotected_wave).scores == scores


def test_the_gap_of_a_single_director_stored_in_format_1_is_gone(published_waves):
    scores, _estimates, _change = stored_results(migrate(BEFORE), published_waves)
    # every organisation of the format-1 sector has one director, and a gap stored for it
    assert all(o.respondents_by_role.get("direction") == 1 for o in scores.organisations)
    assert any(o.perception_gap is not None for o in scores.organisations)
    latest()
    from barometre.web.campaigns.models import Wave

    after = Wave.objects.get(pk=published_waves).scores
    for old, new in zip(scores.organisations, after.organisations, strict=True):
        assert new.perception_gap is None
        assert all(d.perception_gap is None for d in new.dimensions.values())
        # nothing else of the organisation changes
        assert new.global_index == old.global_index
        assert {k: d.score for k, d in new.dimensions.items()} == {
            k: d.score for k, d in old.dimensions.items()
        }
        assert {k: d.dispersion for k, d in new.dimensions.items()} == {
            k: d.dispersion for k, d in old.dimensions.items()
        }


def test_a_stored_panel_change_with_two_joiners_is_hidden(eighty):
    """The panel change with both sector figures gives the two joiners' total by subtraction:
    stored shown, it is hidden after 0008, the change being what a computation gives now with
    the variance of that time (linearisation, as 0008 re-estimates the waves)."""
    scores, frame, protected, _unprotected = eighty
    questionnaire = load_questionnaire("hlm-2026")
    scored = [o for o in scores.organisations if o.global_index is not None]
    joined = {o.organisation_id for o in scored[:2]}
    earlier = scores.model_copy(
        update={
            "organisations": tuple(
                o for o in scores.organisations if o.organisation_id not in joined
            )
        }
    )
    now = compare_wave_scores(
        earlier,
        frame,
        scores,
        frame,
        questionnaire,
        before_year=2025,
        after_year=2026,
        variance="linearisation",
    )
    assert now.indicator("global").panel.suppressed
    # as stored before issue 10: the panel shown (its numbers do not matter here)
    shown = Difference(
        suppressed=False, value=0.5, se=0.1, ci_low=0.3, ci_high=0.7, n=len(scored) - 2
    )
    stored = now.model_copy(
        update={
            "indicators": {
                name: change.model_copy(update={"panel": shown})
                if isinstance(change, IndicatorChange)
                else change
                for name, change in now.indicators.items()
            }
        }
    )
    apps = migrate(BEFORE)
    Wave = apps.get_model("campaigns", "Wave")
    previous = Wave.objects.create(**wave_fields(2025, 50), scores=earlier.to_json())
    store_frame_at_0007(apps, previous.pk, frame)
    wave = Wave.objects.create(
        **wave_fields(2026, 50),
        scores=scores.to_json(),
        estimates=protected.to_json(),
        change=stored.to_json(),
    )
    store_frame_at_0007(apps, wave.pk, frame)
    try:
        latest()
        from barometre.web.campaigns.models import Wave as Current

        after = Current.objects.get(pk=wave.pk).change
        assert after.indicator("global").panel.suppressed
        assert after == now
    finally:
        latest()


def test_a_change_against_a_wave_never_published_is_removed(sectors):
    pk = store_format_1_waves(sectors, previous_status=40)  # 2025 computed, never published
    try:
        _scores, _estimates, before = stored_results(migrate(BEFORE), pk)
        assert before is not None and before.indicator("global").previous is not None
        latest()
        from barometre.web.campaigns.models import Wave

        wave = Wave.objects.get(pk=pk)
        assert wave.change is None
        assert wave.estimates is not None
    finally:
        latest()


# --- an organisation the scores file alone cannot decide ------------------------------------


def two_directors_one_without_a_dimension(sector, questionnaire):
    """SYN-0002 (one director, five others) gets a second director who answers like the first
    but nothing of the first dimension: a gap there would rest on one director."""
    responses = sector.responses
    dimension = questionnaire.dimensions[0].id
    fields = build_field_tables(questionnaire).fields
    in_dimension = set(fields.index[fields["dimension"] == dimension])
    first = responses[responses["respondent_id"] == "SYN-0002-R01"]
    second = first[~first["item_id"].isin(in_dimension)].assign(respondent_id="SYN-0002-R07")
    return pd.concat([responses, second], ignore_index=True), dimension


def store_answers(apps, wave_pk, responses):
    Organisation = apps.get_model("organisations", "Organisation")
    AccessLink = apps.get_model("campaigns", "AccessLink")
    Respondent = apps.get_model("responses", "Respondent")
    Answer = apps.get_model("responses", "Answer")
    for n, (_respondent, rows) in enumerate(responses.groupby("respondent_id")):
        organisation, _ = Organisation.objects.get_or_create(
            external_id=rows["organisation_id"].iloc[0], defaults={"name": "Office"}
        )
        role = rows["role"].iloc[0]
        link = AccessLink.objects.create(
            wave_id=wave_pk,
            organisation=organisation,
            kind="respondent",
            role=role,
            email=f"p{n}@example.org",
            token_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(days=30),
        )
        respondent = Respondent.objects.create(
            wave_id=wave_pk,
            organisation=organisation,
            role=role,
            link=link,
            pseudonym=f"R-{n:010d}",
        )
        Answer.objects.bulk_create(
            Answer(respondent=respondent, field_id=field, value=str(value))
            for field, value in zip(rows["item_id"], rows["answer"], strict=True)
        )


def test_a_gap_resting_on_one_director_with_a_score_is_hidden_from_the_stored_answers(sectors):
    questionnaire = load_questionnaire("hlm-2026")
    responses, dimension = two_directors_one_without_a_dimension(sectors[2026], questionnaire)
    protected = score_responses(questionnaire, responses).to_file()
    organisation = protected.organisation("SYN-0002")
    assert organisation.respondents_by_role["direction"] == 2
    assert organisation.dimensions[dimension].perception_gap is None  # the current rule
    others = {k: d.perception_gap for k, d in organisation.dimensions.items() if k != dimension}
    assert any(gap is not None for gap in others.values())
    # as stored by the code before issue 10: a gap with one director who has a score
    unprotected_dimension = organisation.dimensions[dimension].model_copy(
        update={"perception_gap": 7.5}
    )
    unprotected = organisation.model_copy(
        update={
            "perception_gap": 3.25,
            "dimensions": {**organisation.dimensions, dimension: unprotected_dimension},
        }
    )
    stored = protected.model_copy(
        update={
            "organisations": tuple(
                unprotected if o.organisation_id == "SYN-0002" else o
                for o in protected.organisations
            )
        }
    )
    apps = migrate(BEFORE)
    Wave = apps.get_model("campaigns", "Wave")
    pk = Wave.objects.create(**wave_fields(2026, 50), scores=stored.to_json()).pk
    store_answers(apps, pk, responses[responses["organisation_id"] == "SYN-0002"])
    try:
        latest()
        from barometre.web.campaigns.models import Wave as Current

        after = Current.objects.get(pk=pk).scores.organisation("SYN-0002")
        assert after.dimensions[dimension].perception_gap is None
        assert {k: d.perception_gap for k, d in after.dimensions.items() if k != dimension} == (
            others
        )
        # the organisation's gap: the mean of the dimension gaps left (every weight is 1)
        left = [gap for gap in others.values() if gap is not None]
        assert after.perception_gap == pytest.approx(sum(left) / len(left), abs=1e-9)
    finally:
        latest()
