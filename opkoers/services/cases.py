"""Referrals, the case list, the case page, involvement and history."""

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import access, audit
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..domain.consent import VALID, consent_state
from ..domain.decision_tree import answered_no, evaluate
from ..domain.follow_up import DUE, PLANNED
from ..extensions import db
from ..models import (
    AuditEntry,
    Case,
    CaseInvolvement,
    Client,
    Consent,
    Intake,
    LifeDomain,
    Meeting,
    Neighbourhood,
    PlanOfAction,
    SelectionStep,
    User,
)
from ..timeutil import local_today
from . import check_version
from .actions import case_actions_page
from .budget import case_budget
from .closing import case_closing, case_pilot_lights
from .deviations import case_deviations
from .handover import aftercare_running, current_handover
from .meetings import case_meetings
from .names import history_names
from .paging import paginate_ids
from .self_reliance import case_measurements, chart, themes

CLIENT_FIELDS = ("name", "date_of_birth", "address", "postcode", "city", "neighbourhood_id", "phone", "email")
REFERRAL_FIELDS = (
    "referrer_kind",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "channel",
    "referred_on",
    "reason",
    "urgency",
    "crisis_kind",
    "handler_id",
)


def _split(fields: dict) -> tuple[dict, dict]:
    client = {k[len("client_") :]: v for k, v in fields.items() if k.startswith("client_")}
    referral = {k: v for k, v in fields.items() if k in REFERRAL_FIELDS}
    referral["crisis"] = bool(referral.get("crisis_kind"))
    if referral["crisis"]:
        referral["urgency"] = "high"  # a crisis is always urgent
    return client, referral


def register_referral(actor, **fields) -> Case:
    """Register a referral: a new client and a case for them in status 'referred'."""
    client_values, referral_values = _split(fields)
    client = Client(**client_values)
    case = Case(client=client, status=lifecycle.REFERRED, **referral_values)
    db.session.add(case)
    db.session.flush()  # the case id goes into its first audit entry
    audit.record(
        actor, "referral_registered", case, audit.snapshot(case, ("status", *REFERRAL_FIELDS)), case.id
    )
    audit.record(actor, "client_registered", client, audit.snapshot(client, CLIENT_FIELDS), case.id)
    return case


def update_referral(actor, case: Case, version: int | None, client_version: int | None, **fields) -> Case:
    """Change the referral and the client's details."""
    check_version(case, version)
    check_version(case.client, client_version)
    client_values, referral_values = _split(fields)
    client_changes = audit.apply_changes(case.client, client_values)
    case_changes = audit.apply_changes(case, referral_values)
    if client_changes:
        audit.record(actor, "client_updated", case.client, client_changes, case.id)
    if case_changes:
        audit.record(actor, "referral_updated", case, case_changes, case.id)
    return case


@dataclass
class CaseFilter:
    q: str = ""
    status: str = ""
    neighbourhood_id: int | None = None
    crisis: bool = False


def case_rows():
    """The query of cases as a list shows them, as plain rows: id, client_id, status, crisis,
    crisis_kind, referred_on, client_name, neighbourhood_name (loading the cases, clients and
    neighbourhoods as objects took most of a list's time)."""
    return (
        select(
            Case.id,
            Case.client_id,
            Case.status,
            Case.crisis,
            Case.crisis_kind,
            Case.referred_on,
            Client.name.label("client_name"),
            Neighbourhood.name.label("neighbourhood_name"),
        )
        .join(Client, Client.id == Case.client_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == Client.neighbourhood_id)
    )


def list_cases(user, filters: CaseFilter, page: int, per_page: int):
    """One page of the cases the user may see: crisis first, then the newest referrals."""
    ids = select(Case.id).where(access.visible_cases(user))
    if filters.q or filters.neighbourhood_id:
        ids = ids.join(Client, Client.id == Case.client_id)
    if filters.q:
        ids = ids.where(func.lower(Client.name).contains(filters.q.lower(), autoescape=True))
    if filters.status:
        ids = ids.where(Case.status == filters.status)
    if filters.neighbourhood_id:
        ids = ids.where(Client.neighbourhood_id == filters.neighbourhood_id)
    if filters.crisis:
        ids = ids.where(Case.crisis)
    ids = ids.order_by(Case.crisis.desc(), Case.referred_on.desc(), Case.id.desc())

    def load(page_ids):
        return case_rows().where(Case.id.in_(page_ids))

    # With a search or filter, finding the cases is the work: count them in the same pass.
    filtered = bool(filters.q or filters.status or filters.neighbourhood_id or filters.crisis)
    return paginate_ids(ids, load, page, per_page, count_in_page=filtered, rows=True)


def case_facts(
    case: Case,
    intake: Intake | None,
    steps,
    consents,
    plan: PlanOfAction | None,
    meeting_planned=False,
    follow_ups_open=False,
):
    """The facts the lifecycle rules need, from records already loaded."""
    today = local_today()
    return lifecycle.CaseFacts(
        status=case.status,
        intake_started=intake is not None,
        tree_result=evaluate(intake.tree_answers()) if intake else "incomplete",
        steps_done=frozenset(s.kind for s in steps),
        contract_signed=case.contract_signed_on is not None,
        consent_valid=any(
            consent_state(c.signed_on, c.valid_until, c.withdrawn_at, today) == VALID for c in consents
        ),
        plan_goals=len(plan.goals) if plan else 0,
        plan_signed=bool(plan and plan.signed_on),
        meeting_planned=meeting_planned,
        follow_ups_open=follow_ups_open,
    )


def load_case_records(case: Case) -> dict:
    """Everything the case page and the lifecycle rules need, in a fixed number of queries."""
    intake = db.session.scalar(
        select(Intake).where(Intake.case_id == case.id).options(selectinload(Intake.problems))
    )
    steps = db.session.scalars(select(SelectionStep).where(SelectionStep.case_id == case.id)).all()
    consents = db.session.scalars(
        select(Consent)
        .where(Consent.case_id == case.id)
        .options(
            selectinload(Consent.organisations),
            selectinload(Consent.domains),
            joinedload(Consent.withdrawn_by),
        )
        .order_by(Consent.signed_on.desc(), Consent.id.desc())
    ).all()
    plan = db.session.scalar(
        select(PlanOfAction).where(PlanOfAction.case_id == case.id).options(selectinload(PlanOfAction.goals))
    )
    meeting_planned = db.session.scalar(
        select(
            exists().where(
                Meeting.case_id == case.id, Meeting.kind == "round_table", Meeting.status != "cancelled"
            )
        )
    )
    measurements = case_measurements(case)
    follow_ups_open = case.status == lifecycle.CLOSED and any(r.state in (PLANNED, DUE) for r in measurements)
    return {
        "intake": intake,
        "steps": {s.kind: s for s in steps},
        "consents": consents,
        "plan": plan,
        "measurements": measurements,
        "facts": case_facts(case, intake, steps, consents, plan, meeting_planned, follow_ups_open),
    }


def case_page(case: Case, history_limit: int, actions_limit: int, meetings_limit: int | None = None) -> dict:
    """The case page: the records, the next step, who is involved, the latest changes; the most
    urgent actions and the latest meetings (meetings_limit None: all of them)."""
    records = load_case_records(case)
    today = local_today()
    records.update(
        next_step=lifecycle.next_step(records["facts"]),
        consent_states={
            c.id: consent_state(c.signed_on, c.valid_until, c.withdrawn_at, today)
            for c in records["consents"]
        },
        involvements=db.session.scalars(
            select(CaseInvolvement).where(CaseInvolvement.case_id == case.id).order_by(CaseInvolvement.id)
        ).all(),
        life_domains=db.session.scalars(
            select(LifeDomain).where(LifeDomain.active).order_by(LifeDomain.position, LifeDomain.id)
        ).all(),
    )
    records["consented_organisation_ids"] = {
        o.id for c in records["consents"] if records["consent_states"][c.id] == VALID for o in c.organisations
    }
    records["criteria_not_met"] = answered_no(records["intake"].tree_answers()) if records["intake"] else []
    records["actions"] = case_actions_page(case, 1, actions_limit)
    records["meetings"], records["meetings_total"] = case_meetings(case, meetings_limit)
    records["budget_info"] = case_budget(case)
    records["deviations"] = case_deviations(case)
    records["handover"] = current_handover(case)
    records["aftercare_running"] = aftercare_running(records["handover"])
    records["closing"] = case_closing(case)
    records["pilot_lights"] = case_pilot_lights(case)
    records["themes"] = themes()
    records["self_reliance_chart"] = chart(records["measurements"], records["themes"])
    records["history"] = db.session.scalars(_history(case).limit(history_limit)).all()
    records["history_names"] = history_names(records["history"])
    return records


def change_count(case: Case) -> int:
    """How many changes the case's trail holds. Every change to the case and its records adds one
    (the trail is append-only), so a page shown at one count is current while the count stays."""
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.case_id == case.id)
    )


def _history(case: Case):
    return (
        select(AuditEntry)
        .where(AuditEntry.case_id == case.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def history(case: Case, page: int, per_page: int):
    """The change history of a case, newest first, a page at a time."""
    return db.paginate(_history(case), page=page, per_page=per_page, error_out=False)


def add_involvement(actor, case: Case, user_id: int, role_note: str) -> CaseInvolvement:
    """Name a professional or neighbourhood contact as involved in the case."""
    user = db.session.get(User, user_id)
    if user is None or user.role not in ("professional", "buurtteam") or not user.active:
        raise RuleViolation("not_involved_role")
    exists = db.session.scalar(
        select(CaseInvolvement.id).where(
            CaseInvolvement.case_id == case.id, CaseInvolvement.user_id == user_id
        )
    )
    if exists:
        raise RuleViolation("already_involved")
    involvement = CaseInvolvement(case_id=case.id, user_id=user_id, role_note=role_note)
    db.session.add(involvement)
    audit.record(
        actor,
        "involvement_added",
        involvement,
        {"user": [None, user.name], "role_note": [None, role_note]},
        case.id,
    )
    return involvement


def remove_involvement(actor, case: Case, involvement: CaseInvolvement) -> None:
    """Take a user off the case (they lose access at their next request)."""
    db.session.delete(involvement)
    db.session.flush()  # the row is gone before the change is recorded
    audit.record(actor, "involvement_removed", involvement, {"user": [involvement.user.name, None]}, case.id)
