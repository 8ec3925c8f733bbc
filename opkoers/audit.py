"""The audit trail (every change, old → new) and the access log (who viewed which client)."""

from datetime import date, datetime

from flask import g, has_request_context, request
from sqlalchemy import event, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import transactions
from .extensions import db
from .models import AccessLogEntry, AuditEntry
from .models.base import utcnow


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


# How a request touches a client's data, when it is not plainly viewing (GET) or changing (POST).
ACTION_BY_ENDPOINT = {
    "documents.intake_report": "print",
    "documents.contract": "print",
    "documents.consent": "print",
    "documents.consent_form": "print",
    "documents.plan": "print",
    "handover.printable": "print",
    "follow_up.closing_letter": "print",
    "deviations.decision_document": "print",
    "meetings.preparation": "print",
    "meetings.ics": "download",
    "feed.calendar": "download",
    "privacy.export_document": "export",
    "privacy.export_json": "export",
    "budget.overview_csv": "export",
    "deviations.register_csv": "export",
    "impact.report_csv": "export",
}


def request_action() -> str:
    """What the current request does with the data it shows: view, change, print, export, download."""
    if not has_request_context():
        return "view"
    if request.method not in ("GET", "HEAD"):
        return "change"
    return ACTION_BY_ENDPOINT.get(request.endpoint or "", "view")


def _who(user, action: str) -> dict:
    """What every row of one log call says: who, what they did, when and from where."""
    return {
        "at": utcnow(),
        "user_id": user.id,
        "user_name": user.name,
        "organisation_id": user.organisation_id,
        "organisation_name": user.organisation.name,
        "role": user.role,
        "action": action,
        "what": (request.endpoint or "") if has_request_context() else "",
        "remote_addr": remote_address(),
        "outcome": "allowed",
    }


def _row(user, action: str, **values) -> dict:
    return _who(user, action) | values


def start_request() -> None:
    """Each request starts with an empty list of the access-log rows it wrote, and of the rows that
    are not (or no longer) in its transaction."""
    g.access_rows = []
    g.access_unsaved = []


@event.listens_for(Session, "after_soft_rollback")
def _rows_lost_by_rollback(session, previous_transaction) -> None:
    """A rollback of the request's transaction takes its access-log rows with it: they are written
    again when the request ends (a view that rolls back a refused change still showed the data)."""
    if has_request_context() and previous_transaction.parent is None and "access_rows" in g:
        g.access_unsaved = list(g.access_rows)


class AccessLogUnavailable(RuntimeError):
    """The access log could not be written: the request fails (fail closed), nothing is shown."""


# A plain insert of many rows into the table (the ORM's bulk insert adds nothing here, and costs).
ACCESS_LOG_INSERT = insert(AccessLogEntry.__table__)


def _write(rows: list[dict]) -> None:
    """A page view's rows are written when the request ends, before anything is sent
    (`write_unsaved_rows`); a change's rows go in its own transaction, now."""
    g.access_rows.extend(rows)
    if transactions.reads_only():
        g.access_unsaved.extend(rows)
        return
    try:
        db.session.execute(ACCESS_LOG_INSERT, rows)
    except DBAPIError as error:
        raise AccessLogUnavailable("the access log could not be written") from error


def log_access(user, case, basis: str, consent_id: int | None) -> None:
    """An access-log row for a user opening, changing, printing or downloading one client's data
    (once per case and request). When the log cannot be written, the request fails before any data
    is shown."""
    action = request_action()
    if any(r["case_id"] == case.id and r["action"] == action for r in g.access_rows):
        return
    row = _row(user, action, client_id=case.client_id, case_id=case.id, basis=basis, consent_id=consent_id)
    _write([row])


def log_list(user, cases) -> None:
    """One access-log row per client a list page shows (its name, and what the list says of them)."""
    seen = {(c.id, c.client_id) for c in cases}
    who = _who(user, "list") | {"basis": "mandate" if user.role == "projectgroep" else "consent"}
    rows = [who | {"case_id": i, "client_id": c} for i, c in sorted(seen)]
    if rows:
        _write(rows)


def log_export(user) -> None:
    """An access-log row for an export or download that names no client (counts, an anonymised
    register, a calendar of case numbers): who took it, when, from where."""
    _write([_row(user, request_action())])


def log_refused(user, case_id: int, client_id: int) -> None:
    """Someone asked for a client's data they may not see. The row is written when the request
    ends (after its own changes were rolled back), like every row of a request that failed."""
    row = _row(user, request_action(), case_id=case_id, client_id=client_id, outcome="denied")
    g.access_rows.append(row)
    g.access_unsaved.append(row)


# Failed requests that still showed client data: a refused change shows its form again.
SHOWN_ON_FAILURE = frozenset({409, 422})


def write_unsaved_rows(status: int) -> None:
    """At the end of a request, after its commit or rollback: the access-log rows not in the database
    yet are written — what a page view showed, what the user tried to see, and what they saw before a
    rollback. A request that failed without showing anything keeps only its refusals. When they
    cannot be written, the request fails (fail closed): the page is replaced by an error page."""
    rows = g.get("access_unsaved") or []
    if status >= 400 and status not in SHOWN_ON_FAILURE:
        rows = [r for r in rows if r["outcome"] == "denied"]
    if rows:
        g.writing = True
        try:
            db.session.execute(ACCESS_LOG_INSERT, rows)
            db.session.commit()
        except DBAPIError as error:
            db.session.rollback()
            raise AccessLogUnavailable("the access log could not be written") from error
        finally:
            g.writing = False  # the error page, if any, only reads
    # Everything of the request is in the database now: a rollback after this (an error in a
    # later hook) has no rows to write again.
    g.access_unsaved, g.access_rows = [], []
