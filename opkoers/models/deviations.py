"""Rules (laws, regulations, policy rules, procedures) and the deviations from them for one client."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.deviations import RULE_KINDS, STATUSES, SUCCESSOR_KINDS
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .cases import Case
from .meetings import Meeting
from .organisations import Organisation, User, _in


class Rule(Versioned, db.Model):
    """A rule the project group can deviate from; the list grows as rules are named."""

    __tablename__ = "rule"
    __table_args__ = (
        CheckConstraint(_in("kind", RULE_KINDS), name="kind"),
        UniqueConstraint("kind", "name", "reference", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # (see also uq_rule_identity below the class)
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(200), default="")  # article or other reference
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))  # who applies it
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()


class Deviation(Versioned, db.Model):
    __tablename__ = "deviation"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(
            f"successor_kind IS NULL OR {_in('successor_kind', SUCCESSOR_KINDS)}", name="successor_kind"
        ),
        CheckConstraint("(successor_kind IS NULL) = (replaces_id IS NULL)", name="successor_refers"),
        CheckConstraint("status = 'proposed' OR decided_on IS NOT NULL", name="decided_has_date"),
        Index("ix_deviation_rule_status", "rule_id", "status"),
        # Only the corrections and withdrawals: with the many NULLs left out, SQLite's planner (after
        # ANALYZE) knows a look-up here finds next to nothing, and uses it for "is it replaced?".
        Index(
            "ix_deviation_replaces_id",
            "replaces_id",
            sqlite_where=text("replaces_id IS NOT NULL"),
            postgresql_where=text("replaces_id IS NOT NULL"),
        ),
        # A deviation has at most one correction or withdrawal that is open or decided: two people
        # proposing one at the same moment cannot both succeed.
        Index(
            "uq_deviation_one_successor",
            "replaces_id",
            unique=True,
            sqlite_where=text("status != 'rejected'"),
            postgresql_where=text("status != 'rejected'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("rule.id"))
    what_differently: Mapped[str] = mapped_column(Text)
    motivation: Mapped[str] = mapped_column(Text)
    expected_effect: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("deviation.id"))
    successor_kind: Mapped[str | None] = mapped_column(String(20))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    decided_on: Mapped[date | None]
    decision_reasoning: Mapped[str] = mapped_column(Text, default="")

    executed_by_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    executed_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
    # The outcome's text goes into the (anonymised) register only when a project-group member says so.
    outcome_in_register: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship()
    rule: Mapped[Rule] = relationship(lazy="joined", innerjoin="unnested")
    replaces: Mapped["Deviation | None"] = relationship(remote_side=[id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    meeting: Mapped[Meeting | None] = relationship()
    executed_by: Mapped[Organisation | None] = relationship()


# The same rule once, however it is capitalised and also without an organisation (NULLs never clash
# in a plain unique constraint).
Index(
    "uq_rule_identity",
    Rule.kind,
    func.lower(Rule.name),
    func.lower(Rule.reference),
    func.coalesce(Rule.organisation_id, 0),
    unique=True,
)
