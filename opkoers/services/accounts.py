"""Signing in and out: passwords, login throttling, two-factor authentication and sessions that
really end. Every attempt, success or failure, is in the audit trail."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from .. import audit, passwords, transactions
from ..demo_accounts import DEMO_EMAILS
from ..domain import RuleViolation, throttle, totp
from ..extensions import db
from ..models import LoginThrottle, RecoveryCode, User, UserSession
from ..timeutil import utc_now
from . import insert_new
from . import settings as app_settings

# The actor of an attempt that did not (yet) prove who it is.
SOMEONE = SimpleNamespace(id=None, name="(niet ingelogd)")
TWO_FACTOR_EVERYONE = "two_factor_everyone"
ISSUER = "Op Koers"
# The refusals of confirm_password: recorded (count and trail) even though nothing else changes.
PASSWORD_WRONG, PASSWORD_LOCKED = "password_current_wrong", "password_locked"


@dataclass(frozen=True)
class LoginResult:
    """Step one of logging in: the user when the password was right (and nothing was locked)."""

    user: User | None
    address_locked: bool = False


def key_hash(key: str | None) -> str:
    """How a session key is stored: hashed, so the table alone opens no session."""
    return hashlib.sha256((key or "").encode("utf-8")).hexdigest()


def _limits() -> tuple[throttle.Limit, throttle.Limit]:
    c = current_app.config
    window, lock = timedelta(minutes=c["LOGIN_WINDOW_MINUTES"]), timedelta(minutes=c["LOGIN_LOCK_MINUTES"])
    return (
        throttle.Limit(c["LOGIN_MAX_FAILURES_ACCOUNT"], window, lock),
        throttle.Limit(c["LOGIN_MAX_FAILURES_ADDRESS"], window, lock),
    )


def _throttle_rows(email: str, remote_addr: str) -> tuple[LoginThrottle, LoginThrottle]:
    """The counters for this account name and this address, locked for this transaction."""
    keys = [f"account:{email}"[:300], f"address:{remote_addr}"]
    insert_new(LoginThrottle.__table__, [{"key": k, "failures": 0} for k in keys])
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)).with_for_update())
    by_key = {row.key: row for row in rows}
    return by_key[keys[0]], by_key[keys[1]]


def _state(row: LoginThrottle) -> throttle.Attempts:
    return throttle.Attempts(row.failures, row.window_start, row.locked_until)


def _count_failure(rows, now) -> None:
    for row, limit in zip(rows, _limits(), strict=True):
        state = throttle.after_failure(_state(row), now, limit)
        row.failures, row.window_start = state.failures, state.window_start
        row.locked_until = state.locked_until


def _refuse(rows, now, user: User | None, reason: str) -> None:
    """Count a failed login and write it in the trail: for which account (what was typed for an
    unknown one is not kept: it may be a password typed in the wrong field) and why."""
    _count_failure(rows, now)
    changes = {"reason": [None, reason]}
    if user is not None:
        changes["email"] = [None, user.email]
    audit.record(SOMEONE, "login_failed", user, changes, entity_type="User")


def check_password(email: str, password: str, remote_addr: str) -> LoginResult:
    """Step one of logging in. Unknown accounts, wrong passwords, switched-off accounts and locks all
    give the same answer and take about as long (the password is always checked)."""
    now = utc_now()
    email = (email or "").strip().lower()[:254]
    rows = _throttle_rows(email, remote_addr)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    right = passwords.verify_password(user.password_hash if user else None, password)
    address_locked = throttle.is_locked(_state(rows[1]), now)
    if address_locked or throttle.is_locked(_state(rows[0]), now):
        reason = "address_locked" if address_locked else "account_locked"
    elif not right:
        reason = "unknown_account" if user is None else "wrong_password"
    elif not user.active or not user.organisation.active:
        reason = "switched_off"
    elif user.email in DEMO_EMAILS and not current_app.config.get("DEMO_MODE"):
        reason = "demo_account"  # the demo passwords are published: they open nothing outside demo mode
    else:
        if not user.has_two_factor:  # with a second factor, the count restarts only once the code is right
            rows[0].failures, rows[0].locked_until = 0, None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return LoginResult(user)
    _refuse(rows, now, user, reason)
    return LoginResult(None, address_locked=throttle.is_locked(_state(rows[1]), now))


def check_second_factor(user: User, code: str, remote_addr: str) -> bool:
    """Step two: a code from the authenticator app (each time step once) or an unused recovery code.
    Wrong codes count towards the same lock as wrong passwords."""
    now = utc_now()
    rows = _throttle_rows(user.email.lower(), remote_addr)
    locked = throttle.is_locked(_state(rows[0]), now) or throttle.is_locked(_state(rows[1]), now)
    # Switched off, or two-factor authentication reset, since the password step: no code helps.
    locked = locked or not user.active or not user.organisation.active or not user.has_two_factor
    step = None if locked else totp.matching_step(user.totp_secret, code, now, user.totp_last_step)
    if step is not None and _claim_step(user, step):
        rows[0].failures, rows[0].locked_until = 0, None
        return True
    if not locked and _use_recovery_code(user, code, now):
        rows[0].failures, rows[0].locked_until = 0, None
        audit.record(user, "recovery_code_used", user)
        return True
    _refuse(rows, now, user, "locked" if locked else "wrong_code")
    return False


def _claim_step(user: User, step: int) -> bool:
    """Mark the time step used, unless a request at the same moment already did (then: no)."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(user, ["totp_last_step"])
    return claimed == 1


def _use_recovery_code(user: User, code: str, now) -> bool:
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == totp.recovery_code_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def two_factor_required(user: User) -> bool:
    """Whether this user must use two-factor authentication (the demo accounts, which work only in
    demo mode, are let off so the demo can be tried without an authenticator app)."""
    if user.email in DEMO_EMAILS and current_app.config.get("DEMO_MODE"):
        return False
    if user.role in current_app.config["TWO_FACTOR_ROLES"]:
        return True
    return app_settings.value(TWO_FACTOR_EVERYONE, "0") == "1"


def start_session(user: User, remote_addr: str, user_agent: str) -> str:
    """A new session after a complete login; returns the key for the cookie (stored only hashed)."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            key_hash=key_hash(key),
            user_id=user.id,
            remote_addr=remote_addr[:64],
            user_agent=(user_agent or "")[:200],
        )
    )
    user.last_login_at = utc_now()
    audit.record(user, "login", user)
    return key


def session_user(user_id: str, key: str | None) -> tuple[User | None, str | None]:
    """The user of a live session, or (None, why it ended) — 'idle' or 'absolute' when it ran out
    just now. A session is live when its row has not ended, it is within the idle and absolute
    limits, and its user and organisation are active."""
    if not key or not user_id.isdigit():
        return None, None
    row = db.session.scalar(
        select(UserSession)
        .where(UserSession.key_hash == key_hash(key), UserSession.ended_at.is_(None))
        .options(joinedload(UserSession.user))
    )
    if row is None or row.user_id != int(user_id):
        return None, None
    user = row.user
    if not user.active or not user.organisation.active:
        return None, None
    now, c = utc_now(), current_app.config
    too_old = now - row.created_at > timedelta(hours=c["SESSION_ABSOLUTE_HOURS"])
    idle = now - row.last_seen_at > timedelta(minutes=c["SESSION_IDLE_MINUTES"])
    seen_again = now - row.last_seen_at > timedelta(minutes=1)  # a write a minute at most
    if (too_old or idle or seen_again) and transactions.start_writing():
        return session_user(user_id, key)  # read again, in a transaction that may write
    if too_old:
        _end(row, "absolute", now)
        return None, "absolute"
    if idle:
        _end(row, "idle", now)
        return None, "idle"
    if seen_again:
        row.last_seen_at = now
    return user, None


def _end(row: UserSession, reason: str, now) -> None:
    row.ended_at, row.end_reason = now, reason
    audit.record(row.user, "session_ended", row.user, {"reason": [None, reason]}, entity_type="User")


def end_session(key: str | None) -> None:
    """Log out this browser: its session ends for good, also for a copy of the cookie."""
    if not key:
        return
    row = db.session.scalar(
        select(UserSession).where(UserSession.key_hash == key_hash(key), UserSession.ended_at.is_(None))
    )
    if row is not None:
        row.ended_at, row.end_reason = utc_now(), "logout"
        audit.record(row.user, "logout", row.user)


def end_sessions(actor, user: User, reason: str, keep_key: str | None = None) -> int:
    """End every session of a user (but the one with keep_key); returns how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_key:
        query = query.where(UserSession.key_hash != key_hash(keep_key))
    ended = db.session.execute(
        query.values(ended_at=utc_now(), end_reason=reason).execution_options(synchronize_session=False)
    ).rowcount
    if ended:
        audit.record(actor, "sessions_ended", user, {"sessions": [None, ended], "reason": [None, reason]})
    return ended


def live_session():
    """SQL condition on UserSession: not ended, and within the idle and absolute limits."""
    now, c = utc_now(), current_app.config
    return (
        UserSession.ended_at.is_(None)
        & (UserSession.last_seen_at > now - timedelta(minutes=c["SESSION_IDLE_MINUTES"]))
        & (UserSession.created_at > now - timedelta(hours=c["SESSION_ABSOLUTE_HOURS"]))
    )


def open_sessions(user: User) -> list[UserSession]:
    """The places the user is logged in now (newest first)."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, live_session())
            .order_by(UserSession.created_at.desc())
        )
    )


def confirm_password(user: User, password: str) -> None:
    """The password asked again before a change to the account. A wrong one counts towards the same
    lock as a failed login and is in the trail; while the account is locked, none is accepted."""
    now = utc_now()
    rows = _throttle_rows(user.email.lower(), audit.remote_address())
    locked = any(throttle.is_locked(_state(row), now) for row in rows)
    if not locked and passwords.verify_password(user.password_hash, password or ""):
        return
    _count_failure(rows, now)
    reason = "locked" if locked else "wrong_password"
    audit.record(user, "password_confirm_failed", user, {"reason": [None, reason]})
    raise RuleViolation(PASSWORD_LOCKED if locked else PASSWORD_WRONG)


def change_password(user: User, current: str, new: str, keep_key: str | None) -> None:
    """Change one's own password (the current one proves it is them); other sessions end."""
    confirm_password(user, current)
    set_password(user, user, new)
    end_sessions(user, user, "password", keep_key)


def set_password(actor, user: User, new: str) -> None:
    """Give an account a new password that meets the rules (no trail entry: the caller writes it)."""
    refused = passwords.problem(new)
    if refused:
        raise RuleViolation(refused, min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH)
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utc_now()
    if actor is user:
        audit.record(user, "password_changed", user, {"password": ["***", "***"]})


def enable_two_factor(user: User, secret: str, code: str, keep_key: str | None) -> list[str]:
    """Switch on two-factor authentication with the secret the app was given, once a code from the
    app proves it works; returns the recovery codes, shown this once. Sessions elsewhere end: from
    now on, every login needs the code."""
    if user.has_two_factor:
        raise RuleViolation("two_factor_already_on")
    if not totp.is_valid_secret(secret):
        raise RuleViolation("two_factor_secret")
    step = totp.matching_step(secret, code, utc_now(), None)
    if step is None:
        raise RuleViolation("two_factor_code_wrong")
    user.totp_secret, user.totp_last_step, user.totp_enabled_at = secret, step, utc_now()
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor_enabled", user)
    end_sessions(user, user, "two_factor", keep_key)
    return codes


def renew_recovery_codes(user: User, password: str) -> list[str]:
    """New recovery codes (the old ones stop working); the password proves it is the user."""
    if not user.has_two_factor:
        raise RuleViolation("two_factor_off")
    confirm_password(user, password)
    codes = _replace_recovery_codes(user)
    audit.record(user, "recovery_codes_renewed", user)
    return codes


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_code_digest(c)) for c in codes)
    return codes


def disable_two_factor(user: User, password: str, keep_key: str | None) -> None:
    """Switch two-factor authentication off for oneself, where it is not required."""
    if two_factor_required(user):
        raise RuleViolation("two_factor_required")
    confirm_password(user, password)
    _clear_two_factor(user)
    audit.record(user, "two_factor_disabled", user)
    end_sessions(user, user, "two_factor", keep_key)


def reset_two_factor(actor, user: User) -> None:
    """The beheerder's help when a phone is lost: the user enrols again at the next login (every
    session of theirs ends now)."""
    if not user.has_two_factor:
        raise RuleViolation("two_factor_off")
    _clear_two_factor(user)
    audit.record(actor, "two_factor_reset", user)
    end_sessions(actor, user, "two_factor")


def _clear_two_factor(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def require_two_factor_for_everyone(actor, required: bool, version: int | None) -> None:
    """The beheerder's setting: two-factor authentication for every role, not only the required ones."""
    app_settings.save(
        actor,
        TWO_FACTOR_EVERYONE,
        "1" if required else "0",
        version,
        default="0",
        action="setting_changed",
        field="two_factor_everyone",
    )
