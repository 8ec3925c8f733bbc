"""Times are stored in UTC and shown in Europe/Amsterdam; 'today' is the Dutch calendar day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()
