"""The results already stored come under the current disclosure rules (issue 10): a published
wave is never recomputed, so its figures would otherwise stay open to the subtraction attack.

For every wave with results, oldest first, keeping every stored score:

- Scores: a perception gap (per dimension, and the organisation's) is set to null where fewer
  than two respondents stand on a side (management, other roles), and the dispersion where the
  organisation has a single respondent (`scoring.respondents`). The scores file stores the
  respondents by role, which decides when a side has fewer than two respondents in all. When
  both sides have two or more, a side may still have fewer than two respondents *with a score*
  in one dimension (the coverage rule): only for those organisations are the wave's stored
  answers scored again with the stored questionnaire, and a gap is kept only where the current
  rule gives one (answers erased since leave fewer respondents, so this only hides more). An
  organisation with no stored answers left keeps the gaps its respondents by role allow. The
  organisation's gap is then the weighted mean of the dimension gaps left, as the engine
  computes it; every other figure is the stored one.
- Estimates: the current `estimate_wave` from the scores, the wave's frame and its stored
  questionnaire, as a computation did when this migration was written (complementary
  suppression added; the same figures where nothing is newly suppressed), with the variance
  of that time, linearisation, whatever the questionnaire's `methodology.variance` says. Too
  few answers (StatisticsError): no estimates, no change, and the reason in
  `estimate_problem`, as a computation does; the same when the
  stored frame or questionnaire is refused by the current checks (figures that cannot be
  protected are not kept; the gaps the scores file cannot decide are then hidden).
- Change: computed again against the last comparable *published* wave, linearised as a
  computation did when this migration was written; a stored change with no such wave (it
  compared with a wave never published) is removed.

Reverse is a no-op: the unprotected figures cannot be restored, and must not be.
"""

import numpy as np
import pandas as pd
from django.db import migrations

from barometre.comparability import WaveMethod, comparability_problem
from barometre.contracts.base import rounded
from barometre.errors import BarometreError, ComparabilityError, QuestionnaireError
from barometre.questionnaire import parse_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.scoring.respondents import MANAGEMENT_ROLE, MIN_RESPONDENTS_PER_SIDE
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave

PUBLISHED = 50  # Wave.Status.PUBLISHED
FRAME_COLUMNS = [
    "organisation_id",
    "name",
    "organisation_type",
    "dwellings",
    "department",
    "region",
    "size_class",
]


def _questionnaire(wave):
    return parse_questionnaire(wave.questionnaire_yaml, f"wave {wave.year} questionnaire")


def _frame(FrameEntry, wave_pk):
    rows = FrameEntry.objects.filter(wave_id=wave_pk).values_list(
        "organisation__external_id",
        "organisation__name",
        "organisation_type",
        "dwellings",
        "department",
        "region",
        "size_class",
    )
    return pd.DataFrame(list(rows), columns=FRAME_COLUMNS)


def _sides(organisation):
    """Respondents in management and in other roles, from the scores file."""
    roles = organisation.respondents_by_role
    management = roles.get(MANAGEMENT_ROLE, 0)
    return management, sum(roles.values()) - management


def _rescored_gaps(Answer, wave_pk, questionnaire, organisation_ids):
    """{organisation: the dimensions with a gap by the current rule}, from the stored answers
    of those organisations; an organisation without answers left is absent. None when the
    answers no longer score (then every gap of those organisations is hidden)."""
    rows = (
        Answer.objects.filter(
            respondent__wave_id=wave_pk,
            respondent__organisation__external_id__in=organisation_ids,
        )
        .order_by("respondent_id", "field_id")
        .values_list(
            "respondent__organisation__external_id",
            "respondent_id",
            "respondent__role",
            "field_id",
            "value",
        )
    )
    responses = pd.DataFrame(list(rows), columns=RESPONSE_COLUMNS, dtype=object)
    if responses.empty:
        return {}
    responses["respondent_id"] = responses["respondent_id"].astype(str)
    try:
        gaps = score_responses(questionnaire, responses, source="stored answers")
    except BarometreError:
        return None
    table = gaps.dimension_perception_gap
    return {org: frozenset(table.columns[table.loc[org].notna()]) for org in table.index}


def protect_scores(scores, weights, rescore):
    """The scores file under the per-organisation rule. weights: the questionnaire's dimension
    weights; `rescore(ids)`: the current rule's gaps from the stored answers for organisations
    the file alone cannot decide (`_rescored_gaps`)."""
    undecided = [
        o.organisation_id
        for o in scores.organisations
        if min(_sides(o)) >= MIN_RESPONDENTS_PER_SIDE
        and any(d.perception_gap is not None for d in o.dimensions.values())
    ]
    rescored = rescore(undecided) if undecided else {}
    organisations = []
    for organisation in scores.organisations:
        enough_sides = min(_sides(organisation)) >= MIN_RESPONDENTS_PER_SIDE
        several = organisation.n_respondents >= MIN_RESPONDENTS_PER_SIDE
        allowed = None if rescored is None else rescored.get(organisation.organisation_id)
        dimensions = {}
        for dimension_id, dimension in organisation.dimensions.items():
            keep_gap = (
                enough_sides
                and rescored is not None
                and (allowed is None or dimension_id in allowed)
            )
            dimensions[dimension_id] = dimension.model_copy(
                update={
                    "perception_gap": dimension.perception_gap if keep_gap else None,
                    "dispersion": dimension.dispersion if several else None,
                }
            )
        changed = any(
            dimensions[d].perception_gap != organisation.dimensions[d].perception_gap
            for d in dimensions
        )
        gap = organisation.perception_gap
        if changed or not enough_sides:
            gap = _weighted_mean_available(dimensions, weights)
        organisations.append(
            organisation.model_copy(update={"dimensions": dimensions, "perception_gap": gap})
        )
    return scores.model_copy(update={"organisations": tuple(organisations)})


def _weighted_mean_available(dimensions, weights):
    """The organisation's perception gap as the engine computes it from its dimensions'."""
    present = [(d.perception_gap, weights.get(i, 0.0)) for i, d in dimensions.items()]
    present = [(value, weight) for value, weight in present if value is not None]
    total = sum(weight for _value, weight in present)
    if not present or total <= 0:
        return None
    return rounded(float(np.dot([v for v, _w in present], [w for _v, w in present]) / total))


def _previous_published(Wave, wave, questionnaire):
    """The last comparable published wave before this one (`selectors.comparable_previous_wave`)."""
    candidates = (
        Wave.objects.filter(
            year__lt=wave.year,
            status=PUBLISHED,
            scores__isnull=False,
            questionnaire_id=wave.questionnaire_id,
            methodology_version=wave.methodology_version,
        )
        .only("pk", "year", "questionnaire_yaml")
        .order_by("-year")
    )
    for candidate in candidates:
        try:
            earlier = _questionnaire(candidate)
        except QuestionnaireError:
            continue  # not comparable with anything the current code reads
        reason = comparability_problem(
            WaveMethod.of_questionnaire(earlier),
            WaveMethod.of_questionnaire(questionnaire),
            (earlier, questionnaire),
        )
        if reason is None:
            return candidate, earlier
    return None, None


def forwards(apps, schema_editor):
    Wave = apps.get_model("campaigns", "Wave")
    FrameEntry = apps.get_model("campaigns", "FrameEntry")
    Answer = apps.get_model("responses", "Answer")
    # one wave at a time, oldest first: a change reads the previous wave's protected scores
    pks = list(
        Wave.objects.filter(scores__isnull=False).order_by("year").values_list("pk", flat=True)
    )
    for pk in pks:
        wave = Wave.objects.get(pk=pk)
        try:
            questionnaire = _questionnaire(wave)
        except QuestionnaireError as error:
            # a questionnaire the current loader refuses: the gaps the file cannot decide are
            # hidden, and no sector figure is kept that could not be protected
            wave.scores = protect_scores(wave.scores, {}, lambda ids: None)
            wave.estimates = wave.change = None
            wave.estimate_problem = str(error)
            wave.save(update_fields=["scores", "estimates", "change", "estimate_problem"])
            continue
        wave.scores = protect_scores(
            wave.scores,
            {d.id: d.weight for d in questionnaire.dimensions},
            lambda ids, pk=pk, q=questionnaire: _rescored_gaps(Answer, pk, q, ids),
        )
        if wave.estimates is not None:
            try:
                # the variance of the estimates this migration re-ran when it was written
                # (linearisation), not whatever the questionnaire asks today: a migration
                # stays frozen in time
                wave.estimates = estimate_wave(
                    wave.scores,
                    _frame(FrameEntry, pk),
                    questionnaire,
                    wave_year=wave.year,
                    variance="linearisation",
                )
                if wave.change is not None:
                    wave.change = _change(Wave, FrameEntry, wave, questionnaire)
            except BarometreError as error:
                # too few answers (StatisticsError), or a stored frame the current checks
                # refuse: figures that could not be protected are not kept
                wave.estimates = wave.change = None
                wave.estimate_problem = str(error)
        elif wave.change is not None:
            wave.change = _change(Wave, FrameEntry, wave, questionnaire)
        wave.save(update_fields=["scores", "estimates", "change", "estimate_problem"])


def _change(Wave, FrameEntry, wave, questionnaire):
    previous, earlier = _previous_published(Wave, wave, questionnaire)
    if previous is None:
        return None
    before = Wave.objects.only("scores").get(pk=previous.pk).scores
    try:
        return compare_wave_scores(
            before,
            _frame(FrameEntry, previous.pk),
            wave.scores,
            _frame(FrameEntry, wave.pk),
            questionnaire,
            before_year=previous.year,
            after_year=wave.year,
            questionnaires=(earlier, questionnaire),
            variance="linearisation",
        )
    except ComparabilityError:
        return None


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_privacy_closed_at_and_erasable_emails"),
        ("responses", "0003_respondent_pseudonym"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
