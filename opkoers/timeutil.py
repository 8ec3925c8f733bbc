"""Times are stored in UTC and shown in Europe/Amsterdam; 'today' is the Dutch calendar day.

Everything that asks for the current moment asks here. The demo loader (to build a history that
happened months ago through the same services as the UI) and the tests (to let months pass) move the
clock with `travel`; nothing else does."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
_offset = timedelta(0)


def utc_now() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC) + _offset


def local_today() -> date:
    """Today's date on the Dutch calendar."""
    return utc_now().astimezone(LOCAL_TZ).date()


@contextmanager
def travel(delta: timedelta) -> Iterator[None]:
    """Move the clock by delta (into the past when negative) for the duration of the block."""
    global _offset
    before = _offset
    _offset = before + delta
    try:
        yield
    finally:
        _offset = before
