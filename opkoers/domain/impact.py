"""Impact: how long the steps took, and whether self-reliance held a year after the end."""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median


@dataclass(frozen=True)
class Duration:
    """How many days a step took, over the cases that reached it."""

    cases: int
    median_days: float | None
    average_days: float | None


def days_between(start: date, end: date | datetime | None) -> int | None:
    """Whole days from start to end (a moment counts by its date); None when end is not reached."""
    if end is None:
        return None
    end_day = end.date() if isinstance(end, datetime) else end
    return (end_day - start).days


def duration(days: list[int | None]) -> Duration:
    """The median and the average over the cases that reached the step."""
    reached = [d for d in days if d is not None]
    if not reached:
        return Duration(0, None, None)
    return Duration(len(reached), float(median(reached)), round(sum(reached) / len(reached), 1))


IMPROVED = "improved"
KEPT = "kept"
RELAPSED = "relapsed"


def durable_class(end_average: float, year_average: float) -> str:
    """A year after the end: better than at the end, as good, or worse (relapse)."""
    if year_average > end_average:
        return IMPROVED
    if year_average == end_average:
        return KEPT
    return RELAPSED
