"""The per-client budget: its amount, the decisions that changed it, and the commitments and
payments made from it. Entries are never edited or deleted: a reversal is a new entry."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.budget import CATEGORIES, ENTRY_KINDS
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .organisations import User, _in


class CaseBudget(Versioned, db.Model):
    """What one client may spend; its row is locked while an entry is checked against it."""

    __tablename__ = "case_budget"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), unique=True)
    amount_cents: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BudgetDecision(db.Model):
    """A different amount for one client: a decision with its motivation."""

    __tablename__ = "budget_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    old_cents: Mapped[int]
    new_cents: Mapped[int]
    motivation: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    decided_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User] = relationship()


class BudgetEntry(db.Model):
    """A commitment (toezegging) or a payment (betaling); a reversal has the opposite amount and
    refers to the entry it reverses. A payment belongs to a commitment."""

    __tablename__ = "budget_entry"
    __table_args__ = (
        CheckConstraint(_in("kind", ENTRY_KINDS), name="kind"),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint("(reverses_id IS NULL) = (amount_cents > 0)", name="sign"),
        CheckConstraint("kind != 'payment' OR commitment_id IS NOT NULL", name="payment_has_commitment"),
        Index("ix_budget_entry_case_kind", "case_id", "kind"),
        Index("ix_budget_entry_date", "entry_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    payee: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int]
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("budget_entry.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("budget_entry.id"), unique=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    entry_date: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])
