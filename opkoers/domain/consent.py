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
# Trail fields that can hold text of any life domain without saying which: the plan's prioritised
# problem and activities, and "order" (the names of the life domains in the client's order, as
# older entries kept it). In an entry of a DOMAIN_ACTION the entry's life domain says it.
MIXED_FIELDS = ("unreachable_goals", "order", "prioritised_problem", "activities")
# Trail fields with a list of life domain ids: a reader sees the ones that are not hidden.
DOMAIN_LIST_FIELDS = ("life_domain_order",)
# Actions about one life domain: an entry that does not say which (an older one) is left out.
DOMAIN_ACTIONS = frozenset({"goal_added", "goal_removed", "priority_recorded"})


def domain_shown(life_domain_id: int | None, hidden: frozenset[int], everything_shared: bool) -> bool:
    """Whether text about this life domain may be shown. Text that names no life domain may be about
    any of them: it is shown only when the reader may read about every life domain in use."""
    if life_domain_id is None:
        return everything_shared
    return life_domain_id not in hidden


def _about_a_shown_domain(changes: dict, hidden: frozenset[int], everything_shared: bool) -> bool:
    """Whether an entry of a DOMAIN_ACTION is about life domains the reader may read about."""
    priority = changes.get("prioritised_life_domain_id")
    if priority is not None:  # each side's text is about that side's life domain (none: any)
        return all(domain_shown(v, hidden, everything_shared) for v in priority)
    goal = [v for v in changes.get("life_domain_id", ()) if v is not None]  # none: no goal yet, or any more
    return bool(goal) and all(v not in hidden for v in goal)


def visible_changes(
    changes: dict, hidden: frozenset[int], action: str, everything_shared: bool
) -> dict | None:
    """What a reader who may not read about the hidden life domains sees of one trail entry: the
    fields outside those domains, or None when the entry is about one of them (or may be).
    everything_shared: no life domain in use is hidden (only inactive ones are)."""
    if not hidden:
        return changes
    for field in DOMAIN_FIELDS:
        if any(v in hidden for v in changes.get(field, ()) if isinstance(v, int)):
            return None
    if action in DOMAIN_ACTIONS and not _about_a_shown_domain(changes, hidden, everything_shared):
        return None
    shown = {}
    for field, values in changes.items():
        prefix, _, number = field.partition(":")
        if prefix == "problem" and number.isdigit() and int(number) in hidden:
            continue
        if field in MIXED_FIELDS and action not in DOMAIN_ACTIONS and not everything_shared:
            continue
        if field in DOMAIN_LIST_FIELDS:
            values = [[v for v in side if v not in hidden] for side in values]
            if values[0] == values[1]:
                continue
        shown[field] = values
    return shown if shown or not changes else None


def one_year_after(day: date) -> date:
    """The same calendar day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
