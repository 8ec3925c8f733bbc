"""Report figures over all the years of data (the impact report, the deviation register, the budget
overview) are computed at most once per REPORT_CACHE_SECONDS in each app process; every page shows
the time they are from. The figures are the same for everyone who may see the report (counts and
sums, no client), so one computation serves all of them. The CSV downloads always compute afresh.
The heaviest — the impact report over all years and neighbourhoods — is counted by the scheduler
every REPORT_FIGURES_MINUTES and stored, so that no page view waits for it."""

from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app

from ..extensions import db
from ..models import ReportFigures
from ..recent import recent
from ..timeutil import utc_now
from . import put

T = TypeVar("T")


def figures(name: str, key: Hashable, compute: Callable[[], tuple[T, datetime]]) -> tuple[T, datetime]:
    """The figures of report `name` for filter choice `key`, and the time (UTC) they are from.
    `compute` returns both (figures the scheduler counted earlier keep their own time); it must
    return plain values (no database objects: they outlive the request)."""
    return recent("figures", (name, key), current_app.config["REPORT_CACHE_SECONDS"], compute)


def now(value: T) -> tuple[T, datetime]:
    """Figures counted just now."""
    return value, utc_now()


# ---------------------------------------------------------------- counted by the scheduler


def keep(name: str, payload: str) -> None:
    """Store a report's figures (JSON) as counted now, in place of the previous ones."""
    put(ReportFigures.__table__, "name", {"name": name, "computed_at": utc_now(), "payload": payload})


def kept(name: str) -> tuple[str, datetime] | None:
    """A report's stored figures (JSON) and when they were counted, when recent enough to show:
    at most twice the scheduler's interval old (a run that came late still counts)."""
    row = db.session.get(ReportFigures, name)
    limit = timedelta(minutes=2 * current_app.config["REPORT_FIGURES_MINUTES"])
    if row is None or utc_now() - row.computed_at > limit:
        return None
    return row.payload, row.computed_at
