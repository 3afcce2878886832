"""Personal pages are private and every page is under a strict Content-Security-Policy
(issue 10, finding 11: "no Content-Security-Policy and no `Cache-Control: no-store` on
personal pages").

- Every URL of the URL conf but the public allow-list answers `Cache-Control: no-store`,
  whoever asks and whatever the answer (a page, a redirect, a refusal): the URLs are walked
  from the URL conf, so that a new view is private unless it is added to the allow-list.
- The public pages (home, the published barometer, its PDF) and static files do not.
- The policy allows no inline script; the `<style>` elements of the charts and the report
  carry the response's nonce.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector
from barometre.web.campaigns.models import AccessLink
from barometre.web.campaigns.services import link_create
from barometre.web.config.middleware import PUBLIC_URL_NAMES
from barometre.web.organisations.models import Membership, Organisation
from tests.helpers import ROOT

TEMPLATES = ROOT / "src/barometre/web/templates"


def url_conf(patterns=None, prefix: str = "", namespace: str = ""):
    """(view name, route) of every URL of the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_conf(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def concrete(route: str, values: dict[str, str]) -> str:
    """The route with each `<converter:name>` replaced by the value for `name` (else 1)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), route)


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def values(wave, alice) -> dict[str, str]:
    """Real values for the routes' parameters: a live respondent link for /repondre/, a live
    referent invitation for /invitation/, the wave's organisation and year."""
    alpha = Organisation.objects.get(external_id="ALPHA")
    link, referent_token = link_create(
        wave=wave, organisation=alpha, kind=AccessLink.Kind.REFERENT, email="rita@alpha.example"
    )
    return {
        "year": str(wave.year),
        "external_id": "ALPHA",
        "link_id": str(link.pk),
        "number": "1",
        "action": "close",
        "uidb64": "MQ",
        "membership_id": "1",
    } | {"token": alice, "referent_token": referent_token}


def every_url(values: dict[str, str]):
    for name, route in url_conf():
        token = values["referent_token"] if name == "organisations:accept" else values["token"]
        yield name, concrete(route, values | {"token": token})


def test_every_non_public_url_is_no_store_for_everyone(client, values, django_user_model):
    olivia = django_user_model.objects.create_user("o@op.example", password="x" * 12, is_staff=True)
    rita = django_user_model.objects.create_user("rita@alpha.example", password="x" * 12)
    Membership.objects.create(user=rita, organisation=Organisation.objects.get(external_id="ALPHA"))
    urls = list(every_url(values))
    assert len(urls) >= 25  # the walk found the URL conf
    for who in (None, rita, olivia):
        client.logout()
        if who is not None:
            client.force_login(who)
        for name, url in urls:
            for response in (client.get(url), client.post(url, {})):
                if name in PUBLIC_URL_NAMES:
                    assert not no_store(response), (who, name, url)
                else:
                    assert no_store(response), (who, name, url, response.status_code)
                    assert "private" in response["Cache-Control"], (who, name, url)


def test_an_unknown_address_is_private_too(client):
    assert no_store(client.get("/nulle-part/"))


def test_the_allow_list_holds_only_pages_that_are_the_same_for_everyone():
    assert {
        "home",
        "public:index",
        "public:sector",
        "public:sector_pdf",
        "method",
        "method_questionnaire",
        "public:opendata",
        "public:questionnaire_yaml",
        "public:questionnaire_xlsform",
        "public:questionnaire_pdf",
        "method_questionnaire_xlsform",
        "method_questionnaire_pdf",
    } == PUBLIC_URL_NAMES


def test_static_files_are_not_no_store(client):
    response = client.get("/static/barometre/app.css")
    assert response.status_code == 200
    assert not no_store(response)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        parts[0]: parts[1:]
        for parts in (directive.split() for directive in header.split(";"))
        if parts
    }


def test_every_page_has_a_strict_policy(client, values):
    for name, url in every_url(values):
        response = client.get(url)
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], name
        assert directives["script-src"] == ["'self'"], name  # no inline script, no eval
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["form-action"] == ["'self'"], name
        assert "'unsafe-inline'" not in directives["style-src-elem"], name


def test_no_template_holds_an_inline_script_or_event_handler():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for script in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in script, (template, script)
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text, template


HLM = load_questionnaire("hlm-2026")


def test_the_charts_and_the_report_carry_the_nonce_of_their_response(db, client, computed_wave):
    sector = simulate_sector(HLM, organisations=30, response_rate=0.5, seed=3)
    wave = computed_wave(sector, then=("publish",))
    answered = wave.scores.organisations[0].organisation_id
    for name in ("organisations:dashboard", "organisations:report_html"):
        response = client.get(reverse(name, kwargs={"external_id": answered, "year": 2026}))
        assert response.status_code == 200, name
        page = response.content.decode()
        nonces = [v for v in policy(response)["style-src-elem"] if v.startswith("'nonce-")]
        assert len(nonces) == 1, name
        styles = re.findall(r"<style\b[^>]*>", page)
        assert styles and "<svg" in page, name
        for style in styles:
            assert f'nonce="{nonces[0][7:-1]}"' in style, (name, style)
    client.logout()
    for public in (
        reverse("home"),
        reverse("public:index"),
        reverse("public:sector", kwargs={"year": 2026}),
        reverse("public:sector_pdf", kwargs={"year": 2026}),
    ):
        response = client.get(public)
        assert response.status_code == 200, public
        assert not no_store(response), public
