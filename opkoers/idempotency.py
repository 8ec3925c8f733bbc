"""One-time form tokens: a form submitted twice creates its record once."""

import secrets

from .extensions import db
from .models import FormSubmission


def new_token() -> str:
    return secrets.token_urlsafe(24)


def earlier_result(token: str | None) -> str | None:
    """Where the first submission of this form went, if it was submitted before."""
    if not token:
        return None
    done = db.session.get(FormSubmission, token[:64])
    return done.result_url if done else None


def remember(token: str | None, result_url: str) -> None:
    """Record that this form's token has been used, and what it produced."""
    if token:
        db.session.add(FormSubmission(token=token[:64], result_url=result_url))
        db.session.flush()  # a simultaneous second submit fails here, inside the request
