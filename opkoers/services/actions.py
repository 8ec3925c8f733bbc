"""Actions: agree who does what by when, log progress, mark done; 'my actions' across cases."""

from sqlalchemy import case as sql_case
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from .. import access, audit
from ..domain import RuleViolation
from ..domain import actions as rules
from ..domain import case_status as lifecycle
from ..extensions import db
from ..labels import label
from ..models import Action, ActionNote, Case
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ, local_today
from . import check_version
from .paging import paginate_ids

ACTION_FIELDS = (
    "description",
    "assignee_kind",
    "assignee_user_id",
    "assignee_organisation_id",
    "assignee_name",
    "due_on",
)
FILTERS = ("open", "overdue", "finished", "all")


def _who(fields: dict) -> dict:
    """Keep only the 'who' that belongs to the kind of assignee."""
    kind = fields["assignee_kind"]
    rules.check_assignee(
        kind,
        fields.get("assignee_user_id"),
        fields.get("assignee_organisation_id"),
        fields.get("assignee_name") or "",
    )
    return {
        **fields,
        "assignee_user_id": fields.get("assignee_user_id") if kind == "user" else None,
        "assignee_organisation_id": fields.get("assignee_organisation_id")
        if kind == "organisation"
        else None,
        "assignee_name": (fields.get("assignee_name") or "") if kind == "network" else "",
    }


def add_action(actor, case: Case, meeting=None, **fields) -> Action:
    """Record an agreed action on a case (at a meeting, or later): what, who, and by when."""
    if case.status in lifecycle.ENDED:
        raise RuleViolation("case_closed")
    values = _who({k: fields.get(k) for k in ACTION_FIELDS})
    action = Action(
        case_id=case.id,
        meeting_id=meeting.id if meeting else None,
        created_by_id=actor.id,
        status_changed_by_id=actor.id,
        **values,
    )
    db.session.add(action)
    changes = audit.snapshot(action, ACTION_FIELDS)
    if meeting:
        day = meeting.starts_at.astimezone(LOCAL_TZ).strftime("%d-%m-%Y")
        changes["meeting"] = [None, f"{label('meeting_kind', meeting.kind)} {day}"]
    audit.record(actor, "action_added", action, changes, case.id)
    return action


def update_action(actor, action: Action, version: int | None, **fields) -> None:
    """Change what an action is, who does it or by when (for example to give it to someone else)."""
    check_version(action, version)
    values = _who({k: fields.get(k) for k in ACTION_FIELDS})
    changes = audit.apply_changes(action, values)
    if changes:
        audit.record(actor, "action_updated", action, changes, action.case_id)


def change_action_status(actor, action: Action, version: int | None, status: str) -> None:
    """Move an action to another status (open, in progress, done, cancelled), noting who and when."""
    check_version(action, version)
    rules.check_status_change(action.status, status)
    changes = audit.apply_changes(
        action, {"status": status, "status_changed_at": utcnow(), "status_changed_by_id": actor.id}
    )
    audit.record(actor, "action_status_changed", action, {"action_status": changes["status"]}, action.case_id)


def add_action_note(actor, action: Action, text: str) -> ActionNote:
    """Add a progress note to an action."""
    note = ActionNote(action=action, text=text, author_id=actor.id, author_name=actor.name)
    db.session.add(note)
    audit.record(actor, "action_note_added", note, {"text": [None, text]}, action.case_id)
    return note


def _with_details(query):
    return query.options(
        joinedload(Action.assignee_user),
        joinedload(Action.assignee_organisation),
        joinedload(Action.status_changed_by),
        selectinload(Action.notes),
    )


def _urgency_order():
    """Unfinished first, overdue ones on top, then by due date."""
    finished = sql_case((Action.status.in_(rules.FINISHED), 1), else_=0)
    return (finished, Action.due_on, Action.id)


def case_actions(case: Case, *condition) -> list[Action]:
    """The actions of a case (all, or those meeting the condition), unfinished and overdue first."""
    query = select(Action).where(Action.case_id == case.id, *condition).order_by(*_urgency_order())
    return db.session.scalars(_with_details(query)).all()


def case_actions_page(case: Case, page: int, per_page: int):
    """One page of the actions of a case, unfinished and overdue first."""
    ids = select(Action.id).where(Action.case_id == case.id).order_by(*_urgency_order())

    def load(page_ids):
        return _with_details(select(Action).where(Action.id.in_(page_ids)))

    return paginate_ids(ids, load, page, per_page, count_in_page=True)


def _mine(user):
    """SQL condition: actions for this user (or their organisation) on cases they may see."""
    return or_(Action.assignee_user_id == user.id, Action.assignee_organisation_id == user.organisation_id)


def my_actions(user, show: str, page: int, per_page: int):
    """One page of the user's actions across the cases they may see, overdue first."""
    ids = select(Action.id).where(_mine(user), access.visible_cases(user, case_id=Action.case_id))
    if show == "open":
        ids = ids.where(Action.status.in_(rules.UNFINISHED))
    elif show == "overdue":
        ids = ids.where(Action.status.in_(rules.UNFINISHED), Action.due_on < local_today())
    elif show == "finished":
        ids = ids.where(Action.status.in_(rules.FINISHED))

    def load(page_ids):
        query = select(Action).where(Action.id.in_(page_ids))
        return _with_details(query.options(joinedload(Action.case, innerjoin=True)))

    return paginate_ids(ids.order_by(*_urgency_order()), load, page, per_page, count_in_page=True)


def overdue_actions(user, limit: int = 5) -> tuple[int, list[Action]]:
    """How many of the user's actions are overdue, and the most overdue few."""
    condition = (
        _mine(user),
        access.visible_cases(user),
        Action.status.not_in(rules.FINISHED),
        Action.due_on < local_today(),
    )
    base = select(Action).join(Case, Case.id == Action.case_id).where(*condition)
    count = db.session.scalar(select(db.func.count()).select_from(base.subquery()))
    items = db.session.scalars(
        base.options(contains_eager(Action.case)).order_by(Action.due_on).limit(limit)
    ).all()
    return count, items
