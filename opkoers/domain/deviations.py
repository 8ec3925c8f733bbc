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


def check_executable(status: str, executed: bool) -> None:
    """Only a decided deviation is carried out, and that is recorded once."""
    if status != DECIDED:
        raise RuleViolation("deviation_not_decided")
    if executed:
        raise RuleViolation("deviation_already_executed")


def check_outcome(status: str, has_outcome: bool) -> None:
    """The outcome of a decided deviation is recorded once."""
    if status != DECIDED:
        raise RuleViolation("deviation_not_decided")
    if has_outcome:
        raise RuleViolation("outcome_already_recorded")


def check_successor(status: str, has_open_successor: bool) -> None:
    """A decided deviation can be corrected or withdrawn, one open successor at a time."""
    if status != DECIDED:
        raise RuleViolation("deviation_not_decided")
    if has_open_successor:
        raise RuleViolation("successor_pending")
