"""Use cases: one function each. They change models and write the audit trail; they flush, never commit."""

from ..domain import RuleViolation


def check_version(obj, submitted_version: int | None) -> None:
    """Refuse a save made from an older copy of the record than the one stored now."""
    if submitted_version is not None and submitted_version != obj.version:
        raise RuleViolation("stale")
