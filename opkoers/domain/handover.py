"""The warm handover: a document with a point per subject, sent when every point is answered; the
receiving contact person accepts it or asks for more (back to the sender), once per sending."""

from . import RuleViolation

DRAFT = "draft"
SENT = "sent"
MORE_ASKED = "more_asked"
ACCEPTED = "accepted"
SAFETY_NET = "safety_net"  # after acceptance: the neighbourhood team sent the client back
WITHDRAWN = "withdrawn"  # the case was closed before the handover was accepted
STATUSES = (DRAFT, SENT, MORE_ASKED, ACCEPTED, SAFETY_NET, WITHDRAWN)
EDITABLE = frozenset({DRAFT, MORE_ASKED})
PENDING = frozenset({DRAFT, SENT, MORE_ASKED})
FINISHED = frozenset({ACCEPTED, SAFETY_NET, WITHDRAWN})  # a new handover can start after these
POINT_STATES = ("ready", "attention", "not_applicable")


def open_points(point_ids: list[int], answered: dict[int, str]) -> list[int]:
    """The points of the document that have no answer yet, in their order."""
    return [p for p in point_ids if answered.get(p) not in POINT_STATES]


def check_editable(status: str) -> None:
    """The sender edits the document until it is sent (and again when more was asked)."""
    if status not in EDITABLE:
        raise RuleViolation("handover_not_editable")


def check_sendable(status: str, missing: list[int]) -> None:
    """Sent only when every point is answered."""
    check_editable(status)
    if missing:
        raise RuleViolation("handover_incomplete", missing=len(missing))


def check_answerable(status: str) -> None:
    """The receiver answers a sent document: accept, or ask for more."""
    if status != SENT:
        raise RuleViolation("handover_not_sent")


def check_team(chosen_team_id: int, neighbourhood_team_id: int | None, reason: str) -> None:
    """Another team than the one of the client's neighbourhood needs a reason."""
    if chosen_team_id != neighbourhood_team_id and not reason.strip():
        raise RuleViolation("handover_team_needs_reason")


def check_safety_net(status: str, aftercare_running: bool, reason: str) -> None:
    """The safety net is called during aftercare, with a reason."""
    if status != ACCEPTED or not aftercare_running:
        raise RuleViolation("safety_net_needs_aftercare")
    if not reason.strip():
        raise RuleViolation("safety_net_needs_reason")
