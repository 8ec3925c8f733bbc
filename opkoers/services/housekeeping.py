"""The scheduler's own work: showing it is alive, and forgetting what no longer matters."""

from datetime import timedelta

from sqlalchemy import delete, text

from ..extensions import db
from ..models import FormSubmission, SchedulerHeartbeat
from ..models.base import utcnow

HEARTBEAT = "scheduler"


def record_heartbeat() -> None:
    """Note that the scheduler is alive now."""
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    if beat is None:
        db.session.add(SchedulerHeartbeat(name=HEARTBEAT, beat_at=utcnow()))
    else:
        beat.beat_at = utcnow()
    db.session.flush()


def purge_form_tokens(older_than: timedelta = timedelta(days=2)) -> int:
    """Forget one-time form tokens older than two days; returns how many went."""
    result = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < utcnow() - older_than)
    )
    return result.rowcount


def health() -> dict:
    """For monitoring: does the database answer, and when did the scheduler last show it was alive."""
    try:
        ok = db.session.execute(text("SELECT 1")).scalar() == 1
        beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "error", "database": False, "scheduler_last_seen": None}
    return {
        "status": "ok" if ok else "error",
        "database": ok,
        "scheduler_last_seen": beat.beat_at.isoformat() if beat else None,
    }
