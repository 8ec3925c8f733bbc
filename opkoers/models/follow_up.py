"""After the handover: aftercare contacts, the closing, pilot-light contacts, and the self-reliance
instrument with its measurements."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.follow_up import CONTACT_KINDS, MOMENTS, OUTCOMES, PILOT_STATUSES
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .cases import Case
from .handover import Handover
from .meetings import Meeting
from .organisations import User, _in


class AftercareContact(db.Model):
    """A contact of the neighbourhood team with the client during the three months of aftercare."""

    __tablename__ = "aftercare_contact"
    __table_args__ = (CheckConstraint(_in("kind", CONTACT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    contact_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    handover: Mapped[Handover] = relationship()
    logged_by: Mapped[User] = relationship(lazy="joined", innerjoin="unnested")


class CaseClosing(db.Model):
    """Why and how a case ended: the reason (a, b or c), the closing talk, and what was said. The
    date is the case's closed_on."""

    __tablename__ = "case_closing"
    __table_args__ = (CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    # Reason (b): the goals of the plan that proved unreachable, as they were written in the plan:
    # {"life_domain_id": …, "goal": …} (closings before consent per life domain hold the text alone).
    unreachable_goals: Mapped[list] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Who does the pilot-light contacts and the later measurements (named in the letter).
    follow_up_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship()
    meeting: Mapped[Meeting] = relationship()
    closed_by: Mapped[User] = relationship(foreign_keys=[closed_by_id])
    follow_up_by: Mapped[User] = relationship(foreign_keys=[follow_up_by_id])

    def goals_shown(self, hidden_domains) -> list[str]:
        """The unreachable goals outside the hidden life domains (a goal of unknown domain only to
        whoever sees every domain)."""
        shown = []
        for goal in self.unreachable_goals:
            domain = goal.get("life_domain_id") if isinstance(goal, dict) else None
            if (domain is None and not hidden_domains) or (
                domain is not None and domain not in hidden_domains
            ):
                shown.append(goal["goal"] if isinstance(goal, dict) else goal)
        return shown


class PilotLightContact(Versioned, db.Model):
    """A planned contact moment in the first year after closing (waakvlamcontact), registered once:
    held (are income and expenses in balance?) or impossible (why)."""

    __tablename__ = "pilot_light_contact"
    __table_args__ = (
        UniqueConstraint("case_id", "months"),
        CheckConstraint(_in("status", PILOT_STATUSES), name="status"),
        CheckConstraint("status != 'held' OR (held_on IS NOT NULL AND balanced IS NOT NULL)", name="held"),
        CheckConstraint("status != 'impossible' OR impossible_reason != ''", name="impossible_has_reason"),
        Index("ix_pilot_light_contact_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    months: Mapped[int]  # after closing
    due_on: Mapped[date]
    assignee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    held_on: Mapped[date | None]
    balanced: Mapped[bool | None]  # are income and expenses in balance?
    note: Mapped[str] = mapped_column(Text, default="")
    impossible_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class SelfRelianceTheme(Versioned, db.Model):
    """One theme of the self-reliance instrument, scored 1–5; the instrument is data so that a
    municipality can use its own. Each score has a short anchor text that says what it means."""

    __tablename__ = "self_reliance_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    anchor_1: Mapped[str] = mapped_column(String(300))
    anchor_2: Mapped[str] = mapped_column(String(300))
    anchor_3: Mapped[str] = mapped_column(String(300))
    anchor_4: Mapped[str] = mapped_column(String(300))
    anchor_5: Mapped[str] = mapped_column(String(300))

    def anchor(self, score: int) -> str:
        return getattr(self, f"anchor_{score}")


class SelfRelianceMeasurement(Versioned, db.Model):
    """A measurement of the client's self-reliance at one moment: start, end, +6 months, +1 year."""

    __tablename__ = "self_reliance_measurement"
    __table_args__ = (
        UniqueConstraint("case_id", "moment"),
        CheckConstraint(_in("moment", MOMENTS), name="moment"),
        CheckConstraint("(taken_on IS NULL) = (taken_by_id IS NULL)", name="taken_by_someone"),
        Index("ix_self_reliance_measurement_due", "taken_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    moment: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date]
    assignee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    taken_on: Mapped[date | None]
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    taken_by: Mapped[User | None] = relationship(foreign_keys=[taken_by_id])
    scores: Mapped[list["SelfRelianceScore"]] = relationship(
        back_populates="measurement", cascade="all, delete-orphan", order_by="SelfRelianceScore.theme_id"
    )


class SelfRelianceScore(db.Model):
    __tablename__ = "self_reliance_score"
    __table_args__ = (
        UniqueConstraint("measurement_id", "theme_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("self_reliance_measurement.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("self_reliance_theme.id"), index=True)
    score: Mapped[int]

    measurement: Mapped[SelfRelianceMeasurement] = relationship(back_populates="scores")
    theme: Mapped[SelfRelianceTheme] = relationship(lazy="joined", innerjoin="unnested")
