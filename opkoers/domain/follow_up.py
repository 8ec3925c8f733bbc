"""After the breakthrough: three months of aftercare, the closing with its reason, pilot-light contacts
in the first year after closing, and the self-reliance measurements at the start, the end, and half a
year and a year after the end. Dated follow-ups are computed from their anchor event (acceptance of the
handover, admission, closing) plus an offset, and stored, so that "what is due" is one query."""

import calendar
from datetime import date, timedelta

from . import RuleViolation
from .case_status import RUNNING

AFTERCARE_MONTHS = 3
AFTERCARE_WARNING_DAYS = 14  # the scheduler reminds this long before the aftercare ends

# Why a case ends (seed 000): the plan was carried out, certain goals proved unreachable, or the
# client did not cooperate as agreed in the contract.
PLAN_DONE = "plan_done"
GOALS_UNREACHABLE = "goals_unreachable"
NO_COOPERATION = "no_cooperation"
OUTCOMES = (PLAN_DONE, GOALS_UNREACHABLE, NO_COOPERATION)

# Ways the neighbourhood team had contact with the client during aftercare.
CONTACT_KINDS = ("visit", "phone", "office", "message", "other")

# Pilot-light contacts: planned moments, months after closing (a setting; the first year only).
DEFAULT_PILOT_LIGHT_MONTHS = (3, 6, 12)
PILOT_OPEN = "open"
PILOT_HELD = "held"
PILOT_IMPOSSIBLE = "impossible"
PILOT_STATUSES = (PILOT_OPEN, PILOT_HELD, PILOT_IMPOSSIBLE)

# Self-reliance measurements: the moment and how many months after closing it falls.
START = "start"
END = "end"
HALF_YEAR = "half_year"
YEAR = "year"
MOMENTS = (START, END, HALF_YEAR, YEAR)
AFTER_END_MONTHS = {END: 0, HALF_YEAR: 6, YEAR: 12}
SCORES = (1, 2, 3, 4, 5)
EARLY_DAYS = 14  # a measurement can be taken from two weeks before its date…
LATE_DAYS = 30  # …until a month after it; later it is missed

TAKEN = "taken"
PLANNED = "planned"
DUE = "due"
MISSED = "missed"


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later; the last day of a shorter month if need be."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def aftercare_ends_on(accepted_on: date) -> date:
    """Aftercare runs three months from the day the neighbourhood team accepts the handover."""
    return add_months(accepted_on, AFTERCARE_MONTHS)


def aftercare_warning_horizon(today: date) -> date:
    """Aftercare that ends on or before this day is about to end: the scheduler reminds of it.
    (After its three months the team can still log contacts or call the safety net, until the
    project group closes the case.)"""
    return today + timedelta(days=AFTERCARE_WARNING_DAYS)


def parse_pilot_light_months(text: str) -> tuple[int, ...]:
    """The setting as the beheerder types it ('3, 6, 12'): whole months within the first year,
    each once, in order."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise RuleViolation("pilot_light_months_invalid")
    months = sorted({int(p) for p in parts})
    if months[0] < 1 or months[-1] > 12:
        raise RuleViolation("pilot_light_months_invalid")
    return tuple(months)


def format_pilot_light_months(months) -> str:
    return ", ".join(str(m) for m in months)


def follow_up_dates(closed_on: date, pilot_light_months) -> dict:
    """What is planned when a case is closed: the measurements at the end, +6 months and +1 year, and
    the pilot-light contacts."""
    return {
        "measurements": {moment: add_months(closed_on, m) for moment, m in AFTER_END_MONTHS.items()},
        "pilot_light": {m: add_months(closed_on, m) for m in pilot_light_months},
    }


def check_closable(status: str) -> None:
    """Only a case whose plan is being carried out (or that is in aftercare) can be closed."""
    if status not in RUNNING:
        raise RuleViolation("close_needs_running_case")


def check_closing(outcome: str, unreachable_goal_count: int, explanation: str) -> None:
    """Reason (b) names the goals that proved unreachable; (c) says what was not kept to."""
    if outcome not in OUTCOMES:
        raise RuleViolation("closing_needs_outcome")
    if outcome == GOALS_UNREACHABLE and unreachable_goal_count == 0:
        raise RuleViolation("closing_needs_goals")
    if outcome == NO_COOPERATION and not explanation.strip():
        raise RuleViolation("closing_needs_explanation")


def check_closing_talk(talk_day: date | None, talk_began: bool, closed_on: date, today: date) -> None:
    """Always a closing talk (seed 000): it took place (it has begun) on or before the closing date,
    which is not in the future."""
    if talk_day is None:
        raise RuleViolation("closing_needs_talk")
    if not talk_began:
        raise RuleViolation("closing_talk_not_held", talk_day=talk_day)
    if closed_on > today:
        raise RuleViolation("closing_in_future")
    if talk_day > closed_on:
        raise RuleViolation("closing_before_talk", talk_day=talk_day)


def measurement_state(due_on: date, taken_on: date | None, today: date) -> str:
    """Taken; planned (not yet open); due (can be taken now); or missed (its time has passed)."""
    if taken_on is not None:
        return TAKEN
    if today < due_on - timedelta(days=EARLY_DAYS):
        return PLANNED
    if today > due_on + timedelta(days=LATE_DAYS):
        return MISSED
    return DUE


def last_day_to_measure(due_on: date) -> date:
    return due_on + timedelta(days=LATE_DAYS)


def check_measurable(due_on: date, taken_on: date | None, today: date, taken_day: date) -> None:
    """A measurement is taken once, within its window, and not dated in the future."""
    state = measurement_state(due_on, taken_on, today)
    if state == TAKEN:
        raise RuleViolation("measurement_already_taken")
    if state == PLANNED:
        raise RuleViolation("measurement_not_yet", opens_on=due_on - timedelta(days=EARLY_DAYS))
    if state == MISSED:
        raise RuleViolation("measurement_missed", until=last_day_to_measure(due_on))
    if taken_day > today:
        raise RuleViolation("date_in_future")
    if taken_day < due_on - timedelta(days=EARLY_DAYS):
        raise RuleViolation("measurement_date_too_early", opens_on=due_on - timedelta(days=EARLY_DAYS))


def check_scores(theme_ids: list[int], scores: dict[int, int | None]) -> None:
    """Every theme of the instrument gets a score from 1 to 5."""
    missing = [t for t in theme_ids if scores.get(t) not in SCORES]
    if missing:
        raise RuleViolation("scores_incomplete", missing=len(missing))


def check_pilot_light(status: str, outcome: str, balanced: bool | None, reason: str) -> None:
    """A pilot-light contact is registered once: held (with whether income and expenses are in
    balance), or impossible (with the reason why)."""
    if status != PILOT_OPEN:
        raise RuleViolation("pilot_light_already_registered")
    if outcome == PILOT_HELD and balanced is None:
        raise RuleViolation("pilot_light_needs_balance")
    if outcome == PILOT_IMPOSSIBLE and not reason.strip():
        raise RuleViolation("pilot_light_needs_reason")
    if outcome not in (PILOT_HELD, PILOT_IMPOSSIBLE):
        raise RuleViolation("pilot_light_needs_outcome")


def check_aftercare_contact(contact_on: date, accepted_on: date, today: date) -> None:
    """An aftercare contact happened after the handover was accepted, and not in the future."""
    if contact_on > today:
        raise RuleViolation("date_in_future")
    if contact_on < accepted_on:
        raise RuleViolation("contact_before_aftercare", accepted_on=accepted_on)
