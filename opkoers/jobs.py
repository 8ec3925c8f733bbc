"""Scheduled jobs. Each opens its own app context, calls a service, and commits once."""

from dataclasses import asdict
from datetime import timedelta

from .extensions import db
from .services import follow_up, housekeeping, impact, mail, notifications
from .services import retention as retention_service


def heartbeat(app, holder: str | None = None) -> bool:
    """Show that the scheduler is alive (/healthz) and hold its lease; True when this process (or
    `holder`) is the one that runs the jobs."""
    with app.app_context():
        lease = timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"])
        held = housekeeping.hold_lease(holder or housekeeping.this_process(), lease)
        db.session.commit()
        return held


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


def meeting_reminders(app) -> int:
    """Remind the people at the table of tomorrow's meetings; returns how many reminders are new."""
    with app.app_context():
        count = notifications.send_meeting_reminders()
        db.session.commit()
        return count


def weekly_digest(app) -> int:
    """Send each user with open actions this week's overview (once per week)."""
    with app.app_context():
        count = notifications.send_weekly_digest()
        db.session.commit()
        return count


def follow_up_reminders(app) -> int:
    """Remind people of aftercare that ends soon, measurements and pilot-light contacts that are due."""
    with app.app_context():
        count = follow_up.send_follow_up_reminders()
        db.session.commit()
        return count


def deliver_mail(app) -> int:
    """Send the e-mails waiting in the outbox, one by one, each claimed first so that a second
    scheduler process never sends the same one; a failure waits for its retry. Returns how many went."""
    with app.app_context():
        sent = 0
        for message_id in mail.due_ids():
            claimed = mail.claim(message_id)
            db.session.commit()
            if claimed:
                sent += mail.deliver(message_id)
                db.session.commit()
        return sent


def retention(app) -> dict:
    """Anonymise the clients whose retention period ran out and delete old operational records;
    returns what it did."""
    with app.app_context():
        report = retention_service.run()
        db.session.commit()
        return asdict(report)


def report_figures(app) -> None:
    """Count the impact report over all years and neighbourhoods ahead, for the page to show."""
    with app.app_context():
        impact.count_ahead()
        db.session.commit()
