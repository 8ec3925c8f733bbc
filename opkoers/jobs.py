"""Scheduled jobs. Each opens its own app context, calls a service, and commits once."""

from .extensions import db
from .services import housekeeping, notifications


def heartbeat(app) -> None:
    """Record that the scheduler is alive (shown by /healthz)."""
    with app.app_context():
        housekeeping.record_heartbeat()
        db.session.commit()


def purge_form_tokens(app) -> int:
    """Forget old one-time form tokens; returns how many went."""
    with app.app_context():
        count = housekeeping.purge_form_tokens()
        db.session.commit()
        return count


def action_reminders(app) -> int:
    """Remind people of actions due tomorrow and of overdue ones; returns how many reminders are new."""
    with app.app_context():
        count = notifications.send_action_reminders()
        db.session.commit()
        return count
