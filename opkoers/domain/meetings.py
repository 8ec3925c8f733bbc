"""Round-table meetings: kinds, times in Europe/Amsterdam, clashes, minutes that lock after sign-off."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from ..timeutil import LOCAL_TZ
from . import RuleViolation

KINDS = ("introductory", "intake_talk", "decision", "round_table", "handover", "closing")
PLANNED = "planned"
HELD = "held"
CANCELLED = "cancelled"
STATUSES = (PLANNED, HELD, CANCELLED)
PARTICIPANT_KINDS = ("user", "client", "coach", "network", "guest")

# A change to one of these makes every invitation out of date: the participants get an update.
INVITATION_FIELDS = ("kind", "starts_at", "ends_at", "location", "video_link")


def local_span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """The meeting's start and end in UTC, from a Dutch calendar day and wall-clock times.

    Refuses an end at or before the start, and a wall-clock time that does not exist on that day
    (the hour skipped when summer time starts)."""
    if end <= start:
        raise RuleViolation("meeting_end_before_start")
    span = []
    for moment in (start, end):
        local = datetime.combine(day, moment, tzinfo=LOCAL_TZ)
        utc = local.astimezone(UTC)
        if utc.astimezone(LOCAL_TZ).replace(tzinfo=None) != local.replace(tzinfo=None):
            raise RuleViolation("meeting_time_does_not_exist", time=moment)
        span.append(utc)
    return span[0], span[1]


@dataclass(frozen=True)
class Clash:
    """A user participant who already has another meeting at that time."""

    person: str
    starts_at: datetime
    ends_at: datetime


def clash_note(clashes: list[Clash]) -> str:
    """The recorded warning when a meeting is saved despite clashes (Dutch time)."""
    parts = []
    for clash in clashes:
        start, end = clash.starts_at.astimezone(LOCAL_TZ), clash.ends_at.astimezone(LOCAL_TZ)
        parts.append(f"{clash.person}: {start:%Y-%m-%d %H:%M}–{end:%H:%M}")
    return "; ".join(parts)


def check_open(status: str, minutes_signed: bool) -> None:
    """A meeting can be changed and minuted until it is cancelled or its minutes are signed off."""
    if status == CANCELLED:
        raise RuleViolation("meeting_cancelled")
    if minutes_signed:
        raise RuleViolation("minutes_locked")


def check_sign_off(
    status: str, minutes_signed: bool, starts_at: datetime, now: datetime, minutes: str
) -> None:
    """Minutes are signed off once, after the meeting began, and not empty."""
    check_open(status, minutes_signed)
    if starts_at > now:
        raise RuleViolation("meeting_not_started")
    if not minutes.strip():
        raise RuleViolation("minutes_empty")


def needs_update(changes: dict) -> bool:
    """Whether a change to the meeting makes the participants' invitations out of date."""
    return any(field in changes for field in INVITATION_FIELDS)


def moved(order: list[int], item: int, direction: str) -> list[int]:
    """The order with one item moved one place up or down (at the edge it stays)."""
    if item not in order or direction not in ("up", "down"):
        raise RuleViolation("not_in_order")
    result = list(order)
    i = result.index(item)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(result):
        result[i], result[j] = result[j], result[i]
    return result
