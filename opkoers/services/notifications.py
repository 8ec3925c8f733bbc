"""Notifications: created once per key, listed per user, marked read; the scheduled reminders."""

from datetime import datetime, time, timedelta

from flask_babel import ngettext
from sqlalchemy import String, cast, exists, func, literal, select, union_all, update
from sqlalchemy import case as sql_case
from sqlalchemy.orm import joinedload

from .. import access
from ..domain.actions import FINISHED
from ..extensions import db
from ..labels import label
from ..models import Action, Case, CaseInvolvement, Meeting, MeetingParticipant, Notification, User
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ, local_today
from . import insert_new, mail

BATCH = 1000  # reminders are written in bulk, this many per statement
NOTIFICATION_FIELDS = ("key", "user_id", "kind", "subject", "url", "case_id")


def notify_many(items: list[dict]) -> int:
    """Create the notifications (dicts with key, user_id, kind, subject, url, case_id and e-mail)
    whose key is new; for those with an e-mail address the same news is queued as an e-mail (once,
    under the same key). Returns how many were new."""
    now = utcnow()
    rows = [{f: item.get(f) for f in NOTIFICATION_FIELDS} | {"created_at": now} for item in items]
    rows = [row | {"url": row["url"] or ""} for row in rows]
    new = insert_new(Notification.__table__, rows)
    mail.queue_many(
        [
            mail.notification_message(i["key"], i["email"], i["kind"], i["url"], i["case_id"])
            for i in items
            if i["key"] in new and i.get("email")
        ]
    )
    return len(new)


def notify(
    user_id: int, key: str, kind: str, subject: str, url: str = "", case_id: int | None = None
) -> bool:
    """Create one in-app notification unless one with this key exists; True when it was new."""
    item = {"key": key, "user_id": user_id, "kind": kind, "subject": subject, "url": url, "case_id": case_id}
    return notify_many([item]) == 1


def _mine(query, user):
    """The user's notifications, without those about a case they may no longer see (the consent
    was withdrawn or ran out since): what they say of the client is not shown any more."""
    return query.where(
        Notification.user_id == user.id,
        Notification.case_id.is_(None) | access.visible_cases(user, Notification.case_id),
    )


UNREAD_SHOWN = 99  # the badge says "99+" beyond this: counting further costs time and says nothing


def unread_count(user) -> int:
    """How many notifications the user has not read yet, up to UNREAD_SHOWN + 1."""
    unread = _mine(select(Notification.id).where(Notification.read_at.is_(None)), user)
    return db.session.scalar(select(func.count()).select_from(unread.limit(UNREAD_SHOWN + 1).subquery()))


def inbox(user, page: int, per_page: int):
    """The user's notifications, newest first, each with its case (for the access log)."""
    query = _mine(select(Notification), user).options(joinedload(Notification.case))
    return db.paginate(query.order_by(Notification.id.desc()), page=page, per_page=per_page, error_out=False)


def mark_all_read(user) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def _action_reminder_rows(tomorrow):
    """(action, case, description, due date, user, e-mail, key) for every unfinished action due by
    tomorrow that has no reminder yet: for the assigned user, or for an organisation its people
    involved in the case. The key is built in SQL, so reminders already sent are skipped there."""
    kind = sql_case(
        (Action.due_on == tomorrow, literal("action_due_tomorrow:")), else_=literal("action_overdue:")
    )
    key = (
        kind.concat(cast(Action.id, String))
        .concat(":")
        .concat(cast(User.id, String))
        .concat(":")
        .concat(cast(Action.due_on, String))
    )
    condition = (
        Action.status.not_in(FINISHED),
        Action.due_on <= tomorrow,
        User.active,
        access.case_visible_to_user_column(),  # nobody is told about a case they may not see
        ~exists().where(Notification.key == key),
    )
    columns = (Action.id, Action.case_id, Action.description, Action.due_on, User.id, User.email, key)
    for_users = (
        select(*columns)
        .join(User, User.id == Action.assignee_user_id)
        .join(Case, Case.id == Action.case_id)
        .where(*condition)
    )
    for_organisations = (
        select(*columns)
        .join(CaseInvolvement, CaseInvolvement.case_id == Action.case_id)
        .join(User, User.id == CaseInvolvement.user_id)
        .join(Case, Case.id == Action.case_id)
        .where(*condition, User.organisation_id == Action.assignee_organisation_id)
    )
    return db.session.execute(union_all(for_users, for_organisations)).all()


def send_action_reminders(today=None) -> int:
    """Remind each assignee of their actions due tomorrow and of those overdue (in the app and by
    e-mail). Keyed by action, person and due date: running it again, or after days of downtime,
    adds nothing twice."""
    today = today or local_today()
    tomorrow = today + timedelta(days=1)
    items = [
        {
            "key": key,
            "user_id": user_id,
            "kind": key.partition(":")[0],
            "subject": description,
            "url": f"/trajecten/{case_id}#action-{action_id}",
            "case_id": case_id,
            "email": email,
        }
        for action_id, case_id, description, _due, user_id, email, key in _action_reminder_rows(tomorrow)
    ]
    return in_batches(items)


def in_batches(items: list[dict]) -> int:
    """Create the notifications in bulk, BATCH at a time; returns how many were new."""
    return sum(notify_many(items[i : i + BATCH]) for i in range(0, len(items), BATCH))


def send_meeting_reminders(now=None) -> int:
    """Remind each user at the table, the day before, of a planned meeting (also when the scheduler
    only comes back on the day itself, before the start). Keyed by meeting, person and date."""
    now = now or utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    day_after_tomorrow = datetime.combine(today + timedelta(days=2), time(0), tzinfo=LOCAL_TZ)
    rows = db.session.execute(
        select(Meeting.id, Meeting.case_id, Meeting.kind, Meeting.starts_at, User.id, User.email)
        .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .join(User, User.id == MeetingParticipant.user_id)
        .join(Case, Case.id == Meeting.case_id)
        .where(
            access.case_visible_to_user_column(),
            Meeting.status == "planned",
            Meeting.starts_at > now,
            Meeting.starts_at < day_after_tomorrow,
            User.active,
        )
    ).all()
    items = []
    for meeting_id, case_id, kind, starts_at, user_id, email in rows:
        local = starts_at.astimezone(LOCAL_TZ)
        items.append(
            {
                "key": f"meeting_reminder:{meeting_id}:{user_id}:{local.date().isoformat()}",
                "user_id": user_id,
                "kind": "meeting_reminder",
                "subject": f"{label('meeting_kind', kind)}, {local:%d-%m-%Y %H:%M}",
                "url": f"/bijeenkomsten/{meeting_id}",
                "case_id": case_id,
                "email": email,
            }
        )
    return in_batches(items)


def send_weekly_digest(today=None) -> int:
    """Once a week per user with unfinished actions: how many are open and how many are late.
    Keyed by user and ISO week, so the first run of each week sends it and later runs add nothing."""
    today = today or local_today()
    year, week, _weekday = today.isocalendar()
    week_code = f"{year}-W{week:02d}"
    overdue = func.sum(sql_case((Action.due_on < today, 1), else_=0))
    rows = db.session.execute(
        select(User.id, User.email, func.count(Action.id), overdue)
        .join(Action, Action.assignee_user_id == User.id)
        .where(
            User.active,
            Action.status.not_in(FINISHED),
            ~exists().where(
                Notification.key
                == literal("weekly_digest:").concat(cast(User.id, String)).concat(f":{week_code}")
            ),
        )
        .group_by(User.id, User.email)
    ).all()
    items = [
        {
            "key": f"weekly_digest:{user_id}:{week_code}",
            "user_id": user_id,
            "kind": "weekly_digest",
            "subject": ngettext(
                "%(num)d open actie, waarvan %(late)s te laat.",
                "%(num)d open acties, waarvan %(late)s te laat.",
                open_count,
                late=int(late or 0),
            ),
            "url": "/acties",
            "case_id": None,
            "email": email,
        }
        for user_id, email, open_count, late in rows
    ]
    return in_batches(items)
