"""Round-table meetings: when and where, who takes part, the minutes and what was decided there."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.meetings import KINDS, PARTICIPANT_KINDS, STATUSES
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .cases import Case
from .organisations import LifeDomain, User, _in


def new_uid() -> str:
    return f"{uuid.uuid4()}@opkoers"


class Meeting(Versioned, db.Model):
    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_meeting_case_starts", "case_id", "starts_at"),
        Index("ix_meeting_starts", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(200), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    agenda: Mapped[str] = mapped_column(Text, default="")
    # The calendar identity of the meeting: the UID never changes, SEQUENCE goes up with each update.
    uid: Mapped[str] = mapped_column(String(100), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    clash_note: Mapped[str] = mapped_column(Text, default="")  # the clash warning, when saved anyway
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    # Each part of the meeting page has its own revision, so saving one part (say the attendance)
    # never makes another part's open form look stale, and a stale save of a part is still refused.
    minutes_revision: Mapped[int] = mapped_column(default=0)
    priority_revision: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    minutes_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # The prioritised problem, as the client said it at this meeting.
    prioritised_problem: Mapped[str] = mapped_column(Text, default="")
    prioritised_life_domain_id: Mapped[int | None] = mapped_column(ForeignKey("life_domain.id"))
    client_solution: Mapped[str] = mapped_column(Text, default="")

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship()
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    minutes_signed_by: Mapped[User | None] = relationship(foreign_keys=[minutes_signed_by_id])
    prioritised_life_domain: Mapped[LifeDomain | None] = relationship()
    participants: Mapped[list["MeetingParticipant"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id"
    )
    addenda: Mapped[list["MinutesAddendum"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MinutesAddendum.id"
    )

    @property
    def minutes_signed(self) -> bool:
        return self.minutes_signed_at is not None


class MeetingParticipant(db.Model):
    """Someone at the table: a user, the client, the coach, a network person or a guest."""

    __tablename__ = "meeting_participant"
    __table_args__ = (
        CheckConstraint(_in("kind", PARTICIPANT_KINDS), name="kind"),
        CheckConstraint("kind != 'user' OR user_id IS NOT NULL", name="user_participant"),
        UniqueConstraint("meeting_id", "user_id"),
        Index("ix_meeting_participant_user", "user_id", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    relation: Mapped[str] = mapped_column(String(200), default="")  # of a network person to the client
    attended: Mapped[bool | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.name if self.user is not None else self.name

    @property
    def address(self) -> str:
        """Where invitations go; a switched-off account gets none."""
        if self.user is not None:
            return self.user.email if self.user.active else ""
        return self.email


class MinutesAddendum(db.Model):
    """A correction or addition to signed minutes: the minutes themselves stay as signed."""

    __tablename__ = "minutes_addendum"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="addenda")
