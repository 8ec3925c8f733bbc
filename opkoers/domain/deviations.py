"""Mandated rule deviations: proposed with a motivation, decided or rejected once, then executed and
their outcome recorded. A decided deviation is never edited: a correction or a withdrawal is a new
record that refers to it, and is decided in its turn."""

import re

from . import RuleViolation

RULE_KINDS = ("law", "regulation", "policy_rule", "procedure")
PROPOSED = "proposed"
DECIDED = "decided"
REJECTED = "rejected"
STATUSES = (PROPOSED, DECIDED, REJECTED)
CORRECTION = "correction"
WITHDRAWAL = "withdrawal"
SUCCESSOR_KINDS = (CORRECTION, WITHDRAWAL)
MIN_MOTIVATION = 40


def check_motivation(text: str) -> None:
    """A motivation is written out: at least a full sentence or two, not a keyword."""
    words = re.findall(r"\w+", text or "")
    if len((text or "").strip()) < MIN_MOTIVATION or len(words) < 6 or not re.search(r"[.!?]", text):
        raise RuleViolation("motivation_too_short", minimum=MIN_MOTIVATION)


def check_decidable(status: str) -> None:
    """Only a proposal is decided; a decision is final."""
    if status != PROPOSED:
        raise RuleViolation("deviation_already_decided")


def check_executable(in_force: bool, executed: bool) -> None:
    """Only a deviation in force (decided, not withdrawn or replaced) is carried out, once."""
    if not in_force:
        raise RuleViolation("deviation_not_in_force")
    if executed:
        raise RuleViolation("deviation_already_executed")


def check_outcome(in_force: bool, has_outcome: bool) -> None:
    """The outcome of a deviation in force is recorded once."""
    if not in_force:
        raise RuleViolation("deviation_not_in_force")
    if has_outcome:
        raise RuleViolation("outcome_already_recorded")


def check_successor(in_force: bool, has_open_successor: bool) -> None:
    """A deviation in force can be corrected or withdrawn, one open successor at a time."""
    if not in_force:
        raise RuleViolation("deviation_not_in_force")
    if has_open_successor:
        raise RuleViolation("successor_pending")
