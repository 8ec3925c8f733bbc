"""The second half of the journey, on both databases, with the clock moved: the accepted handover
starts three months of aftercare (contacts, the safety net, a reminder before it ends); closing after
the closing talk plans the pilot-light contacts and the measurements at the end, +6 months and +1 year;
each is done once, within its time, and the scheduler reminds the right person once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from opkoers import timeutil
from opkoers.domain import RuleViolation
from opkoers.domain.follow_up import add_months
from opkoers.extensions import db
from opkoers.models import (
    AuditEntry,
    CaseClosing,
    Consent,
    Notification,
    PilotLightContact,
    SelectionStep,
    SelfRelianceMeasurement,
)
from opkoers.services import admin, agreements, closing, follow_up, intake, self_reliance
from opkoers.services import handover as handovers
from opkoers.timeutil import local_today


@pytest.fixture
def world(factory):
    team = factory.organisation("Buurtteam Noord", kind="buurtteam")
    hood = factory.neighbourhood("Houten Noord-Oost", team=team)
    contact = factory.user("buurtteam", team, name="Sanne Bakker")
    colleague = factory.user("buurtteam", team, name="Kim de Wit")
    stranger = factory.user("buurtteam", factory.organisation("Buurtteam Zuid", kind="buurtteam"))
    pg = factory.user("projectgroep", name="Fatima El Amrani")
    case = factory.case(
        "in_progress",
        neighbourhood=hood,
        consent_organisations=[team],
        involved=[colleague],
        handler=pg,
    )
    admin.set_fixed_contact(pg, team, None, contact_id=contact.id, deputy_id=None)
    factory.handover_points()
    factory.themes()
    db.session.commit()
    return {
        "case": case,
        "team": team,
        "contact": contact,
        "colleague": colleague,
        "stranger": stranger,
        "pg": pg,
    }


def _accepted(w):
    handover = handovers.start(w["pg"], w["case"], w["team"].id, w["contact"].id)
    db.session.flush()
    answers = {p.id: ("ready", "") for p in handovers.points()}
    handovers.save_document(w["pg"], handover, handover.version, answers)
    db.session.flush()
    handovers.send(w["pg"], handover, handover.version)
    db.session.flush()
    handovers.accept(w["contact"], handover, handover.version)
    db.session.flush()
    return handover


def _closing_talk(factory, w, days_ago=1):
    return factory.meeting(
        w["case"], w["pg"], users=[w["contact"]], kind="closing", day=local_today() - timedelta(days=days_ago)
    )


def _close(w, talk, outcome="plan_done", **extra):
    values = {"goal_ids": [], "explanation": "", "closed_on": local_today()} | extra
    result = closing.close_case(
        w["pg"], w["case"], w["case"].version, outcome=outcome, meeting_id=talk.id, **values
    )
    db.session.flush()
    return result


def test_acceptance_starts_three_months_of_aftercare(world):
    handover = _accepted(world)
    assert world["case"].status == "aftercare"
    assert handover.aftercare_ends_on == add_months(local_today(), 3)
    assert handovers.aftercare_running(handover)


def test_the_team_logs_aftercare_contacts_within_the_aftercare(world):
    w = world
    handover = _accepted(w)
    today = local_today()
    handovers.log_contact(w["colleague"], handover, today, "visit", "Gaat goed, post is op orde.")
    for actor, day, code in (
        (w["stranger"], today, "aftercare_not_your_team"),
        (w["contact"], today + timedelta(days=1), "date_in_future"),
        (w["contact"], today - timedelta(days=1), "contact_before_aftercare"),
    ):
        with pytest.raises(RuleViolation) as refused:
            handovers.log_contact(actor, handover, day, "phone", "Gebeld.")
        assert refused.value.code == code
    assert [c.note for c in handovers.aftercare_contacts(handover)] == ["Gaat goed, post is op orde."]


def test_the_safety_net_brings_the_case_back_to_the_project_group(world):
    w = world
    handover = _accepted(w)
    with pytest.raises(RuleViolation, match="safety_net_needs_reason"):
        handovers.call_safety_net(w["contact"], handover, handover.version, "  ")
    handovers.call_safety_net(w["contact"], handover, handover.version, "Nieuwe schuld, huur niet betaald.")
    db.session.flush()
    assert (handover.status, w["case"].status) == ("safety_net", "in_progress")
    assert handover.safety_net_reason == "Nieuwe schuld, huur niet betaald."
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "safety_net_called"))
    assert set(told) == {w["pg"].id}  # the sender, who also handles the case
    with pytest.raises(RuleViolation, match="aftercare_not_running"):
        handovers.log_contact(w["contact"], handover, local_today(), "phone", "Nog eens gebeld.")
    # The project group can hand over again later.
    again = handovers.start(w["pg"], w["case"], w["team"].id, w["contact"].id)
    assert again.status == "draft"


def test_the_scheduler_reminds_once_before_the_aftercare_ends(world):
    w = world
    handover = _accepted(w)
    db.session.commit()
    assert follow_up.send_follow_up_reminders() == 0
    two_weeks_before = handover.aftercare_ends_on - timedelta(days=14)
    assert follow_up.send_follow_up_reminders(two_weeks_before) == 2  # the contact person and the sender
    assert follow_up.send_follow_up_reminders(two_weeks_before + timedelta(days=3)) == 0
    reminded = db.session.scalars(select(Notification.user_id).where(Notification.kind == "aftercare_ending"))
    assert set(reminded) == {w["contact"].id, w["pg"].id}


def test_closing_needs_the_closing_talk_and_plans_the_first_year(world, factory):
    w = world
    _accepted(w)
    late = factory.action(w["case"], user=w["contact"], status="open")
    with pytest.raises(RuleViolation, match="closing_needs_talk"):
        closing.close_case(
            w["pg"], w["case"], w["case"].version, outcome="plan_done", goal_ids=[], explanation="",
            meeting_id=None, closed_on=local_today(),
        )  # fmt: skip
    talk = _closing_talk(factory, w, days_ago=1)
    with pytest.raises(RuleViolation, match="closing_in_future"):
        _close(w, talk, closed_on=local_today() + timedelta(days=1))
    with pytest.raises(RuleViolation, match="closing_before_talk"):
        _close(w, talk, closed_on=local_today() - timedelta(days=2))
    _close(w, talk)
    assert w["case"].status == "closed" and w["case"].closed_on == local_today()
    assert late.status == "cancelled"  # nothing stays open on a closed case
    moments = dict(
        db.session.execute(select(SelfRelianceMeasurement.moment, SelfRelianceMeasurement.due_on)).all()
    )
    today = local_today()
    assert moments == {"end": today, "half_year": add_months(today, 6), "year": add_months(today, 12)}
    pilot = db.session.scalars(select(PilotLightContact).order_by(PilotLightContact.months)).all()
    assert [(p.months, p.due_on) for p in pilot] == [(m, add_months(today, m)) for m in (3, 6, 12)]
    assert {p.assignee_id for p in pilot} == {w["contact"].id}  # the team that did the aftercare
    with pytest.raises(RuleViolation, match="transition_not_allowed|close_needs_running_case"):
        _close(w, talk)


def test_reason_b_names_the_unreachable_goals_and_c_what_was_not_kept(world, factory):
    w = world
    talk = _closing_talk(factory, w)
    with pytest.raises(RuleViolation, match="closing_needs_goals"):
        _close(w, talk, outcome="goals_unreachable")
    with pytest.raises(RuleViolation, match="closing_needs_explanation"):
        _close(w, talk, outcome="no_cooperation")
    other_goal = factory.case("in_progress")
    db.session.flush()
    foreign = closing.plan_goals(other_goal)[0].id
    with pytest.raises(RuleViolation, match="goal_of_other_case"):
        _close(w, talk, outcome="goals_unreachable", goal_ids=[foreign])
    goal = closing.plan_goals(w["case"])[0]
    record = _close(w, talk, outcome="goals_unreachable", goal_ids=[goal.id], explanation="Geen woning.")
    assert record.unreachable_goals == [{"life_domain_id": goal.life_domain_id, "goal": goal.goal}]
    # Without a handover the person handling the case does the follow-ups.
    assert set(db.session.scalars(select(PilotLightContact.assignee_id))) == {w["pg"].id}


def test_a_pilot_light_contact_is_registered_once_with_balance_or_reason(world, factory):
    w = world
    _close(w, _closing_talk(factory, w))
    first, second, _third = closing.case_pilot_lights(w["case"])
    with pytest.raises(RuleViolation, match="pilot_light_needs_balance"):
        closing.register_pilot_light(
            w["pg"], first, first.version, outcome="held", held_on=local_today(), balanced=None, note="",
            reason="",
        )  # fmt: skip
    closing.register_pilot_light(
        w["pg"], first, first.version, outcome="held", held_on=local_today(), balanced=False,
        note="Gewezen op de budgetcursus.", reason="",
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="pilot_light_already_registered"):
        closing.register_pilot_light(
            w["pg"], first, first.version, outcome="impossible", held_on=None, balanced=None, note="",
            reason="Verhuisd.",
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="pilot_light_needs_reason"):
        closing.register_pilot_light(
            w["pg"], second, second.version, outcome="impossible", held_on=None, balanced=None, note="",
            reason=" ",
        )  # fmt: skip
    closing.register_pilot_light(
        w["pg"], second, second.version, outcome="impossible", held_on=None, balanced=None, note="",
        reason="Telefoon afgesloten, niet thuis.",
    )  # fmt: skip
    db.session.flush()
    assert [(p.status, p.balanced) for p in closing.case_pilot_lights(w["case"])] == [
        ("held", False),
        ("impossible", None),
        ("open", None),
    ]


def _scores(value=3):
    return {t.id: value for t in self_reliance.themes()}


def test_admission_plans_the_first_measurement(factory):
    factory.themes()
    pg = factory.user("projectgroep")
    case = factory.case("intake", handler=pg)
    step = SelectionStep(
        case_id=case.id, kind="decision_meeting", held_on=local_today(), performed_by_id=pg.id
    )
    db.session.add(step)
    db.session.flush()
    intake.decide(pg, case, "admitted", "Voldoet aan A tot en met D.", local_today())
    db.session.flush()
    rows = self_reliance.case_measurements(case)
    assert [(r.measurement.moment, r.state, r.measurement.assignee_id) for r in rows] == [
        ("start", "due", pg.id)
    ]


def test_measurements_are_taken_within_their_time_and_once(world, factory):
    w = world
    _close(w, _closing_talk(factory, w))
    end, half, year = (r.measurement for r in self_reliance.case_measurements(w["case"]))
    with pytest.raises(RuleViolation, match="scores_incomplete"):
        self_reliance.record(
            w["pg"], end, end.version, local_today(), _scores() | {self_reliance.themes()[0].id: None}, ""
        )
    self_reliance.record(w["pg"], end, end.version, local_today(), _scores(4), "Einde traject.")
    with pytest.raises(RuleViolation, match="measurement_already_taken"):
        self_reliance.record(w["pg"], end, end.version, local_today(), _scores(4), "")
    with pytest.raises(RuleViolation, match="measurement_not_yet"):
        self_reliance.record(w["pg"], half, half.version, local_today(), _scores(4), "")
    # Half a year later it can be done; the year measurement is later still.
    with timeutil.travel(half.due_on - local_today()):
        self_reliance.record(w["contact"], half, half.version, local_today(), _scores(5), "")
        assert self_reliance.case_measurements(w["case"])[2].state == "planned"
    # A year and two months later the year measurement has been missed.
    with timeutil.travel(year.due_on - local_today() + timedelta(days=31)):
        rows = self_reliance.case_measurements(w["case"])
        assert [r.state for r in rows] == ["taken", "taken", "missed"]
        with pytest.raises(RuleViolation, match="measurement_missed"):
            self_reliance.record(w["pg"], year, year.version, local_today(), _scores(5), "")
    chart = self_reliance.chart(self_reliance.case_measurements(w["case"]), self_reliance.themes())
    assert chart["moments"] == ["start", "end", "half_year", "year"]
    assert chart["series"][0]["scores"] == {"end": 4, "half_year": 5}


def test_the_scheduler_asks_the_right_person_once_when_a_follow_up_is_due(world, factory):
    w = world
    _accepted(w)
    _close(w, _closing_talk(factory, w))
    db.session.commit()
    measurement = dict(
        db.session.execute(select(SelfRelianceMeasurement.moment, SelfRelianceMeasurement.id)).all()
    )
    assert follow_up.send_follow_up_reminders() == 1  # the end measurement, for the neighbourhood team
    assert follow_up.send_follow_up_reminders() == 0
    three_months = add_months(local_today(), 3)
    assert follow_up.send_follow_up_reminders(three_months - timedelta(days=7)) == 1  # pilot light
    half_year = add_months(local_today(), 6)
    assert follow_up.send_follow_up_reminders(half_year) == 2  # the +6 months measurement and pilot light
    keys = set(db.session.scalars(select(Notification.key)))
    assert f"measurement_due:{measurement['half_year']}:{w['contact'].id}" in keys
    reminded = select(Notification.user_id).where(
        Notification.kind.in_(("measurement_due", "pilot_light_due"))
    )
    assert set(db.session.scalars(reminded)) == {w["contact"].id}


def test_nobody_is_reminded_of_a_client_they_may_no_longer_see(world, factory):
    w = world
    _accepted(w)
    _close(w, _closing_talk(factory, w))
    # The consent ran out: the neighbourhood team may no longer see the client.
    db.session.execute(
        update(Consent).values(
            signed_on=local_today() - timedelta(days=30), valid_until=local_today() - timedelta(days=1)
        )
    )
    db.session.commit()
    assert follow_up.send_follow_up_reminders() == 0
    assert follow_up.follow_ups(w["contact"])["measurements"] == []
    assert len(follow_up.follow_ups(w["pg"], everyone=True)["measurements"]) == 1  # still on the group's list


def test_every_step_is_in_the_trail(world, factory):
    w = world
    handover = _accepted(w)
    handovers.log_contact(w["contact"], handover, local_today(), "phone", "Gebeld.")
    _close(w, _closing_talk(factory, w))
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == w["case"].id)))
    assert {
        "handover_accepted",
        "aftercare_contact_logged",
        "case_closed",
        "pilot_light_planned",
        "measurement_planned",
        "status_changed",
    } <= actions
    assert db.session.scalar(select(func.count()).select_from(CaseClosing)) == 1


def test_a_closing_talk_still_to_come_does_not_count(world, factory):
    w = world
    with timeutil.travel(timedelta(days=-1)):  # yesterday, with the talk planned for tomorrow
        talk = factory.meeting(w["case"], w["pg"], kind="closing", day=local_today() + timedelta(days=1))
        with pytest.raises(RuleViolation, match="closing_talk_not_held"):
            _close(w, talk)
    assert w["case"].status == "in_progress"


def test_closing_withdraws_a_pending_handover_and_cancels_meetings_to_come(world, factory):
    w = world
    handover = handovers.start(w["pg"], w["case"], w["team"].id, w["contact"].id)
    db.session.flush()
    handovers.save_document(
        w["pg"], handover, handover.version, {p.id: ("ready", "") for p in handovers.points()}
    )
    db.session.flush()
    handovers.send(w["pg"], handover, handover.version)
    coming = factory.meeting(w["case"], w["pg"], users=[w["contact"]], day=local_today() + timedelta(days=5))
    _close(w, _closing_talk(factory, w), outcome="no_cooperation", explanation="Kwam niet op afspraken.")
    assert (handover.status, coming.status) == ("withdrawn", "cancelled")
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == w["contact"].id)))
    assert {"handover_withdrawn", "meeting_cancelled"} <= kinds
    assert handovers.inbox(w["contact"]) == []
    # Reason (c): goals ticked by mistake are not kept.
    assert db.session.scalar(select(CaseClosing.unreachable_goals)) == []


def test_a_consent_that_ends_too_soon_is_pointed_out_and_can_be_renewed_after_closing(world, factory):
    w = world
    _accepted(w)
    gap = closing.consent_cover(w["case"], w["contact"], local_today())
    assert gap["until"] == local_today() + timedelta(days=365) and gap["needed"] > gap["until"]
    assert closing.consent_cover(w["case"], w["pg"], local_today()) is None  # the group sees every case
    _close(w, _closing_talk(factory, w))
    agreements.record_consent(
        w["pg"], w["case"], [w["team"].id], "Nazorg", local_today(), local_today() + timedelta(days=500)
    )
    db.session.flush()
    assert closing.consent_cover(w["case"], w["contact"], local_today()) is None
