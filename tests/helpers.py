"""Small tools shared by the tests."""

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
