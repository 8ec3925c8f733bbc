"""The scheduler process (`flask --app opkoers scheduler`); never inside web workers. Several may
run, for example one beside each app server: the one holding the lease runs the jobs, the others
stand by and the first to notice that its heartbeat stopped takes over (and catches up at once)."""

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from . import jobs
from .services.housekeeping import this_process

# Run at once when a scheduler starts leading (after downtime, or taking over from one that
# stopped): each reminder and e-mail still goes out once.
CATCH_UP = (
    jobs.action_reminders,
    jobs.meeting_reminders,
    jobs.follow_up_reminders,
    jobs.weekly_digest,
    jobs.deliver_mail,
    jobs.report_figures,
)


class Leader:
    """Whether this scheduler process runs the jobs, decided by the lease in the database."""

    def __init__(self, app, holder: str | None = None):
        self.app, self.holder, self.active = app, holder or this_process(), False

    def beat(self) -> None:
        """The heartbeat job: hold (or take) the lease; a scheduler that just took it catches up,
        each job only while it still holds the lease (renewed before each), one failure not
        stopping the others."""
        held = jobs.heartbeat(self.app, self.holder)
        took_over = held and not self.active
        self.active = held
        if took_over:
            for job in CATCH_UP:
                try:
                    self.when_leading(job)(self.app)
                except Exception:  # noqa: BLE001 - logged; the job runs again at its next time
                    self.app.logger.exception("Catching up with %s failed", job.__name__)

    def when_leading(self, job):
        """The job, run only while this process holds the lease (checked in the database first)."""

        def run(app):
            if jobs.heartbeat(app, self.holder):
                return job(app)
            return None

        run.__name__ = run.__qualname__ = job.__name__
        return run


def build_scheduler(app, leader: Leader | None = None) -> BlockingScheduler:
    """A scheduler with every job; missed runs are coalesced into one."""
    leader = leader or Leader(app)
    scheduler = BlockingScheduler(
        timezone="Europe/Amsterdam",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    beat = IntervalTrigger(seconds=app.config["SCHEDULER_HEARTBEAT_SECONDS"])
    scheduler.add_job(leader.beat, beat, id="heartbeat")

    def add(job, trigger) -> None:
        scheduler.add_job(leader.when_leading(job), trigger, args=[app], id=job.__name__)

    add(jobs.purge_form_tokens, CronTrigger(hour=3, minute=15))
    # Every hour: cheap, and after downtime the next run catches up (each reminder has its own key).
    add(jobs.action_reminders, CronTrigger(minute=5))
    add(jobs.meeting_reminders, CronTrigger(minute=10))
    add(jobs.follow_up_reminders, CronTrigger(minute=15))
    # Daily; the first run of a week sends that week's digest (Monday morning, or later after downtime).
    add(jobs.weekly_digest, CronTrigger(hour=7, minute=30))
    add(jobs.deliver_mail, IntervalTrigger(minutes=1))
    add(jobs.report_figures, IntervalTrigger(minutes=app.config["REPORT_FIGURES_MINUTES"]))
    # Nightly, when nobody works: each case is claimed before it is anonymised, so a run is never doubled.
    add(jobs.retention, CronTrigger(hour=2, minute=30))
    return scheduler
