"""The one scheduler process (`flask --app opkoers scheduler`); never inside web workers."""

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from . import jobs


def build_scheduler(app) -> BlockingScheduler:
    """A scheduler with every job; missed runs are coalesced into one."""
    scheduler = BlockingScheduler(
        timezone="Europe/Amsterdam",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(jobs.heartbeat, IntervalTrigger(minutes=1), args=[app], id="heartbeat")
    scheduler.add_job(
        jobs.purge_form_tokens, CronTrigger(hour=3, minute=15), args=[app], id="purge_form_tokens"
    )
    # Every hour: cheap, and after downtime the next run catches up (each reminder has its own key).
    scheduler.add_job(jobs.action_reminders, CronTrigger(minute=5), args=[app], id="action_reminders")
    scheduler.add_job(jobs.meeting_reminders, CronTrigger(minute=10), args=[app], id="meeting_reminders")
    scheduler.add_job(jobs.follow_up_reminders, CronTrigger(minute=15), args=[app], id="follow_up_reminders")
    # Daily; the first run of a week sends that week's digest (Monday morning, or later after downtime).
    scheduler.add_job(jobs.weekly_digest, CronTrigger(hour=7, minute=30), args=[app], id="weekly_digest")
    scheduler.add_job(jobs.deliver_mail, IntervalTrigger(minutes=1), args=[app], id="deliver_mail")
    # Nightly, when nobody works: each case is claimed before it is anonymised, so a run is never doubled.
    scheduler.add_job(jobs.retention, CronTrigger(hour=2, minute=30), args=[app], id="retention")
    return scheduler
