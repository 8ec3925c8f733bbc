"""Retention: per kind of record a period (a setting, with its legal basis); the daily job that
anonymises the clients whose period ran out — exactly once, never under a legal hold — and deletes
what is no longer needed. Both trails stay; a case's change history keeps its lines, not its values."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import Text, delete, func, select, update
from sqlalchemy import case as sql_case

from .. import audit
from ..domain import RuleViolation
from ..domain import retention as rules
from ..extensions import db
from ..models import (
    AccessLogEntry,
    AuditEntry,
    Case,
    CaseClosing,
    Client,
    Deviation,
    LoginThrottle,
    Notification,
    OutboxMessage,
    UserSession,
)
from ..models.audit import LOG_KEEP_YEARS
from ..models.base import Versioned
from ..timeutil import local_today, utc_now
from . import settings
from .privacy import CASE_PERSONAL, CLIENT_PERSONAL, PARTS

BATCH = 200  # cases anonymised per run at most; the next run goes on
ANONYMOUS = "Geanonimiseerd"
REMOVED = "(verwijderd)"
DELETED_PARTS = ("notification", "email")  # operational copies: deleted, not blanked


def months(code: str) -> int:
    """The retention period in force for a kind of record, in months."""
    return int(settings.value(f"retention:{code}:months", str(rules.BY_CODE[code].default_months)))


def basis(code: str) -> str:
    """The legal basis written next to a kind's retention period."""
    return settings.value(f"retention:{code}:basis", rules.BY_CODE[code].default_basis)


def periods() -> list[dict]:
    """Every kind of record with its period and legal basis, for the beheerder's page."""
    return [{"code": k.code, "months": months(k.code), "basis": basis(k.code)} for k in rules.KINDS]


def set_period(actor, code: str, period: int, legal_basis: str, versions: tuple) -> None:
    """Change a kind's retention period and the legal basis written next to it."""
    rules.check_months(code, period)
    default = rules.BY_CODE[code]
    settings.save(
        actor,
        f"retention:{code}:months",
        str(period),
        versions[0],
        default=str(default.default_months),
        action="retention_changed",
        field=f"retention_{code}_months",
    )
    settings.save(
        actor,
        f"retention:{code}:basis",
        legal_basis,
        versions[1],
        default=default.default_basis,
        action="retention_changed",
        field=f"retention_{code}_basis",
    )


def period_versions(code: str) -> tuple:
    return settings.version(f"retention:{code}:months"), settings.version(f"retention:{code}:basis")


def mark_ended(case: Case, ended_on: date) -> None:
    """Set the date a case's data is due for anonymisation, when it is closed or declined."""
    code = "declined_case" if case.status == "declined" else "closed_case"
    case.retention_until = rules.months_after(ended_on, months(code))


def set_legal_hold(actor, case: Case, reason: str) -> None:
    """Keep a case past its retention date (an objection, a court case, an inquiry), with the
    reason; an empty reason lifts the hold."""
    if case.anonymised_at is not None:
        raise RuleViolation("already_anonymised")
    changes = audit.apply_changes(case, {"legal_hold": (reason or "").strip()})
    if changes:
        audit.record(actor, "legal_hold_changed", case, changes, case.id)


@dataclass
class Report:
    """What one run did."""

    anonymised_cases: int = 0
    anonymised_clients: int = 0
    held_cases: int = 0
    access_log_rows: int = 0
    notifications: int = 0
    emails: int = 0
    sessions: int = 0
    login_counters: int = 0


def run(today: date | None = None) -> Report:
    """The daily pass: anonymise what ran out (each case once: it is claimed first, so a second
    scheduler finds nothing), delete old operational records, and put what it did in the trail."""
    today = today or local_today()
    now = utc_now()
    report = Report()
    due = (Case.retention_until < today) & Case.anonymised_at.is_(None)
    report.held_cases = db.session.scalar(select(func.count()).where(due, Case.legal_hold != ""))
    candidates = select(Case.id).where(due, Case.legal_hold == "").order_by(Case.id).limit(BATCH)
    claimed = sorted(
        db.session.scalars(
            update(Case)
            .where(Case.id.in_(candidates), Case.anonymised_at.is_(None))
            .values(anonymised_at=now)
            .returning(Case.id)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed:
        report.anonymised_clients = _anonymise(claimed)
        report.anonymised_cases = len(claimed)
        for case_id in claimed:
            audit.record(None, "case_anonymised", None, {}, case_id, entity_type="Case")
    report.access_log_rows = _delete(
        AccessLogEntry,
        AccessLogEntry.at < now - _age("access_log", minimum=timedelta(days=365 * LOG_KEEP_YEARS + 2)),
    )
    report.notifications = _delete(Notification, Notification.created_at < now - _age("notification"))
    report.emails = _delete(
        OutboxMessage,
        OutboxMessage.status.in_(("sent", "failed"))
        & (OutboxMessage.created_at < now - _age("notification")),
    )
    report.sessions = _delete(UserSession, UserSession.created_at < now - _age("session"))
    report.login_counters = _delete(
        LoginThrottle,
        (LoginThrottle.window_start < now - timedelta(days=31 * rules.THROTTLE_MONTHS))
        | (LoginThrottle.window_start.is_(None) & LoginThrottle.locked_until.is_(None)),  # nothing counted
    )
    if any(asdict(report).values()):
        audit.record(
            None,
            "retention_run",
            None,
            {k: [None, v] for k, v in asdict(report).items()},
            entity_type="Retention",
        )
    return report


def _age(code: str, minimum: timedelta = timedelta(0)) -> timedelta:
    return max(timedelta(days=31 * months(code)), minimum)


def _delete(model, condition) -> int:
    return db.session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    ).rowcount


def _wiped(column):
    """A text without its words: empty stays empty, anything else becomes the word 'removed' (some
    texts must not be empty, such as the reason a contact was impossible)."""
    return sql_case((column == "", ""), else_=REMOVED)


def _blanked(model, personal: tuple[str, ...]) -> dict:
    """The values that wipe a record's personal data: every long text, and the named short ones
    (names, addresses: emptied)."""
    table = model.__table__
    values = {c.name: _wiped(c) for c in table.columns if isinstance(c.type, Text)}
    values |= dict.fromkeys(personal, "")
    if issubclass(model, Versioned):
        values["version"] = model.version + 1  # an edit form opened before cannot save over it
    return values


def _anonymise(case_ids: list[int]) -> int:
    """Wipe the personal data of these cases, their change history's values, and the client of each
    whose cases are all anonymised now. Returns how many clients were anonymised."""
    for part in PARTS:
        if part.key in DELETED_PARTS:
            db.session.execute(delete(part.model).where(part.model.id.in_(part.ids_of_case(case_ids))))
            continue
        values = _blanked(part.model, part.personal)
        if part.model is Deviation:  # an outcome put into the anonymised register stays there
            values["outcome"] = sql_case(
                (Deviation.outcome_in_register, Deviation.outcome), else_=_wiped(Deviation.outcome)
            )
        if part.model is CaseClosing:
            values["unreachable_goals"] = []
        if set(values) - {"version"}:
            db.session.execute(
                update(part.model)
                .where(part.model.id.in_(part.ids_of_case(case_ids)))
                .values(values)
                .execution_options(synchronize_session=False)
            )
    db.session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(_blanked(Case, CASE_PERSONAL))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.case_id.in_(case_ids))
        .values(changes={"redacted": True})
        .execution_options(synchronize_session=False)
    )
    # A client is anonymised once none of their cases keeps their data any more.
    clients = select(Case.client_id).where(Case.id.in_(case_ids))
    still_kept = select(Case.client_id).where(Case.anonymised_at.is_(None))
    done = db.session.scalars(
        select(Client.id).where(
            Client.id.in_(clients), Client.id.not_in(still_kept), Client.name != ANONYMOUS
        )
    ).all()
    if done:
        db.session.execute(
            update(Client)
            .where(Client.id.in_(done))
            .values(
                {
                    **dict.fromkeys(CLIENT_PERSONAL, ""),
                    "name": ANONYMOUS,
                    "version": Client.version + 1,
                    # the year of birth stays, for counts by age; the day and month go
                    "date_of_birth": func.date(Client.date_of_birth, "start of year")
                    if db.engine.dialect.name == "sqlite"
                    else func.date_trunc("year", Client.date_of_birth),
                }
            )
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return len(done)
