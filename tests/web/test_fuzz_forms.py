"""Every form and upload of the web application, fed random and hostile input (issue 10:
"fuzzing in the test suite ... every form and upload"): the only outcomes allowed are success
or a 4xx page or JSON that says what is wrong in the project's words — never a 500, never an
exception (the test client raises any exception a view lets through), and nothing written by
a refused request. The same tests run on PostgreSQL (`make test-postgres`), whose columns
have lengths and refuse NUL characters, unlike SQLite's.

Examples are few in `make test` (`EXAMPLES`, about a tenth of the hypothesis profile's
`max_examples`, at least 8); a profile with more examples (`make fuzz`) runs more.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import link_create
from barometre.web.organisations.models import Membership, Organisation
from barometre.web.responses.models import Answer
from tests.helpers import TINY
from tests.web.test_private_pages_and_csp import url_conf

EXAMPLES = max(8, settings.default.max_examples // 10)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=settings.default.derandomize,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Text a careless user or an attacker types: NUL and control characters, right-to-left
#: marks, emoji, very long lines, numbers in other scripts, markup and formulas.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n",
        "\u202e",
        "\ufeff",
        "😀" * 70,
        "x" * 255,
        "x" * 5000,
        "²",
        "١٢٣",
        "-1",
        "1e30",
        "inf",
        "NaN",
        "9" * 5000,
        "<script>alert(1)</script>",
        "$x^2$",
        "../../etc/passwd",
        "a@b",
        "a" * 250 + "@b.fr",
        "x@" + "y" * 300 + ".fr",
        "'; DROP TABLE campaigns_wave; --",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(min_size=250, max_size=600))
EMAIL = st.one_of(
    NASTY,
    st.emails(),
    st.builds(lambda local, n: f"{local}{'a' * n}@alpha.example", st.emails(), st.integers(0, 300)),
)


def allowed(response) -> None:
    """Success, or a refusal (4xx) that is a page or JSON of the project's own."""
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode(errors="replace")
        assert "Traceback" not in page
        if response.status_code != 405:  # a method not allowed has no page (Django's)
            assert 'class="site-header"' in page, page[:300]  # a page of the product's own


def json_refusal(response) -> None:
    allowed(response)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert body["ok"] is False and body["error"]


# --- signing in, accepting an invitation --------------------------------------------------


@FUZZ
@given(username=TEXT, password=TEXT)
def test_sign_in(client, db, username, password):
    allowed(client.post(reverse("login"), {"username": username, "password": password}))


@pytest.fixture
def referent_token(wave) -> str:
    alpha = Organisation.objects.get(external_id="ALPHA")
    _link, token = link_create(
        wave=wave, organisation=alpha, kind=AccessLink.Kind.REFERENT, email="rita@alpha.example"
    )
    return token


@FUZZ
@given(password=TEXT, token=st.one_of(st.none(), TEXT))
def test_invitation_acceptance_and_account_creation(client, referent_token, password, token):
    url = f"/invitation/{token}/" if token is not None else f"/invitation/{referent_token}/"
    if token is not None and ("/" in token or not token.strip()):
        url = f"/invitation/{referent_token}/"
    response = client.post(url, {"password": password})
    allowed(response)
    if response.status_code == 302:  # the account was made: the next examples meet a used link
        client.logout()


# --- a referent invites a colleague ---------------------------------------------------------


@pytest.fixture
def rita(client, wave, django_user_model):
    user = django_user_model.objects.create_user("rita@alpha.example", password="x" * 12)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id="ALPHA"))
    client.force_login(user)
    return user


@FUZZ
@given(email=EMAIL, role=st.one_of(st.sampled_from(["numerique", "direction"]), TEXT), again=TEXT)
def test_colleague_invitation(client, rita, email, role, again):
    before = AccessLink.objects.count()
    url = reverse("organisations:dashboard", kwargs={"external_id": "ALPHA", "year": 2026})
    response = client.post(url, {"email": email, "role": role, "anyway": again})
    allowed(response)
    if response.status_code != 302:
        assert AccessLink.objects.count() == before  # refused: nothing written


# --- a respondent answers ----------------------------------------------------------------

FIELDS = st.one_of(
    st.sampled_from(
        ["a_scale", "a_single", "a_multi", "a_status.r1", "a_pct", "b_mail", "ctx_comment"]
    ),
    TEXT,
)
VERSION = st.one_of(st.integers(-5, 10**12).map(str), TEXT)


@FUZZ
@given(field=FIELDS, value=TEXT, version=VERSION, session=TEXT)
def test_autosave(client, alice, field, value, version, session):
    before = Answer.objects.count()
    response = client.post(
        reverse("responses:save", kwargs={"token": alice}),
        {"field": field, "value": value, "version": version, "session": session},
    )
    json_refusal(response)
    if response.status_code >= 400:
        assert Answer.objects.count() == before


@FUZZ
@given(
    posted=st.dictionaries(
        st.one_of(
            st.builds(
                lambda kind, f: f"{kind}:{f}",
                st.sampled_from(["f", "multi", "special", "version", "shown"]),
                FIELDS,
            ),
            TEXT,
        ),
        st.one_of(TEXT, VERSION),
        max_size=8,
    ),
    action=st.sampled_from(["", "next", "send", "\x00"]),
    number=st.integers(0, 5),
)
def test_page_post(client, alice, posted, action, number):
    url = f"/repondre/{alice}/page/{number}/"
    allowed(client.post(url, posted | {"action": action}))


# --- the operator: waves from files, invitations from a file ---------------------------------

FRAME_ROW = st.tuples(
    st.one_of(st.sampled_from(["ALPHA", "NEW-1"]), TEXT),  # organisation_id
    st.one_of(st.just("Office"), TEXT),  # name
    st.one_of(st.sampled_from(["OPH", "ESH", "COOP", "SEM"]), TEXT),  # organisation_type
    st.one_of(st.integers(-10, 10**12).map(str), TEXT),  # dwellings
    st.one_of(st.sampled_from(["59", "2A", "971"]), TEXT),  # department
)


def csv_of(header: str, rows) -> bytes:
    """A CSV as a user might make it: cells as typed, commas in them quoted (or not)."""
    lines = [header]
    for row in rows:
        lines.append(",".join(f'"{cell}"' if "," in cell else cell for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


LONG_ID = "q" * 70
QUESTIONNAIRES = st.sampled_from(
    [
        None,  # the built-in hlm-2026
        TINY,
        TINY.replace("id: tiny", f"id: {LONG_ID}"),
        TINY.replace('version: "1"', f'version: "{"9" * 40}"'),
        re.sub(r"\bdirection\b", "d" * 20, TINY),  # a role code longer than its column
        TINY.replace("id: a_scale", f"id: a_{'s' * 140}"),
        "id: [list]\n",
        "\x00",
        "a: &a [*a]\n",
        "{",
    ]
)


@pytest.fixture
def operator(client, db, olivia):
    return olivia


@FUZZ
@given(
    year=st.one_of(st.integers(1990, 2200).map(str), TEXT),
    title=TEXT,
    questionnaire=QUESTIONNAIRES,
    rows=st.lists(FRAME_ROW, max_size=4),
    header=st.sampled_from(
        [
            "organisation_id,name,organisation_type,dwellings,department",
            "organisation_id,name,family,dwellings,department",
            "organisation_id,organisation_id,name",
            "",
        ]
    ),
)
def test_wave_creation_with_frame_and_questionnaire(
    client, operator, year, title, questionnaire, rows, header
):
    waves = Wave.objects.count()
    files = {"frame": SimpleUploadedFile("frame.csv", csv_of(header, rows))}
    if questionnaire is not None:
        files["questionnaire"] = SimpleUploadedFile(
            "q.yaml", questionnaire.encode("utf-8", errors="surrogatepass")
        )
    response = client.post(reverse("backoffice:waves"), {"year": year, "title": title, **files})
    allowed(response)
    if response.status_code != 302:
        assert Wave.objects.count() == waves  # refused: no wave, no frame, nothing


@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.one_of(st.sampled_from(["ALPHA", "BETA", "NOPE"]), TEXT), EMAIL),
        min_size=1,
        max_size=4,
    ),
    again=st.booleans(),
)
def test_invitation_list_upload(client, operator, wave, rows, again):
    links = AccessLink.objects.count()
    upload = SimpleUploadedFile("invitations.csv", csv_of("organisation_id,email", rows))
    data = {"invitations": upload} | ({"invite_again": "on"} if again else {})
    response = client.post(reverse("backoffice:wave", kwargs={"year": 2026}), data)
    allowed(response)
    page = response.content.decode()
    if "invitations.csv:" in page:  # problems listed by line: nothing was created
        assert AccessLink.objects.count() == links


# --- any other form of the URL conf ---------------------------------------------------------


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "confirm",
                "days",
                "q",
                "status",
                "language",
                "next",
                "email",
                "role",
                "password",
                "old_password",
                "new_password1",
                "new_password2",
                "respondent",
                "link",
                "year",
                "action",
                "username",
            ]
        ),
        TEXT,
        max_size=6,
    ),
)
def test_every_post_of_the_url_conf(client, operator, alice, fields):
    """Every URL of the URL conf, posted random fields by an operator: never a 500."""
    values = {"token": alice, "year": "2026", "external_id": "ALPHA", "number": "1"}
    for name, route in url_conf():
        url = "/" + route
        for key, value in values.items():
            url = url.replace(f"<str:{key}>", value).replace(f"<int:{key}>", value)
        for converter in ("<int:link_id>", "<int:membership_id>", "<slug:action>"):
            url = url.replace(converter, "remind-every" if "action" in converter else "1")
        if "<" in url:
            url = url.split("<")[0]
        if name == "logout":
            continue  # signing out ends the example's session, tested apart
        allowed(client.post(url, fields))
        allowed(client.get(url, fields))
