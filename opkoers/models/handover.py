"""The warm handover to the neighbourhood team: its document (points as data) and its answers."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.handover import POINT_STATES, STATUSES
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .cases import Case
from .organisations import Organisation, User, _in


class HandoverPoint(Versioned, db.Model):
    """One point of the handover document; the list is data so a municipality can change it."""

    __tablename__ = "handover_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Handover(Versioned, db.Model):
    __tablename__ = "handover"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("status != 'safety_net' OR safety_net_reason != ''", name="safety_net_has_reason"),
        Index("ix_handover_aftercare", "status", "aftercare_ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    team_reason: Mapped[str] = mapped_column(Text, default="")  # why not the neighbourhood's own team
    status: Mapped[str] = mapped_column(String(20), default="draft")
    question: Mapped[str] = mapped_column(Text, default="")  # what the receiver asked for
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set at acceptance: three months of aftercare by the neighbourhood team end on this day.
    aftercare_ends_on: Mapped[date | None]
    # The safety net: the neighbourhood team sends the client back to the project group.
    safety_net_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    safety_net_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    safety_net_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    team: Mapped[Organisation] = relationship()
    contact: Mapped[User] = relationship(foreign_keys=[contact_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    safety_net_by: Mapped[User | None] = relationship(foreign_keys=[safety_net_by_id])
    answers: Mapped[list["HandoverAnswer"]] = relationship(
        back_populates="handover", cascade="all, delete-orphan", order_by="HandoverAnswer.point_id"
    )


class HandoverAnswer(db.Model):
    __tablename__ = "handover_answer"
    __table_args__ = (
        UniqueConstraint("handover_id", "point_id"),
        CheckConstraint(_in("state", POINT_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("handover_point.id"))
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    handover: Mapped[Handover] = relationship(back_populates="answers")
    point: Mapped[HandoverPoint] = relationship(lazy="joined", innerjoin="unnested")
