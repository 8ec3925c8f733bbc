"""End to end in Chromium: a round table planned with four participants, filled in live at the table
(priority, five actions, minutes), then seen by the professional; axe-core on every new page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from opkoers.extensions import db
from opkoers.models import Organisation, User
from opkoers.timeutil import local_today

from ..factories import Factory
from .conftest import check_accessibility, log_in


@pytest.fixture
def running_case(live_app, people):
    """A running case of a client with an e-mail address, consent for the professional's and the
    buurtteam's organisations, and problems per life domain."""
    with live_app.app_context():
        f = Factory()
        orgs = db.session.scalars(
            select(Organisation).where(Organisation.name.in_(("Schuldhulp Houten", "Buurtteam Houten Noord")))
        ).all()
        case = f.case("in_progress", client_name="Kees Janssen", consent_organisations=orgs)
        case.client.email = "kees@example.org"
        f.problems(case, ["Schuld bij de energieleverancier", "Geen vast werk", "Slaapt slecht"])
        chair = db.session.scalar(select(User).where(User.email == people["projectgroep"]))
        earlier = f.meeting(case, chair, day=local_today() - timedelta(days=2))  # held two days ago
        db.session.commit()
        return {"case_id": case.id, "held_id": earlier.id}


def test_plan_and_fill_in_a_round_table(page, people, running_case):
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{running_case['case_id']}")
    page.locator("#section-meetings").get_by_role("link", name="Bijeenkomst plannen").click()
    expect(page.get_by_role("heading", name="Bijeenkomst plannen")).to_be_visible()
    check_accessibility(page)

    # A mistake first: the end before the start. Clear message, input kept.
    day = (local_today() + timedelta(days=7)).isoformat()
    page.fill("#day", day)
    page.fill("#start", "14:00")
    page.fill("#end", "13:00")
    page.fill("#location", "Gemeentehuis, kamer 3")
    page.get_by_label("Joost de Vries (Schuldhulp Houten)").check()
    page.get_by_label("Sanne Bakker (Buurtteam Houten Noord)").check()
    page.fill("#coach_name", "Ingrid Smit")
    page.fill("#coach_email", "ingrid@example.org")
    page.fill("#network_name", "Anja Janssen")
    page.fill("#network_relation", "dochter")
    page.fill("#guests", "Mr. De Wit, dewit@example.org")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert--error")).to_contain_text("De eindtijd moet na de begintijd liggen.")
    expect(page.locator("#network_name")).to_have_value("Anja Janssen")
    check_accessibility(page)
    page.fill("#end", "15:30")
    page.click("main form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorbraaktafel: Kees Janssen")
    expect(page.locator(".alert--success")).to_contain_text("krijgen een uitnodiging")
    expect(page.locator("#section-participants tbody tr")).to_have_count(7)
    check_accessibility(page)

    # At the table: the client's priority, in their own words, and the order of the other problems.
    priority = page.locator("#section-priority")
    priority.get_by_label("Welk probleem komt voor de cliënt op de eerste plaats?").fill(
        "Dat het licht aan blijft."
    )
    priority.get_by_label("Leefgebied").select_option(label="Schulden")
    priority.get_by_label("Hoe zou de cliënt het zelf oplossen?").fill("Elke maand een vast bedrag.")
    priority.get_by_role("button", name="Opslaan").click()
    expect(priority.get_by_label("Welk probleem komt voor de cliënt op de eerste plaats?")).to_have_value(
        "Dat het licht aan blijft."
    )
    expect(priority).to_contain_text("Het probleem dat op de eerste plaats komt, is opgeslagen.")
    expect(page.locator("#section-priority .alert--success")).to_be_focused()
    order = page.locator("#section-order")
    order.get_by_role("button", name="Hoger: Werk en dagbesteding").click()
    expect(order.locator("ol li").first).to_contain_text("Geen vast werk")

    # Five actions, typed in live.
    section = page.locator("#section-actions")
    joost, sanne = "Joost de Vries (Schuldhulp Houten)", "Sanne Bakker (Buurtteam Houten Noord)"
    for i, who in enumerate([joost, sanne, joost, joost, sanne]):
        section.get_by_label("Wat wordt er gedaan?").fill(f"Afspraak {i + 1}")
        section.get_by_label("Een professional of projectgroeplid").check()
        section.get_by_label("Welke persoon?").select_option(label=who)
        section.get_by_role("button", name="Actie toevoegen").click()
        expect(section.locator(".actions-list > li")).to_have_count(i + 1)
        expect(section.get_by_label("Wat wordt er gedaan?")).to_be_focused()  # ready for the next one
    expect(section.get_by_label("Wat wordt er gedaan?")).to_have_value("")
    check_accessibility(page)

    # Minutes can be written now; signing off waits until the meeting has been.
    minutes = page.locator("#section-minutes")
    minutes.get_by_label("Verslag").fill("Kees vertelt over de schuld. <script>alert(1)</script>")
    minutes.get_by_role("button", name="Verslag opslaan").click()
    minutes.get_by_role("button", name="Verslag vaststellen").click()
    expect(minutes.locator(".alert--error")).to_contain_text("nog niet begonnen")
    check_accessibility(page)

    # The preparation pack and the project group's agenda.
    page.get_by_role("link", name="Voorbereiding (afdrukken)").click()
    expect(page.locator("article.document")).to_contain_text("Dat het licht aan blijft.")
    check_accessibility(page)
    page.goto(f"/agenda/alle?week={day}")
    expect(page.locator("main")).to_contain_text("Doorbraaktafel: Kees Janssen")
    check_accessibility(page)

    # The professional: the actions under "my actions", the invitation, the meeting page.
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, people["professional"], check=False)
    page.get_by_role("link", name="Mijn acties", exact=True).click()
    for n in (1, 3, 4):
        expect(page.locator("main")).to_contain_text(f"Afspraak {n}")
    expect(page.locator("main")).not_to_contain_text("Afspraak 2")
    page.get_by_role("link", name="E-mail", exact=True).click()
    expect(page.locator("main")).to_contain_text("Uitnodiging: Doorbraaktafel")
    check_accessibility(page)
    page.locator("main table a").first.click()
    expect(page.locator("main")).to_contain_text("In de bijlage staat de afspraak voor uw agenda.")
    check_accessibility(page)
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.get_by_role("button", name="Agenda-adres maken").click()
    expect(page.get_by_label("Uw agenda-adres")).to_have_value(re.compile(r"/agenda/feed/.+\.ics$"))
    check_accessibility(page)


def test_sign_off_minutes_of_a_meeting_that_was_held(page, people, running_case):
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/bijeenkomsten/{running_case['held_id']}")
    page.get_by_role("link", name="Afzeggen").click()  # look, but keep it
    expect(page.get_by_role("heading", name="Bijeenkomst afzeggen")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Terug").click()
    participants = page.locator("#section-participants")
    participants.locator("input[type=checkbox]").first.check()
    participants.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(participants.locator(".alert--success")).to_be_visible()  # wait for the swap to finish
    expect(participants.locator("input[type=checkbox]").first).to_be_checked()
    minutes = page.locator("#section-minutes")
    minutes.get_by_label("Verslag").fill("Afgesproken: eerst de betalingsregeling.")
    minutes.get_by_role("button", name="Verslag opslaan").click()
    expect(minutes.locator(".alert--success")).to_be_visible()
    minutes.get_by_role("button", name="Verslag vaststellen").click()
    expect(minutes).to_contain_text("Vastgesteld door Fatima El Amrani")
    minutes.get_by_label("Aanvulling of correctie").fill("Correctie: de schuld is € 1.400.")
    minutes.get_by_role("button", name="Aanvulling opslaan").click()
    expect(minutes).to_contain_text("Correctie: de schuld is € 1.400.")
    expect(page.locator("#section-priority form")).to_have_count(0)  # locked with the minutes
    check_accessibility(page)
