"""End to end in Chromium, with the clock moved: the neighbourhood team logs aftercare on an accepted
handover; the project group closes the case after the closing talk and prints the letter; the end
measurement, the pilot-light contact three months later, the +6 months and +1 year measurements; then
the impact report shows it. Another client goes back through the safety net. axe-core on every page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from opkoers import timeutil
from opkoers.domain.follow_up import add_months
from opkoers.extensions import db
from opkoers.models import FixedContact, Neighbourhood, Organisation, User
from opkoers.services import admin
from opkoers.services import handover as handovers
from opkoers.timeutil import local_today

from ..factories import Factory
from .conftest import check_accessibility, log_in


def _accepted_handover(live_app, people, client_name: str) -> tuple[int, int]:
    """A case in aftercare: handed over to the fixed contact person of the team, who accepted."""
    with live_app.app_context():
        f = Factory()
        f.handover_points()
        f.themes()
        team = db.session.scalar(select(Organisation).where(Organisation.name == "Buurtteam Houten Noord"))
        hood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.team_id == team.id))
        contact = db.session.scalar(select(User).where(User.email == people["buurtteam"]))
        pg = db.session.scalar(select(User).where(User.email == people["projectgroep"]))
        case = f.case(
            "in_progress",
            client_name=client_name,
            neighbourhood=hood,
            consent_organisations=[team],
            consent_valid_until=local_today() + timedelta(days=800),  # the whole year after closing
            handler=pg,
        )
        current = db.session.scalar(select(FixedContact).where(FixedContact.organisation_id == team.id))
        admin.set_fixed_contact(
            None, team, current.version if current else None, contact_id=contact.id, deputy_id=None
        )
        handover = handovers.start(pg, case, team.id, contact.id)
        db.session.flush()
        handovers.save_document(
            pg, handover, handover.version, {p.id: ("ready", "") for p in handovers.points()}
        )
        db.session.flush()
        handovers.send(pg, handover, handover.version)
        db.session.flush()
        handovers.accept(contact, handover, handover.version)
        f.meeting(case, pg, users=[contact], kind="closing", day=local_today() - timedelta(days=1))
        db.session.commit()
        return case.id, handover.id


@pytest.fixture
def in_aftercare(live_app, people):
    return _accepted_handover(live_app, people, "Willem de Graaf")


def _scores(page, value: str) -> None:
    for fieldset in page.locator("main form fieldset").all():
        fieldset.locator(f"input[type=radio][value='{value}']").check()


def _measure(page, case_id: int, moment: str, value: str) -> None:
    page.goto(f"/trajecten/{case_id}")
    page.locator("#section-self-reliance").get_by_role(
        "link", name=re.compile(f"Meting invullen.*{moment}")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zelfredzaamheid meten")
    _scores(page, value)
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.locator("main > .alert--success")).to_contain_text("De meting is opgeslagen.")


def test_aftercare_closing_and_a_year_of_follow_up(page, people, in_aftercare):
    case_id, handover_id = in_aftercare
    log_in(page, people["buurtteam"], check=False)
    page.get_by_role("link", name="Nazorg", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nazorg en metingen")
    check_accessibility(page)
    page.locator("main").get_by_role("link", name="Willem de Graaf").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdracht: Willem de Graaf")

    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator(".alert--error").first).to_contain_text("Controleer deze velden")
    check_accessibility(page)
    page.get_by_label("Soort contact").select_option(label="Telefoon")
    page.fill("#note", "Gebeld. De huur is betaald, de post is open.")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator("main > .alert--success")).to_contain_text("Het contact is vastgelegd.")
    expect(page.locator("main")).to_contain_text("De huur is betaald, de post is open.")
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()

    # The project group closes the case after the closing talk, and prints the confirmation.
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{case_id}")
    page.locator("#section-closing").get_by_role("link", name="Traject afsluiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Traject afsluiten")
    check_accessibility(page)
    page.get_by_label("Bepaalde doelen zijn niet te bereiken").check()
    page.get_by_role("button", name="Traject afsluiten").click()
    expect(page.locator(".alert--error")).to_contain_text("Kies welke doelen niet te bereiken zijn.")
    check_accessibility(page)
    page.get_by_label("Een eigen woning").check()
    page.fill("#explanation", "Er is in Houten geen passende woning vrijgekomen.")
    page.get_by_role("button", name="Traject afsluiten").click()
    expect(page.locator("main > .alert--success")).to_contain_text("Het traject is afgesloten.")
    expect(page.locator(".page-header .badge--closed")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Bevestiging voor de cliënt afdrukken").click()
    expect(page.locator("article.document")).to_contain_text("Beste Willem de Graaf,")
    expect(page.locator("article.document")).to_contain_text("Een eigen woning")
    check_accessibility(page)

    # The end measurement, now.
    _measure(page, case_id, "Einde", "3")
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()

    # Three months later the neighbourhood team does the pilot-light contact.
    today = local_today()
    with timeutil.travel(add_months(today, 3) - today):
        log_in(page, people["buurtteam"], check=False)
        page.get_by_role("link", name="Nazorg", exact=True).click()
        page.locator("main").get_by_role("link", name=re.compile("Vastleggen.*Willem de Graaf")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Waakvlamcontact vastleggen")
        check_accessibility(page)
        page.get_by_label("Er was contact").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator(".alert--error")).to_contain_text("Kies ja of nee.")
        check_accessibility(page)
        page.locator("#balanced-0").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator("main > .alert--success")).to_contain_text("Het waakvlamcontact is vastgelegd.")
        expect(page.locator("#section-closing")).to_contain_text("inkomsten en uitgaven in evenwicht")
        page.get_by_role("button", name="Uitloggen").click()

    for months, moment, value in ((6, "Half jaar na het einde", "4"), (12, "Jaar na het einde", "4")):
        with timeutil.travel(add_months(today, months) - today + timedelta(days=1)):
            log_in(page, people["buurtteam"], check=False)
            _measure(page, case_id, moment, value)
            page.get_by_role("button", name="Uitloggen").click()

    # A year on, the impact report counts the case and its durable outflow.
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{case_id}")
    expect(page.locator("#section-self-reliance svg").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Impact", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact van Op Koers")
    expect(page.locator("main")).to_contain_text("Bepaalde doelen zijn niet te bereiken")
    expect(page.locator("#durable-title")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Jaar van aanmelding").select_option(index=1)
    page.get_by_label("Wijk", exact=True).select_option(label="Houten Noord-Oost")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("main")).to_contain_text("in Houten Noord-Oost")
    check_accessibility(page)


def test_the_safety_net_brings_the_client_back(page, people, live_app):
    case_id, handover_id = _accepted_handover(live_app, people, "Ria Bos")
    log_in(page, people["buurtteam"], check=False)
    page.goto(f"/overdrachten/{handover_id}")
    page.get_by_role("button", name="Terug naar de projectgroep").click()
    expect(page.locator(".alert--error").first).to_contain_text("Controleer deze velden")
    check_accessibility(page)
    page.fill("#reason", "Nieuwe schulden en een brief van de deurwaarder.")
    page.get_by_role("button", name="Terug naar de projectgroep").click()
    expect(page.locator(".badge--handover-safety_net").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{case_id}")
    expect(page.locator("#section-handover")).to_contain_text("vangnet in")
    expect(page.locator("#section-handover").get_by_role("link", name="Overdracht starten")).to_be_visible()


def test_beheer_pages_of_the_instrument_and_the_pilot_light_moments(page, people, live_app):
    with live_app.app_context():
        Factory().themes(), Factory().handover_points()
        db.session.commit()
    log_in(page, people["beheerder"], check=False)
    page.goto("/beheer")
    page.get_by_role("link", name="Meting van de zelfredzaamheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meting van de zelfredzaamheid")
    check_accessibility(page)
    page.get_by_role("link", name="Financiën").click()
    check_accessibility(page)
    page.goto("/beheer/zelfredzaamheid/nieuw")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert--error")).to_contain_text("Controleer deze velden")
    check_accessibility(page)
    page.goto("/beheer")
    page.get_by_role("link", name="Overdrachtsdocument").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdrachtsdocument")
    check_accessibility(page)
    page.get_by_role("link", name="Schulden zijn stabiel of geregeld").click()
    check_accessibility(page)
    page.goto("/beheer/overdrachtsdocument/nieuw")
    check_accessibility(page)
    page.goto("/beheer/waakvlamcontacten")
    page.fill("#months", "3, 13")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert--error")).to_contain_text("Schrijf hele maanden van 1 tot en met 12")
    check_accessibility(page)
