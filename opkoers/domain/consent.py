"""When a consent counts: signed, not expired, not withdrawn."""

from datetime import date, datetime

from . import RuleViolation

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


def check_domains(organisation_ids, domains: dict[int, set[int]], known: set[int]) -> None:
    """Every organisation in a consent may share about at least one life domain, and only about
    life domains that exist."""
    for organisation_id in organisation_ids:
        chosen = domains.get(organisation_id, set())
        if not chosen:
            raise RuleViolation("consent_needs_domains")
        if not chosen <= known:
            raise RuleViolation("unknown_life_domain")


# Trail fields that name the life domain the entry is about (a goal, the prioritised problem).
DOMAIN_FIELDS = ("life_domain_id", "prioritised_life_domain_id")
# Trail fields that can hold text of any life domain without saying which.
MIXED_FIELDS = ("unreachable_goals",)


def visible_changes(changes: dict, hidden: frozenset[int]) -> dict | None:
    """What a reader who may not read about the hidden life domains sees of one trail entry: the
    fields outside those domains, or None when the entry is about one of them."""
    if not hidden:
        return changes
    for field in DOMAIN_FIELDS:
        if any(v in hidden for v in changes.get(field, ()) if isinstance(v, int)):
            return None
    shown = {}
    for field, values in changes.items():
        prefix, _, number = field.partition(":")
        if (prefix == "problem" and number.isdigit() and int(number) in hidden) or field in MIXED_FIELDS:
            continue
        shown[field] = values
    return shown if shown or not changes else None


def one_year_after(day: date) -> date:
    """The same calendar day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
