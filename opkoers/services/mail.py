"""E-mail: queued in the outbox within the request's transaction, delivered by the scheduler with
retries, so a save never waits for (or fails on) the mail server and nothing goes out twice."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import mailer
from ..extensions import db
from ..labels import label
from ..models import OutboxMessage
from ..models.base import utcnow
from . import insert_new

LEASE = timedelta(minutes=10)  # a message being sent by a process that died is retried after this


def queue_many(messages: list[dict]) -> set[str]:
    """Put e-mails in the outbox (dicts with key, to, subject, body and optionally case_id, ics,
    method), each unless one with its key is there; returns the keys that were new."""
    now = utcnow()
    rows = [
        {
            "key": m["key"],
            "to_address": m["to"],
            "subject": m["subject"][:300],
            "body": m["body"],
            "ics": m["ics"].decode() if m.get("ics") else "",
            "ics_method": m.get("method", ""),
            "case_id": m.get("case_id"),
            "status": "queued",
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
            "created_at": now,
        }
        for m in messages
    ]
    return insert_new(OutboxMessage.__table__, rows)


def queue(
    key: str, to: str, subject: str, body: str, case_id: int | None = None, ics: bytes = b"", method: str = ""
) -> bool:
    """Put one e-mail in the outbox unless one with this key is there; True when it was new."""
    message = {"key": key, "to": to, "subject": subject, "body": body, "case_id": case_id, "ics": ics}
    return bool(queue_many([message | {"method": method}]))


def link(path: str) -> str:
    """A full address of a page, for e-mails and calendar entries."""
    return current_app.config["PUBLIC_URL"] + path


def notification_message(key: str, to: str, kind: str, url: str, case_id) -> dict:
    """The e-mail that goes with a notification: what happened and a link; the details (which may
    be about the client) stay in the app, behind the login."""
    what = label("notification_kind", kind)
    body = _(
        "U heeft een nieuwe melding in Op Koers.\n\n%(what)s\n\nBekijk het hier: %(url)s",
        what=what.rstrip(":"),
        url=link(url or "/meldingen"),
    )
    title = _("Op Koers: %(what)s", what=what.rstrip(":"))
    return {"key": f"mail:{key}", "to": to, "subject": title, "body": body, "case_id": case_id}


def due_ids(limit: int = 200) -> list[int]:
    """Messages waiting to be sent, and those whose sender died half-way (their lease ran out)."""
    return db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_(("queued", "sending")),
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()


def claim(message_id: int) -> bool:
    """Take a message to send it; False when another scheduler process took it first."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_(("queued", "sending")),
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status="sending", next_attempt_at=now + LEASE)
    )
    return result.rowcount == 1


def retry_delay(attempts: int) -> timedelta:
    """Wait longer after each failure: 2, 4, 8 … minutes, at most six hours."""
    return timedelta(minutes=min(2**attempts, 360))


def deliver(message_id: int) -> bool:
    """Send one claimed message (or keep it in the local outbox); on failure schedule a retry.
    True when it went out."""
    config = current_app.config
    message = db.session.get(OutboxMessage, message_id)
    message.attempts += 1
    try:
        if config["MAIL_TRANSPORT"] == "smtp":
            email = mailer.compose(
                config, message.to_address, message.subject, message.body, message.ics, message.ics_method
            )
            mailer.send(config, email)
    except Exception as error:  # any failure is one attempt; the message is retried or given up
        current_app.logger.warning("E-mail %s not sent: %s", message.id, error)
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            message.status = "failed"
        else:
            message.status = "queued"
            message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        return False
    message.status, message.sent_at, message.last_error = "sent", utcnow(), ""
    return True


def outbox(user, page: int, per_page: int):
    """The local outbox (development): each user reads the messages addressed to them."""
    query = (
        select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def outbox_message(user, message_id: int) -> OutboxMessage | None:
    """One message of the local outbox, if it is addressed to the user."""
    message = db.session.get(OutboxMessage, message_id)
    return message if message is not None and message.to_address == user.email else None
