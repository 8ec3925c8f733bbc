"""When a consent counts: signed, not expired, not withdrawn."""

from datetime import date, datetime

VALID = "valid"
NOT_YET = "not_yet"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"


def consent_state(signed_on: date, valid_until: date, withdrawn_at: datetime | None, today: date) -> str:
    """The state of one consent on a given day."""
    if withdrawn_at is not None:
        return WITHDRAWN
    if today < signed_on:
        return NOT_YET
    if today > valid_until:
        return EXPIRED
    return VALID


def one_year_after(day: date) -> date:
    """The same calendar day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
