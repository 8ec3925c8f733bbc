"""The two trails, kept apart: the change history and the access log. Never purged with a client."""

from datetime import datetime

from sqlalchemy import JSON, Index, String
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
    """NEN 7513 style: who looked at which client's data, when, from where."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_client_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None]
    user_name: Mapped[str] = mapped_column(String(200), default="")
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="")
    client_id: Mapped[int | None]
    case_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))  # view, print, export
    what: Mapped[str] = mapped_column(String(120))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class FormSubmission(db.Model):
    """A used one-time form token: a double submit finds it and is sent to the first result."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    result_url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SchedulerHeartbeat(db.Model):
    """The scheduler's last sign of life, shown by /healthz."""

    __tablename__ = "scheduler_heartbeat"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
