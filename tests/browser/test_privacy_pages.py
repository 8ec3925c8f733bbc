"""End to end in Chromium: the privacy and security pages pass axe (WCAG 2.1 AA) — the beheerder's
access review and retention periods, and for the project group the 'who looked' report, the
client's full file and the legal hold."""

from playwright.sync_api import expect

from opkoers.extensions import db

from ..factories import Factory
from .conftest import check_accessibility, log_in


def test_privacy_and_security_pages(page, live_app, people):
    with live_app.app_context():
        f = Factory()
        case = f.case(status="closed", client_name="Anna de Wit")
        db.session.commit()
        case_id = case.id

    log_in(page, people["beheerder"])
    for url, heading in (
        ("/beheer/toegang", "Toegang"),
        ("/beheer/bewaartermijnen", "Bewaartermijnen"),
        ("/beheer/bewaartermijnen/closed_case", "Afgesloten trajecten"),
        ("/beheer/beveiliging", "Beveiliging"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{case_id}")
    expect(page.locator("#section-privacy")).to_contain_text("Privacy en bewaren")
    check_accessibility(page)
    page.get_by_role("link", name="Wie keek in dit dossier?").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wie keek in het dossier van Anna de Wit")
    check_accessibility(page)
    page.goto(f"/trajecten/{case_id}/gegevens")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alle gegevens over Anna de Wit")
    check_accessibility(page)
    page.goto(f"/trajecten/{case_id}/bewaren")
    check_accessibility(page)
    page.fill("#reason", "Klacht bij de ombudsman loopt nog.")
    page.click("main form button[type=submit]")
    expect(page.locator("#section-privacy")).to_contain_text("Klacht bij de ombudsman loopt nog.")
    page.goto("/account")
    check_accessibility(page)
