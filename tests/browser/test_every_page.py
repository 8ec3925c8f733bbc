"""Every page of the app passes axe-core at WCAG 2.1 AA, for every role.

The walk takes each GET endpoint of the URL map (through the access matrix, which lists every
endpoint and the ids its URL needs) and opens it in Chromium as each role — also the pages a role
is refused (403, 404) and the login page for someone not logged in, because an error page is a page
too. The roles that are not involved see the empty lists; the world's client has a long name.
Downloads (CSV, calendar, JSON, attachments) are not pages and are left out."""

import re
import tempfile

import pytest
from playwright.sync_api import expect

from opkoers.extensions import db

from ..factories import Factory
from ..test_access_matrix import MATRIX, NO_GET, ROLES, World
from .conftest import browsing, check_accessibility, new_app, serving

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
    app = new_app("walk")
    with app.app_context():
        world = World(Factory())
        world.case.client.name = LONG_NAME
        db.session.commit()
        urls = {
            endpoint: world.url(endpoint)
            for endpoint, methods in MATRIX.items()
            if methods.get("GET", NO_GET) is not NO_GET and endpoint not in DOWNLOADS | ELSEWHERE
        }
        emails = {role: user.email for role, user in world.users.items()}
    with serving(app) as address:
        yield address, urls, emails


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(browser, walk, role):
    base, urls, emails = walk
    with browsing(browser, base, emails.get(role)) as page:
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
            # (goto follows a redirect: a 302 ends on the page it points to, a 200 must not redirect)
            redirected = response.request.redirected_from is not None
            status = 302 if redirected else response.status
            if status != expected:
                problems.append(f"{endpoint} {url}: {status}, the access matrix says {expected}")
                continue
            try:
                check_accessibility(page)
            except AssertionError as violations:
                problems.append(f"{endpoint}: {violations}")
            problems += [f"{endpoint}: {problem}" for problem in _frame_problems(page, expected)]
        assert problems == [], "\n".join(problems)


# A status badge says its status in words that can be seen: its colour only repeats them.
BADGES_WITHOUT_WORDS = """() => [...document.querySelectorAll('.badge')].filter(badge => {
    const seen = badge.cloneNode(true);
    seen.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove());
    return seen.textContent.trim() === '';
}).map(badge => badge.className)"""


def _frame_problems(page, status: int) -> list[str]:
    """Every page has its own title and one main heading; every page behind the login but the start
    page also says where it is (the breadcrumb); no badge speaks by colour alone."""
    problems = [f"a badge without words: {badge}" for badge in page.evaluate(BADGES_WITHOUT_WORDS)]
    if page.title().startswith(("·", " ")) or not page.title().endswith("Op Koers"):
        problems.append(f"title {page.title()!r}")
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} main headings")
    logged_in = page.locator("form[action='/logout']").count() > 0
    where = page.locator("nav.breadcrumb [aria-current=page]").count()
    if logged_in and status == 200 and not page.url.endswith("/start") and where != 1:
        problems.append("no breadcrumb")
    return problems


PHONE = {"width": 360, "height": 740}
SCREENSHOTS = tempfile.gettempdir()


# The pages a professional uses between appointments: there nothing may stick out at all.
ON_THE_GO = ("actions.mine", "cases.detail", "meetings.detail")
STICKING_OUT = """() => {
    const sticksOut = e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
    const framed = e => e.closest('.table-wrap') !== null;
    return [...document.querySelectorAll('body *')]
        .filter(e => sticksOut(e) && !sticksOut(e.parentElement) && !framed(e.parentElement))
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
}"""


@pytest.mark.parametrize("role", ("projectgroep", "involved", "buurtteam", "beheerder"))
def test_every_page_fits_a_phone(browser, walk, role):
    """On a 360 px wide screen no page scrolls sideways (a wide table scrolls in its own frame).
    The pages used between appointments also pass axe there; their screenshots (in the temporary
    folder) are for looking at."""
    base, urls, emails = walk
    with browsing(browser, base, emails[role], viewport=PHONE) as page:
        too_wide = {}
        for endpoint, url in sorted(urls.items()):
            if MATRIX[endpoint]["GET"][role] != 200:
                continue
            response = page.goto(url)
            assert response.status == 200 and response.request.redirected_from is None, endpoint
            wider = page.evaluate(STICKING_OUT)
            if page.evaluate("() => document.documentElement.scrollWidth") > PHONE["width"] or wider:
                too_wide[endpoint] = wider
            if endpoint in ON_THE_GO:
                check_accessibility(page)
                page.screenshot(path=f"{SCREENSHOTS}/phone-{role}-{endpoint}.png", full_page=True)
        assert too_wide == {}


def test_wide_tables_scroll_in_their_own_frame_on_a_phone(browser, walk):
    """The impact report and the 'who looked' report have more columns than a phone is wide: the page itself
    does not scroll sideways, the table does, in a frame the keyboard can reach and that has a name."""
    base, urls, emails = walk
    with browsing(browser, base, emails["projectgroep"], viewport=PHONE) as page:
        page.goto(urls["cases.detail"])  # a look at the case: the 'who looked' report has a row
        for endpoint in ("impact.report", "privacy.access_report"):
            page.goto(urls[endpoint])
            assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
            frame = page.locator(".table-wrap[role=region][tabindex='0']").first
            expect(frame).to_have_attribute("aria-label", re.compile(r"\w"))
            check_accessibility(page)
            frame.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("e => e.scrollLeft > 0", arg=frame.element_handle())  # (scrolls smoothly)


def test_the_main_menu_folds_behind_a_button_on_a_phone(browser, walk):
    """On a phone the main menu would fill the first screen: with the script it folds behind a menu
    button that the keyboard opens and closes (Escape too), and it is folded again on the next page.
    Without the script, and on a wide screen, the whole menu shows."""
    base, urls, emails = walk
    menu = {"name": "Hoofdmenu"}
    wide = {"width": 1280, "height": 800}
    for javascript, viewport in ((True, PHONE), (False, PHONE), (True, wide)):
        options = {"viewport": viewport, "java_script_enabled": javascript}
        with browsing(browser, base, emails["projectgroep"], **options) as page:
            page.goto(urls["cases.detail"])
            nav, toggle = page.get_by_role("navigation", **menu), page.locator(".menu-toggle")
            if not (javascript and viewport is PHONE):
                expect(toggle).to_be_hidden()
                expect(nav.get_by_role("link", name="Trajecten")).to_be_visible()
                continue
            assert page.locator(".site-header").bounding_box()["height"] < 100
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(nav).to_be_hidden()
            toggle.focus()
            page.keyboard.press("Enter")
            expect(toggle).to_have_attribute("aria-expanded", "true")
            page.keyboard.press("Tab")
            expect(nav.get_by_role("link").first).to_be_focused()
            check_accessibility(page)
            page.keyboard.press("Escape")
            expect(nav).to_be_hidden()
            expect(toggle).to_be_focused()
            page.keyboard.press("Space")
            expect(nav).to_be_visible()
            page.keyboard.press("Space")
            expect(nav).to_be_hidden()

            # A wide window shows the whole menu; narrowed while the focus is in it, the menu stays
            # open (unfolded), so the focus does not vanish.
            page.set_viewport_size(wide)
            expect(toggle).to_be_hidden()
            nav.get_by_role("link", name="Agenda").focus()
            page.set_viewport_size(PHONE)
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(nav.get_by_role("link", name="Agenda")).to_be_focused()
            nav.get_by_role("link", name="Mijn acties").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn acties")
            expect(page.get_by_role("navigation", **menu)).to_be_hidden()
            expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "false")
