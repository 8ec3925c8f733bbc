"""Actions agreed for a case, and the progress notes on them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.actions import ASSIGNEE_KINDS, STATUSES
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .cases import Case
from .organisations import Organisation, User, _in


class Action(Versioned, db.Model):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("assignee_kind", ASSIGNEE_KINDS), name="assignee_kind"),
        CheckConstraint("assignee_kind != 'user' OR assignee_user_id IS NOT NULL", name="user_assignee"),
        CheckConstraint(
            "assignee_kind != 'organisation' OR assignee_organisation_id IS NOT NULL",
            name="organisation_assignee",
        ),
        Index("ix_action_user_status_due", "assignee_user_id", "status", "due_on"),
        Index("ix_action_organisation_status_due", "assignee_organisation_id", "status", "due_on"),
        Index("ix_action_case_due", "case_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)  # agreed there
    description: Mapped[str] = mapped_column(Text)
    assignee_kind: Mapped[str] = mapped_column(String(20))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assignee_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    assignee_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship()
    assignee_user: Mapped[User | None] = relationship(foreign_keys=[assignee_user_id])
    assignee_organisation: Mapped[Organisation | None] = relationship()
    status_changed_by: Mapped[User | None] = relationship(foreign_keys=[status_changed_by_id])
    notes: Mapped[list["ActionNote"]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionNote.at"
    )


class ActionNote(db.Model):
    """A progress note on an action: who wrote what, when."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    action: Mapped[Action] = relationship(back_populates="notes")
