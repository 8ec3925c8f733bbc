"""The e-mail outbox: each message is written in the same transaction as the change that caused it,
so it exists only once that change is committed; the scheduler delivers it and retries."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow
from .organisations import _in

MAIL_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(_in("status", MAIL_STATUSES), name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(320), unique=True)  # sent once per key (may hold an address)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    ics: Mapped[str] = mapped_column(Text, default="")  # an iCalendar attachment, if any
    ics_method: Mapped[str] = mapped_column(String(10), default="")  # REQUEST or CANCEL
    case_id: Mapped[int | None] = mapped_column(ForeignKey("client_case.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
