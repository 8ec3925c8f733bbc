"""The case workflow services, on SQLite and PostgreSQL: referral, case list and visibility, intake,
selection steps, decision, contract, consent, plan of action, involvement and the change history."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.models import AuditEntry, Case, Consent, Intake, PlanGoal, PlanOfAction, SelectionStep
from opkoers.services import agreements, cases, intake
from opkoers.timeutil import local_today

TODAY = local_today()


def referral(**overrides) -> dict:
    """The fields of a valid referral, as the form hands them to the service."""
    fields = {
        "client_name": "Jan Jansen",
        "client_date_of_birth": date(1975, 3, 2),
        "client_address": "Dorpsstraat 12",
        "client_postcode": "3991 AB",
        "client_city": "Houten",
        "client_neighbourhood_id": None,
        "client_phone": "030-1234567",
        "client_email": "jan@example.test",
        "referrer_kind": "coach",
        "referrer_name": "Carla Coach",
        "referrer_role": "Cliëntcoach",
        "referrer_organisation": "Buurtteam Oost",
        "channel": "phone",
        "referred_on": TODAY,
        "reason": "Loopt vast met huur en uitkering.",
        "urgency": "normal",
        "crisis_kind": None,
        "handler_id": None,
    }
    fields.update(overrides)
    return fields


def trail(case, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def refused(code: str):
    """pytest.raises for a RuleViolation with this code."""
    return pytest.raises(RuleViolation, match=f"^{code}$")


def step(case, kind: str):
    return db.session.scalar(
        select(SelectionStep).where(SelectionStep.case_id == case.id, SelectionStep.kind == kind)
    )


def intake_of(case) -> Intake:
    return db.session.scalar(select(Intake).where(Intake.case_id == case.id))


@pytest.fixture
def pg(factory):
    factory.life_domains()  # an installation always has them; a consent names some
    return factory.user("projectgroep", name="Petra Projectgroep")


# ---------------------------------------------------------------- referral


def test_register_referral_creates_client_case_and_history(pg):
    case = cases.register_referral(pg, **referral())
    db.session.commit()
    assert case.status == "referred"
    assert case.client.name == "Jan Jansen"
    assert case.referrer_kind == "coach" and case.referrer_name == "Carla Coach"
    assert not case.crisis
    actions = [e.action for e in trail(case)]
    assert actions == ["referral_registered", "client_registered"]
    registered = trail(case, "referral_registered")[0]
    assert registered.user_name == "Petra Projectgroep"
    assert registered.changes["status"] == [None, "referred"]
    assert registered.changes["referred_on"] == [None, TODAY.isoformat()]


def test_crisis_kind_sets_the_crisis_flag(pg):
    case = cases.register_referral(pg, **referral(crisis_kind="eviction"))
    assert case.crisis and case.crisis_kind == "eviction"


def test_update_referral_records_old_and_new(pg, factory):
    case = factory.case(client_name="Jan Jansen")
    before = case.version
    fields = referral(client_name="Jan de Vries", reason="Nieuwe reden.", crisis_kind="energy")
    cases.update_referral(pg, case, case.version, case.client.version, **fields)
    db.session.commit()
    client_change = trail(case, "client_updated")[0].changes
    assert client_change["name"] == ["Jan Jansen", "Jan de Vries"]
    case_change = trail(case, "referral_updated")[0].changes
    assert case_change["reason"] == ["Loopt vast met huur en uitkering.", "Nieuwe reden."]
    assert case_change["crisis"] == [False, True]
    assert case.version == before + 1


def test_update_referral_without_changes_writes_nothing(pg, factory):
    case = cases.register_referral(pg, **referral())
    before = audit_count()
    cases.update_referral(pg, case, case.version, case.client.version, **referral())
    assert audit_count() == before


@pytest.mark.parametrize("stale", ["case", "client"])
def test_update_referral_from_an_old_copy_is_refused(pg, factory, stale):
    case = factory.case(client_name="Jan Jansen")
    versions = {"case": case.version, "client": case.client.version}
    versions[stale] -= 1
    with refused("stale"):
        cases.update_referral(pg, case, versions["case"], versions["client"], **referral(client_name="X"))
    db.session.rollback()
    assert case.client.name == "Jan Jansen"
    assert trail(case) == []


# ---------------------------------------------------------------- list and visibility


def _names(page) -> list[str]:
    return [c.client_name for c in page.items]


def test_list_search_is_case_insensitive_and_literal(pg, factory):
    factory.case(client_name="Jan Jansen")
    factory.case(client_name="Marie Janssens")
    factory.case(client_name="Piet 100% Puk")
    factory.case(client_name="Kees_Bakker")

    def search(q):
        return sorted(_names(cases.list_cases(pg, cases.CaseFilter(q=q), 1, 25)))

    assert search("JANS") == ["Jan Jansen", "Marie Janssens"]
    assert search("%") == ["Piet 100% Puk"]
    assert search("_") == ["Kees_Bakker"]
    assert search("niemand") == []


def test_list_filters_status_neighbourhood_and_crisis(pg, factory):
    oost, west = factory.neighbourhood("Oost"), factory.neighbourhood("West")
    factory.case(client_name="A", status="intake", neighbourhood=oost)
    factory.case(client_name="B", status="referred", neighbourhood=west, crisis=True)
    factory.case(client_name="C", status="referred", neighbourhood=oost)

    def listed(**kw):
        return sorted(_names(cases.list_cases(pg, cases.CaseFilter(**kw), 1, 25)))

    assert listed(status="referred") == ["B", "C"]
    assert listed(neighbourhood_id=oost.id) == ["A", "C"]
    assert listed(crisis=True) == ["B"]
    assert listed(status="referred", neighbourhood_id=oost.id) == ["C"]


def test_list_puts_crisis_first_then_newest_and_pages(pg, factory):
    for n in range(5):
        factory.case(client_name=f"Gewoon {n}", referred_on=TODAY - timedelta(days=n))
    factory.case(client_name="Oude crisis", crisis=True, referred_on=TODAY - timedelta(days=400))
    first = cases.list_cases(pg, cases.CaseFilter(), 1, 4)
    assert _names(first) == ["Oude crisis", "Gewoon 0", "Gewoon 1", "Gewoon 2"]
    assert (first.total, first.pages) == (6, 2)
    assert _names(cases.list_cases(pg, cases.CaseFilter(), 2, 4)) == ["Gewoon 3", "Gewoon 4"]
    assert _names(cases.list_cases(pg, cases.CaseFilter(), 9, 4)) == []


@pytest.fixture
def visibility(factory):
    """One case with a consent for 'Gemeente'; people around it in every relevant position."""
    return factory.case_with_people()


def _sees(user, case) -> bool:
    return case.id in [c.id for c in cases.list_cases(user, cases.CaseFilter(), 1, 25).items]


def test_who_sees_the_case(visibility):
    case, people = visibility
    seen = {role: _sees(user, case) for role, user in people.items()}
    assert seen == {
        "projectgroep": True,
        "involved": True,
        "not_involved": False,
        "outside_consent": False,
        "buurtteam": True,
        "beheerder": False,
    }


@pytest.mark.parametrize(
    "change",
    ["withdrawn", "expired", "not_yet_signed"],
)
def test_a_consent_that_does_not_count_hides_the_case(visibility, change):
    case, people = visibility
    consent = db.session.scalar(select(Consent).where(Consent.case_id == case.id))
    if change == "withdrawn":
        agreements.withdraw_consent(people["projectgroep"], case, consent, "De cliënt wil het niet meer.")
    elif change == "expired":
        consent.signed_on, consent.valid_until = TODAY - timedelta(days=400), TODAY - timedelta(days=1)
    else:
        consent.signed_on, consent.valid_until = TODAY + timedelta(days=1), TODAY + timedelta(days=30)
    db.session.flush()
    assert not _sees(people["involved"], case)
    assert not _sees(people["buurtteam"], case)
    assert _sees(people["projectgroep"], case)


def test_consent_valid_until_today_still_counts(visibility):
    case, people = visibility
    consent = db.session.scalar(select(Consent).where(Consent.case_id == case.id))
    consent.valid_until = TODAY
    db.session.flush()
    assert _sees(people["involved"], case)


# ---------------------------------------------------------------- case page and next step


@pytest.mark.parametrize(
    "status, expected",
    [
        ("referred", "start_intake"),
        ("intake", "step_introduction"),
        ("admitted", "record_contract"),
        ("in_progress", "renew_consent"),  # the factory's running case has no consent
        ("declined", "none"),
    ],
)
def test_next_step_per_status(factory, status, expected):
    case = factory.case(status=status)
    assert cases.case_page(case, 20, 20)["next_step"] == expected


def test_case_page_shows_the_latest_changes_first(pg, factory):
    case = factory.case()
    intake.start_intake(pg, case)
    page = cases.case_page(case, 1, 20)
    assert [e.action for e in page["history"]] == ["intake_started"]
    assert cases.history(case, 1, 50).total == 2


# ---------------------------------------------------------------- intake


def test_start_intake_moves_status_and_opens_the_form(pg, factory):
    case = factory.case()
    intake.start_intake(pg, case)
    assert case.status == "intake"
    assert intake_of(case) is not None
    assert trail(case, "status_changed")[0].changes == {"status": ["referred", "intake"]}
    assert cases.case_page(case, 20, 20)["next_step"] == "complete_intake"


@pytest.mark.parametrize("status", ["intake", "admitted", "declined", "in_progress"])
def test_start_intake_only_from_referred(pg, factory, status):
    case = factory.case(status=status)
    before = audit_count()
    with refused("transition_not_allowed"):
        intake.start_intake(pg, case)
    assert audit_count() == before


def _save_intake(actor, case, record, problems=None, **answers):
    values = {q: "" for q in intake.QUESTION_FIELDS}
    values.update({name: ("" if name.endswith("_note") else None) for name in intake.TREE_FIELDS})
    values.update(answers)
    intake.save_intake(actor, case, record, record.version, problems or {}, **values)


def test_save_intake_answers_tree_and_problems(pg, factory):
    case = factory.case()
    record = intake.start_intake(pg, case)
    domains = factory.life_domains()
    _save_intake(pg, case, record, {domains[0].id: "Schulden", domains[1].id: "Geen huis"}, who_asks="Jan")
    assert cases.load_case_records(case)["facts"].tree_result == "incomplete"

    _save_intake(
        pg,
        case,
        record,
        {domains[0].id: "Hoge schulden", domains[1].id: ""},
        who_asks="Jan",
        tree_a="yes",
        tree_b="yes",
        tree_c="yes",
        tree_d="yes",
        tree_d_note="Niemand heeft er last van.",
    )
    db.session.commit()
    assert [p.description for p in record.problems] == ["Hoge schulden"]
    assert cases.load_case_records(case)["facts"].tree_result == "met"
    last = trail(case, "intake_saved")[-1].changes
    assert last[f"problem:{domains[0].id}"] == ["Schulden", "Hoge schulden"]
    assert last[f"problem:{domains[1].id}"] == ["Geen huis", None]
    assert last["tree_a"] == [None, "yes"]


def test_one_no_in_the_tree_means_not_met(pg, factory):
    case = factory.case()
    record = intake.start_intake(pg, case)
    _save_intake(pg, case, record, tree_a="yes", tree_b="no")
    assert cases.load_case_records(case)["facts"].tree_result == "not_met"


def test_save_intake_from_an_old_copy_is_refused(pg, factory):
    case = factory.case()
    record = intake.start_intake(pg, case)
    _save_intake(pg, case, record, who_asks="Eerste")
    with refused("stale"):
        intake.save_intake(pg, case, record, record.version - 1, {}, who_asks="Tweede")
    assert record.who_asks == "Eerste"


@pytest.mark.parametrize("status", ["admitted", "declined", "in_progress"])
def test_intake_cannot_change_after_the_decision(pg, factory, status):
    case = factory.case(status=status)
    record = intake_of(case)
    with refused("intake_closed"):
        _save_intake(pg, case, record, tree_a="no")
    assert record.tree_a == "yes"


# ---------------------------------------------------------------- selection steps


def _record_step(actor, case, kind, version=None, **fields):
    values = {"held_on": TODAY, "performed_by_id": actor.id, "note": "", "report": ""}
    values.update(fields)
    return intake.record_step(actor, case, kind, version, **values)


def test_record_and_correct_a_step(pg, factory):
    case = factory.case(status="intake")
    first = _record_step(pg, case, "introduction", note="Goed gesprek")
    assert trail(case, "step_recorded")[0].changes["note"] == [None, "Goed gesprek"]
    _record_step(pg, case, "introduction", first.version, note="Heel goed gesprek")
    assert trail(case, "step_corrected")[0].changes["note"] == ["Goed gesprek", "Heel goed gesprek"]
    assert cases.case_page(case, 20, 20)["next_step"] == "step_intake_talk"


def test_correcting_a_step_from_an_old_copy_is_refused(pg, factory):
    case = factory.case(status="intake")
    first = _record_step(pg, case, "introduction", note="Een")
    _record_step(pg, case, "introduction", first.version, note="Twee")
    with refused("stale"):
        _record_step(pg, case, "introduction", first.version - 1, note="Drie")
    # A second person who opened the form while the step did not exist yet is also too late.
    with refused("stale"):
        _record_step(pg, case, "introduction", None, note="Vier")
    assert step(case, "introduction").note == "Twee"


@pytest.mark.parametrize("status", ["referred", "admitted", "declined"])
def test_steps_only_during_intake(pg, factory, status):
    case = factory.case(status=status)
    before = audit_count()
    with refused("intake_not_started" if status == "referred" else "intake_closed"):
        _record_step(pg, case, "introduction")
    assert audit_count() == before


# ---------------------------------------------------------------- decision


def _all_steps(actor, case):
    for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
        _record_step(actor, case, kind, report="Verslag" if kind == "intake_talk" else "")


def test_decision_needs_the_decision_meeting(pg, factory):
    case = factory.case(status="intake")
    with refused("decision_needs_meeting"):
        intake.decide(pg, case, "admitted", "Past goed.", TODAY)
    assert case.status == "intake" and case.decision is None


def test_admission_needs_every_criterion_met(pg, factory):
    case = factory.case(status="intake")
    intake_of(case).tree_c = None
    _all_steps(pg, case)
    with refused("admission_needs_criteria"):
        intake.decide(pg, case, "admitted", "Past goed.", TODAY)
    assert case.status == "intake"


def test_admit(pg, factory):
    case = factory.case(status="intake")
    _all_steps(pg, case)
    intake.decide(pg, case, "admitted", "Past goed.", TODAY)
    assert (case.status, case.decision, case.decided_by_id) == ("admitted", "admitted", pg.id)
    assert case.closed_on is None
    changes = trail(case, "decision_taken")[0].changes
    assert changes["status"] == ["intake", "admitted"]
    assert changes["decision_motivation"] == ["", "Past goed."]


def test_decline_closes_with_the_reason(pg, factory):
    case = factory.case(status="intake")
    intake_of(case).tree_b = "no"
    _all_steps(pg, case)
    intake.decide(pg, case, "declined", "Geen meervoudige problemen.", TODAY - timedelta(days=1))
    assert case.status == "declined"
    assert case.closed_on == TODAY - timedelta(days=1)
    assert case.closed_reason == "Geen meervoudige problemen."
    assert cases.case_page(case, 20, 20)["next_step"] == "none"


@pytest.mark.parametrize("status", ["referred", "admitted", "declined", "in_progress"])
def test_deciding_twice_or_too_early_is_refused(pg, factory, status):
    case = factory.case(status=status)
    with refused("transition_not_allowed"):
        intake.decide(pg, case, "declined", "Nee.", TODAY)


# ---------------------------------------------------------------- contract, consent, plan


@pytest.mark.parametrize("status", ["referred", "intake", "declined"])
def test_agreements_need_an_admitted_case(pg, factory, status):
    case = factory.case(status=status)
    org = factory.organisation()
    before = audit_count()
    for action in (
        lambda: agreements.record_contract(pg, case, case.version, TODAY),
        lambda: agreements.record_consent(pg, case, [org.id], "Delen", TODAY, TODAY),
        lambda: agreements.save_plan(pg, case, None, prioritised_problem="Wonen"),
        lambda: agreements.add_goal(pg, case, factory.life_domains()[0].id, "Doel", "Resultaat"),
    ):
        with refused("needs_admission"):
            action()
    db.session.rollback()
    assert audit_count() == before
    assert db.session.scalar(select(func.count(PlanOfAction.id))) == 0


def test_contract(pg, factory):
    case = factory.case(status="admitted")
    agreements.record_contract(pg, case, case.version, TODAY)
    assert case.contract_signed_on == TODAY
    assert trail(case, "contract_recorded")[0].changes == {"contract_signed_on": [None, TODAY.isoformat()]}
    with refused("stale"):
        agreements.record_contract(pg, case, case.version - 1, TODAY - timedelta(days=1))
    assert case.contract_signed_on == TODAY


def test_consent_gives_access_and_withdrawal_takes_it_away_at_once(pg, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente)
    case = factory.case(status="admitted", involved=[pro])
    assert not _sees(pro, case)
    consent = agreements.record_consent(
        pg, case, [gemeente.id], "Inkomen", TODAY, TODAY + timedelta(days=365)
    )
    assert _sees(pro, case)
    assert trail(case, "consent_recorded")[0].changes["organisations"] == [None, "Gemeente"]

    agreements.withdraw_consent(pg, case, consent, "Cliënt trekt in.")
    db.session.commit()
    assert not _sees(pro, case)
    kept = db.session.get(Consent, consent.id)
    assert kept.withdrawn_at is not None and kept.withdrawn_by_id == pg.id
    assert kept.withdrawal_reason == "Cliënt trekt in."
    assert trail(case, "consent_withdrawn")[0].changes["withdrawal_reason"] == ["", "Cliënt trekt in."]
    with refused("already_withdrawn"):
        agreements.withdraw_consent(pg, case, kept, "Nog eens.")


def test_plan_goals_and_signing(pg, factory):
    case = factory.case(status="admitted")
    domains = factory.life_domains()
    goal = agreements.add_goal(pg, case, domains[0].id, "Schulden regelen", "Een betalingsregeling")
    agreements.add_goal(pg, case, domains[1].id, "Een woning", "Huurcontract")
    agreements.remove_goal(pg, case, goal)
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    assert [g.goal for g in plan.goals] == ["Een woning"]
    assert db.session.scalar(select(func.count(PlanGoal.id))) == 1

    agreements.save_plan(pg, case, plan.version, prioritised_problem="Wonen", activities="", signed_on=TODAY)
    assert trail(case, "plan_saved")[0].changes["signed_on"] == [None, TODAY.isoformat()]
    with refused("plan_signed"):
        agreements.add_goal(pg, case, domains[2].id, "Werk", "Een baan")
    with refused("plan_signed"):
        agreements.remove_goal(pg, case, plan.goals[0])
    with refused("stale"):
        agreements.save_plan(pg, case, plan.version - 1, prioritised_problem="Geld")
    assert plan.prioritised_problem == "Wonen"


def test_start_needs_contract_consent_and_a_signed_plan(pg, factory):
    gemeente = factory.organisation("Gemeente")
    case = factory.case(status="admitted")
    with pytest.raises(RuleViolation) as refusal:
        agreements.start_plan(pg, case)
    assert refusal.value.code == "start_incomplete"
    assert refusal.value.details["missing"] == ["contract", "consent", "plan_goals", "plan_signed"]

    agreements.record_contract(pg, case, case.version, TODAY)
    agreements.record_consent(pg, case, [gemeente.id], "Alles", TODAY, TODAY + timedelta(days=30))
    agreements.add_goal(pg, case, factory.life_domains()[0].id, "Doel", "Resultaat")
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    agreements.save_plan(pg, case, plan.version, signed_on=TODAY)
    assert cases.case_page(case, 20, 20)["next_step"] == "start"
    agreements.start_plan(pg, case)
    assert case.status == "in_progress"
    assert trail(case, "status_changed")[-1].changes == {"status": ["admitted", "in_progress"]}


# ---------------------------------------------------------------- involvement


def test_involvement(pg, factory):
    case = factory.case()
    pro = factory.user("professional", name="Paul Professional")
    involvement = cases.add_involvement(pg, case, pro.id, "Schuldhulpverlener")
    assert trail(case, "involvement_added")[0].changes["user"] == [None, "Paul Professional"]
    with refused("already_involved"):
        cases.add_involvement(pg, case, pro.id, "")
    cases.remove_involvement(pg, case, involvement)
    db.session.flush()
    assert trail(case, "involvement_removed")[0].changes == {"user": ["Paul Professional", None]}
    assert cases.case_page(case, 20, 20)["involvements"] == []


@pytest.mark.parametrize("who", ["projectgroep", "beheerder", "inactive", "missing"])
def test_only_active_professionals_and_buurtteam_can_be_involved(pg, factory, who):
    case = factory.case()
    if who == "missing":
        user_id = 999_999
    else:
        role = "professional" if who == "inactive" else who
        user_id = factory.user(role, active=who != "inactive").id
    with refused("not_involved_role"):
        cases.add_involvement(pg, case, user_id, "")


def test_the_whole_workflow_leaves_a_complete_history(pg, factory):
    gemeente = factory.organisation("Gemeente")
    case = cases.register_referral(pg, **referral())
    record = intake.start_intake(pg, case)
    _save_intake(pg, case, record, tree_a="yes", tree_b="yes", tree_c="yes", tree_d="yes")
    _all_steps(pg, case)
    intake.decide(pg, case, "admitted", "Past goed.", TODAY)
    agreements.record_contract(pg, case, case.version, TODAY)
    agreements.record_consent(pg, case, [gemeente.id], "Alles", TODAY, TODAY + timedelta(days=30))
    agreements.add_goal(pg, case, factory.life_domains()[0].id, "Doel", "Resultaat")
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    agreements.save_plan(pg, case, plan.version, signed_on=TODAY)
    agreements.start_plan(pg, case)
    db.session.commit()
    assert db.session.get(Case, case.id).status == "in_progress"
    assert [e.action for e in trail(case)] == [
        "referral_registered",
        "client_registered",
        "status_changed",
        "intake_started",
        "intake_saved",
        "step_recorded",
        "step_recorded",
        "step_recorded",
        "step_recorded",
        "decision_taken",
        "budget_opened",
        "measurement_planned",
        "contract_recorded",
        "consent_recorded",
        "goal_added",
        "plan_saved",
        "status_changed",
    ]
    assert all(e.user_id == pg.id and e.at is not None for e in trail(case))


def test_a_running_plan_stays_as_it_was_signed(pg, factory):
    case = factory.case(status="in_progress")
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    before = audit_count()
    with refused("plan_locked"):
        agreements.save_plan(
            pg, case, plan.version, prioritised_problem="Anders", activities="", signed_on=None
        )
    with refused("plan_locked"):
        agreements.add_goal(pg, case, factory.life_domains()[0].id, "Werk", "Een baan")
    assert audit_count() == before


def test_a_save_without_a_version_is_refused_as_stale(pg, factory):
    case = factory.case(status="intake")
    record = intake_of(case)
    with refused("stale"):
        intake.save_intake(
            pg,
            case,
            record,
            None,
            {},
            **{f: "" for f in intake.QUESTION_FIELDS},
            **{f: None if not f.endswith("_note") else "" for f in intake.TREE_FIELDS},
        )


def test_a_running_case_asks_for_a_new_consent_once_it_is_withdrawn(pg, factory):
    org = factory.organisation()
    case = factory.case(status="in_progress", consent_organisations=[org])
    assert cases.case_page(case, 20, 20)["next_step"] == "round_table"
    consent = db.session.scalar(select(Consent).where(Consent.case_id == case.id))
    agreements.withdraw_consent(pg, case, consent, "De cliënt wil het niet meer.")
    assert cases.case_page(case, 20, 20)["next_step"] == "renew_consent"


def test_nothing_is_dated_before_the_referral(pg, factory):
    case = factory.case(status="admitted", referred_on=TODAY - timedelta(days=10))
    too_early = TODAY - timedelta(days=11)
    before = audit_count()
    with refused("before_referral"):
        agreements.record_contract(pg, case, case.version, too_early)
    with refused("before_referral"):
        agreements.record_consent(pg, case, [factory.organisation().id], "Delen", too_early, TODAY)
    assert audit_count() == before


def test_a_plan_is_signed_only_with_goals(pg, factory):
    case = factory.case(status="admitted")
    with refused("plan_needs_goals"):
        agreements.save_plan(pg, case, None, prioritised_problem="Wonen", activities="", signed_on=TODAY)


def test_a_crisis_is_always_urgent(pg):
    case = cases.register_referral(pg, **referral(crisis_kind="water", urgency="normal"))
    assert case.crisis and case.urgency == "high"


def test_the_decision_records_what_the_client_was_told(pg, factory):
    case = factory.case(status="intake")
    for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
        _record_step(pg, case, kind)
    intake.decide(
        pg, case, "admitted", "Past bij Op Koers.", TODAY, told_client="Binnen twee weken het eerste gesprek."
    )
    assert case.decision_told_client == "Binnen twee weken het eerste gesprek."
    assert trail(case, "decision_taken")[0].changes["decision_told_client"] == [
        "",
        "Binnen twee weken het eerste gesprek.",
    ]
