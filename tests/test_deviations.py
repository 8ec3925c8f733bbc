"""Mandated rule deviations: proposed with a motivation, decided once in a meeting, read-only after,
corrected or withdrawn by a new record; the anonymised register; the classic case end to end."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from opkoers.domain import RuleViolation
from opkoers.domain.deviations import check_motivation
from opkoers.extensions import db
from opkoers.models import AuditEntry, BudgetEntry, Deviation, Rule
from opkoers.services import budget, deviations
from opkoers.timeutil import local_today

TODAY = local_today()
MOTIVATION = (
    "Zonder adres geen uitkering, en zonder inkomen geen woning. Met een postadres bij de gemeente "
    "kan de uitkering starten."
)


@pytest.mark.parametrize("text", ["", "Nodig.", "Zie gesprek", "kort maar zonder punt en te weinig"])
def test_a_motivation_is_written_out(text):
    with pytest.raises(RuleViolation, match="motivation_too_short"):
        check_motivation(text)


@pytest.fixture
def running(factory):
    case = factory.case("in_progress")
    pg = factory.user("projectgroep")
    budget.open_budget(pg, case)
    db.session.commit()
    return case, pg


def _rule(pg, factory=None):
    return deviations.add_rule(pg, "law", "Participatiewet", "artikel 40", None)


def _propose(pg, case, **extra):
    values = {
        "rule_id": _rule(pg).id,
        "what_differently": "Uitkering met een postadres bij het gemeentehuis.",
        "motivation": MOTIVATION,
        "expected_effect": "Inkomen binnen een maand.",
        "valid_until": TODAY + timedelta(days=180),
    }
    return deviations.propose(pg, case, **(values | extra))


def _decide(pg, deviation, outcome="decided", meeting_id=None):
    db.session.flush()
    deviations.decide(
        pg, deviation, deviation.version, outcome, meeting_id, TODAY, "Past binnen het mandaat."
    )
    db.session.flush()


def test_the_classic_case_decided_in_a_round_table_with_a_deposit(running, factory):
    """Benefits with a postal address at the town hall for a client without a home, decided in a
    round table, and EUR 450 committed for the rent deposit; the register shows the rule once."""
    case, pg = running
    meeting = factory.meeting(case, pg, day=TODAY - timedelta(days=1))
    deviation = _propose(pg, case)
    _decide(pg, deviation, meeting_id=meeting.id)
    budget.commit(
        pg,
        case,
        category="housing",
        description="Borg voor de huurwoning",
        payee="Woningcorporatie",
        amount_cents=45000,
        decided_by_id=pg.id,
        meeting_id=meeting.id,
        entry_date=TODAY,
    )
    assert deviation.status == "decided" and deviation.meeting_id == meeting.id
    assert db.session.scalar(select(BudgetEntry.amount_cents)) == 45000
    (row,) = deviations.register()
    assert (row["name"], row["reference"], row["count"]) == ("Participatiewet", "artikel 40", 1)
    assert case.client.name not in str(row)


def test_a_decision_is_final(running):
    case, pg = running
    deviation = _propose(pg, case)
    _decide(pg, deviation)
    with pytest.raises(RuleViolation, match="deviation_already_decided"):
        deviations.decide(pg, deviation, deviation.version, "rejected", None, TODAY, "Toch niet.")
    with pytest.raises(RuleViolation, match="stale"):
        deviations.decide(pg, deviation, deviation.version - 1, "rejected", None, TODAY, "Toch niet.")


def test_a_meeting_of_another_case_is_refused(running, factory):
    case, pg = running
    other = factory.meeting(factory.case("in_progress"), pg)
    deviation = _propose(pg, case)
    db.session.flush()
    with pytest.raises(RuleViolation, match="meeting_of_other_case"):
        deviations.decide(pg, deviation, deviation.version, "decided", other.id, TODAY, "Ja.")


def test_carried_out_and_outcome_are_recorded_once(running, factory):
    case, pg = running
    org = factory.organisation()
    deviation = _propose(pg, case)
    with pytest.raises(RuleViolation, match="deviation_not_in_force"):
        deviations.record_execution(pg, deviation, org.id, TODAY)
    _decide(pg, deviation)
    deviations.record_execution(pg, deviation, org.id, TODAY)
    with pytest.raises(RuleViolation, match="deviation_already_executed"):
        deviations.record_execution(pg, deviation, org.id, TODAY)
    deviations.record_outcome(pg, deviation, "Uitkering loopt; woning gevonden.", in_register=True)
    with pytest.raises(RuleViolation, match="outcome_already_recorded"):
        deviations.record_outcome(pg, deviation, "Anders", in_register=False)
    (row,) = deviations.register()
    assert row["executed"] == 1 and row["outcomes"] == [("Uitkering loopt; woning gevonden.", 1)]


def test_an_outcome_stays_out_of_the_register_unless_chosen(running):
    case, pg = running
    deviation = _propose(pg, case)
    _decide(pg, deviation)
    deviations.record_outcome(pg, deviation, f"{case.client.name} heeft nu een huis.", in_register=False)
    (row,) = deviations.register()
    assert row["outcomes"] == []


def test_the_register_shows_each_outcome_once_the_most_frequent_first(running, factory):
    case, pg = running
    org = factory.organisation()
    texts = ["Woning behouden"] * 3 + ["Uitkering loopt"] * 2 + [f"Anders {n}" for n in range(6)]
    for text in texts:
        deviation = _propose(pg, case)
        _decide(pg, deviation)
        deviations.record_execution(pg, deviation, org.id, TODAY)
        deviations.record_outcome(pg, deviation, text, in_register=True)
    (row,) = deviations.register()
    assert row["count"] == row["executed"] == len(texts)
    assert row["outcomes"][:2] == [("Woning behouden", 3), ("Uitkering loopt", 2)]
    assert len(row["outcomes"]) == deviations.OUTCOMES_SHOWN and row["more_outcomes"] == 3
    (everything,) = deviations.register(outcomes_per_rule=None)
    assert len(everything["outcomes"]) == 8 and everything["more_outcomes"] == 0


def test_a_correction_replaces_and_a_withdrawal_ends_the_count(running):
    case, pg = running
    first = _propose(pg, case)
    _decide(pg, first)
    correction = _propose(pg, case, replaces=first, successor_kind="correction", what_differently="Anders.")
    with pytest.raises(RuleViolation, match="successor_pending"):
        _propose(pg, case, replaces=first, successor_kind="withdrawal")
    assert deviations.register()[0]["count"] == 1  # the first still counts until the correction is decided
    _decide(pg, correction)
    assert deviations.register()[0]["count"] == 1  # the chain counts once
    withdrawal = _propose(pg, case, replaces=correction, successor_kind="withdrawal")
    _decide(pg, withdrawal)
    assert deviations.register() == []
    assert first.what_differently == "Uitkering met een postadres bij het gemeentehuis."  # never edited
    assert db.session.scalar(select(func.count()).select_from(Deviation)) == 3


def test_only_for_an_admitted_client(factory):
    pg = factory.user("projectgroep")
    with pytest.raises(RuleViolation, match="deviation_needs_admission"):
        _propose(pg, factory.case("intake"))


def test_the_rule_list_does_not_double(running):
    case, pg = running
    assert deviations.add_rule(pg, "law", "participatiewet", "Artikel 40", None).id == _rule(pg).id
    assert db.session.scalar(select(func.count()).select_from(Rule)) == 1


# ---------------------------------------------------------------- the pages


def _form(**changes) -> dict:
    data = {
        "form_token": "d1",
        "rule_id": "",
        "new_rule_kind": "law",
        "new_rule_name": "Participatiewet",
        "new_rule_reference": "artikel 40",
        "new_rule_organisation_id": "",
        "what_differently": "Uitkering met een postadres bij het gemeentehuis.",
        "motivation": MOTIVATION,
        "expected_effect": "",
        "valid_until": "",
    }
    return data | changes


def test_propose_decide_and_print_through_the_pages(login, running, factory):
    case, pg = running
    client = login(pg)
    response = client.post(f"/trajecten/{case.id}/afwijkingen/nieuw", data=_form())
    assert response.status_code == 302
    deviation = db.session.scalar(select(Deviation))
    assert response.location == f"/afwijkingen/{deviation.id}"
    data = {
        "version": deviation.version,
        "outcome": "decided",
        "meeting_id": "",
        "decided_on": TODAY.isoformat(),
    }
    response = client.post(f"/afwijkingen/{deviation.id}/besluiten", data=data)
    assert response.status_code == 422 and "Waarom is zo besloten?" in response.get_data(as_text=True)
    response = client.post(f"/afwijkingen/{deviation.id}/besluiten", data=data | {"reasoning": "Past."})
    assert response.status_code == 302
    page = client.get(f"/afwijkingen/{deviation.id}").get_data(as_text=True)
    assert "Besluit vastleggen" not in page and "Correctie voorstellen" in page
    assert "Motivering" in page  # the professional's words on the page …
    document = client.get(f"/afwijkingen/{deviation.id}/besluit").get_data(as_text=True)
    assert "Besluit: afwijking van een regel" in document and MOTIVATION in document
    # … the client's letter asks the questions in plain words, and speaks to the client
    assert f"Beste {case.client.name}," in document and "voor u afwijken" in document
    assert "Waarom is dat nodig?" in document and "Motivering" not in document
    register = client.get("/register").get_data(as_text=True)
    assert "Participatiewet" in register and case.client.name not in register
    assert case.client.name not in client.get("/register.csv").get_data(as_text=True)
    decided = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "deviation_decided"))
    assert decided.changes["deviation_status"] == ["proposed", "decided"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"motivation": "Nodig."}, "Schrijf de motivering uit in hele zinnen"),
        ({"new_rule_name": ""}, "Kies een regel uit de lijst of vul een nieuwe regel in."),
        ({"new_rule_kind": ""}, "Kies de soort regel."),
        ({"what_differently": ""}, "Vul dit veld in."),
        ({"valid_until": "31-02-2027"}, "Vul een bestaande datum in"),
    ],
)
def test_a_bad_proposal_is_refused_with_the_input_kept(login, running, changes, message):
    case, pg = running
    response = login(pg).post(f"/trajecten/{case.id}/afwijkingen/nieuw", data=_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code in (409, 422) and message in page
    assert "Uitkering met een postadres" in page or changes.get("what_differently") == ""
    assert db.session.scalar(select(func.count()).select_from(Deviation)) == 0


def test_the_same_proposal_sent_twice_is_saved_once(login, running):
    case, pg = running
    client = login(pg)
    for _ in range(2):
        client.post(f"/trajecten/{case.id}/afwijkingen/nieuw", data=_form())
    assert db.session.scalar(select(func.count()).select_from(Deviation)) == 1


def test_the_beheerder_corrects_a_rule_and_takes_it_off_the_list(login, running, factory):
    case, pg = running
    rule = _rule(pg)
    admin = factory.user("beheerder")
    db.session.commit()
    client = login(admin)
    assert "Participatiewet" in client.get("/beheer/regels").get_data(as_text=True)
    data = {"version": rule.version, "kind": "law", "name": "Participatiewet", "reference": "art. 40 lid 1"}
    assert client.post(f"/beheer/regels/{rule.id}", data=data).status_code == 302
    db.session.refresh(rule)
    assert rule.reference == "art. 40 lid 1" and rule.active is False
    assert rule not in deviations.active_rules()


def test_only_a_deviation_in_force_can_be_corrected_withdrawn_or_carried_out(running, factory):
    case, pg = running
    first = _propose(pg, case)
    _decide(pg, first)
    correction = _propose(pg, case, replaces=first, successor_kind="correction", what_differently="Anders.")
    _decide(pg, correction)
    for successor_kind in ("correction", "withdrawal"):  # the first one is replaced
        with pytest.raises(RuleViolation, match="deviation_not_in_force"):
            _propose(pg, case, replaces=first, successor_kind=successor_kind)
    with pytest.raises(RuleViolation, match="deviation_not_in_force"):
        deviations.record_execution(pg, first, factory.organisation().id, TODAY)
    withdrawal = _propose(pg, case, replaces=correction, successor_kind="withdrawal")
    _decide(pg, withdrawal)
    with pytest.raises(RuleViolation, match="deviation_not_in_force"):  # a withdrawal is not in force
        _propose(pg, case, replaces=withdrawal, successor_kind="correction")
    assert deviations.register() == []


def test_two_successors_at_once_are_stopped_by_the_database(running):
    case, pg = running
    first = _propose(pg, case)
    _decide(pg, first)
    db.session.add_all(
        [
            Deviation(
                case_id=case.id,
                rule_id=first.rule_id,
                what_differently="x",
                motivation=MOTIVATION,
                proposed_by_id=pg.id,
                replaces_id=first.id,
                successor_kind="correction",
            )
            for _ in range(2)
        ]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_same_rule_without_an_organisation_is_stored_once(running):
    case, pg = running
    db.session.add_all(
        [Rule(kind="law", name="Wet X", reference=""), Rule(kind="law", name="wet x", reference="")]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_register_csv_cannot_run_formulas(login, running):
    case, pg = running
    rule = deviations.add_rule(pg, "law", '=HYPERLINK("http://x")', "@SUM(1+1)", None)
    deviation = _propose(pg, case, rule_id=rule.id)
    _decide(pg, deviation)
    db.session.commit()
    csv_text = login(pg).get("/register.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text and "'@SUM(1+1)" in csv_text
