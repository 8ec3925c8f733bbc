"""Login throttling: after too many failures in a while, an account (or an address) waits.

The same rule counts failures per account and per network address, each with its own limit."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    max_failures: int  # this many failures within `window` …
    window: timedelta
    lock: timedelta  # … lock for this long


@dataclass(frozen=True)
class Attempts:
    failures: int = 0
    window_start: datetime | None = None
    locked_until: datetime | None = None


def is_locked(state: Attempts, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failure(state: Attempts, now: datetime, limit: Limit) -> Attempts:
    """The count after one more failure. A failure while locked does not extend the lock."""
    if is_locked(state, now):
        return state
    if state.window_start is None or now - state.window_start >= limit.window or state.locked_until:
        failures, start = 1, now  # a new window (also after a lock ran out)
    else:
        failures, start = state.failures + 1, state.window_start
    locked_until = now + limit.lock if failures >= limit.max_failures else None
    return Attempts(failures, start, locked_until)
