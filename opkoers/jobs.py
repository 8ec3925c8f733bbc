"""Scheduled jobs. Each opens its own app context, calls services, and commits once."""

from datetime import timedelta

from sqlalchemy import delete

from .extensions import db
from .models import FormSubmission, SchedulerHeartbeat
from .models.base import utcnow

HEARTBEAT = "scheduler"


def heartbeat(app) -> None:
    """Record that the scheduler is alive (shown by /healthz)."""
    with app.app_context():
        beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
        if beat is None:
            db.session.add(SchedulerHeartbeat(name=HEARTBEAT, beat_at=utcnow()))
        else:
            beat.beat_at = utcnow()
        db.session.commit()


def purge_form_tokens(app, older_than: timedelta = timedelta(days=2)) -> int:
    """Forget one-time form tokens older than two days; returns how many went."""
    with app.app_context():
        result = db.session.execute(
            delete(FormSubmission).where(FormSubmission.created_at < utcnow() - older_than)
        )
        db.session.commit()
        return result.rowcount
