"""End to end in Chromium: a warm handover from the project group to the neighbourhood team's fixed
contact person, who first asks for more and then accepts; axe-core on every handover page."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from opkoers.extensions import db
from opkoers.models import FixedContact, Neighbourhood, Organisation, User
from opkoers.services import admin

from ..factories import Factory
from .conftest import check_accessibility, log_in


@pytest.fixture
def ready_for_handover(live_app, people):
    with live_app.app_context():
        f = Factory()
        f.handover_points()
        team = db.session.scalar(select(Organisation).where(Organisation.name == "Buurtteam Houten Noord"))
        hood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.team_id == team.id))
        contact = db.session.scalar(select(User).where(User.email == people["buurtteam"]))
        case = f.case(
            "in_progress", client_name="Kees Janssen", neighbourhood=hood, consent_organisations=[team]
        )
        # (Another browser test may have chosen a contact person for this team already.)
        current = db.session.scalar(select(FixedContact).where(FixedContact.organisation_id == team.id))
        version = current.version if current else None
        admin.set_fixed_contact(None, team, version, contact_id=contact.id, deputy_id=None)
        db.session.commit()
        return case.id


def _fill_document(page):
    for fieldset in page.locator(".handover-point fieldset").all():
        fieldset.get_by_label("Klaar").check()
    page.get_by_role("button", name="Document opslaan").click()


def _open_from_inbox(page, check=False):
    page.get_by_role("link", name="Overdrachten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdrachten")
    if check:
        check_accessibility(page)
    page.locator("main ul.steps").get_by_role("link", name="Kees Janssen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdracht: Kees Janssen")


def test_handover_sent_questioned_and_accepted(page, people, ready_for_handover):
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{ready_for_handover}")
    page.locator("#section-handover").get_by_role("link", name="Overdracht starten").click()
    expect(page.get_by_label("Welk buurtteam?")).to_have_value(
        str(page.get_by_label("Welk buurtteam?").input_value())
    )
    check_accessibility(page)
    page.click("main form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdracht: Kees Janssen")
    check_accessibility(page)

    page.get_by_role("button", name="Versturen naar Sanne Bakker").click()
    expect(page.locator("main > .alert--error, main .alert--error").first).to_contain_text(
        "Beantwoord eerst alle punten"
    )
    check_accessibility(page)
    _fill_document(page)
    expect(page.locator("main")).to_contain_text("Alle punten zijn beantwoord.")
    page.get_by_role("button", name="Versturen naar Sanne Bakker").click()
    expect(page.locator(".badge--handover-sent")).to_be_visible()
    page.get_by_role("link", name="Overdrachtsdocument afdrukken").click()
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()

    # The fixed contact person finds it in the handover inbox and asks for more.
    log_in(page, people["buurtteam"], check=False)
    _open_from_inbox(page, check=True)
    page.get_by_label("Nee, ik wil eerst meer weten").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".alert--error").first).to_contain_text("Schrijf op wat u nog wilt weten")
    check_accessibility(page)
    page.fill("#question", "Welke schulden lopen nog?")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".badge--handover-more_asked")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login**")

    # Back to the sender, who answers and sends again; then the team accepts.
    log_in(page, people["projectgroep"], check=False)
    _open_from_inbox(page)
    expect(page.locator("main")).to_contain_text("Welke schulden lopen nog?")
    page.locator(".handover-point textarea").first.fill(
        "Nog één schuld bij de energieleverancier, met regeling."
    )
    page.get_by_role("button", name="Document opslaan").click()
    expect(page.locator("main > .alert--success")).to_contain_text("Het document is opgeslagen.")
    page.get_by_role("button", name="Versturen naar Sanne Bakker").click()
    expect(page.locator(".badge--handover-sent")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, people["buurtteam"], check=False)
    _open_from_inbox(page)
    page.get_by_label("Ja, ik neem de overdracht aan").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".badge--handover-accepted")).to_be_visible()
    check_accessibility(page)
