"""The same forms work with JavaScript switched off: links open pages, forms post and redirect.
(axe-core needs JavaScript, so the accessibility checks run in the other journeys.)"""

from playwright.sync_api import expect

from .conftest import log_in


def test_case_sections_work_without_javascript(browser, live_server, people):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, people["projectgroep"], check=False)
        page.goto("/trajecten/nieuw")
        page.fill("#client_name", "Noor Zonder Script")
        page.fill("#client_date_of_birth", "1990-01-31")
        page.fill("#client_address", "Kerkstraat 3")
        page.get_by_label("De cliënt zelf").check()
        page.fill("#reason", "Wil hulp bij schulden en wonen.")
        page.click("main button[type=submit]")
        expect(page.locator("h1")).to_have_text("Noor Zonder Script")

        # Edit a section on its own page
        page.locator("#section-referral").get_by_role("link", name="Wijzigen").click()
        expect(page.locator("h1, h2").first).to_be_visible()
        page.fill("#client_phone", "abc")  # refused with a message, input kept
        page.click("main button[type=submit]")
        expect(page.locator(".field__error")).to_contain_text("telefoonnummer")
        expect(page.locator("#client_name")).to_have_value("Noor Zonder Script")
        page.fill("#client_phone", "030 765 43 21")
        page.click("main button[type=submit]")
        expect(page.locator("#section-referral")).to_contain_text("030 765 43 21")

        # Start the intake and record a step
        page.get_by_role("button", name="Intake starten").click()
        page.locator("#section-selection").get_by_role("link", name="Vastleggen").first.click()
        page.fill("#note", "Kennismaking bij de cliënt thuis.")
        page.click("main button[type=submit]")
        expect(page.locator("#section-selection")).to_contain_text("Kennismaking bij de cliënt thuis.")
    finally:
        context.close()
