"""The names behind the ids in the change history and in a client's file: people, organisations,
neighbourhoods, life domains and self-reliance themes."""

from sqlalchemy import select

from ..extensions import db
from ..models import LifeDomain, Neighbourhood, Organisation, SelfRelianceTheme, User

# Fields in the change history that hold the id of another record: field → kind of record.
REFERENCE_FIELDS = {
    "handler_id": "user",
    "decided_by_id": "user",
    "performed_by_id": "user",
    "withdrawn_by_id": "user",
    "recorded_by_id": "user",
    "neighbourhood_id": "neighbourhood",
    "life_domain_id": "life_domain",
    "assignee_user_id": "user",
    "assignee_organisation_id": "organisation",
    "chair_id": "user",
    "minutes_signed_by_id": "user",
    "prioritised_life_domain_id": "life_domain",
    "organisation_id": "organisation",
    "executed_by_organisation_id": "organisation",
    "contact_id": "user",
    "deputy_id": "user",
    "accepted_by_id": "user",
    "assignee_id": "user",
    "safety_net_by_id": "user",
    "created_by_id": "user",
    "status_changed_by_id": "user",
    "author_id": "user",
    "user_id": "user",
    "taken_by_id": "user",
    "logged_by_id": "user",
    "closed_by_id": "user",
    "follow_up_by_id": "user",
    "proposed_by_id": "user",
    "team_id": "organisation",
    "theme_id": "theme",
    "life_domain_order": "life_domain",
}


# Fields named after the record they are about: "problem:3" is the problem in life domain 3.
ID_PREFIXES = {"problem": "life_domain", "score": "theme"}


def history_names(entries) -> dict[tuple[str, int], str]:
    """The names behind the ids in these history entries, in at most one query per kind of record."""
    return reference_names((field, values) for entry in entries for field, values in entry.changes.items())


def reference_names(pairs) -> dict[tuple[str, int], str]:
    """The names behind the ids in (field, values) pairs (a field like "problem:3" names its own id),
    in at most one query per kind of record."""
    models = {
        "user": User,
        "neighbourhood": Neighbourhood,
        "life_domain": LifeDomain,
        "organisation": Organisation,
        "theme": SelfRelianceTheme,
    }
    wanted: dict[str, set[int]] = {kind: set() for kind in models}
    for field, values in pairs:
        kind = REFERENCE_FIELDS.get(field)
        prefix, _, number = field.partition(":")
        if prefix in ID_PREFIXES and number.isdigit():
            kind, values = ID_PREFIXES[prefix], [int(number)]
        if kind:
            for value in values:
                ids = value if isinstance(value, list) else [value]
                wanted[kind].update(v for v in ids if isinstance(v, int))
    names = {}
    for kind, ids in wanted.items():
        if ids:
            model = models[kind]
            names.update(
                {
                    (kind, i): n
                    for i, n in db.session.execute(select(model.id, model.name).where(model.id.in_(ids)))
                }
            )
    return names
