"""The case lifecycle: which status may follow which, and what each step requires."""

from dataclasses import dataclass
from datetime import date

from . import RuleViolation
from .selection import next_selection_step

REFERRED = "referred"
INTAKE = "intake"
ADMITTED = "admitted"
DECLINED = "declined"
IN_PROGRESS = "in_progress"
AFTERCARE = "aftercare"
CLOSED = "closed"

STATUSES = (REFERRED, INTAKE, ADMITTED, DECLINED, IN_PROGRESS, AFTERCARE, CLOSED)
# The plan is being carried out: by the project group, or (in aftercare) by the neighbourhood team.
RUNNING = frozenset({IN_PROGRESS, AFTERCARE})
# Nothing new happens on these cases: no meetings, no actions.
ENDED = frozenset({DECLINED, CLOSED})
NOT_ENDED = tuple(s for s in STATUSES if s not in ENDED)  # named: an index on the status finds them

TRANSITIONS: dict[str, frozenset[str]] = {
    REFERRED: frozenset({INTAKE}),
    INTAKE: frozenset({ADMITTED, DECLINED}),
    ADMITTED: frozenset({IN_PROGRESS}),
    # The neighbourhood team accepts the handover (aftercare), or the case is closed.
    IN_PROGRESS: frozenset({AFTERCARE, CLOSED}),
    # The safety net brings the case back to the project group; or it is closed.
    AFTERCARE: frozenset({IN_PROGRESS, CLOSED}),
    DECLINED: frozenset(),
    CLOSED: frozenset(),
}


@dataclass(frozen=True)
class CaseFacts:
    """What is known about a case, enough to decide on transitions and the next step."""

    status: str
    intake_started: bool = False
    tree_result: str = "incomplete"  # see decision_tree.evaluate
    steps_done: frozenset[str] = frozenset()
    contract_signed: bool = False
    consent_valid: bool = False
    plan_goals: int = 0
    plan_signed: bool = False
    meeting_planned: bool = False  # a round table (not cancelled) is planned or held
    follow_ups_open: bool = False  # after closing: measurements still to come


def check_transition(current: str, target: str) -> None:
    """Refuse a status change the lifecycle does not allow."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise RuleViolation("transition_not_allowed", current=current, target=target)


def check_intake_open(status: str) -> None:
    """The intake and the selection steps can be changed only while the case is in intake."""
    if status == REFERRED:
        raise RuleViolation("intake_not_started")
    if status != INTAKE:
        raise RuleViolation("intake_closed")


def check_agreements_open(status: str) -> None:
    """Contract, consent and plan belong to an admitted case (or one whose plan is running)."""
    if status != ADMITTED and status not in RUNNING:
        raise RuleViolation("needs_admission")


def check_consent_open(status: str) -> None:
    """A consent is recorded for an admitted case, while its plan runs, and after closing (the
    pilot-light contacts and measurements of the following year need one)."""
    if status not in (ADMITTED, CLOSED) and status not in RUNNING:
        raise RuleViolation("needs_admission")


def check_not_before_referral(day: date | None, referred_on: date) -> None:
    """Nothing about a case can have happened before the client was referred."""
    if day is not None and day < referred_on:
        raise RuleViolation("before_referral", referred_on=referred_on)


def missing_for_start(facts: CaseFacts) -> list[str]:
    """What is still missing before an admitted case can start (contract, consent, signed plan)."""
    missing = []
    if not facts.contract_signed:
        missing.append("contract")
    if not facts.consent_valid:
        missing.append("consent")
    if facts.plan_goals == 0:
        missing.append("plan_goals")
    if not facts.plan_signed:
        missing.append("plan_signed")
    return missing


def check_decision(facts: CaseFacts, outcome: str) -> None:
    """A decision needs the decision meeting; admission also needs every criterion A–D met."""
    check_transition(facts.status, ADMITTED if outcome == "admitted" else DECLINED)
    if "decision_meeting" not in facts.steps_done:
        raise RuleViolation("decision_needs_meeting")
    if outcome == "admitted" and facts.tree_result != "met":
        raise RuleViolation("admission_needs_criteria")


def check_start(facts: CaseFacts) -> None:
    """Refuse to start the plan while contract, consent or signed plan are missing."""
    check_transition(facts.status, IN_PROGRESS)
    missing = missing_for_start(facts)
    if missing:
        raise RuleViolation("start_incomplete", missing=missing)


def next_step(facts: CaseFacts) -> str:
    """The one thing to do next on this case, as a code the UI explains."""
    if facts.status == REFERRED:
        return "start_intake"
    if facts.status == INTAKE:
        if facts.tree_result == "incomplete":
            return "complete_intake"
        step = next_selection_step(facts.steps_done)
        return f"step_{step}" if step else "decide"
    if facts.status == ADMITTED:
        missing = missing_for_start(facts)
        return f"record_{missing[0]}" if missing else "start"
    if (facts.status in RUNNING or facts.follow_ups_open) and not facts.consent_valid:
        return "renew_consent"
    if facts.status == IN_PROGRESS:
        return "follow_actions" if facts.meeting_planned else "round_table"
    if facts.status == AFTERCARE:
        return "aftercare"
    if facts.status == CLOSED:
        return "follow_up"
    return "none"
