"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).

Every page a test leaves (by a navigation, or when its context closes) is checked with axe-core
against WCAG 2.1 A and AA; a violation fails the test with its rule, impact, elements and page.
axe-core comes from the npm registry, pinned by tests/browser/package-lock.json and installed
into the untracked tests/browser/node_modules by `make test` (`npm ci`).

Where /usr/bin/chromium or axe-core is missing the browser tests are skipped with the reason
printed — except in CI (CI=true), where they must run, so a missing one fails the run instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BAROMETRE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
#: Screenshots for the README are written only when asked (`make screenshots`): a test run
#: writes nothing tracked.
SCREENSHOTS = os.environ.get("BAROMETRE_SCREENSHOTS", "")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not CHROMIUM.exists():
        return f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return (
            f"browser tests need axe-core at {AXE} (`make test` installs it with npm: "
            "npm ci --prefix tests/browser)"
        )
    return ""


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    if not missing:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI must run the browser tests but {missing}.")
    skip = pytest.mark.skip(reason=f"{missing}; skipped on this machine")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


#: Every page tells the test about a Content-Security-Policy violation (a blocked script,
#: style or image) on its console; the test then fails (`no_csp_violation`).
CSP_VIOLATION = "CSP violation:"
_REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', (e) => console.error("
    f"'{CSP_VIOLATION} ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline')"
    " + ' on ' + e.documentURI + ':' + e.lineNumber));"
)
_violations: list[str] = []

#: The accessibility standard every page meets: WCAG 2.1 levels A and AA.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Every document of the application runs axe-core once loaded and reports its violations on
#: the console (`AXE_REPORT` then JSON), so a page the test leaves at once is checked too.
AXE_REPORT = "axe-core report:"
_RUN_AXE = """
window.__axeRun = new Promise((resolve) => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  window.addEventListener('load', () => {
    if (document.contentType !== 'text/html') return resolve(null);
    window.axe.run(document, {runOnly: {type: 'tag', values: TAGS},
                              resultTypes: ['violations']}).then((results) => {
      const report = {url: location.href, violations: results.violations.map((v) => ({
        rule: v.id, impact: v.impact || '', help: v.help,
        targets: v.nodes.map((n) => n.target.join(' '))}))};
      console.log('REPORT' + JSON.stringify(report));
      resolve(report);
    });
  });
});
""".replace("TAGS", json.dumps(list(WCAG_21_AA))).replace("REPORT", AXE_REPORT)


@dataclass(frozen=True)
class AccessibilityViolation:
    """One axe-core rule a page breaks, with the elements that break it."""

    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) on {self.url}: {self.help} — {', '.join(self.targets)}"


_inaccessible: list[AccessibilityViolation] = []


class WatchedContext:
    """A browser context whose every loaded page is checked with axe-core: on load in the
    page, and when the context closes for the pages still open (waiting for their check) and
    for any page left before its check ended (visited again)."""

    def __init__(self, context, *, scripts: bool):
        self._context = context
        self._loaded: list[str] = []
        self._reported: set[str] = set()
        if scripts:
            context.add_init_script(path=str(AXE))
            context.add_init_script(script=_RUN_AXE)
            context.on("console", self._on_console)
            context.on("page", lambda page: page.on("load", self._on_load))

    def _on_load(self, page) -> None:
        if page.url.startswith("http"):
            self._loaded.append(page.url)

    def _on_console(self, message) -> None:
        if message.text.startswith(AXE_REPORT):
            self._record(json.loads(message.text.removeprefix(AXE_REPORT)))

    def _record(self, report) -> None:
        if report is None or report["url"] in self._reported:
            return
        self._reported.add(report["url"])
        _inaccessible.extend(
            AccessibilityViolation(
                url=report["url"],
                rule=violation["rule"],
                impact=violation["impact"],
                help=violation["help"],
                targets=tuple(violation["targets"]),
            )
            for violation in report["violations"]
        )

    def _check(self, page) -> None:
        if not page.is_closed() and page.url.startswith("http"):
            self._record(page.evaluate("() => window.__axeRun"))

    def close(self, **options):
        for page in self._context.pages:
            self._check(page)
        for url in dict.fromkeys(self._loaded):
            if url not in self._reported:
                again = self._context.new_page()
                again.goto(url)
                self._check(again)
        self._context.close(**options)

    def __getattr__(self, name):
        return getattr(self._context, name)


class WatchedBrowser:
    """The browser, whose every context reports CSP violations into `_violations` and
    accessibility violations into `_inaccessible`."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(script=_REPORT_VIOLATIONS)
        context.on(
            "console",
            lambda message: (
                _violations.append(message.text) if message.text.startswith(CSP_VIOLATION) else None
            ),
        )
        return WatchedContext(context, scripts=options.get("java_script_enabled", True))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violation():
    """No page of the test broke the Content-Security-Policy."""
    _violations.clear()
    yield
    assert not _violations, f"Content-Security-Policy violations: {_violations}"


@pytest.fixture(autouse=True)
def no_accessibility_violation():
    """No page the test visited breaks WCAG 2.1 AA, as far as axe-core can tell. (Set up
    before the contexts, so checked after they closed and checked their last pages.)"""
    _inaccessible.clear()
    yield
    report = "\n".join(str(violation) for violation in _inaccessible)
    assert not _inaccessible, f"WCAG 2.1 AA violations (axe-core):\n{report}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def phone(browser):
    """A respondent on a phone."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", device_scale_factor=1
    )
    yield context
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield context
    context.close()


@pytest.fixture
def screenshot_folder(tmp_path) -> Path:
    """docs/screenshots under `make screenshots`, else a temporary folder."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(screenshot_folder):
    def take(page, name: str) -> None:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot_folder / f"{name}.png"), full_page=False)

    return take


@pytest.fixture
def pdf_screenshot(screenshot_folder):
    """Renders a page (from 0) of a PDF's bytes to PNG at 100 dpi, beside the screenshots."""
    import pypdfium2

    def take(pdf: bytes, page: int, name: str) -> None:
        document = pypdfium2.PdfDocument(pdf)
        document[page].render(scale=100 / 72).to_pil().save(screenshot_folder / f"{name}.png")

    return take


#: The frame of the waves made for one respondent (`respondent_token`): one organisation.
ONE_ORGANISATION = (
    "organisation_id,name,organisation_type,dwellings,department\n"
    "SYN-0001,Office synthétique,OPH,9000,59\n"
)


@pytest.fixture
def respondent_token(db):
    """Makes an open wave of one organisation (`ONE_ORGANISATION`) on a questionnaire, and a
    respondent's personal link in the given role: `respondent_token(yaml, role)` is its token."""
    from barometre.web.campaigns.models import AccessLink, Wave
    from barometre.web.campaigns.services import link_create, wave_create, wave_transition
    from barometre.web.organisations.models import Organisation

    def make(questionnaire_yaml: str, role: str, title: str = "Baromètre 2026") -> str:
        wave = wave_create(
            year=2026,
            title=title,
            questionnaire_yaml=questionnaire_yaml,
            frame_csv=ONE_ORGANISATION,
        )
        wave_transition(wave=wave, target=Wave.Status.OPEN)
        _link, token = link_create(
            wave=wave,
            organisation=Organisation.objects.get(),
            kind=AccessLink.Kind.RESPONDENT,
            role=role,
            email=f"{role}@example.org",
        )
        return token

    return make


@dataclass(frozen=True)
class Operator:
    email: str
    password: str


@pytest.fixture
def olivia(db) -> Operator:
    """Olivia, an operator (staff) who signs in with her e-mail address and password."""
    from django.contrib.auth import get_user_model

    olivia = Operator(email="olivia@operateur.example", password="mot-de-passe-d-olivia")
    get_user_model().objects.create_user(
        olivia.email, email=olivia.email, password=olivia.password, is_staff=True
    )
    return olivia


#: Organisations of the small computed wave (`computed`).
COMPUTED_ORGANISATIONS = 12


@pytest.fixture
def computed(db):
    """A computed wave 2026 of a small synthetic sector (the simulator's) on the test
    questionnaire, every respondent having answered."""
    from barometre.files import csv_text
    from barometre.organisations import FRAME_COLUMNS
    from barometre.questionnaire import parse_questionnaire
    from barometre.simulate import simulate_sector
    from barometre.web.campaigns.computation import wave_compute
    from barometre.web.campaigns.models import Wave
    from barometre.web.campaigns.services import wave_create, wave_transition
    from tests.helpers import TINY
    from tests.web.conftest import answer_everything

    sector = simulate_sector(
        parse_questionnaire(TINY), organisations=COMPUTED_ORGANISATIONS, seed=3
    )  # synthetic
    wave = wave_create(
        year=2026,
        title="Baromètre 2026",
        questionnaire_yaml=TINY,
        frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
    )
    wave = wave_transition(wave=wave, target=Wave.Status.OPEN)
    answer_everything(wave, sector)
    wave = wave_transition(wave=wave, target=Wave.Status.CLOSED)
    return wave_compute(wave=wave)
