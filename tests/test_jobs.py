"""The scheduler's jobs: a heartbeat for monitoring and the clean-up of old form tokens."""

from datetime import timedelta

from sqlalchemy import select

from opkoers import jobs, timeutil
from opkoers.extensions import db
from opkoers.models import FormSubmission, SchedulerHeartbeat
from opkoers.models.base import utcnow
from opkoers.scheduler import Leader, build_scheduler
from opkoers.services.housekeeping import HEARTBEAT

from .helpers import run_at_once


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
        "report_figures",
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


def test_one_scheduler_holds_the_lease_and_another_takes_over_when_it_stops(app):
    assert jobs.heartbeat(app, "server-a:1") is True
    assert jobs.heartbeat(app, "server-b:1") is False  # stands by
    assert jobs.heartbeat(app, "server-a:1") is True  # renewed with every beat
    ran = []
    standby = Leader(app, "server-b:1").when_leading(lambda app: ran.append("b") or 1)
    assert standby(app) is None and ran == []
    later = timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"] + 1)
    with timeutil.travel(later):  # server a stopped beating
        assert standby(app) == 1 and ran == ["b"]
        assert jobs.heartbeat(app, "server-a:1") is False  # back again: now a stands by
    db.session.rollback()
    assert db.session.get(SchedulerHeartbeat, HEARTBEAT).holder == "server-b:1"


def test_two_processes_asking_at_once_never_both_hold_the_lease(app):
    holders = iter(["p:1", "p:2", "p:3", "p:4"])
    results = run_at_once(lambda: jobs.heartbeat(app, next(holders)), times=4)
    assert sorted(results) == [False, False, False, True]


def test_a_scheduler_that_takes_over_catches_up_at_once(app, monkeypatch):
    caught_up = []

    def broken(app):
        raise OSError("the mail server is down")

    catch_up = (broken, lambda app: caught_up.append(1))
    monkeypatch.setattr("opkoers.scheduler.CATCH_UP", catch_up)
    leader = Leader(app, "server-a:1")
    leader.beat()  # one job failing does not stop the others
    leader.beat()  # still leading: nothing to catch up
    assert leader.active and caught_up == [1]
    other = Leader(app, "server-b:1")
    other.beat()
    assert not other.active and caught_up == [1]
