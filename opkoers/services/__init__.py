"""Use cases: one function each. They change models and write the audit trail; they flush, never commit."""

from ..domain import RuleViolation


def check_version(obj, submitted_version: int | None) -> None:
    """Refuse a save made from an older copy of the record than the one stored now (or from a form
    that did not say which copy it started from)."""
    if submitted_version != obj.version:
        raise RuleViolation("stale")
