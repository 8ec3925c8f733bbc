"""Closing a case, after the closing talk, with its reason; then the pilot-light contacts in the
first year and the measurements at the end, half a year and a year later."""

from datetime import date

from sqlalchemy import select
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
    Handover,
    Meeting,
    PilotLightContact,
    PlanGoal,
    PlanOfAction,
    User,
)
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ, local_today
from . import change_status, check_version, notifications, self_reliance, settings

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


def open_actions(case: Case) -> list[Action]:
    """The case's actions that are not done or cancelled."""
    return db.session.scalars(
        select(Action)
        .where(Action.case_id == case.id, Action.status.not_in(action_rules.FINISHED))
        .order_by(Action.due_on, Action.id)
    ).all()


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
    or the client did not cooperate), what is still open is cancelled, and the follow-ups of the first
    year are planned (pilot-light contacts, measurements at the end, +6 months and +1 year)."""
    check_version(case, version)
    rules.check_closable(case.status, lifecycle.RUNNING)
    talk = next((m for m in closing_talks(case) if m.id == meeting_id), None)
    goals = [g for g in plan_goals(case) if g.id in set(goal_ids)]
    if len(goals) != len(set(goal_ids)):
        raise RuleViolation("goal_of_other_case")
    rules.check_closing(outcome, len(goals), explanation)
    rules.check_closing_talk(
        talk.starts_at.astimezone(LOCAL_TZ).date() if talk else None, closed_on, local_today()
    )
    lifecycle.check_not_before_referral(closed_on, case.referred_on)

    for action in open_actions(case):
        changes = audit.apply_changes(
            action,
            {
                "status": action_rules.CANCELLED,
                "status_changed_at": utcnow(),
                "status_changed_by_id": actor.id,
            },
        )
        audit.record(actor, "action_status_changed", action, {"action_status": changes["status"]}, case.id)
    change_status(actor, case, lifecycle.CLOSED)
    case.closed_on, case.closed_reason = closed_on, explanation  # in the trail as case_closed below
    closing = CaseClosing(
        case_id=case.id,
        outcome=outcome,
        unreachable_goals=[g.goal for g in goals],
        explanation=explanation,
        meeting_id=talk.id,
        closed_by_id=actor.id,
    )
    db.session.add(closing)
    audit.record(
        actor,
        "case_closed",
        closing,
        {
            "closing_outcome": [None, outcome],
            "closed_on": [None, closed_on.isoformat()],
            "unreachable_goals": [None, closing.unreachable_goals],
            "explanation": [None, explanation],
            "meeting": [None, label("meeting_kind", talk.kind)],
        },
        case.id,
    )
    person = follow_up_person(case, actor)
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


def case_closing(case: Case) -> CaseClosing | None:
    """How the case was closed, if it is."""
    return db.session.scalar(
        select(CaseClosing)
        .where(CaseClosing.case_id == case.id)
        .options(joinedload(CaseClosing.meeting), joinedload(CaseClosing.closed_by))
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
        lifecycle.check_not_before_referral(held_on, contact.case.referred_on)
        values = {"status": outcome, "held_on": held_on, "balanced": balanced, "note": note}
    else:
        values = {"status": outcome, "impossible_reason": reason, "note": note}
    changes = audit.apply_changes(contact, values | {"recorded_by_id": actor.id, "recorded_at": utcnow()})
    changes["pilot_light_status"] = changes.pop("status")
    audit.record(actor, "pilot_light_registered", contact, changes, contact.case_id)
