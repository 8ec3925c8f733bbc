"""End to end in Chromium: a project-group member walks a new client from referral to a started
plan of action, with an accessibility check (axe-core, WCAG 2.1 AA) on every page and form shown."""

import re

from playwright.sync_api import expect

from .conftest import check_accessibility, log_in


def save_section(page, section: str) -> None:
    """Submit the form that is open in a section and wait for the section to come back."""
    page.locator(f"#section-{section} form button[type=submit]").first.click()
    expect(page.locator(f"#section-{section} form button[type=submit]:text('Opslaan')")).to_have_count(0)


def test_referral_to_started_plan(page, people):
    log_in(page, people["projectgroep"])
    check_accessibility(page)

    # Referral
    page.get_by_role("link", name="Nieuwe aanmelding").first.click()
    expect(page.get_by_role("heading", name="Nieuwe aanmelding")).to_be_visible()
    check_accessibility(page)
    page.click("main button[type=submit]")  # empty form: errors, nothing saved
    expect(page.locator(".alert--error")).to_contain_text("Controleer deze velden")
    check_accessibility(page)
    page.fill("#client_name", "Iris <b>van</b> Dam")
    page.fill("#client_date_of_birth", "1988-04-02")
    page.fill("#client_address", "Lindenlaan 12")
    page.fill("#client_postcode", "3991 ab")
    page.fill("#client_city", "Houten")
    page.select_option("#client_neighbourhood_id", label="Houten Noord-Oost")
    page.fill("#client_phone", "06 12345678")
    page.get_by_label("Coach of begeleider").check()
    page.fill("#referrer_name", "Ingrid Smit")
    page.fill("#referrer_role", "cliëntcoach")
    page.fill("#reason", "Geen adres, dus geen uitkering; geen inkomen, dus geen woning.")
    page.select_option("#crisis_kind", "eviction")
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Iris <b>van</b> Dam")
    expect(page.locator("#next-step")).to_contain_text("Start de intake")
    check_accessibility(page)

    # Intake, edited in place
    page.get_by_role("button", name="Intake starten").click()
    page.locator("#section-intake").get_by_role("link", name="Intake invullen").click()
    expect(page.locator("#section-intake form")).to_be_visible()
    check_accessibility(page)
    page.fill("#problem", "Zonder adres geen uitkering.")
    page.fill("#goal", "Een vast adres en een inkomen.")
    page.get_by_label("Inkomen").fill("Geen inkomen sinds maart.")
    page.get_by_label("Wonen").fill("Slaapt bij een vriendin.")
    for criterion in ("a", "b", "c", "d"):
        page.check(f"#tree_{criterion}-0")  # "Ja"
    save_section(page, "intake")
    expect(page.locator("#section-intake")).to_contain_text("Voldoet aan de criteria")
    expect(page.locator("#next-step")).to_contain_text("kennismakingsgesprek")

    # The four selection steps
    for step in range(4):
        page.locator("#section-selection").get_by_role("link", name="Vastleggen").first.click()
        expect(page.locator("#section-selection form")).to_be_visible()
        if step == 0:
            check_accessibility(page)
        report = page.locator("#report")
        if report.count():
            report.fill("Verslag: de cliënt vertelt open over haar situatie.")
        save_section(page, "selection")
    expect(page.locator("#section-selection")).not_to_contain_text("nog niet gedaan")
    expect(page.locator("#next-step")).to_contain_text("Neem het besluit")

    # Decision
    page.locator("#next-step").get_by_role("link", name="Besluit vastleggen").click()
    check_accessibility(page)
    page.get_by_label("Toelaten").check()
    page.fill("#motivation", "Voldoet aan A tot en met D; de regels sluiten niet op elkaar aan.")
    page.click("main button[type=submit]")
    expect(page.locator(".badge--admitted")).to_be_visible()
    expect(page.locator("#next-step")).to_contain_text("contract")

    # Contract, consent and plan
    page.get_by_role("link", name="Ondertekening vastleggen").click()
    expect(page.locator("#section-agreements form")).to_be_visible()
    save_section(page, "agreements")
    expect(page.locator("#section-agreements")).to_contain_text("Getekend op")

    page.get_by_role("link", name="Getekende machtiging vastleggen").click()
    expect(page.locator("#section-agreements form")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Schuldhulp Houten", exact=True).check()
    for domain in ("Inkomen", "Schulden"):  # nothing is ticked beforehand: health stays out of their view
        page.get_by_label(f"Schuldhulp Houten: {domain}").check()
    page.get_by_label("Gemeente Houten", exact=True).check()
    page.get_by_label("Gemeente Houten: Inkomen").check()
    page.fill("#purposes", "Informatie over inkomen en schulden delen.")
    save_section(page, "agreements")
    expect(page.locator("#section-agreements .badge--valid")).to_have_text("Geldig")

    page.get_by_role("link", name="Doel toevoegen").click()
    expect(page.locator("#section-plan form")).to_be_visible()
    check_accessibility(page)
    page.select_option("#life_domain_id", label="Wonen")
    page.fill("#goal", "Een eigen woning.")
    page.fill("#expected_result", "Een huurcontract binnen drie maanden.")
    save_section(page, "plan")
    expect(page.locator("#section-plan table")).to_contain_text("Een eigen woning.")

    page.get_by_role("link", name="Plan wijzigen").click()
    expect(page.locator("#section-plan form")).to_be_visible()
    page.fill("#prioritised_problem", "“Eerst een dak boven ons hoofd.”")
    page.fill("#signed_on", page.locator("#signed_on").get_attribute("max") or _today(page))
    save_section(page, "plan")
    expect(page.locator("#next-step")).to_contain_text("Alles is rond")
    check_accessibility(page)

    # Start, and see it all on the case page
    page.get_by_role("button", name="Uitvoering starten").click()
    expect(page.locator(".page-header .badge--in_progress")).to_have_text("In uitvoering")
    expect(page.locator("#section-referral")).to_contain_text("Dreigende huisuitzetting")
    expect(page.locator("#section-intake")).to_contain_text("Geen inkomen sinds maart.")
    expect(page.locator("#section-plan")).to_contain_text("Eerst een dak boven ons hoofd.")
    expect(page.locator("#history")).to_contain_text("Besluit genomen")
    check_accessibility(page)

    # An action agreed at the table, then done from "my actions" in place
    page.get_by_role("link", name="Actie toevoegen").click()
    expect(page.locator("#section-actions form")).to_be_visible()
    check_accessibility(page)
    page.fill("#description", "Huurachterstand bespreken met de woningcorporatie")
    page.get_by_label("Een professional of projectgroeplid").check()
    page.select_option("#assignee_user_id", label="Fatima El Amrani (Gemeente Houten)")
    page.locator("#section-actions form button[type=submit]").click()
    expect(page.locator("#section-actions")).to_contain_text("Huurachterstand bespreken")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn acties").click()
    expect(page.locator("h1")).to_have_text("Mijn acties")
    check_accessibility(page)
    page.get_by_role("button", name="Klaar", exact=True).click()
    expect(page.locator(".actions-list .badge--action-done")).to_have_text("Klaar")
    check_accessibility(page)
    page.locator(".actions-list").get_by_role("link", name="Iris <b>van</b> Dam").click()
    expect(page.locator("h1")).to_have_text("Iris <b>van</b> Dam")

    # The four printable documents
    for link in (
        "Intakeverslag afdrukken",
        "Contract afdrukken",
        "Machtiging afdrukken",
        "Plan van aanpak afdrukken",
    ):
        page.get_by_role("link", name=link, exact=True).click()
        # (the case page's own h1 is visible too until the document arrives: wait for the document)
        expect(page).to_have_url(re.compile(r"/afdrukken/"))
        expect(page.locator("h1")).to_be_visible()
        check_accessibility(page)
        page.go_back()
        expect(page.locator("h1")).to_have_text("Iris <b>van</b> Dam")

    # The case list: crisis first, searchable
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Trajecten").click()
    check_accessibility(page)
    page.fill("#q", "iris")
    expect(page.locator("#case-results")).to_contain_text(re.compile("1 traject gevonden"))


def _today(page) -> str:
    return page.evaluate("() => new Date().toLocaleDateString('sv-SE', {timeZone: 'Europe/Amsterdam'})")


def test_professional_sees_only_consented_cases(page, people):
    log_in(page, people["professional"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Trajecten").click()
    expect(page.locator("#case-results")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Meldingen").click()
    expect(page.locator("h1")).to_have_text("Meldingen")
    check_accessibility(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn acties").click()
    check_accessibility(page)
    response = page.goto("/trajecten/999999")
    assert response.status == 404
    check_accessibility(page)


def test_beheerder_pages(page, people):
    log_in(page, people["beheerder"])
    for name in ("Organisaties", "Gebruikers", "Wijken", "Leefgebieden", "Vaste contactpersonen", "Regels"):
        page.goto("/beheer")
        page.get_by_role("link", name=name, exact=True).first.click()
        expect(page.locator("h1")).to_be_visible()
        check_accessibility(page)
    # A fixed contact person for the neighbourhood team, then the directory shows whom to call.
    page.goto("/beheer/contactpersonen")
    page.get_by_role("link", name="Buurtteam Houten Noord").click()
    check_accessibility(page)
    page.get_by_label("Vaste contactpersoon").select_option(label="Sanne Bakker")
    page.click("main form button[type=submit]")
    expect(page.locator("main table")).to_contain_text("Sanne Bakker")
    page.goto("/beheer/instellingen")
    check_accessibility(page)
    page.get_by_role("link", name="Contactpersonen", exact=True).click()
    page.get_by_label("Wijk van de cliënt").select_option(label="Houten Noord-Oost")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#team-title")).to_contain_text("Buurtteam Houten Noord")
    expect(page.locator("main")).to_contain_text("Sanne Bakker")
    check_accessibility(page)
