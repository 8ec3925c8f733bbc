"""Report figures over all the years of data (the impact report, the deviation register, the budget
overview) are computed at most once per REPORT_CACHE_SECONDS in each app process; every page shows
the time they are from. The figures are the same for everyone who may see the report (counts and
sums, no client), so one computation serves all of them. The CSV downloads always compute afresh."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app

from ..timeutil import utc_now

T = TypeVar("T")
KEPT = 256  # different filter choices kept per process; the least recently used go first
_lock = threading.Lock()


def _store() -> OrderedDict:
    return current_app.extensions.setdefault("opkoers_figures", OrderedDict())


def figures(name: str, key: Hashable, compute: Callable[[], T]) -> tuple[T, datetime]:
    """The figures of report `name` for filter choice `key`, and the time (UTC) they are from.
    `compute` must return plain values (no database objects: they outlive the request)."""
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    store, now = _store(), utc_now()
    with _lock:
        kept = store.get((name, key))
        if kept is not None and now - kept[1] < timedelta(seconds=seconds):
            store.move_to_end((name, key))
            return kept
    fresh = (compute(), now)
    if seconds > 0:
        with _lock:
            store[(name, key)] = fresh
            while len(store) > KEPT:
                store.popitem(last=False)
    return fresh
