"""Reading what comes in with a request, the same way in every blueprint."""

from urllib.parse import urlsplit

from flask import request
from sqlalchemy.orm.exc import StaleDataError

from ..domain import RuleViolation

MAX_ID = 2**31 - 1  # ids and page numbers beyond this do not exist (the database could not hold them)


def number_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string; a missing, malformed or impossible one gives the default."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else default


def safe_local_path(target: str | None, fallback: str) -> str:
    """Follow only a path on this site: no scheme, no host, no backslashes or control characters."""
    if not target or not target.startswith("/") or "\\" in target:
        return fallback
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


def as_rule_violation(refusal: Exception) -> RuleViolation:
    """A refused save as the rule it stands for: a domain rule, or the database saying that someone
    saved first (stale) or at the same moment (conflict)."""
    if isinstance(refusal, RuleViolation):
        return refusal
    return RuleViolation("stale" if isinstance(refusal, StaleDataError) else "conflict")
