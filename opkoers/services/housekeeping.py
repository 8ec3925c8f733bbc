"""The scheduler's own work: showing it is alive (and which process runs the jobs), and forgetting
what no longer matters."""

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import delete, or_, text, update

from ..extensions import db
from ..models import FormSubmission, SchedulerHeartbeat
from ..models.base import utcnow
from . import upsert_insert

HEARTBEAT = "scheduler"


_names: dict[int, str] = {}


def this_process() -> str:
    """How a scheduler process is known in the lease: its machine, process id and a random part
    (two containers can share a host name and both be process 1)."""
    pid = os.getpid()
    if pid not in _names:
        _names[pid] = f"{socket.gethostname()[:80]}:{pid}:{secrets.token_hex(4)}"
    return _names[pid]


def hold_lease(holder: str, lease: timedelta) -> bool:
    """Of all scheduler processes (on one or several servers) one runs the jobs: the one holding
    the lease. It takes the lease when nobody holds it or when the holder's last beat is older than
    `lease` (it stopped), and renews it with every beat; /healthz shows that beat. True when
    `holder` holds the lease now. One statement decides, so two processes never both hold it.
    The servers' clocks must agree (NTP) to well within the lease minus the heartbeat interval."""
    now = utcnow()
    first = upsert_insert(SchedulerHeartbeat).values(name=HEARTBEAT, beat_at=now, holder=holder)
    db.session.execute(first.on_conflict_do_nothing())
    taken = db.session.execute(
        update(SchedulerHeartbeat)
        .where(
            SchedulerHeartbeat.name == HEARTBEAT,
            or_(
                SchedulerHeartbeat.holder == holder,
                SchedulerHeartbeat.holder.is_(None),
                SchedulerHeartbeat.beat_at < now - lease,
            ),
        )
        .values(holder=holder, beat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


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
