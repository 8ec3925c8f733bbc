"""Scheduled jobs. Each opens its own app context, calls a service, and commits once."""

from .extensions import db
from .services import housekeeping


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
