"""End to end in Chromium: a project-group member must set up two-factor authentication first, logs
in again with a code, and an ended session sends an htmx request to the login page as a whole page."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from opkoers import timeutil
from opkoers.domain import totp
from opkoers.extensions import db

from ..factories import Factory
from .conftest import check_accessibility


def _code(secret: str, steps_ahead: int = 0) -> str:
    return totp.code_at(secret, totp.step_of(timeutil.utc_now()) + steps_ahead)


def test_two_factor_set_up_login_with_a_code_and_an_ended_session(page, live_app, people):
    with live_app.app_context():
        Factory().user("projectgroep", name="Ruud Veilig", email="ruud@example.test")
        db.session.commit()
    live_app.config["TWO_FACTOR_ROLES"] = ("projectgroep", "beheerder")
    try:
        page.goto("/login")
        page.fill("#email", "ruud@example.test")
        page.fill("#password", Factory.PASSWORD)
        page.click("main button[type=submit]")

        # Required for the project group: the set-up comes first, with a QR code and a typed key.
        page.wait_for_url("**/account/tweestapsverificatie")
        expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
        expect(page.get_by_role("img", name="QR-code voor de app voor tweestapsverificatie")).to_be_visible()
        check_accessibility(page)
        page.goto("/trajecten")
        page.wait_for_url("**/account/tweestapsverificatie")
        secret = page.locator(".secret-key code").inner_text().replace(" ", "")
        page.fill("#code", "000000")
        page.click("main form button[type=submit]")
        expect(page.locator(".alert--error")).to_contain_text("Deze code klopt niet")
        check_accessibility(page)
        page.fill("#code", _code(secret))
        page.click("main form button[type=submit]")
        expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
        expect(page.locator(".recovery-codes li")).to_have_count(10)
        check_accessibility(page)

        page.get_by_role("link", name="Ruud Veilig").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
        expect(page.locator("#two-factor-title + p")).to_contain_text("Aan")
        check_accessibility(page)

        # Logging in again takes the password and a fresh code.
        page.get_by_role("button", name="Uitloggen").click()
        page.fill("#email", "ruud@example.test")
        page.fill("#password", Factory.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/login/code")
        check_accessibility(page)
        page.fill("#code", _code(secret, 1))
        page.click("main button[type=submit]")
        page.wait_for_url("**/start")

        # Half an hour later an htmx request finds the session ended: the whole page goes to login.
        page.goto("/trajecten")
        with timeutil.travel(timedelta(minutes=31)):
            page.fill("#q", "iemand")
            page.wait_for_url(re.compile(r"/login\?next=/trajecten$"))
        expect(page.locator("header.site-header")).to_have_count(1)
        expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Op Koers")
        expect(page.locator(".alert--info")).to_contain_text("U bent uitgelogd omdat u een tijd niets")
    finally:
        live_app.config["TWO_FACTOR_ROLES"] = ()
