"""Organisations, users, neighbourhoods and the life-domain list."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, Versioned, utcnow

ORGANISATION_KINDS = (
    "gemeente",
    "schuldhulp",
    "woningcorporatie",
    "ggz",
    "buurtteam",
    "reclassering",
    "zorg",
    "welzijn",
    "overig",
)
ROLES = ("projectgroep", "professional", "buurtteam", "beheerder")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Versioned, db.Model):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class User(UserMixin, Versioned, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two-factor authentication: the authenticator app's secret once confirmed, and the last time
    # step a code was accepted for (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None]
    # The secret in the personal calendar feed's address; a new one revokes the old address.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Always loaded with the user. "unnested" (here and on the other always-joined relations): when
    # the user is itself outer-joined (an action's assignee, a session's user), the organisation is
    # joined flat instead of as a nested join, which SQLite would first build over every user.
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin="unnested")

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Neighbourhood(Versioned, db.Model):
    __tablename__ = "neighbourhood"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)

    team: Mapped[Organisation | None] = relationship()


class LifeDomain(Versioned, db.Model):
    """A life domain (leefgebied); the list is data so a municipality can change it."""

    __tablename__ = "life_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class FixedContact(Versioned, db.Model):
    """An organisation's fixed contact person (vaste contactpersoon) for Op Koers, and a deputy."""

    __tablename__ = "fixed_contact"
    __table_args__ = (CheckConstraint("deputy_id IS NULL OR deputy_id != contact_id", name="deputy_differs"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User] = relationship(foreign_keys=[contact_id])
    deputy: Mapped[User | None] = relationship(foreign_keys=[deputy_id])
