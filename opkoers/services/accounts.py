"""Logging in and out, and the account changes that end sessions."""

import secrets

from flask import current_app
from sqlalchemy import func, select

from .. import audit
from ..demo_accounts import DEMO_EMAILS
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..passwords import hash_password, needs_rehash, verify_password


def new_session_token() -> str:
    return secrets.token_hex(16)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same answer for every failure)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active or not user.organisation.active:
        return None
    if user.email in DEMO_EMAILS and not current_app.config.get("DEMO_MODE"):
        return None  # the demo passwords are published: they open nothing outside demo mode
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(user, "login", user)
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every existing session cookie stops working."""
    user.session_token = new_session_token()
    audit.record(user, "logout", user)
