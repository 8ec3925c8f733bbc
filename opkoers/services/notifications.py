"""Notifications: created once per key, listed per user, marked read; the daily action reminders."""

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.actions import FINISHED
from ..extensions import db
from ..models import Action, Notification, User
from ..models.base import utcnow
from ..timeutil import local_today


def notify(
    user_id: int, key: str, kind: str, subject: str, url: str = "", case_id: int | None = None
) -> bool:
    """Create a notification unless one with this key exists; True when it was new.
    The database's unique key decides, so two processes at once still create it once."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Notification.__table__)
        .values(
            key=key,
            user_id=user_id,
            kind=kind,
            subject=subject,
            url=url,
            case_id=case_id,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Notification.__table__.c.id)
    )
    return db.session.execute(statement).first() is not None


def unread_count(user) -> int:
    """How many notifications the user has not read yet."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def inbox(user, page: int, per_page: int):
    """The user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_all_read(user) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def send_action_reminders(today=None) -> int:
    """Remind each assignee (a user) of their actions due tomorrow and of those overdue.
    Keyed by action and due date: running it again, or after days of downtime, adds nothing twice."""
    today = today or local_today()
    tomorrow = today + timedelta(days=1)
    rows = db.session.execute(
        select(Action.id, Action.case_id, Action.description, Action.due_on, Action.assignee_user_id)
        .join(User, User.id == Action.assignee_user_id)
        .where(
            Action.status.not_in(FINISHED),
            Action.due_on <= tomorrow,
            User.active,
        )
    ).all()
    created = 0
    for action_id, case_id, description, due_on, user_id in rows:
        kind = "action_due_tomorrow" if due_on == tomorrow else "action_overdue"
        key = f"{kind}:{action_id}:{due_on.isoformat()}"
        url = f"/trajecten/{case_id}#action-{action_id}"
        created += notify(user_id, key, kind, description, url=url, case_id=case_id)
    return created
