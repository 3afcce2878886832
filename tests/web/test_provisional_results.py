"""A referent sees the organisation's provisional results as soon as its respondents have sent
their answers, before the operator computes the wave (issue 11, item 5).

The tiny questionnaire (tests/helpers.py) is scored by hand:

- Alpha (IT lead): the answers of tests/scoring/test_aggregation.py, dimension A 265 / 6 =
  44.17, B (50 + 100 + 2 x 40) / 4 = 57.5, global (44.17 + 57.5) / 2 = 50.83.
- Beta (customer service): every answer at its best (no percentage: 5 / 6 of A's weight is
  enough), A 100, B 100, global 100.
- Gamma (management): every answer at its worst, A 0, B 0, global 0.

Provisional results show no comparison. Once the wave is computed, with a disclosure minimum
of 2, Alpha compares with Beta and Gamma: the mean of the other responding organisations is
(100 + 0) / 2 = 50 in both dimensions, and Alpha's 50.83 is above one of the two others: the
50th percentile.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create, wave_create, wave_transition
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.organisations.report import dashboard_results
from barometre.web.responses.models import Answer, Respondent
from tests.helpers import TINY
from tests.web.conftest import FRAME

ALPHA = {
    "a_scale": "2",
    "a_single": "y",
    "a_multi": "q|r",
    "a_status.r1": "generalised",
    "a_status.r2": "piloting",
    "a_pct": "35",
    "b_mail": "50",
    "b_sponsor": "yes",
    "b_plan": "draft",
}
BEST = {
    "a_scale": "4",
    "a_single": "z",
    "a_multi": "p|q|r",
    "a_status.r1": "generalised",
    "a_status.r2": "generalised",
    "b_mail": "20",
    "b_sponsor": "yes",
    "b_plan": "done",
}
WORST = {
    "a_scale": "0",
    "a_single": "x",
    "a_multi": "none",
    "a_status.r1": "not_considered",
    "a_status.r2": "not_considered",
    "b_mail": "80",
    "b_sponsor": "no",
    "b_plan": "none",
}
#: The tiny questionnaire with a disclosure minimum of two other organisations.
TINY_MINIMUM_2 = TINY + "methodology:\n  disclosure_minimum: 2\n"


def _wave(questionnaire: str = TINY_MINIMUM_2) -> Wave:
    wave = wave_create(
        year=2026, title="Baromètre 2026", questionnaire_yaml=questionnaire, frame_csv=FRAME
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN)


def _answer(wave: Wave, org: str, role: str, answers: dict[str, str], *, sent: bool = True) -> None:
    organisation = Organisation.objects.get(external_id=org)
    link, _token = link_create(
        wave=wave,
        organisation=organisation,
        kind=AccessLink.Kind.RESPONDENT,
        role=role,
        email=f"{role}@{org.lower()}.example",
    )
    person = Respondent.objects.create(wave=wave, organisation=organisation, link=link, role=role)
    Answer.objects.bulk_create(
        Answer(respondent=person, field_id=field, value=value) for field, value in answers.items()
    )
    if sent:
        person.submitted_at = timezone.now()
        person.save()


def _referent(client, django_user_model, org: str):
    user = django_user_model.objects.create_user(
        f"referent@{org.lower()}.example", password="x" * 12
    )
    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id=org))
    client.force_login(user)
    return user


def _dashboard(client, org: str = "ALPHA"):
    return client.get(reverse("organisations:dashboard", kwargs={"external_id": org, "year": 2026}))


def test_a_referent_sees_provisional_results_once_a_respondent_has_sent(
    db, client, django_user_model
):
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _referent(client, django_user_model, "ALPHA")
    response = _dashboard(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-provisional" in html and "Vos résultats provisoires" in html
    assert "1 répondant de votre organisme" in html  # singular
    assert "Indice global\u202f:" in html and "Famille\u202f:" in html
    assert "<strong data-global>50,8</strong>" in html
    assert "<td>44,2</td>" in html and "<td>57,5</td>" in html  # A and B
    assert "<td>100\u202f%</td>" in html  # coverage of B: every question answered
    # no report of a computed wave yet, and no comparison while the wave is open
    assert (
        reverse("organisations:report_html", kwargs={"external_id": "ALPHA", "year": 2026})
        not in html
    )
    assert "data-comparisons-reason" in html


def test_answers_not_sent_give_no_provisional_results(db, client, django_user_model):
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA, sent=False)
    _referent(client, django_user_model, "ALPHA")
    html = _dashboard(client).content.decode()
    assert "data-global" not in html and "data-no-results" in html


def test_a_missing_global_index_says_which_dimension_lacks_answers(db, client, django_user_model):
    wave = _wave()
    # B: only the plan answered, 2 / 4 of its weight < 65 %: no score in B, no global index
    without_b = {k: v for k, v in ALPHA.items() if not k.startswith("b_")} | {"b_plan": "done"}
    _answer(wave, "ALPHA", "numerique", without_b)
    _referent(client, django_user_model, "ALPHA")
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="ALPHA")
    )
    assert results.report is not None and results.report.data.global_index is None
    assert "Pilotage" in results.global_reason  # dimension B's label
    html = _dashboard(client).content.decode()
    assert "data-global-reason" in html and "<td>50\u202f%</td>" in html  # B's coverage


def _computed(wave: Wave) -> Wave:
    wave = wave_transition(wave=wave, target=Wave.Status.CLOSED)
    return wave_compute(wave=wave)


def test_provisional_results_never_compare_with_other_organisations(db):
    """Open or closed: every answer another organisation sends would move a comparison, and
    two figures read one after the other would give its score by difference."""
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _answer(wave, "BETA", "clientele", BEST)
    _answer(wave, "GAMMA", "direction", WORST)
    alpha = Organisation.objects.get(external_id="ALPHA")
    for status in (Wave.Status.OPEN, Wave.Status.CLOSED):
        if status == Wave.Status.CLOSED:
            wave = wave_transition(wave=wave, target=status)
        results = dashboard_results(wave=wave, organisation=alpha)
        assert results.provisional and results.report is not None
        assert results.report.sector_n == 0 and results.comparisons_reason
        assert [row.sector for row in results.report.dimensions] == [None, None]
        assert results.position is None and results.position_reason


def test_computed_results_compare_with_at_least_the_minimum_of_other_organisations(
    db, client, django_user_model
):
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _answer(wave, "BETA", "clientele", BEST)
    _answer(wave, "GAMMA", "direction", WORST)
    wave = _computed(wave)
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="ALPHA")
    )
    assert not results.provisional and results.comparisons_reason == ""
    assert results.report is not None and results.report.sector_n == 2
    assert [row.sector for row in results.report.dimensions] == [
        pytest.approx(50.0),
        pytest.approx(50.0),
    ]
    assert results.position is not None and results.position.percentile == pytest.approx(50.0)
    _referent(client, django_user_model, "ALPHA")
    html = _dashboard(client).content.decode()
    assert "data-provisional" not in html and "<strong data-global>50,8</strong>" in html
    assert html.count("<td>50,0</td>") == 2  # the other organisations' mean in A and B
    assert "data-position" in html and "<svg" in html.split("data-position", 1)[1]
    # its text alternative: above one of the two others
    assert "supérieur à celui de 50\u202f% des 2 autres organismes répondants" in html


def test_no_comparison_with_fewer_than_the_minimum_of_other_organisations(
    db, client, django_user_model
):
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _answer(wave, "BETA", "clientele", BEST)
    wave = _computed(wave)
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="ALPHA")
    )
    assert results.report is not None and results.report.sector_n == 1
    assert [row.sector for row in results.report.dimensions] == [None, None]
    assert "au moins 2" in results.comparisons_reason and results.position is None
    _referent(client, django_user_model, "ALPHA")
    html = _dashboard(client).content.decode()
    assert "data-comparisons-reason" in html and "<td>100,0</td>" not in html  # Beta's score


def test_the_minimum_comes_from_the_methodology(db):
    """With the default minimum (5), two other organisations are not enough."""
    wave = _wave(TINY)
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _answer(wave, "BETA", "clientele", BEST)
    _answer(wave, "GAMMA", "direction", WORST)
    wave = _computed(wave)
    results = dashboard_results(
        wave=wave, organisation=Organisation.objects.get(external_id="ALPHA")
    )
    assert results.report is not None and results.report.disclosure_minimum == 5
    assert [row.sector for row in results.report.dimensions] == [None, None]
    assert "au moins 5" in results.comparisons_reason and results.position is None


def test_a_referent_of_another_organisation_cannot_see_them(db, client, django_user_model):
    wave = _wave()
    _answer(wave, "ALPHA", "numerique", ALPHA)
    _referent(client, django_user_model, "BETA")
    assert _dashboard(client, "ALPHA").status_code == 403
    own = _dashboard(client, "BETA").content.decode()  # Beta has sent nothing
    assert "50,8" not in own and "data-no-results" in own
