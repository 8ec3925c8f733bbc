"""End to end in Chromium: at a round table the project group deviates from a rule for one client
(benefits with a postal address while the client has no home), decides it, and commits EUR 450 for a
rent deposit; the register shows the rule once, without the client; axe-core on every new page."""

from playwright.sync_api import expect

from .conftest import check_accessibility, log_in


def test_deviation_decided_at_the_table_and_a_deposit(page, people, admitted_case):
    log_in(page, people["projectgroep"], check=False)
    page.goto(f"/trajecten/{admitted_case}")
    page.locator("#section-deviations").get_by_role("link", name="Afwijking voorstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afwijking van een regel voorstellen")
    check_accessibility(page)

    page.get_by_label("Wet", exact=True).check()
    page.fill("#new_rule_name", "Participatiewet")
    page.fill("#new_rule_reference", "artikel 40 (woonplaats)")
    page.fill("#what_differently", "Uitkering met een postadres bij het gemeentehuis.")
    page.fill("#motivation", "Nodig.")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert--error")).to_contain_text("Schrijf de motivering uit in hele zinnen")
    expect(page.locator("#new_rule_name")).to_have_value("Participatiewet")
    check_accessibility(page)
    page.fill(
        "#motivation",
        "Zonder adres geen uitkering, en zonder inkomen geen woning. "
        "Met een postadres kan de uitkering starten.",
    )
    page.click("main form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afwijking van Participatiewet")
    check_accessibility(page)

    # Decide under the mandate, in the round table of yesterday.
    page.get_by_label("Ja, we wijken af").check()
    page.get_by_label("In welke bijeenkomst?").select_option(index=1)
    page.fill("#reasoning", "Past binnen het mandaat; eenmalig voor deze cliënt.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("main > .alert--success")).to_contain_text("Het besluit is vastgelegd")
    expect(page.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("link", name="Besluit afdrukken").click()
    expect(page.locator("article.document")).to_contain_text("Participatiewet")
    check_accessibility(page)

    # EUR 450 for the rent deposit; a decimal point is refused with a clear message first.
    page.goto(f"/trajecten/{admitted_case}")
    page.locator("#section-budget").get_by_role("link", name="Geld toezeggen").click()
    check_accessibility(page)
    page.fill("#description", "Borg voor de huurwoning")
    page.fill("#payee", "Woningcorporatie Viveste")
    page.fill("#amount", "450.00")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert--error")).to_contain_text("Gebruik een komma voor de centen")
    check_accessibility(page)
    page.fill("#amount", "450")
    page.click("main form button[type=submit]")
    budget_section = page.locator("#section-budget")
    expect(budget_section).to_contain_text("€ 450,00")
    expect(budget_section).to_contain_text("€ 2.050,00")
    check_accessibility(page)

    # A payment on the deposit, and the pages to reverse one and to give another budget.
    budget_section.get_by_role("link", name="Betaling op: Borg voor de huurwoning").click()
    check_accessibility(page)
    page.fill("#amount", "450")
    page.click("main form button[type=submit]")
    expect(page.locator("main > .alert--success")).to_contain_text("De betaling is opgeslagen")
    page.locator("#section-budget").get_by_role(
        "link", name="Terugdraaien van: Borg voor de huurwoning"
    ).first.click()
    check_accessibility(page)
    page.goto(f"/trajecten/{admitted_case}/budget/bedrag")
    check_accessibility(page)

    # The register and the budget across cases: the rule once, no client.
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.locator("main table")).to_contain_text("Participatiewet")
    expect(page.locator("main")).not_to_contain_text("Lotte de Boer")
    check_accessibility(page)
    page.get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget over alle trajecten")
    check_accessibility(page)
