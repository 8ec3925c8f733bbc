"""Small tools shared by the tests."""

import threading
from contextlib import contextmanager

from sqlalchemy import event

from opkoers.extensions import db


@contextmanager
def count_queries():
    """Collect the SQL statements the block sends (transaction control like BEGIN not counted)."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def run_at_once(job, times: int = 2) -> list:
    """Run a job in several threads at the same moment (like several scheduler processes); returns
    their results, and fails the test if any of them raised."""
    results, failures = [], []

    def run():
        try:
            results.append(job())
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    return results
