"""A live Op Koers server on a throwaway SQLite database, and headless Chromium driven by Playwright.

Outside CI these tests skip when Chromium is missing (`apt-get install chromium` enables them);
with CI=true they must run."""

import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from opkoers import create_app
from opkoers.extensions import db
from opkoers.models import User
from opkoers.services import budget
from opkoers.timeutil import local_today

from ..factories import Factory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is missing in CI: .ci/run should have installed Debian's chromium.")
        pytest.skip(
            "Browser tests skipped: install Debian's chromium (apt-get install chromium) to run them."
        )
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-test` (npm ci) first.")
    return CHROMIUM


def new_app(name: str):
    """The app with CSRF on, on an empty SQLite database of its own in a temporary folder."""
    folder = tempfile.mkdtemp(prefix=f"opkoers-{name}-")
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/{name}.db", "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        db.create_all()
    return app


@contextmanager
def serving(app):
    """The app served on a free port of 127.0.0.1, in a thread; gives its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_app():
    return new_app("browser")


@pytest.fixture(scope="session")
def live_server(live_app):
    with serving(live_app) as address:
        yield address


@pytest.fixture(scope="session")
def people(live_app):
    """Organisations, neighbourhoods, life domains and one user per role, committed."""
    with live_app.app_context():
        f = Factory()
        f.life_domains()
        gemeente = f.organisation("Gemeente Houten", "gemeente")
        schuldhulp = f.organisation("Schuldhulp Houten", "schuldhulp")
        team = f.organisation("Buurtteam Houten Noord", "buurtteam")
        f.neighbourhood("Houten Noord-Oost", team)
        users = {
            "projectgroep": f.user(
                "projectgroep", gemeente, name="Fatima El Amrani", email="pg@example.test"
            ),
            "professional": f.user(
                "professional", schuldhulp, name="Joost de Vries", email="prof@example.test"
            ),
            "buurtteam": f.user("buurtteam", team, name="Sanne Bakker", email="bt@example.test"),
            "beheerder": f.user("beheerder", gemeente, name="Peter Jansen", email="admin@example.test"),
        }
        db.session.commit()
        return {role: user.email for role, user in users.items()}


@pytest.fixture
def admitted_case(live_app, people):
    """A running case with its budget open and a round table held yesterday; gives its id."""
    with live_app.app_context():
        f = Factory()
        case = f.case("in_progress", client_name="Lotte de Boer")
        chair = db.session.scalar(select(User).where(User.email == people["projectgroep"]))
        budget.open_budget(chair, case)
        f.meeting(case, chair, day=local_today() - timedelta(days=1))
        db.session.commit()
        return case.id


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def new_context(browser, base_url: str, **options):
    """A browser context in which every page loads axe-core, ready for check_accessibility (sending
    it again for each check took a fifth of a second). bypass_csp lets axe-core in; the app's own
    pages still run under the strict CSP."""
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="nl-NL", **options)
    context.add_init_script(path=str(AXE))
    context.js_errors = []  # a test asserts it stays empty: no JavaScript error on any of its pages
    context.on("weberror", lambda error: context.js_errors.append(str(error.error)))
    return context


@contextmanager
def browsing(browser, base_url: str, email: str | None = None, **options):
    """A page in a new browser context (logged in as email, if given). No JavaScript error may have
    happened on any of its pages by the time the test is done with it."""
    context = new_context(browser, base_url, **options)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            log_in(page, email, check=False)
        yield page
    finally:
        context.close()
    assert context.js_errors == [], f"JavaScript errors on the page: {context.js_errors}"


@pytest.fixture
def page(browser, live_server):
    with browsing(browser, live_server) as page:
        yield page


def check_accessibility(page) -> None:
    """axe-core at WCAG 2.1 A and AA: zero violations on what the page shows now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']
        })"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert violations == [], f"Accessibility violations on {page.url}:\n" + "\n".join(violations)


def log_in(page, email: str, check: bool = True) -> None:
    page.goto("/login")
    if check:
        check_accessibility(page)
    page.fill("#email", email)
    page.fill("#password", Factory.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/start")
