"""Use cases: one function each. They change models and write the audit trail; they flush, never commit."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import audit
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..extensions import db


def check_version(obj, submitted_version: int | None) -> None:
    """Refuse a save made from an older copy of the record than the one stored now (or from a form
    that did not say which copy it started from)."""
    if submitted_version != obj.version:
        raise RuleViolation("stale")


def upsert_insert(table):
    """An INSERT of this database's dialect, which can say what to do when the key is there."""
    return (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(table)


def insert_new(table, rows: list[dict]) -> set[str]:
    """Insert the rows whose unique key is not there yet; returns the keys that were new.
    The database's unique index decides, so two processes at once still insert each row once."""
    if not rows:
        return set()
    statement = upsert_insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
    return set(db.session.scalars(statement, rows))


def put(table, key: str, row: dict) -> None:
    """Insert the row, or replace the values of the row with the same key (in one statement)."""
    statement = upsert_insert(table).values(**row)
    changed = {column: statement.excluded[column] for column in row if column != key}
    db.session.execute(statement.on_conflict_do_update(index_elements=[key], set_=changed))


def change_status(actor, case, target: str) -> None:
    """Move a case to another status, if the lifecycle allows it, and record it."""
    lifecycle.check_transition(case.status, target)
    changes = audit.apply_changes(case, {"status": target})
    audit.record(actor, "status_changed", case, changes, case.id)
