"""Use cases: one function each. They change models and write the audit trail; they flush, never commit."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain import RuleViolation
from ..extensions import db


def check_version(obj, submitted_version: int | None) -> None:
    """Refuse a save made from an older copy of the record than the one stored now (or from a form
    that did not say which copy it started from)."""
    if submitted_version != obj.version:
        raise RuleViolation("stale")


def insert_once(table, **values) -> bool:
    """Insert a row unless one with the same unique key exists; True when it was new.
    The database's unique index decides, so two processes at once still insert it once."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=["key"])
    return db.session.execute(statement.returning(table.c.id)).first() is not None
