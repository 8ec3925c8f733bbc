"""The per-client budget: Dutch amounts, commitments never above the budget (also with two writers at
once), payments never above their commitment, reversals instead of edits, and the totals."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from opkoers.domain import RuleViolation
from opkoers.domain.money import parse_amount
from opkoers.extensions import db
from opkoers.models import AuditEntry, BudgetEntry, Case, CaseBudget
from opkoers.services import budget, intake
from opkoers.timeutil import local_today

from .helpers import count_queries

TODAY = local_today()


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.234,56", 123456),
        ("12,50", 1250),
        ("12,5", 1250),
        ("€ 10", 1000),
        ("€10,-", 1000),
        ("1234", 123400),
        ("1 234,56", 123456),
        ("1.000.000", 100000000),
        ("0,01", 1),
    ],
)
def test_dutch_amounts_are_read_exactly(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "amount_empty"),
        ("-5", "amount_negative"),
        ("0", "amount_zero"),
        ("0,00", "amount_zero"),
        ("12,505", "amount_too_precise"),
        ("12.50", "amount_decimal_point"),
        ("NaN", "amount_invalid"),
        ("1e3", "amount_invalid"),
        ("1,2e3", "amount_invalid"),
        ("12,50 euro", "amount_invalid"),
        ("1.23.4", "amount_invalid"),
        ("12 50", "amount_invalid"),
        ("1 0", "amount_invalid"),
        ("١٢", "amount_invalid"),
        ("1.2.345", "amount_invalid"),
        ("Infinity", "amount_invalid"),
        ("99999999999", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text, code):
    with pytest.raises(RuleViolation) as error:
        parse_amount(text)
    assert error.value.code == code


@pytest.fixture
def running(factory):
    case = factory.case("in_progress")
    pg = factory.user("projectgroep")
    budget.open_budget(pg, case)
    db.session.commit()
    return case, pg


def _commit(pg, case, cents, **extra):
    values = {
        "category": "housing",
        "description": "Borg voor de huurwoning",
        "payee": "Woningcorporatie Viveste",
        "amount_cents": cents,
        "decided_by_id": pg.id,
        "entry_date": TODAY,
    }
    return budget.commit(pg, case, **(values | extra))


def test_admission_opens_the_default_budget(factory):
    case = factory.case("intake")
    pg = factory.user("projectgroep")
    factory.life_domains()
    for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
        intake.record_step(
            pg, case, kind, None, held_on=TODAY, performed_by_id=pg.id, note="", report="Verslag"
        )
    intake.decide(pg, case, "admitted", "Voldoet.", TODAY)
    assert db.session.scalar(select(CaseBudget.amount_cents).where(CaseBudget.case_id == case.id)) == 250000


def test_a_commitment_above_what_is_left_is_refused_with_what_is_left(running):
    case, pg = running
    _commit(pg, case, 200000)
    with pytest.raises(RuleViolation) as error:
        _commit(pg, case, 60000)
    assert error.value.code == "over_budget" and error.value.details["left"] == 50000
    _commit(pg, case, 50000)  # exactly to the limit is fine
    assert budget.case_budget(case)["totals"].remaining == 0


def test_payments_stay_within_their_commitment(running):
    case, pg = running
    deposit = _commit(pg, case, 45000)
    budget.pay(pg, case, deposit, amount_cents=30000, decided_by_id=pg.id, entry_date=TODAY)
    with pytest.raises(RuleViolation, match="over_commitment"):
        budget.pay(pg, case, deposit, amount_cents=15001, decided_by_id=pg.id, entry_date=TODAY)
    budget.pay(pg, case, deposit, amount_cents=15000, decided_by_id=pg.id, entry_date=TODAY)
    totals = budget.case_budget(case)["totals"]
    assert (totals.committed, totals.paid, totals.remaining) == (45000, 45000, 205000)


def test_a_mistake_is_reversed_never_edited(running):
    case, pg = running
    deposit = _commit(pg, case, 45000)
    payment = budget.pay(pg, case, deposit, amount_cents=45000, decided_by_id=pg.id, entry_date=TODAY)
    with pytest.raises(RuleViolation, match="commitment_has_payments"):
        budget.reverse(pg, case, deposit, "Verkeerd bedrag", TODAY)
    budget.reverse(pg, case, payment, "Dubbel betaald", TODAY)
    reversal = budget.reverse(pg, case, deposit, "Verkeerd bedrag", TODAY)
    assert reversal.amount_cents == -45000 and reversal.reverses_id == deposit.id
    with pytest.raises(RuleViolation, match="already_reversed"):
        budget.reverse(pg, case, deposit, "Nog eens", TODAY)
    with pytest.raises(RuleViolation, match="reversal_of_reversal"):
        budget.reverse(pg, case, reversal, "Terug", TODAY)
    totals = budget.case_budget(case)["totals"]
    assert (totals.committed, totals.paid) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(BudgetEntry)) == 4  # nothing deleted
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id)).all()
    assert actions.count("budget_reversed") == 2


def test_a_different_budget_is_a_decision_and_never_below_what_is_committed(running):
    case, pg = running
    _commit(pg, case, 200000)
    with pytest.raises(RuleViolation, match="budget_below_committed"):
        budget.decide_amount(pg, case, 150000, "Minder nodig.", TODAY)
    decision = budget.decide_amount(pg, case, 300000, "Extra kosten voor de verhuizing.", TODAY)
    assert (decision.old_cents, decision.new_cents) == (250000, 300000)
    assert budget.case_budget(case)["totals"].remaining == 100000


def test_only_a_project_group_member_decides_and_only_for_an_admitted_client(running, factory):
    case, pg = running
    with pytest.raises(RuleViolation, match="decider_not_projectgroep"):
        _commit(pg, case, 100, decided_by_id=factory.user("professional").id)
    referred = factory.case("referred")
    with pytest.raises(RuleViolation, match="budget_needs_admission"):
        _commit(pg, referred, 100)


def test_the_default_budget_is_a_setting(app, factory):
    admin = factory.user("beheerder")
    budget.set_default_budget(admin, 300000, None)
    db.session.commit()
    case = factory.case("admitted")
    assert budget.open_budget(admin, case).amount_cents == 300000


def test_two_people_spending_at_the_same_moment_never_exceed_the_budget(app, running):
    """Two writers, each committing EUR 1,500 of the EUR 2,500 at the same moment: one wins."""
    case, pg = running
    case_id, pg_id = case.id, pg.id
    db.session.commit()
    start = threading.Barrier(2)
    results, failures = [], []

    def spend():
        from opkoers.models import User

        try:
            with app.app_context():
                start.wait(timeout=10)
                me = db.session.get(User, pg_id)
                target = db.session.get(Case, case_id)
                try:
                    _commit(me, target, 150000)
                    time.sleep(0.2)  # hold the transaction open: the other writer must wait
                    db.session.commit()
                    results.append("committed")
                except RuleViolation as error:
                    db.session.rollback()
                    results.append(error.code)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(results) == ["committed", "over_budget"]
    db.session.rollback()
    assert budget.case_budget(db.session.get(Case, case_id))["totals"].committed == 150000


def test_totals_across_5000_clients_and_50000_entries(app, factory, capsys):
    pg = factory.user("projectgroep")
    cases = [factory.case("in_progress") for _ in range(2)]
    db.session.commit()
    template = cases[0]
    start = db.session.scalar(select(func.max(Case.id)))
    db.session.execute(
        insert(Case),
        [
            {
                "id": start + i,
                "client_id": template.client_id,
                "status": "in_progress",
                "crisis": False,
                "urgency": "normal",
                "referrer_kind": "self",
                "referrer_name": "",
                "referrer_role": "",
                "referrer_organisation": "",
                "channel": "phone",
                "referred_on": TODAY - timedelta(days=400),
                "reason": "Generated",
                "decision_motivation": "",
                "decision_told_client": "",
                "closed_reason": "",
                "version": 1,
            }
            for i in range(1, 5000 - 1)
        ],
    )
    case_ids = [c.id for c in cases] + [start + i for i in range(1, 5000 - 1)]
    db.session.execute(
        insert(CaseBudget), [{"case_id": i, "amount_cents": 250000, "version": 1} for i in case_ids]
    )
    categories = ("housing", "debts", "income", "care", "work", "mobility", "household", "other")
    db.session.execute(
        insert(BudgetEntry),
        [
            {
                "case_id": case_ids[i % len(case_ids)],
                "kind": "commitment",
                "category": categories[i % len(categories)],
                "description": "Generated",
                "payee": "Leverancier",
                "amount_cents": 1000 + i % 5000,
                "decided_by_id": pg.id,
                "entry_date": TODAY - timedelta(days=i % 730),
                "created_by_id": pg.id,
            }
            for i in range(50000)
        ],
    )
    db.session.commit()
    started = time.perf_counter()
    with count_queries() as statements:
        result = budget.overview()
    elapsed = time.perf_counter() - started
    assert result["totals"].budget == 5000 * 250000 and result["totals"].committed > 0
    assert len(result["by_category"]) == 8 and len(result["by_month"]) >= 24
    with capsys.disabled():
        print(
            f"\n[{db.engine.dialect.name}] budget totals over 5,000 clients and 50,000 entries: "
            f"{len(statements)} queries, {elapsed * 1000:.0f} ms"
        )
    assert len(statements) == 4


# ---------------------------------------------------------------- the pages


def _form(pg, **changes) -> dict:
    data = {
        "form_token": "token-1",
        "category": "housing",
        "description": "Borg voor de huurwoning",
        "payee": "Woningcorporatie Viveste",
        "amount": "450",
        "decided_by_id": str(pg.id),
        "meeting_id": "",
        "entry_date": TODAY.isoformat(),
    }
    return data | changes


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(BudgetEntry))


def test_commit_from_the_case_page_and_see_the_totals(login, running):
    case, pg = running
    client = login(pg)
    response = client.post(f"/trajecten/{case.id}/budget/toezegging", data=_form(pg, amount="€ 1.234,56"))
    assert response.status_code == 302 and response.location.endswith("#section-budget")
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "€\xa01.234,56" in page and "€\xa01.265,44" in page  # committed, and what is left
    assert "49% van het budget is toegezegd." in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.50", "Gebruik een komma voor de centen"),
        ("-10", "kan niet negatief zijn"),
        ("1e3", "Dit is geen bedrag"),
        ("0", "Het bedrag is nul"),
        ("12,345", "hoogstens twee cijfers"),
        ("", "Vul een bedrag in"),
    ],
)
def test_a_bad_amount_is_refused_with_the_input_kept(login, running, amount, message):
    case, pg = running
    response = login(pg).post(f"/trajecten/{case.id}/budget/toezegging", data=_form(pg, amount=amount))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'value="{amount}"' in page and "Borg voor de huurwoning" in page
    assert _entries() == 0


def test_over_budget_says_what_is_left_and_saves_nothing(login, running):
    case, pg = running
    client = login(pg)
    client.post(f"/trajecten/{case.id}/budget/toezegging", data=_form(pg, amount="2.000"))
    response = client.post(
        f"/trajecten/{case.id}/budget/toezegging", data=_form(pg, form_token="t2", amount="600")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Er is nog €\xa0500,00 over; u vroeg €\xa0600,00." in page
    assert _entries() == 1


def test_the_same_form_sent_twice_commits_once(login, running):
    case, pg = running
    client = login(pg)
    for _ in range(2):
        assert client.post(f"/trajecten/{case.id}/budget/toezegging", data=_form(pg)).status_code == 302
    assert _entries() == 1


def test_pay_and_reverse_through_the_pages(login, running):
    case, pg = running
    client = login(pg)
    client.post(f"/trajecten/{case.id}/budget/toezegging", data=_form(pg))
    deposit = db.session.scalar(select(BudgetEntry))
    url = f"/trajecten/{case.id}/budget/{deposit.id}"
    data = {"form_token": "p1", "amount": "450,01", "decided_by_id": pg.id, "entry_date": TODAY.isoformat()}
    response = client.post(f"{url}/betaling", data=data)
    assert response.status_code == 409 and "Er kan nog €\xa0450,00 betaald worden." in response.get_data(
        as_text=True
    )
    assert client.post(f"{url}/betaling", data=data | {"amount": "450"}).status_code == 302
    assert client.post(f"{url}/terugdraaien", data={"form_token": "r1", "reason": ""}).status_code == 422
    response = client.post(f"{url}/terugdraaien", data={"form_token": "r2", "reason": "Verkeerd"})
    assert response.status_code == 409 and "Draai eerst de betalingen terug" in response.get_data(
        as_text=True
    )


def test_an_entry_of_another_case_is_not_found(login, running, factory):
    case, pg = running
    other = factory.case("in_progress")
    budget.open_budget(pg, other)
    foreign = _commit(pg, other, 1000)
    db.session.commit()
    response = login(pg).get(f"/trajecten/{case.id}/budget/{foreign.id}/betaling")
    assert response.status_code == 404


def test_the_overview_and_its_csv(login, running):
    case, pg = running
    _commit(pg, case, 45000)
    db.session.commit()
    client = login(pg)
    page = client.get("/budget").get_data(as_text=True)
    assert "Toegezegd per categorie" in page and "€\xa0450,00" in page
    csv_text = client.get("/budget.csv").get_data(as_text=True)
    assert "Categorie;Wonen;450,00;" in csv_text
    assert case.client.name not in csv_text  # totals only, no clients


def test_the_beheerder_sets_the_default_budget(login, factory):
    admin = factory.user("beheerder")
    db.session.commit()
    client = login(admin)
    form = client.get("/beheer/instellingen").get_data(as_text=True)
    assert 'value="2500,00"' in form
    assert client.post("/beheer/instellingen", data={"amount": "2.500,5"}).status_code == 302
    assert budget.default_budget_cents() == 250050
    response = client.post("/beheer/instellingen", data={"amount": "veel", "version": "1"})
    assert response.status_code == 422 and "Dit is geen bedrag" in response.get_data(as_text=True)
    stale = client.post("/beheer/instellingen", data={"amount": "3000", "version": "0"})
    assert stale.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(
        as_text=True
    )
