"""Every page of the app passes axe-core at WCAG 2.1 AA, for every role.

The walk takes each GET endpoint of the URL map (through the access matrix, which lists every
endpoint and the ids its URL needs) and opens it in Chromium as each role — also the pages a role
is refused (403, 404) and the login page for someone not logged in, because an error page is a page
too. The roles that are not involved see the empty lists; the world's client has a long name.
Downloads (CSV, calendar, JSON, attachments) are not pages and are left out."""

import tempfile
import threading

import pytest
from werkzeug.serving import make_server

from opkoers import create_app
from opkoers.extensions import db

from ..factories import Factory
from ..test_access_matrix import MATRIX, NO_GET, ROLES, World
from .conftest import check_accessibility, log_in, new_context

# Not HTML: files to save or to subscribe to.
DOWNLOADS = {
    "budget.overview_csv",
    "deviations.register_csv",
    "impact.report_csv",
    "privacy.export_json",
    "meetings.ics",
    "feed.calendar",
    "mail.attachment",
    "main.healthz",
}
# Long names must not break a page (the not-involved roles see the empty lists).
LONG_NAME = "Anna-Maria Wilhelmina van den Heuvel-Bosschaert de Vries-Oudshoorn van Leeuwenhoek"
# Pages that send whoever opens them elsewhere (the redirect's target is walked itself).
ELSEWHERE = {"main.home", "auth.code", "auth.logout"}


@pytest.fixture(scope="module")
def walk(chromium_path):
    """Its own server: the world's organisation names must not meet those of other browser tests."""
    folder = tempfile.mkdtemp(prefix="opkoers-walk-")
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/walk.db", "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        db.create_all()
        world = World(Factory())
        world.case.client.name = LONG_NAME
        db.session.commit()
        urls = {
            endpoint: world.url(endpoint)
            for endpoint, methods in MATRIX.items()
            if methods.get("GET", NO_GET) is not NO_GET and endpoint not in DOWNLOADS | ELSEWHERE
        }
        emails = {role: user.email for role, user in world.users.items()}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", urls, emails
    server.shutdown()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(browser, walk, role):
    base, urls, emails = walk
    context = new_context(browser, base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        if role != "anonymous":
            log_in(page, emails[role], check=False)
        problems, seen = [], set()
        for endpoint, url in sorted(urls.items()):
            expected = MATRIX[endpoint]["GET"][role]
            # A refusal (403, 404) or the login page someone is sent to (302) looks the same
            # whichever page was asked for: the first of each is checked (the access matrix checks
            # every status).
            if expected != 200 and expected in seen:
                continue
            seen.add(expected)
            response = page.goto(url)
            if response.status != expected and not (expected == 302 and response.status == 200):
                problems.append(f"{endpoint} {url}: {response.status}, the access matrix says {expected}")
                continue
            try:
                check_accessibility(page)
            except AssertionError as violations:
                problems.append(f"{endpoint}: {violations}")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
