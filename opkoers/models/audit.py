"""The two trails, kept apart: the change history and the access log. Never purged with a client.

The database itself keeps them append-only (triggers, see log_guard_ddl): no row of the access log is
changed, none deleted before the legal minimum of five years; an audit entry is never deleted, and
changed only to redact its values when the client's data is anonymised after its retention period."""

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One change: who, when, what, and field → [old, new]."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None]  # no FK: the trail outlives the account
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    case_id: Mapped[int | None]
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class AccessLogEntry(db.Model):
    """NEN 7513: who (user, organisation, role) opened, changed, printed or exported which client's
    data, when (UTC), from where, on what basis (the project group's mandate, or the consent it relied
    on) and with what outcome (a refusal is logged too)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_client_at", "client_id", "at"),
        Index("ix_access_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None]  # no FK: the log outlives the account
    user_name: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None]
    organisation_name: Mapped[str] = mapped_column(String(200), default="")  # on whose behalf
    role: Mapped[str] = mapped_column(String(20), default="")
    client_id: Mapped[int | None]
    case_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))  # view, list, change, print, export, download
    what: Mapped[str] = mapped_column(String(120))  # the page or document (its endpoint)
    outcome: Mapped[str] = mapped_column(String(10), default="allowed")  # allowed, denied
    basis: Mapped[str] = mapped_column(String(10), default="")  # mandate, consent ('' for lists)
    consent_id: Mapped[int | None]
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class FormSubmission(db.Model):
    """A used one-time form token: a double submit finds it and is sent to the first result."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    result_url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SchedulerHeartbeat(db.Model):
    """The scheduler's last sign of life, shown by /healthz, and its lease: the scheduler process
    that holds it runs the jobs; others stand by and take over when its beat stops."""

    __tablename__ = "scheduler_heartbeat"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    holder: Mapped[str | None] = mapped_column(String(120))


class ReportFigures(db.Model):
    """A report's figures over all the years, counted by the scheduler (counts and averages, no
    client), so that no page view has to count ten years of data."""

    __tablename__ = "report_figures"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------- the trails stay as written

LOG_KEEP_YEARS = 5  # NEN 7513: the access log is kept at least five years
REDACTED = '{"redacted": true}'  # what an audit entry's values become when the client is anonymised
_AUDIT_FIXED = (
    "id",
    "at",
    "user_id",
    "user_name",
    "action",
    "entity_type",
    "entity_id",
    "case_id",
    "remote_addr",
)


def log_guard_ddl(dialect: str) -> list[str]:
    """The statements that make the two trails append-only in this database."""
    if dialect == "postgresql":
        same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _AUDIT_FIXED)
        return [
            "CREATE OR REPLACE FUNCTION refuse_log_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows cannot be changed or deleted'; "
            "END $$",
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION refuse_log_change()",
            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log FOR EACH ROW "
            f"WHEN (OLD.at >= now() - interval '{LOG_KEEP_YEARS} years') "
            "EXECUTE FUNCTION refuse_log_change()",
            "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW "
            f"WHEN (NOT (NEW.changes::text = '{REDACTED}' AND {same})) EXECUTE FUNCTION refuse_log_change()",
            "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION refuse_log_change()",
            "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change()",
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change()",
        ]
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _AUDIT_FIXED)

    def refuse(name: str, when: str, table: str, event_: str) -> str:
        return (
            f"CREATE TRIGGER {name} BEFORE {event_} ON {table} {when} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed or deleted'); END"
        )

    return [
        refuse("access_log_no_update", "", "access_log", "UPDATE"),
        refuse(
            "access_log_no_delete",
            f"WHEN OLD.at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-{LOG_KEEP_YEARS} years')",
            "access_log",
            "DELETE",
        ),
        refuse(
            "audit_entry_no_update",
            f"WHEN NOT (NEW.changes = '{REDACTED}' AND {same})",
            "audit_entry",
            "UPDATE",
        ),
        refuse("audit_entry_no_delete", "", "audit_entry", "DELETE"),
    ]


LOG_GUARD_TRIGGERS = (
    ("access_log", "access_log_no_update"),
    ("access_log", "access_log_no_delete"),
    ("audit_entry", "audit_entry_no_update"),
    ("audit_entry", "audit_entry_no_delete"),
)


def _install_log_guard(target, connection, **kw) -> None:
    for statement in log_guard_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


# Installed with the tables by create_all (the tests); migration 0013 installs the same.
event.listen(db.metadata, "after_create", _install_log_guard)
