"""The scheduler's jobs: a heartbeat for monitoring and the clean-up of old form tokens."""

from datetime import timedelta

from sqlalchemy import select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import FormSubmission, SchedulerHeartbeat
from opkoers.models.base import utcnow
from opkoers.scheduler import build_scheduler
from opkoers.services.housekeeping import HEARTBEAT


def test_scheduler_has_its_jobs_and_coalesces_missed_runs(app):
    scheduler = build_scheduler(app)
    assert {job.id for job in scheduler.get_jobs()} == {
        "heartbeat",
        "purge_form_tokens",
        "action_reminders",
        "meeting_reminders",
        "follow_up_reminders",
        "weekly_digest",
        "deliver_mail",
        "retention",
    }
    assert scheduler._job_defaults["coalesce"] is True and scheduler._job_defaults["max_instances"] == 1


def test_heartbeat_is_one_row_that_moves_on(app):
    jobs.heartbeat(app)
    first = db.session.get(SchedulerHeartbeat, HEARTBEAT).beat_at
    db.session.rollback()  # the job runs in its own app context and transaction
    jobs.heartbeat(app)
    assert db.session.scalar(select(db.func.count()).select_from(SchedulerHeartbeat)) == 1
    assert db.session.get(SchedulerHeartbeat, HEARTBEAT).beat_at >= first


def test_purge_forgets_only_old_form_tokens(app):
    db.session.add_all(
        [
            FormSubmission(token="old", result_url="/a", created_at=utcnow() - timedelta(days=3)),
            FormSubmission(token="new", result_url="/b", created_at=utcnow() - timedelta(hours=1)),
        ]
    )
    db.session.commit()
    assert jobs.purge_form_tokens(app) == 1
    db.session.rollback()
    assert db.session.scalars(select(FormSubmission.token)).all() == ["new"]
