"""Values this app process worked out a moment ago and may show again for a short while: report
figures, and the rendered body of a case page. Each kind has its own store on the app, holding at
most a few hundred values; the least recently used go first. Nothing here is shared between
processes, so every value is only ever as stale as its own time limit allows."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from .timeutil import utc_now

T = TypeVar("T")
KEPT = 256  # values kept per kind
_lock = threading.Lock()


def _store(kind: str) -> OrderedDict:
    return current_app.extensions.setdefault(f"opkoers_recent_{kind}", OrderedDict())


def recent(kind: str, key: Hashable, seconds: int, work_out: Callable[[], T]) -> T:
    """The value for `key`, worked out at most `seconds` ago (0: always anew). `work_out` must give
    a plain value (no database objects: it outlives the request)."""
    store, asked_at = _store(kind), utc_now()
    with _lock:
        found = store.get(key)
        if found is not None and (asked_at - found[1]).total_seconds() < seconds:
            store.move_to_end(key)
            return found[0]
    value = work_out()
    if seconds > 0:
        with _lock:
            store[key] = (value, asked_at)
            while len(store) > KEPT:
                store.popitem(last=False)
    return value


def forget(kind: str) -> None:
    """Drop every value of this kind (tests that change the clock or the settings)."""
    current_app.extensions.pop(f"opkoers_recent_{kind}", None)
