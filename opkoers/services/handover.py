"""The warm handover: start it for the team of the client's neighbourhood, fill in the document,
send it to the team's fixed contact person, who accepts it or asks for more."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import access, audit
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..domain import handover as rules
from ..extensions import db
from ..labels import label
from ..models import Case, CaseInvolvement, FixedContact, Handover, HandoverAnswer, HandoverPoint, User
from ..models.base import utcnow
from . import check_version, notifications


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
    if open_one is not None and open_one.status != rules.ACCEPTED:
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
    """The receiving contact person accepts the handover: a recorded decision; aftercare starts."""
    check_version(handover, version)
    _check_receiver(actor, handover)
    rules.check_answerable(handover.status)
    changes = audit.apply_changes(
        handover, {"status": rules.ACCEPTED, "accepted_at": utcnow(), "accepted_by_id": actor.id}
    )
    changes["handover_status"] = changes.pop("status")
    audit.record(actor, "handover_accepted", handover, changes, handover.case_id)
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
