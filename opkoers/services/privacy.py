"""The client's rights under the AVG: who looked at their file (from the access log)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import AccessLogEntry
from ..timeutil import LOCAL_TZ


@dataclass(frozen=True)
class Period:
    """From and to, both days included; either may be open."""

    start: date | None = None
    end: date | None = None

    def conditions(self) -> list:
        found = []
        if self.start:
            found.append(AccessLogEntry.at >= datetime.combine(self.start, time(), LOCAL_TZ))
        if self.end:
            found.append(AccessLogEntry.at < datetime.combine(self.end + timedelta(days=1), time(), LOCAL_TZ))
        return found


def access_report(client_id: int, period: Period, with_lists: bool, page: int, per_page: int) -> dict:
    """Who opened, changed, printed or exported the client's data in the period (and, if asked, saw
    the client in a list): per person a summary, and every row, newest first."""
    where = [AccessLogEntry.client_id == client_id, *period.conditions()]
    if not with_lists:
        where.append(AccessLogEntry.action != "list")
    people = db.session.execute(
        select(
            AccessLogEntry.user_name,
            AccessLogEntry.organisation_name,
            AccessLogEntry.role,
            func.count(),
            func.min(AccessLogEntry.at),
            func.max(AccessLogEntry.at),
        )
        .where(*where)
        .group_by(
            AccessLogEntry.user_id,
            AccessLogEntry.user_name,
            AccessLogEntry.organisation_name,
            AccessLogEntry.role,
        )
        .order_by(func.max(AccessLogEntry.at).desc())
    ).all()
    rows = db.paginate(
        select(AccessLogEntry).where(*where).order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return {"people": people, "rows": rows}
