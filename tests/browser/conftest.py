"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).

Where /usr/bin/chromium is missing the browser tests are skipped with the reason printed —
except in CI (CI=true), where they must run, so a missing browser fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BAROMETRE_CHROMIUM", "/usr/bin/chromium"))
#: Screenshots for the README are written only when asked (`make screenshots`): a test run
#: writes nothing tracked.
SCREENSHOTS = os.environ.get("BAROMETRE_SCREENSHOTS", "")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI must run the browser tests but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} "
        "(apt-get install chromium); skipped on this machine"
    )
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


class WatchedBrowser:
    """The browser, whose every context reports CSP violations into `_violations`."""

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
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violation():
    """No page of the test broke the Content-Security-Policy."""
    _violations.clear()
    yield
    assert not _violations, f"Content-Security-Policy violations: {_violations}"


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
def screenshot(tmp_path):
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)

    return take
