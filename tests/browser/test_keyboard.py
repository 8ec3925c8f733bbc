"""The main journeys with the keyboard alone: Tab to move, typing to fill in, Space to tick, Enter to
send. Every element that gets the focus shows it (a visible focus ring), and after an in-place
update the focus lands on the new part's heading (or in a form that opened) and screen readers hear
what happened (the live region)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from opkoers.extensions import db
from opkoers.models import FixedContact, Organisation, User
from opkoers.services import admin
from opkoers.services import handover as handovers
from opkoers.timeutil import local_today

from ..factories import Factory
from .conftest import browsing, check_accessibility

FOCUSED = "() => document.activeElement"
FOCUS_SHOWN = """() => {
    const e = document.activeElement, style = getComputedStyle(e);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""
DESCRIBE = """() => {
    const e = document.activeElement;
    const text = (e.textContent || e.value || '').trim().slice(0, 40);
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + text;
}"""


class Keyboard:
    """Drives a page with the keyboard only."""

    def __init__(self, page):
        self.page = page

    def tab_to(self, locator, most: int = 120) -> None:
        """Tab forward until the locator has the focus (a form that opened may have put it there
        already); each stop on the way must show its focus."""
        target = locator.element_handle()
        # A link pressed a moment ago may have opened a page whose style sheet is still on its way;
        # without it no focus ring shows yet.
        self.page.wait_for_load_state()
        if self.page.evaluate_handle(FOCUSED).evaluate("(e, t) => e === t", target):
            assert self.page.evaluate(FOCUS_SHOWN), "no visible focus on the field that has it"
            return
        visited = []
        for _ in range(most):
            self.page.keyboard.press("Tab")
            visited.append(self.page.evaluate(DESCRIBE))
            assert self.page.evaluate(FOCUS_SHOWN), f"no visible focus on {visited[-1]}"
            if self.page.evaluate_handle(FOCUSED).evaluate("(e, t) => e === t", target):
                return
        raise AssertionError(f"Tab never reached {locator}; it went through {visited[-10:]}")

    def type_into(self, locator, text: str) -> None:
        self.tab_to(locator)
        self.page.keyboard.type(text)

    def tick(self, locator) -> None:
        """A radio button or check box: Space ticks it. Tab stops once in a group of radio buttons
        (on the chosen one, or the first); the arrow keys move within the group."""
        if locator.get_attribute("type") == "radio":
            group = f"input[type=radio][name='{locator.get_attribute('name')}']"
            chosen = self.page.locator(f"{group}:checked")
            self.tab_to(chosen if chosen.count() else self.page.locator(group).first)
            for _ in range(self.page.locator(group).count()):
                if locator.evaluate("e => e === document.activeElement"):
                    break
                self.page.keyboard.press("ArrowDown")
        else:
            self.tab_to(locator)
        self.page.keyboard.press("Space")
        expect(locator).to_be_checked()

    def type_date(self, locator, day) -> None:
        """A date field takes the day, the month and the year in the order of the browser's
        language: a first try (1 February 2000) shows which order, then the date goes in."""
        self.tab_to(locator)
        self.page.keyboard.type("01022000")
        day_first = locator.input_value() == "2000-02-01"
        self.page.keyboard.press("Shift+Tab")
        self.page.keyboard.press("Shift+Tab")
        first, second = (day.day, day.month) if day_first else (day.month, day.day)
        self.page.keyboard.type(f"{first:02d}{second:02d}{day.year}")
        expect(locator).to_have_value(day.isoformat())

    def choose(self, locator, label: str) -> None:
        """A drop-down list: typing the start of an option chooses it."""
        self.tab_to(locator)
        self.page.keyboard.type(label)
        expect(locator.locator("option:checked")).to_have_text(label)

    def press(self, locator) -> None:
        """A link or a button: Enter."""
        self.tab_to(locator)
        self.page.keyboard.press("Enter")


def log_in_by_keyboard(page, keys: Keyboard, email: str) -> None:
    page.goto("/login")
    keys.type_into(page.locator("#email"), email)
    keys.type_into(page.locator("#password"), Factory.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/start")


def skip_to_content(page) -> None:
    """The first Tab stop is the skip link; Enter moves on to the page's own content."""
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def keyboard_page(request, browser, live_server):
    """A page to drive with the keyboard, once with JavaScript and once without; and whether it has."""
    with browsing(browser, live_server, java_script_enabled=request.param) as page:
        yield page, request.param


def test_referral_to_started_plan_by_keyboard(keyboard_page, people):
    """Referral, intake, the four selection steps, the decision, contract, consent and a signed plan
    of action, then the start: every step with the keyboard alone."""
    page, javascript = keyboard_page
    keys = Keyboard(page)
    log_in_by_keyboard(page, keys, people["projectgroep"])
    keys.press(page.get_by_role("link", name="Nieuwe aanmelding").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe aanmelding")
    skip_to_content(page)
    name = f"Ruud Toetsenbord {'met' if javascript else 'zonder'} script"
    keys.type_into(page.locator("#client_name"), name)
    keys.type_date(page.locator("#client_date_of_birth"), date(1988, 4, 2))
    keys.type_into(page.locator("#client_address"), "Lindenlaan 14")
    keys.choose(page.locator("#client_neighbourhood_id"), "Houten Noord-Oost")
    keys.tick(page.get_by_label("De cliënt zelf"))
    keys.type_into(page.locator("#reason"), "Geen inkomen en een huurschuld.")
    keys.press(page.get_by_role("button", name="Aanmelding opslaan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#next-step")).to_contain_text("Start de intake")

    keys.press(page.get_by_role("button", name="Intake starten"))
    expect(page.locator("#next-step")).not_to_contain_text("Start de intake")
    keys.press(page.locator("#section-intake").get_by_role("link", name="Intake invullen"))
    if javascript:  # in place (htmx): the form opens where the link was, and the focus goes into it
        expect(page.locator("#section-intake form")).to_be_visible()
        expect(page.locator("#section-intake form :focus")).to_have_count(1)
        check_accessibility(page)
    keys.type_into(page.locator("#problem"), "Zonder inkomen groeit de huurschuld.")
    keys.type_into(page.locator("#goal"), "Een inkomen en de huur betaald.")
    for criterion in ("a", "b", "c", "d"):
        keys.tick(page.locator(f"#tree_{criterion}-0"))  # "Ja"
    keys.press(page.locator("#section-intake form button[type=submit]").first)
    expect(page.locator("#section-intake")).to_contain_text("Zonder inkomen groeit de huurschuld.")
    expect(page.locator("#section-intake")).to_contain_text("Voldoet aan de criteria")

    # The four selection steps, each saved in place (a page of its own without JavaScript).
    for done in range(1, 5):
        keys.press(page.locator("#section-selection").get_by_role("link", name="Vastleggen").first)
        # In place the form opens in the section; without JavaScript it is the page's only form.
        form = page.locator("#section-selection form" if javascript else "main form")
        expect(form).to_be_visible()
        if page.locator("#report").count():
            keys.type_into(page.locator("#report"), "De cliënt vertelt open over de schulden.")
        keys.press(form.locator("button[type=submit]").first)
        expect(page.locator("#section-selection").get_by_role("link", name="Verbeteren")).to_have_count(done)
    expect(page.locator("#section-selection")).not_to_contain_text("nog niet gedaan")

    keys.press(page.locator("#section-decision").get_by_role("link", name="Besluit vastleggen"))
    keys.tick(page.get_by_label("Toelaten"))
    keys.type_into(page.locator("#motivation"), "Voldoet aan A tot en met D.")
    keys.press(page.locator("main form button[type=submit]"))
    expect(page.locator(".page-header .badge--admitted")).to_be_visible()

    keys.press(page.get_by_role("link", name="Ondertekening vastleggen"))
    keys.press(page.locator("#section-agreements form button[type=submit]").first)
    expect(page.locator("#section-agreements")).to_contain_text("Getekend op")

    keys.press(page.get_by_role("link", name="Getekende machtiging vastleggen"))
    keys.tick(page.get_by_label("Schuldhulp Houten", exact=True))
    keys.tick(page.get_by_label("Schuldhulp Houten: Inkomen"))
    keys.type_into(page.locator("#purposes"), "Informatie over inkomen delen.")
    keys.press(page.locator("#section-agreements form button[type=submit]").first)
    expect(page.locator("#section-agreements .badge--valid")).to_have_text("Geldig")

    keys.press(page.get_by_role("link", name="Doel toevoegen"))
    keys.choose(page.locator("#life_domain_id"), "Inkomen")
    keys.type_into(page.locator("#goal"), "Een vast inkomen.")
    keys.type_into(page.locator("#expected_result"), "Een uitkering binnen een maand.")
    keys.press(page.locator("#section-plan form button[type=submit]").first)
    expect(page.locator("#section-plan table")).to_contain_text("Een vast inkomen.")

    keys.press(page.get_by_role("link", name="Plan wijzigen"))
    keys.type_into(page.locator("#prioritised_problem"), "Eerst de huur betalen.")
    keys.type_date(page.locator("#signed_on"), local_today())
    keys.press(page.locator("#section-plan form button[type=submit]").first)
    expect(page.locator("#next-step")).to_contain_text("Alles is rond")

    # The start is at the top of the case page: the user opens it anew and starts from the skip link.
    page.goto(page.url.split("#")[0])
    skip_to_content(page)
    keys.press(page.get_by_role("button", name="Uitvoering starten"))
    expect(page.locator(".page-header .badge--in_progress")).to_have_text("In uitvoering")
    if javascript:
        check_accessibility(page)


def test_action_and_budget_by_keyboard(keyboard_page, people, admitted_case):
    page, javascript = keyboard_page
    keys = Keyboard(page)
    log_in_by_keyboard(page, keys, people["projectgroep"])
    page.goto(f"/trajecten/{admitted_case}")
    skip_to_content(page)

    # An action agreed at the table. In place (htmx): the focus goes into the form, and after saving
    # the live region says so. Without JavaScript the form is a page of its own.
    what = f"Huurschuld bespreken met de verhuurder ({'met' if javascript else 'zonder'} script)"
    keys.press(page.locator("#section-actions").get_by_role("link", name="Actie toevoegen"))
    form = page.locator("main form:has(#description)")
    expect(form).to_be_visible()
    if javascript:
        expect(page.locator("#description")).to_be_focused()
        page.keyboard.type(what)
    else:
        keys.type_into(page.locator("#description"), what)
    keys.tick(form.get_by_label("De cliënt", exact=True))
    keys.press(form.get_by_role("button", name="Actie toevoegen"))
    expect(page.locator("#section-actions")).to_contain_text(what)
    if javascript:  # the focus goes back to the section's heading, and the user hears it was saved
        expect(page.locator("#live")).to_have_text("Opgeslagen.")
        expect(page.locator("#section-actions h2")).to_be_focused()
        assert page.evaluate(FOCUS_SHOWN), "the heading that has the focus after a save shows it"
        check_accessibility(page)

    # A commitment from the budget, on its own page.
    keys.press(page.locator("#section-budget").get_by_role("link", name="Geld toezeggen"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("toezeggen")
    keys.type_into(page.locator("#description"), "Borg voor de huurwoning")
    keys.type_into(page.locator("#payee"), "Woningcorporatie Viveste")
    keys.type_into(page.locator("#amount"), "450,00")
    keys.press(page.locator("main form button[type=submit]"))
    expect(page.locator("#section-budget")).to_contain_text("€ 450,00")


@pytest.fixture
def sent_handover(live_app, people):
    """A handover sent to the buurtteam's fixed contact person (Sanne Bakker), every point ready."""
    with live_app.app_context():
        f = Factory()
        team = db.session.scalar(select(Organisation).where(Organisation.name == "Buurtteam Houten Noord"))
        contact = db.session.scalar(select(User).where(User.email == people["buurtteam"]))
        sender = db.session.scalar(select(User).where(User.email == people["projectgroep"]))
        case = f.case("in_progress", client_name=f"Bram Toetsenbord {f._n()}", consent_organisations=[team])
        current = db.session.scalar(select(FixedContact).where(FixedContact.organisation_id == team.id))
        admin.set_fixed_contact(
            None, team, current.version if current else None, contact_id=contact.id, deputy_id=None
        )
        f.handover_points()
        handover = handovers.start(sender, case, team.id, contact.id, "Dit team kent de cliënt al.")
        db.session.flush()
        ready = {p.id: ("ready", "") for p in handovers.points()}
        handovers.save_document(sender, handover, handover.version, ready)
        db.session.flush()
        handovers.send(sender, handover, handover.version)
        db.session.commit()
        return case.client.name


def test_handover_accepted_by_keyboard(keyboard_page, people, sent_handover):
    """The fixed contact person finds the handover in the inbox and accepts it."""
    page, javascript = keyboard_page
    keys = Keyboard(page)
    log_in_by_keyboard(page, keys, people["buurtteam"])
    keys.press(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overdrachten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdrachten")
    keys.press(page.locator("main").get_by_role("link", name=sent_handover, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Warme overdracht: {sent_handover}")
    keys.tick(page.get_by_label("Ja, ik neem de overdracht aan"))
    keys.press(page.get_by_role("button", name="Antwoord versturen"))
    expect(page.locator(".badge--handover-accepted")).to_be_visible()
    if javascript:
        check_accessibility(page)


def test_meeting_planned_and_action_agreed_by_keyboard(keyboard_page, people, admitted_case):
    """Plan a round table and record an agreed action in it (without JavaScript the action form
    sends the whole page back)."""
    page, javascript = keyboard_page
    keys = Keyboard(page)
    log_in_by_keyboard(page, keys, people["projectgroep"])
    page.goto(f"/trajecten/{admitted_case}")
    skip_to_content(page)
    keys.press(page.locator("#section-meetings").get_by_role("link", name="Bijeenkomst plannen"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bijeenkomst plannen")
    # Ten days ahead: no other browser test plans a meeting for the same chair on that day.
    keys.type_date(page.locator("#day"), local_today() + timedelta(days=10))
    # The afternoon: typed as 24 hours, right in a 12-hour field too. (Two runs, one chair: no clash.)
    hour = 14 if javascript else 16
    keys.type_into(page.locator("#start"), f"{hour}00")
    keys.type_into(page.locator("#end"), f"{hour + 1}30")
    keys.type_into(page.locator("#location"), "Gemeentehuis, kamer 3")
    keys.press(page.locator("main form button[type=submit]"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Doorbraaktafel")
    if javascript:
        check_accessibility(page)

    # At the table: an action for the client, due in two weeks.
    form = page.locator("form:has(#description)")
    keys.type_into(form.locator("#description"), "Energieleverancier bellen over een regeling")
    keys.tick(form.get_by_label("De cliënt", exact=True))
    keys.type_date(form.locator("#due_on"), local_today() + timedelta(days=14))
    keys.press(form.get_by_role("button", name="Actie toevoegen"))
    expect(page.locator("main")).to_contain_text("Energieleverancier bellen over een regeling")
    if javascript:
        check_accessibility(page)
