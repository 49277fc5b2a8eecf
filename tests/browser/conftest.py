"""Headless Chromium (Debian's `chromium`, driven by Playwright) against pytest-django's
live server.

The browser is launched once for the package: every browser test runs on one xdist
worker (the `browser` group, tests/conftest.py), one after another. If it cannot be
launched (not installed, or not startable here) every browser test is skipped with a loud
message: the reason is printed to stderr, raised as a warning, and given as the skip
reason. `make browser` installs it.

Screenshots go to test-artifacts/screens/ (ignored by git).
"""

import os
import shutil
import sys
import warnings
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.support import factories

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"

SCREENS = ARTIFACTS / "screens"

# WCAG 2.1 A and AA only, and only the violations: axe otherwise also sends back every rule
# that passed, with its elements, a quarter of the width test's time.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


_SKIPPED: set[str] = set()


def pytest_terminal_summary(terminalreporter):
    """Repeat the reason at the end of the run, where nobody can miss it."""
    for reason in sorted(_SKIPPED):
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: {reason}", red=True, bold=True)


def _loud_skip(reason: str):
    message = (
        "\n" + "!" * 78 + f"\n!! BROWSER TESTS SKIPPED: {reason}\n"
        "!! Install Debian's chromium (`make browser`) or set CHROMIUM_PATH.\n" + "!" * 78 + "\n"
    )
    print(message, file=sys.stderr, flush=True)
    _SKIPPED.add(reason)
    warnings.warn(f"Browser tests skipped: {reason}", stacklevel=2)
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time():
    """The live server answers one request at a time when the test database is SQLite.

    pytest-django's live server shares the test's in-memory SQLite connection with its
    request threads; two requests at once (an htmx autosave overlapping a click, as a
    real browser does) then fail with "database table is locked". That is an artefact of
    the in-memory test database, not of the application (a file database in WAL mode, or
    PostgreSQL, takes concurrent requests), so on SQLite the server is made single-threaded;
    Django then closes each connection after its response. PostgreSQL keeps the threads."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return

    class SingleThreadedServer(WSGIServer):
        # LiveServerThread.run() already gives its thread the shared connection.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    original = LiveServerThread.server_class
    LiveServerThread.server_class = SingleThreadedServer
    try:
        yield
    finally:
        LiveServerThread.server_class = original


@pytest.fixture(scope="package")
def _browser_or_reason():
    """(browser, None) or (None, why it could not start). Never raises, so a failure to
    launch is reported by each test as a loud skip.

    Package-scoped on purpose, not session-scoped: while Playwright's sync API is started,
    an asyncio loop counts as running in this thread, and Django refuses synchronous ORM
    calls there (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The
    variable is set only while the browser tests run (one after another, in one xdist
    group), and Playwright is stopped after the last of them, so the rest of the test
    session keeps Django's guard. Launching Chromium once, not once per module, spares
    about a second per module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield from _launch()


def _launch():
    path = _chromium_path()
    if path is None:
        yield None, "no chromium executable found (looked for chromium, chromium-browser, google-chrome)"
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        yield None, f"playwright is not installed ({error})"
        return
    manager = sync_playwright()
    try:
        playwright = manager.start()
    except Exception as error:
        yield None, f"playwright could not start ({error})"
        return
    try:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    except Exception as error:
        manager.__exit__(None, None, None)
        yield None, f"chromium at {path} could not be launched: {str(error).splitlines()[0]}"
        return
    try:
        yield browser, None
    finally:
        browser.close()
        manager.__exit__(None, None, None)


@pytest.fixture
def browser(_browser_or_reason):
    browser, reason = _browser_or_reason
    if browser is None:
        _loud_skip(reason)
    return browser


@pytest.fixture
def screens():
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS


class Session:
    """One person at one browser: a fresh context (no cookies shared with anyone else),
    logged in through the login form."""

    def __init__(self, browser, base_url: str, screens: Path | None = None):
        self.context = browser.new_context(
            base_url=base_url, locale="sv-SE", viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(5_000)
        self.page = self.context.new_page()
        self.screens = screens
        self.errors: list[str] = []
        self.csp: list[str] = []
        self.closed = False
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        self.page.on("console", self._console)

        self.page.on("response", self._response)

    def _console(self, message):
        if message.type != "error" or "favicon" in (message.location or {}).get("url", ""):
            return
        if "Content Security Policy" in message.text:
            if not (message.location or {}).get("url"):
                # Refused in a script with no address: one the test put into the page
                # itself (axe-core adds a <style> while it checks the admin's change form),
                # not the platform's. What the page or its files do has their address.
                return
            # Reported as a warning: what the policy refuses is a finding for the page's
            # owner, and the walk goes on without it.
            self.csp.append(f"{self.page.url}: {message.text}")
        elif "status of 4" not in message.text:  # 4xx are asserted by the tests that cause them
            self.errors.append(f"{self.page.url}: {message.text}")

    def _response(self, response):
        if response.status >= 500:
            self.errors.append(f"{response.request.method} {response.url} answered {response.status}")

    def login(self, user, password: str = factories.PASSWORD):
        page = self.page
        page.goto("/logga-in/")
        page.get_by_label("Användarnamn").fill(user.username)
        page.get_by_label("Lösenord").fill(password)
        page.locator("main").get_by_role("button", name="Logga in").click()
        page.wait_for_url("**/hem/")
        return self

    def serious_violations(self) -> list[dict]:
        """axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as
        it is now (axe's own result objects: id, impact, help, helpUrl, nodes)."""
        from axe_playwright_python.sync_playwright import Axe

        found = Axe().run(self.page, options=AXE_OPTIONS).response["violations"]
        return [v for v in found if v["impact"] in {"serious", "critical"}]

    def shot(self, name: str):
        if self.screens is not None:
            self.page.screenshot(path=str(self.screens / f"{name}.png"), full_page=True)

    def close(self):
        if not self.closed:
            self.closed = True
            self.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture
def open_session(request, browser, live_server, screens):
    """open_session(user) -> a logged-in Session; open_session() -> an anonymous one."""
    sessions = []

    def make(user=None) -> Session:
        session = Session(browser, live_server.url, screens)
        sessions.append(session)
        if user is not None:
            session.login(user)
        return session

    yield make
    if getattr(request.node, "browser_call_failed", False):
        for n, session in enumerate(sessions):
            if not session.closed:
                session.shot(f"FAILED-{request.node.name}-{n}")
    errors = [error for session in sessions for error in session.errors]
    refused = sorted({line for session in sessions for line in session.csp})
    if refused:
        warnings.warn("Content-Security-Policy refused something:\n" + "\n".join(refused), stacklevel=1)
    for session in sessions:
        session.close()
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors))
