"""The audit trail (every change, old → new) and the access log (who viewed which client)."""

from datetime import date, datetime

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AccessLogEntry, AuditEntry


def _plain(value):
    """A JSON-safe form of a column value."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def apply_changes(obj, values: dict) -> dict:
    """Set attributes on obj and return {field: [old, new]} for the ones that really changed."""
    changes = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    return changes


def snapshot(obj, fields) -> dict:
    """The given fields of a new record, as {field: [None, value]} for the trail."""
    return {f: [None, _plain(getattr(obj, f))] for f in fields}


def remote_address() -> str:
    """Where the current request comes from ('' outside a request, such as in the scheduler)."""
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def record(
    actor,
    action: str,
    entity,
    changes: dict | None = None,
    case_id: int | None = None,
    *,
    entity_type: str | None = None,
) -> None:
    """Write one audit entry for a change made by actor (a User or None for the system)."""
    db.session.flush()  # entity ids are known from here on
    db.session.add(
        AuditEntry(
            user_id=getattr(actor, "id", None),
            user_name=getattr(actor, "name", "systeem"),
            action=action,
            entity_type=entity_type or type(entity).__name__,
            entity_id=getattr(entity, "id", None),
            case_id=case_id,
            changes=changes or {},
            remote_addr=remote_address(),
        )
    )


def log_access(case, what: str, action: str = "view") -> None:
    """Write an access-log row for the current user looking at (or printing) a client's data."""
    user = current_user
    db.session.add(
        AccessLogEntry(
            user_id=user.id,
            user_name=user.name,
            organisation_name=user.organisation.name,
            role=user.role,
            client_id=case.client_id,
            case_id=case.id,
            action=action,
            what=what,
            remote_addr=remote_address(),
        )
    )
