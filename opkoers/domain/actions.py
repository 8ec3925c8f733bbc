"""Agreed actions: who does what by when, and how far it got."""

from datetime import date

from . import RuleViolation

OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"
STATUSES = (OPEN, IN_PROGRESS, DONE, CANCELLED)
FINISHED = frozenset({DONE, CANCELLED})
UNFINISHED = tuple(s for s in STATUSES if s not in FINISHED)  # named: an index on the status finds them

ASSIGNEE_KINDS = ("client", "network", "user", "organisation")


def check_status_change(current: str, target: str) -> None:
    """Any status may follow any other (a finished action can be reopened), but not itself."""
    if target not in STATUSES or target == current:
        raise RuleViolation("action_status_unchanged", status=target)


def is_overdue(due_on: date, status: str, today: date) -> bool:
    """An unfinished action whose due date has passed."""
    return status not in FINISHED and due_on < today


def check_assignee(kind: str, user_id: int | None, organisation_id: int | None, name: str) -> None:
    """Exactly the right 'who' for the kind: a user, an organisation, or a named person."""
    if kind == "user" and user_id is None:
        raise RuleViolation("action_needs_user")
    if kind == "organisation" and organisation_id is None:
        raise RuleViolation("action_needs_organisation")
    if kind == "network" and not name:
        raise RuleViolation("action_needs_name")
