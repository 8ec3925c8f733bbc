"""Closing a case, after the closing talk, with its reason; then the pilot-light contacts in the
first year and the measurements at the end, half a year and a year later."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..domain import RuleViolation
from ..domain import actions as action_rules
from ..domain import case_status as lifecycle
from ..domain import follow_up as rules
from ..domain import handover as handover_rules
from ..extensions import db
from ..labels import label
from ..models import (
    Action,
    Case,
    CaseClosing,
    Consent,
    Handover,
    Meeting,
    PilotLightContact,
    PlanGoal,
    PlanOfAction,
    User,
)
from ..models.base import utcnow
from ..models.cases import consent_organisation
from ..timeutil import LOCAL_TZ, local_today
from . import change_status, check_version, meetings, notifications, retention, self_reliance, settings

PILOT_LIGHT_KEY = "pilot_light_months"
DEFAULT_PILOT_LIGHT = rules.format_pilot_light_months(rules.DEFAULT_PILOT_LIGHT_MONTHS)


# ---------------------------------------------------------------- the setting


def pilot_light_months() -> tuple[int, ...]:
    """When pilot-light contacts are planned: months after closing (a beheer setting)."""
    return rules.parse_pilot_light_months(settings.value(PILOT_LIGHT_KEY, DEFAULT_PILOT_LIGHT))


def pilot_light_setting() -> tuple[int | None, str]:
    """The stored setting's version and the months as the beheerder reads them."""
    return settings.version(PILOT_LIGHT_KEY), rules.format_pilot_light_months(pilot_light_months())


def set_pilot_light_months(actor, text: str, version: int | None) -> None:
    """Change the moments of the pilot-light contacts for cases closed from now on."""
    months = rules.format_pilot_light_months(rules.parse_pilot_light_months(text))
    settings.save(
        actor,
        PILOT_LIGHT_KEY,
        months,
        version,
        default=DEFAULT_PILOT_LIGHT,
        action="pilot_light_setting_changed",
        field="pilot_light_months",
    )


# ---------------------------------------------------------------- closing


def closing_talks(case: Case) -> list[Meeting]:
    """The case's closing talks that are not cancelled, latest first."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.case_id == case.id, Meeting.kind == "closing", Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc())
    ).all()


def plan_goals(case: Case) -> list[PlanGoal]:
    """The goals of the case's plan of action, in their order."""
    return db.session.scalars(
        select(PlanGoal)
        .join(PlanGoal.plan)
        .where(PlanOfAction.case_id == case.id)
        .order_by(PlanGoal.position)
    ).all()


def still_open(case: Case) -> dict:
    """What closing will end: open actions, a handover not yet accepted, and meetings still to come."""
    return {
        "actions": db.session.scalars(
            select(Action)
            .where(Action.case_id == case.id, Action.status.not_in(action_rules.FINISHED))
            .order_by(Action.due_on, Action.id)
        ).all(),
        "handovers": db.session.scalars(
            select(Handover).where(Handover.case_id == case.id, Handover.status.in_(handover_rules.PENDING))
        ).all(),
        "meetings": db.session.scalars(
            select(Meeting)
            .where(Meeting.case_id == case.id, Meeting.status == "planned", Meeting.starts_at > utcnow())
            .order_by(Meeting.starts_at)
        ).all(),
    }


def follow_up_person(case: Case, actor) -> User:
    """Who does the pilot-light contacts and the later measurements: the neighbourhood team's contact
    person who accepted the handover, else the person handling the case, else whoever closes it."""
    accepted = db.session.scalar(
        select(Handover)
        .where(Handover.case_id == case.id, Handover.status == handover_rules.ACCEPTED)
        .order_by(Handover.id.desc())
        .limit(1)
    )
    for candidate in (accepted.contact if accepted else None, case.handler):
        if candidate is not None and candidate.active:
            return candidate
    return actor


def close_case(
    actor,
    case: Case,
    version: int | None,
    *,
    outcome: str,
    goal_ids: list[int],
    explanation: str,
    meeting_id: int | None,
    closed_on: date,
) -> CaseClosing:
    """Close the case after the closing talk: the reason (plan carried out, goals unreachable — which —,
    or the client did not cooperate), what is still open ends, and the follow-ups of the first year
    are planned (pilot-light contacts, measurements at the end, +6 months and +1 year)."""
    check_version(case, version)
    rules.check_closable(case.status)
    talk = next((m for m in closing_talks(case) if m.id == meeting_id), None)
    chosen = set(goal_ids) if outcome == rules.GOALS_UNREACHABLE else set()
    goals = [g for g in plan_goals(case) if g.id in chosen]
    if len(goals) != len(chosen):
        raise RuleViolation("goal_of_other_case")
    rules.check_closing(outcome, len(goals), explanation)
    rules.check_closing_talk(
        talk.starts_at.astimezone(LOCAL_TZ).date() if talk else None,
        talk is not None and talk.starts_at <= utcnow(),
        closed_on,
        local_today(),
    )
    lifecycle.check_not_before_referral(closed_on, case.referred_on)

    _end_what_is_open(actor, case)
    change_status(actor, case, lifecycle.CLOSED)
    case.closed_on, case.closed_reason = closed_on, explanation  # in the trail as case_closed below
    retention.mark_ended(case, closed_on)
    person = follow_up_person(case, actor)
    closing = CaseClosing(
        case_id=case.id,
        outcome=outcome,
        unreachable_goals=[{"life_domain_id": g.life_domain_id, "goal": g.goal} for g in goals],
        explanation=explanation,
        meeting_id=talk.id,
        closed_by_id=actor.id,
        follow_up_by_id=person.id,
    )
    db.session.add(closing)
    audit.record(
        actor,
        "case_closed",
        closing,
        {
            "closing_outcome": [None, outcome],
            "closed_on": [None, closed_on.isoformat()],
            "unreachable_goals": [None, [g.goal for g in goals]],
            "explanation": [None, explanation],
            "meeting": [None, label("meeting_kind", talk.kind)],
            "assignee_id": [None, person.id],
        },
        case.id,
    )
    _plan_first_year(actor, case, person, closed_on)
    if person.id != actor.id:
        notifications.notify(
            person.id,
            f"case_closed:{case.id}",
            "case_closed",
            label("closing_outcome", outcome),
            url=f"/trajecten/{case.id}#section-closing",
            case_id=case.id,
        )
    return closing


def _end_what_is_open(actor, case: Case) -> None:
    """Nothing stays open on a closed case: open actions lapse, a handover not yet accepted is
    withdrawn (its receiver is told), and meetings still to come are cancelled (with calendar
    cancellations)."""
    open_now = still_open(case)
    for action in open_now["actions"]:
        lapsed = {
            "status": action_rules.CANCELLED,
            "status_changed_at": utcnow(),
            "status_changed_by_id": actor.id,
        }
        changes = audit.apply_changes(action, lapsed)
        audit.record(actor, "action_status_changed", action, {"action_status": changes["status"]}, case.id)
    for handover in open_now["handovers"]:
        was_sent = handover.status != handover_rules.DRAFT
        changes = audit.apply_changes(handover, {"status": handover_rules.WITHDRAWN})
        audit.record(actor, "handover_withdrawn", handover, {"handover_status": changes["status"]}, case.id)
        if was_sent:
            notifications.notify(
                handover.contact_id,
                f"handover_withdrawn:{handover.id}",
                "handover_withdrawn",
                handover.team.name,
                url=f"/overdrachten/{handover.id}",
                case_id=case.id,
            )
    for meeting in open_now["meetings"]:
        meetings.cancel_meeting(actor, meeting, meeting.version, _("Het traject is afgesloten."))


def _plan_first_year(actor, case: Case, person: User, closed_on: date) -> None:
    planned = rules.follow_up_dates(closed_on, pilot_light_months())
    self_reliance.plan_after_end(actor, case, person.id, planned["measurements"])
    for months, due_on in planned["pilot_light"].items():
        contact = PilotLightContact(case_id=case.id, months=months, due_on=due_on, assignee_id=person.id)
        db.session.add(contact)
        audit.record(
            actor,
            "pilot_light_planned",
            contact,
            {"planned_on": [None, due_on.isoformat()], "assignee_id": [None, person.id]},
            case.id,
        )


def consent_cover(case: Case, person: User, closed_on: date) -> dict | None:
    """Whether the follow-up person will still see the client for the whole follow-up year: None when
    they will (or belong to the project group), else until when a consent covers their organisation
    (None: not at all) and the day it should reach."""
    if person.role == "projectgroep":
        return None
    needed = rules.last_day_to_measure(rules.add_months(closed_on, rules.AFTER_END_MONTHS[rules.YEAR]))
    until = db.session.scalar(
        select(func.max(Consent.valid_until)).where(
            Consent.case_id == case.id,
            Consent.withdrawn_at.is_(None),
            Consent.signed_on <= local_today(),
            consent_organisation.c.consent_id == Consent.id,
            consent_organisation.c.organisation_id == person.organisation_id,
        )
    )
    return None if until and until >= needed else {"person": person, "until": until, "needed": needed}


def letter(case: Case) -> dict | None:
    """The confirmation letter for the client: how and why the case was closed, the goals of the
    plan, who to contact now, and what happens in the coming year."""
    record = case_closing(case)
    if record is None:
        return None
    return {
        "closing": record,
        "goals": plan_goals(case),
        "person": record.follow_up_by,
        "pilot_lights": case_pilot_lights(case),
        "measurements": [
            r.measurement
            for r in self_reliance.case_measurements(case)
            if r.measurement.moment != rules.START
        ],
    }


def case_closing(case: Case) -> CaseClosing | None:
    """How the case was closed, if it is."""
    return db.session.scalar(
        select(CaseClosing)
        .where(CaseClosing.case_id == case.id)
        .options(
            joinedload(CaseClosing.meeting),
            joinedload(CaseClosing.closed_by),
            joinedload(CaseClosing.follow_up_by),
        )
    )


# ---------------------------------------------------------------- pilot-light contacts


def case_pilot_lights(case: Case) -> list[PilotLightContact]:
    """The case's pilot-light contacts, by date."""
    return db.session.scalars(
        select(PilotLightContact)
        .where(PilotLightContact.case_id == case.id)
        .options(joinedload(PilotLightContact.assignee), joinedload(PilotLightContact.recorded_by))
        .order_by(PilotLightContact.due_on)
    ).all()


def register_pilot_light(
    actor,
    contact: PilotLightContact,
    version: int | None,
    *,
    outcome: str,
    held_on: date | None,
    balanced: bool | None,
    note: str,
    reason: str,
) -> None:
    """Register a pilot-light contact once: held, with whether income and expenses are in balance;
    or impossible, with the reason (seed 002, module 10)."""
    check_version(contact, version)
    rules.check_pilot_light(contact.status, outcome, balanced, reason)
    if outcome == rules.PILOT_HELD:
        if held_on is None:
            raise RuleViolation("pilot_light_needs_date")
        if held_on > local_today():
            raise RuleViolation("date_in_future")
        if contact.case.closed_on and held_on < contact.case.closed_on:
            raise RuleViolation("contact_before_closing", closed_on=contact.case.closed_on)
        values = {"status": outcome, "held_on": held_on, "balanced": balanced, "note": note}
    else:
        values = {"status": outcome, "impossible_reason": reason, "note": note}
    changes = audit.apply_changes(contact, values | {"recorded_by_id": actor.id, "recorded_at": utcnow()})
    changes["pilot_light_status"] = changes.pop("status")
    audit.record(actor, "pilot_light_registered", contact, changes, contact.case_id)
