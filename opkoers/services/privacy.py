"""The client's rights under the AVG: who looked at their file (from the access log), and everything
stored about them (inzage), read from one map of the records that make up a client's file."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    AccessLogEntry,
    Action,
    ActionNote,
    AftercareContact,
    AuditEntry,
    BudgetDecision,
    BudgetEntry,
    Case,
    CaseBudget,
    CaseClosing,
    CaseInvolvement,
    Client,
    Consent,
    ConsentDomain,
    Deviation,
    Handover,
    HandoverAnswer,
    Intake,
    IntakeProblem,
    Meeting,
    MeetingParticipant,
    MinutesAddendum,
    Notification,
    OutboxMessage,
    PilotLightContact,
    PlanGoal,
    PlanOfAction,
    SelectionStep,
    SelfRelianceMeasurement,
    SelfRelianceScore,
)
from ..timeutil import LOCAL_TZ
from .names import REFERENCE_FIELDS, reference_names


@dataclass(frozen=True)
class Period:
    """From and to, both days included; either may be open."""

    start: date | None = None
    end: date | None = None

    def conditions(self) -> list:
        found = []
        if self.start:
            found.append(AccessLogEntry.at >= datetime.combine(self.start, time(), LOCAL_TZ))
        if self.end:
            found.append(AccessLogEntry.at < datetime.combine(self.end + timedelta(days=1), time(), LOCAL_TZ))
        return found


def access_report(client_id: int, period: Period, with_lists: bool, page: int, per_page: int) -> dict:
    """Who opened, changed, printed or exported the client's data in the period (and, if asked, saw
    the client in a list): per person a summary, and every row, newest first."""
    where = [AccessLogEntry.client_id == client_id, *period.conditions()]
    if not with_lists:
        where.append(AccessLogEntry.action != "list")
    people = db.session.execute(
        select(
            AccessLogEntry.user_name,
            AccessLogEntry.organisation_name,
            AccessLogEntry.role,
            func.count(),
            func.min(AccessLogEntry.at),
            func.max(AccessLogEntry.at),
        )
        .where(*where)
        .group_by(
            AccessLogEntry.user_id,
            AccessLogEntry.user_name,
            AccessLogEntry.organisation_name,
            AccessLogEntry.role,
        )
        .order_by(func.max(AccessLogEntry.at).desc())
    ).all()
    rows = db.paginate(
        select(AccessLogEntry).where(*where).order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return {"people": people, "rows": rows}


# ---------------------------------------------------------------- everything stored about a client


@dataclass(frozen=True)
class Part:
    """One kind of record in a client's file: how it hangs on the case (its own case_id, or a parent
    record's id) and which short text columns hold personal data (long texts always do)."""

    key: str
    model: type
    parent: "Part | None" = None
    via: str = "case_id"
    personal: tuple[str, ...] = ()

    def ids_of_case(self, case_ids):
        """SQL: the ids of this kind of record that belong to these cases."""
        column = getattr(self.model, self.via)
        if self.parent is None:
            return select(self.model.id).where(column.in_(case_ids))
        return select(self.model.id).where(column.in_(self.parent.ids_of_case(case_ids)))

    def rows_of_case(self, case_ids):
        column = getattr(self.model, self.via)
        owner = case_ids if self.parent is None else self.parent.ids_of_case(case_ids)
        return select(self.model).where(column.in_(owner)).order_by(*self.model.__table__.primary_key.columns)


_INTAKE = Part("intake", Intake)
_CONSENT = Part("consent", Consent)
_PLAN = Part("plan", PlanOfAction)
_MEETING = Part("meeting", Meeting, personal=("location", "video_link"))
_ACTION = Part("action", Action, personal=("assignee_name",))
_HANDOVER = Part("handover", Handover)
_MEASUREMENT = Part("measurement", SelfRelianceMeasurement)
CLIENT_PERSONAL = ("name", "address", "postcode", "city", "phone", "email")
CASE_PERSONAL = ("referrer_name", "referrer_role", "referrer_organisation")
# Every record of a case, in the order of the case's life. A test checks that each table with a
# case in it is here, so a new one cannot be left out of the export or the anonymisation.
PARTS = (
    _INTAKE,
    Part("intake_problem", IntakeProblem, _INTAKE, "intake_id"),
    Part("selection_step", SelectionStep),
    _CONSENT,
    Part("consent_domain", ConsentDomain, _CONSENT, "consent_id"),
    _PLAN,
    Part("plan_goal", PlanGoal, _PLAN, "plan_id"),
    Part("involvement", CaseInvolvement, personal=("role_note",)),
    _MEETING,
    Part("meeting_participant", MeetingParticipant, _MEETING, "meeting_id", ("name", "email", "relation")),
    Part("minutes_addendum", MinutesAddendum, _MEETING, "meeting_id"),
    _ACTION,
    Part("action_note", ActionNote, _ACTION, "action_id"),
    Part("budget", CaseBudget),
    Part("budget_decision", BudgetDecision),
    Part("budget_entry", BudgetEntry, personal=("payee",)),
    Part("deviation", Deviation),
    _HANDOVER,
    Part("handover_answer", HandoverAnswer, _HANDOVER, "handover_id"),
    Part("aftercare_contact", AftercareContact),
    Part("closing", CaseClosing),
    Part("pilot_light", PilotLightContact),
    _MEASUREMENT,
    Part("score", SelfRelianceScore, _MEASUREMENT, "measurement_id"),
    Part("notification", Notification),
    Part("email", OutboxMessage, personal=("to_address", "subject")),
)


def plain(value):
    """A column value as JSON writes it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def as_dict(record) -> dict:
    return {c.key: plain(getattr(record, c.key)) for c in record.__mapper__.column_attrs}


def client_file(client: Client) -> dict:
    """Everything stored about a client: their details, each case with every record in it, the
    change history and the access log. One query per kind of record, however large the file."""
    cases = db.session.scalars(select(Case).where(Case.client_id == client.id).order_by(Case.id)).all()
    case_ids = [c.id for c in cases]
    per_case: dict[int, dict[str, list]] = {c.id: {} for c in cases}
    owners: dict[tuple[str, int], int] = {}  # (part, record id) → case id, for records under a parent
    for part in PARTS:
        for record in db.session.scalars(part.rows_of_case(case_ids)):
            if part.parent is None:
                case_id = record.case_id
            else:
                case_id = owners[(part.parent.key, getattr(record, part.via))]
            owners[(part.key, record.id if hasattr(record, "id") else 0)] = case_id
            per_case[case_id].setdefault(part.key, []).append(as_dict(record))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.case_id.in_(case_ids)).order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    log = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.client_id == client.id).order_by(AccessLogEntry.at)
    ).all()
    return {
        "client": as_dict(client),
        "cases": [{"case": as_dict(c), "records": per_case[c.id]} for c in cases],
        "change_history": [as_dict(e) for e in history],
        "access_log": [as_dict(e) for e in log],
    }


INTERNAL_FIELDS = {
    "id",
    "version",
    "key",
    "uid",
    "case_id",
    "client_id",
    "sequence",
    "ics",
    "ics_method",
    "attempts",
    "last_error",
    "next_attempt_at",
    "url",
    "updated_at",
}


def readable_fields(record: dict) -> list[tuple[str, object]]:
    """The fields of a record a person reads in the document: not the database's own bookkeeping
    (ids, versions, links between records), except the ids that name a person or a list item."""
    return [
        (field, value)
        for field, value in record.items()
        if field not in INTERNAL_FIELDS
        and not field.endswith("_revision")
        and (not field.endswith("_id") or field in REFERENCE_FIELDS)
    ]


def names_in(file: dict) -> dict[tuple[str, int], str]:
    """The names behind the ids in a client's file (people, organisations, life domains…)."""
    records = [c["case"] for c in file["cases"]]
    records += [r for c in file["cases"] for rows in c["records"].values() for r in rows]
    return reference_names((field, [value]) for record in records for field, value in record.items())
