"""Who may reach every URL of the site: the matrix is generated from the URL conf.

Every named URL must have a rule below: a new view without one fails
`test_every_url_has_a_rule`, so that no view is ever added without saying who may see it.
Each rule says which of the personas may reach the URL; every persona is then tried on it,
by GET and by POST, and the others must be turned away: sent to sign in (anonymous) or
refused (403 or 404, or 405 for a method the view never takes) — never a page.

Personas: the anonymous reader; Rémi, referent of the first organisation (SYN-0001); Sofia,
referent of the second (SYN-0002), who must not reach Rémi's organisation; Olivia, the
operator. Respondents and invited referents hold no account: their credential is the token
of their link, and a URL carrying a token is tried with the right token (it opens, whoever
asks) and with a wrong one (404, whoever asks).

The waves: 2025 is computed and published (results, reports, the public barometer); 2026 is
open (respondents answer, referents invite).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import AccessLink
from barometre.web.campaigns.services import link_create
from barometre.web.jobs.models import Job
from barometre.web.organisations.models import Membership, Organisation
from tests.web.api.test_permissions import API_RULES
from tests.web.conftest import create_wave, wave_action
from tests.web.test_exports_web import export_job_done

pytestmark = pytest.mark.django_db

ANONYMOUS, REFERENT, OTHER_REFERENT, OPERATOR = "anonymous", "referent", "other", "operator"
PERSONAS = (ANONYMOUS, REFERENT, OTHER_REFERENT, OPERATOR)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = frozenset({REFERENT, OTHER_REFERENT, OPERATOR})
ORGANISATION = frozenset({REFERENT, OPERATOR})  # members of SYN-0001, and the operator
STAFF = frozenset({OPERATOR})
BAD_TOKEN = "x" * 43


@dataclass(frozen=True)
class Rule:
    """Who may reach a URL, and how to fill it in.

    `kwargs(world)` gives the URL's arguments. `allowed` are the personas who reach it.
    `token` marks a URL whose credential is the token in it (`kwargs` gives the right token,
    `wrong_token(world)` the arguments with a wrong one). `methods` are the methods tried on
    the personas who may reach it (POST only where a POST without data changes nothing);
    the others are always tried with both.
    """

    allowed: frozenset[str]
    kwargs: Callable[[World], dict] = lambda world: {}
    methods: tuple[str, ...] = ("GET",)
    token: bool = False
    wrong_token: Callable[[World], dict] | None = None


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    link_id: int = 0
    membership_id: int = 0
    export_job_id: int = 0  # an export of 2025 asked by Olivia (any operator downloads it)
    referent_export_job_id: int = 0  # one of SYN-0001 asked by Rémi (he alone downloads it)


def _respondent(world: World) -> dict:
    return {"token": world.tokens["respondent"]}


def _respondent_bad(world: World) -> dict:
    return {"token": BAD_TOKEN}


def _page(world: World) -> dict:
    return {"token": world.tokens["respondent"], "number": 1}


def _page_bad(world: World) -> dict:
    return {"token": BAD_TOKEN, "number": 1}


def _own(year: int) -> Callable[[World], dict]:
    return lambda world: {"external_id": "SYN-0001", "year": year}


RULES: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "set_language": Rule(EVERYONE, methods=("POST",)),
    "login": Rule(EVERYONE),
    "logout": Rule(EVERYONE, methods=("POST",)),
    "after_login": Rule(SIGNED_IN),
    # passwords: changed when signed in, reset by anyone who holds the mailbox
    "password_change": Rule(SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN),
    "password_reset": Rule(EVERYONE),
    "password_reset_done": Rule(EVERYONE),
    # a wrong reset link shows a page that says so, and lets no one set a password
    "password_reset_confirm": Rule(EVERYONE, lambda world: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Rule(EVERYONE),
    # the respondent's questionnaire: the token is the credential
    "responses:start": Rule(EVERYONE, _respondent, token=True, wrong_token=_respondent_bad),
    "responses:page": Rule(EVERYONE, _page, token=True, wrong_token=_page_bad),
    "responses:save": Rule(
        EVERYONE, _respondent, methods=("POST",), token=True, wrong_token=_respondent_bad
    ),
    "responses:state": Rule(EVERYONE, _respondent, token=True, wrong_token=_respondent_bad),
    "responses:submit": Rule(
        EVERYONE, _respondent, methods=(), token=True, wrong_token=_respondent_bad
    ),
    "responses:thanks": Rule(EVERYONE, _respondent, token=True, wrong_token=_respondent_bad),
    # a referent's invitation: its token too
    "organisations:accept": Rule(
        EVERYONE,
        lambda world: {"token": world.tokens["referent"]},
        token=True,
        wrong_token=lambda world: {"token": world.tokens["respondent"]},
    ),
    # the referents' pages: the members of the organisation and the operator
    "organisations:home": Rule(SIGNED_IN),
    "organisations:dashboard": Rule(ORGANISATION, _own(2026)),
    "organisations:report_html": Rule(ORGANISATION, _own(2025)),
    "organisations:report_pdf": Rule(ORGANISATION, _own(2025)),
    "organisations:revoke": Rule(
        ORGANISATION, lambda world: {**_own(2026)(world), "link_id": world.link_id}
    ),
    # the operator's screens
    "backoffice:waves": Rule(STAFF),
    "backoffice:wave": Rule(STAFF, lambda world: {"year": 2026}),
    "backoffice:reports_archive": Rule(STAFF, lambda world: {"year": 2025}),
    "backoffice:action": Rule(STAFF, lambda world: {"year": 2026, "action": "close"}),
    "backoffice:people": Rule(STAFF, lambda world: {"year": 2026}),
    "backoffice:people_link_revoke": Rule(
        STAFF, lambda world: {"year": 2026, "link_id": world.link_id}
    ),
    "backoffice:people_membership_end": Rule(
        STAFF, lambda world: {"year": 2026, "membership_id": world.membership_id}
    ),
    "backoffice:privacy": Rule(STAFF, methods=("GET", "POST")),
    "backoffice:privacy_export": Rule(STAFF, methods=("POST",)),
    "backoffice:privacy_erase": Rule(STAFF, methods=("POST",)),
    "backoffice:audit": Rule(STAFF),
    "backoffice:wave_audit": Rule(STAFF, lambda world: {"year": 2026}),
    # exports of a wave: the operators' page and files; a referent's own, for the organisation
    "backoffice:exports": Rule(STAFF, lambda world: {"year": 2025}, methods=("GET", "POST")),
    "backoffice:export_download": Rule(
        STAFF, lambda world: {"year": 2025, "job_id": world.export_job_id}
    ),
    "organisations:exports": Rule(ORGANISATION, _own(2025), methods=("GET", "POST")),
    "organisations:export_download": Rule(
        frozenset({REFERENT}),
        lambda world: {**_own(2025)(world), "job_id": world.referent_export_job_id},
    ),
    # the published barometer
    "public:index": Rule(EVERYONE),
    "method": Rule(EVERYONE),
    "method_questionnaire": Rule(EVERYONE),
    "public:sector": Rule(EVERYONE, lambda world: {"year": 2025}),
    "public:sector_pdf": Rule(EVERYONE, lambda world: {"year": 2025}),
    # issue 12: the open data package and the questionnaire's files (published waves)
    "public:opendata": Rule(EVERYONE, lambda world: {"year": 2025}),
    "public:questionnaire_yaml": Rule(EVERYONE, lambda world: {"year": 2025}),
    "public:questionnaire_xlsform": Rule(EVERYONE, lambda world: {"year": 2025}),
    "public:questionnaire_pdf": Rule(EVERYONE, lambda world: {"year": 2025}),
    "method_questionnaire_xlsform": Rule(EVERYONE),
    "method_questionnaire_pdf": Rule(EVERYONE),
}


def url_names() -> Iterator[str]:
    """Every named URL of the URL conf, with its namespace."""

    def walk(resolver: URLResolver, namespace: str) -> Iterator[str]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                yield from walk(entry, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"a URL without a name cannot have a rule: {entry.pattern}"
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    yield from walk(get_resolver(), "")


def test_every_url_has_a_rule():
    names = set(url_names())
    ruled = set(RULES) | set(API_RULES)  # the API's URLs are tried with tokens, over there
    assert names - ruled == set(), "views without a rule in the permission matrix"
    assert ruled - names == set(), "rules for URLs that no longer exist"


@pytest.fixture(scope="module")
def sector():
    return simulate_sector(load_questionnaire("hlm-2026"), organisations=30, seed=5)


@pytest.fixture
def world(client, olivia, sector, computed_wave, tmp_path) -> World:
    published = computed_wave(sector, year=2025, then=("publish",))
    archive = tmp_path / "rapports-2025.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("barometre-2025-SYN-0001.pdf", b"%PDF-1.7")
    Job.objects.create(
        kind="wave_reports",
        wave=published,
        status=Job.Status.DONE,
        output=str(archive),
        finished_at=timezone.now(),
    )
    wave = create_wave(client, sector, 2026)
    wave_action(client, "open", 2026)
    own, other = (Organisation.objects.get(external_id=i) for i in ("SYN-0001", "SYN-0002"))
    users = get_user_model().objects
    memberships = [
        Membership.objects.create(
            user=users.create_user(email, email=email, password="Un mot de passe sûr 2026"),
            organisation=organisation,
        )
        for email, organisation in (("remi@un.example", own), ("sofia@deux.example", other))
    ]
    link, respondent = link_create(
        wave=wave,
        organisation=own,
        kind=AccessLink.Kind.RESPONDENT,
        email="r@un.example",
        role="direction",
    )
    _link, referent = link_create(
        wave=wave, organisation=own, kind=AccessLink.Kind.REFERENT, email="new@un.example"
    )
    exports = [
        export_job_done(published, user=user, organisation=organisation)
        for user, organisation in ((olivia, None), (memberships[0].user, "SYN-0001"))
    ]
    return World(
        tokens={"respondent": respondent, "referent": referent},
        link_id=link.pk,
        membership_id=memberships[0].pk,
        export_job_id=exports[0].pk,
        referent_export_job_id=exports[1].pk,
    )


def _client(persona: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    email = {
        REFERENT: "remi@un.example",
        OTHER_REFERENT: "sofia@deux.example",
        OPERATOR: "olivia@operateur.example",
    }.get(persona)
    if email is not None:
        client.force_login(get_user_model().objects.get(username=email))
    return client


def _denied(response, persona: str) -> bool:
    if persona == ANONYMOUS and response.status_code == 302:
        return response["Location"].startswith(reverse("login"))
    # 405: the method is refused before anyone is asked who they are; nothing is shown
    return response.status_code in (403, 404, 405)


def _reached(response) -> bool:
    """A page, a file, a redirect elsewhere than the sign-in, or the view's own answer to an
    empty form (400): anything but a refusal."""
    if response.status_code == 302:
        return not response["Location"].startswith(reverse("login"))
    return response.status_code in (200, 400)


def _call(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_every_persona_on_every_url(world):
    problems = []
    for name, rule in sorted(RULES.items()):
        url = reverse(name, kwargs=rule.kwargs(world))
        for persona in PERSONAS:
            client = _client(persona)
            if rule.token:
                assert rule.wrong_token is not None
                wrong = reverse(name, kwargs=rule.wrong_token(world))
                for method in ("GET", "POST"):
                    response = _call(client, method, wrong)
                    if response.status_code not in (404, 405):
                        problems.append(f"{persona} {method} {wrong}: {response.status_code}")
            if persona in rule.allowed:
                for method in rule.methods:
                    response = _call(client, method, url)
                    if not _reached(response):
                        problems.append(
                            f"{persona} may reach {method} {url}: {response.status_code}"
                        )
            else:
                for method in ("GET", "POST"):
                    response = _call(client, method, url)
                    if not _denied(response, persona):
                        problems.append(
                            f"{persona} must not reach {method} {url}: {response.status_code}"
                        )
    assert problems == []
