"""The warm handover: start it for the team of the client's neighbourhood, fill in the document,
send it to the team's fixed contact person, who accepts it or asks for more; then three months of
aftercare by the neighbourhood team, who can call the safety net."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import access, audit
from ..domain import RuleViolation, follow_up
from ..domain import case_status as lifecycle
from ..domain import handover as rules
from ..extensions import db
from ..labels import label
from ..models import (
    AftercareContact,
    Case,
    CaseInvolvement,
    FixedContact,
    Handover,
    HandoverAnswer,
    HandoverPoint,
    Meeting,
    User,
)
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ, local_today
from . import change_status, check_version, notifications


def points() -> list[HandoverPoint]:
    """The points of the handover document, in their order."""
    return db.session.scalars(
        select(HandoverPoint).where(HandoverPoint.active).order_by(HandoverPoint.position, HandoverPoint.id)
    ).all()


def proposal(case: Case) -> tuple[int | None, int | None]:
    """The team of the client's neighbourhood and its fixed contact person, if known."""
    hood = case.client.neighbourhood
    team_id = hood.team_id if hood else None
    contact_id = db.session.scalar(
        select(FixedContact.contact_id).where(FixedContact.organisation_id == team_id)
    )
    return team_id, contact_id


def current_handover(case: Case) -> Handover | None:
    """The case's latest handover."""
    return db.session.scalar(
        select(Handover).where(Handover.case_id == case.id).order_by(Handover.id.desc()).limit(1)
    )


def start(actor, case: Case, team_id: int, contact_id: int, reason: str = "") -> Handover:
    """Start the handover of a running case to a neighbourhood team and its contact person."""
    if case.status != lifecycle.IN_PROGRESS:
        raise RuleViolation("handover_needs_running_case")
    open_one = current_handover(case)
    if open_one is not None and open_one.status not in rules.FINISHED:
        raise RuleViolation("handover_already_started")
    neighbourhood_team, _contact = proposal(case)
    rules.check_team(team_id, neighbourhood_team, reason)
    contact = db.session.get(User, contact_id)
    if contact is None or contact.organisation_id != team_id or not contact.active:
        raise RuleViolation("contact_not_in_organisation")
    handover = Handover(
        case_id=case.id, team_id=team_id, contact_id=contact_id, team_reason=reason, created_by_id=actor.id
    )
    db.session.add(handover)
    changes = {"team": [None, contact.organisation.name], "contact_id": [None, contact_id]}
    if reason:
        changes["team_reason"] = [None, reason]
    audit.record(actor, "handover_started", handover, changes, case.id)
    return handover


def save_document(
    actor, handover: Handover, version: int | None, answers: dict[int, tuple[str, str]]
) -> None:
    """Save the document: per point its state (ready, needs attention, not applicable) and a note."""
    check_version(handover, version)
    rules.check_editable(handover.status)
    current = {a.point_id: a for a in handover.answers}
    changes = {}
    for point_id, (state, note) in answers.items():
        answer = current.get(point_id)
        if not state:
            continue
        if answer is None:
            handover.answers.append(HandoverAnswer(point_id=point_id, state=state, note=note))
        elif (answer.state, answer.note) != (state, note):
            answer.state, answer.note = state, note
        else:
            continue
        changes[f"point:{point_id}"] = [None, f"{label('point_state', state)}: {note}".rstrip(": ")]
    if changes:
        handover.updated_at = utcnow()  # the answers are other rows: touch this one, so its version moves
        audit.record(actor, "handover_document_saved", handover, changes, handover.case_id)


def missing_points(handover: Handover) -> list[HandoverPoint]:
    """The points that still need an answer."""
    answered = {a.point_id: a.state for a in handover.answers}
    all_points = points()
    missing = set(rules.open_points([p.id for p in all_points], answered))
    return [p for p in all_points if p.id in missing]


def send(actor, handover: Handover, version: int | None) -> None:
    """Send the complete document to the receiving contact person, who can then see the case."""
    check_version(handover, version)
    rules.check_sendable(handover.status, missing_points(handover))
    covered = db.session.scalar(
        select(Case.id).where(Case.id == handover.case_id, access.consent_covers(handover.team_id))
    )
    if covered is None:
        raise RuleViolation("handover_needs_consent")
    changes = audit.apply_changes(handover, {"status": rules.SENT, "sent_at": utcnow()})
    changes["handover_status"] = changes.pop("status")
    audit.record(actor, "handover_sent", handover, changes, handover.case_id)
    involved = db.session.scalar(
        select(CaseInvolvement.id).where(
            CaseInvolvement.case_id == handover.case_id, CaseInvolvement.user_id == handover.contact_id
        )
    )
    if involved is None:
        involvement = CaseInvolvement(
            case_id=handover.case_id, user_id=handover.contact_id, role_note=label("role", "buurtteam")
        )
        db.session.add(involvement)
        audit.record(
            actor, "involvement_added", involvement, {"user": [None, handover.contact.name]}, handover.case_id
        )
    _tell(handover.contact_id, handover, "handover_received")


def _tell(user_id: int, handover: Handover, kind: str) -> None:
    notifications.notify(
        user_id,
        f"{kind}:{handover.id}:{handover.version}",
        kind,
        f"{label('handover_status', handover.status)} ({handover.team.name})",
        url=f"/overdrachten/{handover.id}",
        case_id=handover.case_id,
    )


def _check_receiver(actor, handover: Handover) -> None:
    if actor.id != handover.contact_id:
        raise RuleViolation("handover_not_yours")


def accept(actor, handover: Handover, version: int | None) -> None:
    """The receiving contact person accepts the handover: a recorded decision; three months of
    aftercare by the neighbourhood team start."""
    check_version(handover, version)
    _check_receiver(actor, handover)
    rules.check_answerable(handover.status)
    if handover.case.status != lifecycle.IN_PROGRESS:
        raise RuleViolation("handover_needs_running_case")
    changes = audit.apply_changes(
        handover,
        {
            "status": rules.ACCEPTED,
            "accepted_at": utcnow(),
            "accepted_by_id": actor.id,
            "aftercare_ends_on": follow_up.aftercare_ends_on(local_today()),
        },
    )
    changes["handover_status"] = changes.pop("status")
    audit.record(actor, "handover_accepted", handover, changes, handover.case_id)
    change_status(actor, handover.case, lifecycle.AFTERCARE)
    _tell(handover.created_by_id, handover, "handover_accepted")


def ask_more(actor, handover: Handover, version: int | None, question: str) -> None:
    """The receiving contact person asks for more: back to the sender with the question."""
    check_version(handover, version)
    _check_receiver(actor, handover)
    rules.check_answerable(handover.status)
    changes = audit.apply_changes(handover, {"status": rules.MORE_ASKED, "question": question})
    changes["handover_status"] = changes.pop("status")
    audit.record(actor, "handover_more_asked", handover, changes, handover.case_id)
    _tell(handover.created_by_id, handover, "handover_more_asked")


def inbox(user) -> list[Handover]:
    """Handovers waiting for this user: sent to them, or (for the sender) sent back with a question."""
    return db.session.scalars(
        select(Handover)
        .join(Handover.case)
        .where(
            access.visible_cases(user),
            ((Handover.contact_id == user.id) & (Handover.status == rules.SENT))
            | ((Handover.created_by_id == user.id) & Handover.status.in_((rules.SENT, rules.MORE_ASKED))),
        )
        .options(joinedload(Handover.team), joinedload(Handover.contact))
        .order_by(Handover.sent_at, Handover.id)
    ).all()


# ---------------------------------------------------------------- aftercare


def aftercare_running(handover: Handover | None) -> bool:
    """The neighbourhood team accepted the handover and the case is in its aftercare."""
    return bool(
        handover and handover.status == rules.ACCEPTED and handover.case.status == lifecycle.AFTERCARE
    )


def _check_team_member(actor, handover: Handover) -> None:
    if not access.can_act_for_team(actor, handover):
        raise RuleViolation("aftercare_not_your_team")


def log_contact(actor, handover: Handover, contact_on, kind: str, note: str) -> AftercareContact:
    """Log a contact of the neighbourhood team with the client during aftercare."""
    _check_team_member(actor, handover)
    if not aftercare_running(handover):
        raise RuleViolation("aftercare_not_running")
    follow_up.check_aftercare_contact(
        contact_on, handover.accepted_at.astimezone(LOCAL_TZ).date(), local_today()
    )
    contact = AftercareContact(
        handover_id=handover.id,
        case_id=handover.case_id,
        contact_on=contact_on,
        kind=kind,
        note=note,
        logged_by_id=actor.id,
    )
    db.session.add(contact)
    audit.record(
        actor,
        "aftercare_contact_logged",
        contact,
        {
            "contact_on": [None, contact_on.isoformat()],
            "contact_kind": [None, kind],
            "note": [None, note],
        },
        handover.case_id,
    )
    return contact


def call_safety_net(actor, handover: Handover, version: int | None, reason: str) -> None:
    """The safety net: during aftercare the neighbourhood team sends the client back to the project
    group, with the reason. The case is carried out by the project group again."""
    check_version(handover, version)
    _check_team_member(actor, handover)
    rules.check_safety_net(handover.status, aftercare_running(handover), reason)
    changes = audit.apply_changes(
        handover,
        {
            "status": rules.SAFETY_NET,
            "safety_net_at": utcnow(),
            "safety_net_by_id": actor.id,
            "safety_net_reason": reason,
        },
    )
    changes["handover_status"] = changes.pop("status")
    audit.record(actor, "safety_net_called", handover, changes, handover.case_id)
    change_status(actor, handover.case, lifecycle.IN_PROGRESS)
    for user_id in {handover.created_by_id, handover.case.handler_id} - {None, actor.id}:
        _tell(user_id, handover, "safety_net_called")


def aftercare_contacts(handover: Handover) -> list[AftercareContact]:
    """The contacts logged during this handover's aftercare, newest first."""
    return db.session.scalars(
        select(AftercareContact)
        .where(AftercareContact.handover_id == handover.id)
        .order_by(AftercareContact.contact_on.desc(), AftercareContact.id.desc())
    ).all()


def handover_meetings(handover: Handover) -> list[Meeting]:
    """The case's handover meetings (with the client and both contact persons), by date."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.case_id == handover.case_id, Meeting.kind == "handover")
        .order_by(Meeting.starts_at)
    ).all()
