"""Clients and their cases: referral, intake, selection steps, decision, contract, consent, plan."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.case_status import STATUSES
from ..domain.decision_tree import ANSWERS, CRITERIA
from ..domain.selection import STEP_KINDS
from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow
from .organisations import LifeDomain, Neighbourhood, Organisation, User, _in

REFERRER_KINDS = ("self", "coach", "agency")
CHANNELS = ("phone", "email", "in_person", "letter", "website", "other")
URGENCIES = ("normal", "high")
CRISIS_KINDS = ("eviction", "energy", "water", "other")
DECISIONS = ("admitted", "declined")


class Client(Versioned, db.Model):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    date_of_birth: Mapped[date]
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    neighbourhood: Mapped[Neighbourhood | None] = relationship()


class Case(Versioned, db.Model):
    __tablename__ = "client_case"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("referrer_kind", REFERRER_KINDS), name="referrer_kind"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(_in("urgency", URGENCIES), name="urgency"),
        CheckConstraint(f"crisis_kind IS NULL OR {_in('crisis_kind', CRISIS_KINDS)}", name="crisis_kind"),
        CheckConstraint(f"decision IS NULL OR {_in('decision', DECISIONS)}", name="decision"),
        CheckConstraint("crisis = (crisis_kind IS NOT NULL)", name="crisis_has_kind"),
        Index("ix_client_case_list_order", "crisis", "referred_on", "id"),
        # A project-group member's own cases on the start page, in the list's order.
        Index("ix_client_case_handler_order", "handler_id", "crisis", "referred_on", "id"),
        # The running crisis cases on the start page: over ten years most crisis cases have ended.
        Index("ix_client_case_crisis_status", "crisis", "status", "referred_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="referred", index=True)
    crisis: Mapped[bool] = mapped_column(default=False)
    crisis_kind: Mapped[str | None] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10), default="normal")

    referrer_kind: Mapped[str] = mapped_column(String(10))
    referrer_name: Mapped[str] = mapped_column(String(200), default="")
    referrer_role: Mapped[str] = mapped_column(String(200), default="")
    referrer_organisation: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(20))
    referred_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    decision: Mapped[str | None] = mapped_column(String(10))
    decision_motivation: Mapped[str] = mapped_column(Text, default="")
    # What the client was told: the next steps and the expected waiting time (domain step 3).
    decision_told_client: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    contract_signed_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    # Retention: set when the case ends (closed or declined), from the period then in force. After it
    # the client's data is anonymised, unless a legal hold (its reason) keeps it.
    retention_until: Mapped[date | None] = mapped_column(index=True)
    legal_hold: Mapped[str] = mapped_column(Text, default="")
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    client: Mapped[Client] = relationship(lazy="joined", innerjoin="unnested")
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Intake(Versioned, db.Model):
    """The intake form: the five questions and the decision tree A–D."""

    __tablename__ = "intake"
    __table_args__ = tuple(
        CheckConstraint(f"tree_{c.lower()} IS NULL OR {_in(f'tree_{c.lower()}', ANSWERS)}", name=f"tree_{c}")
        for c in CRITERIA
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), unique=True)
    who_asks: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    concerns_whom: Mapped[str] = mapped_column(Text, default="")
    tried: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    tree_a: Mapped[str | None] = mapped_column(String(10))
    tree_a_note: Mapped[str] = mapped_column(Text, default="")
    tree_b: Mapped[str | None] = mapped_column(String(10))
    tree_b_note: Mapped[str] = mapped_column(Text, default="")
    tree_c: Mapped[str | None] = mapped_column(String(10))
    tree_c_note: Mapped[str] = mapped_column(Text, default="")
    tree_d: Mapped[str | None] = mapped_column(String(10))
    tree_d_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    problems: Mapped[list["IntakeProblem"]] = relationship(
        back_populates="intake",
        cascade="all, delete-orphan",
        order_by="(IntakeProblem.position, IntakeProblem.life_domain_id)",
    )

    def tree_answers(self) -> dict[str, str | None]:
        return {c: getattr(self, f"tree_{c.lower()}") for c in CRITERIA}


class IntakeProblem(db.Model):
    """The problem the client has in one life domain, as found at intake."""

    __tablename__ = "intake_problem"
    __table_args__ = (UniqueConstraint("intake_id", "life_domain_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    life_domain_id: Mapped[int] = mapped_column(ForeignKey("life_domain.id"))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)  # the order the client puts the problems in

    intake: Mapped[Intake] = relationship(back_populates="problems")
    life_domain: Mapped[LifeDomain] = relationship(lazy="joined", innerjoin="unnested")


class SelectionStep(Versioned, db.Model):
    __tablename__ = "selection_step"
    __table_args__ = (
        UniqueConstraint("case_id", "kind"),
        CheckConstraint(_in("kind", STEP_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date]
    performed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[str] = mapped_column(Text, default="")

    performed_by: Mapped[User] = relationship(lazy="joined", innerjoin="unnested")


class CaseInvolvement(db.Model):
    """A user named as involved in a case (for professionals: one of two keys to see it)."""

    __tablename__ = "case_involvement"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role_note: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin="unnested")


consent_organisation = Table(
    "consent_organisation",
    db.metadata,
    Column("consent_id", ForeignKey("consent.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True, index=True),
)


class ConsentDomain(db.Model):
    """A life domain an organisation named in a consent may share and read about. What the consent
    does not name (say health for debt help) stays out of every page that organisation sees."""

    __tablename__ = "consent_domain"

    consent_id: Mapped[int] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True, index=True)
    life_domain_id: Mapped[int] = mapped_column(ForeignKey("life_domain.id"), primary_key=True)

    life_domain: Mapped[LifeDomain] = relationship(lazy="joined", innerjoin="unnested")


class Consent(db.Model):
    """A signed consent (machtiging). Never edited: a withdrawal is recorded on it, a change is a new one."""

    __tablename__ = "consent"
    __table_args__ = (CheckConstraint("valid_until >= signed_on", name="valid_after_signed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    purposes: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date]
    valid_until: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=consent_organisation, order_by=Organisation.name
    )
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    domains: Mapped[list[ConsentDomain]] = relationship(
        cascade="all, delete-orphan", order_by=ConsentDomain.life_domain_id
    )

    def domains_of(self, organisation_id: int) -> set[int]:
        """The life domains this consent lets the organisation share and read about."""
        return {d.life_domain_id for d in self.domains if d.organisation_id == organisation_id}


class PlanOfAction(Versioned, db.Model):
    __tablename__ = "plan_of_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), unique=True)
    prioritised_problem: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date | None]

    goals: Mapped[list["PlanGoal"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanGoal.position"
    )


class PlanGoal(db.Model):
    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_of_action.id"), index=True)
    life_domain_id: Mapped[int] = mapped_column(ForeignKey("life_domain.id"))
    goal: Mapped[str] = mapped_column(Text)
    expected_result: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[PlanOfAction] = relationship(back_populates="goals")
    life_domain: Mapped[LifeDomain] = relationship(lazy="joined", innerjoin="unnested")
