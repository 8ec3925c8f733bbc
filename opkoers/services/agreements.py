"""Contract, consent (machtiging) and the plan of action; then the start of the plan."""

from sqlalchemy import select

from .. import audit
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..domain import consent as consent_rules
from ..extensions import db
from ..models import Case, Consent, ConsentDomain, LifeDomain, Organisation, PlanGoal, PlanOfAction
from ..models.base import utcnow
from . import change_status, check_version
from .cases import load_case_records


def record_contract(actor, case: Case, version: int | None, signed_on) -> None:
    """Record the date the client signed the contract."""
    lifecycle.check_agreements_open(case.status)
    check_version(case, version)
    lifecycle.check_not_before_referral(signed_on, case.referred_on)
    changes = audit.apply_changes(case, {"contract_signed_on": signed_on})
    if changes:
        audit.record(actor, "contract_recorded", case, changes, case.id)


def record_consent(
    actor,
    case: Case,
    organisation_ids: list[int],
    purposes: str,
    signed_on,
    valid_until,
    domains: dict[int, set[int]] | None = None,
) -> Consent:
    """Record a signed consent: which organisations may share what, from when until when; per
    organisation the life domains it covers (all of them when not given)."""
    lifecycle.check_consent_open(case.status)
    lifecycle.check_not_before_referral(signed_on, case.referred_on)
    life_domains = {
        d.id: d.name for d in db.session.scalars(select(LifeDomain).order_by(LifeDomain.position))
    }
    if domains is None:
        domains = {o: set(life_domains) for o in organisation_ids}
    consent_rules.check_domains(organisation_ids, domains, set(life_domains))
    organisations = db.session.query(Organisation).filter(Organisation.id.in_(organisation_ids)).all()
    consent = Consent(
        case_id=case.id,
        purposes=purposes,
        signed_on=signed_on,
        valid_until=valid_until,
        recorded_by_id=actor.id,
        organisations=organisations,
        domains=[
            ConsentDomain(organisation_id=o.id, life_domain_id=d)
            for o in organisations
            for d in sorted(domains[o.id])
        ],
    )
    db.session.add(consent)
    changes = audit.snapshot(consent, ("purposes", "signed_on", "valid_until"))
    changes["organisations"] = [None, ", ".join(o.name for o in organisations)]
    changes["domains"] = [
        None,
        "; ".join(
            f"{o.name}: {', '.join(n for d, n in life_domains.items() if d in domains[o.id])}"
            for o in organisations
        ),
    ]
    audit.record(actor, "consent_recorded", consent, changes, case.id)
    return consent


def withdraw_consent(actor, case: Case, consent: Consent, reason: str) -> None:
    """Withdraw a consent: effective at once; the record stays in the history."""
    if consent.withdrawn_at is not None:
        raise RuleViolation("already_withdrawn")
    changes = audit.apply_changes(
        consent, {"withdrawn_at": utcnow(), "withdrawn_by_id": actor.id, "withdrawal_reason": reason}
    )
    audit.record(actor, "consent_withdrawn", consent, changes, case.id)


def _find_plan(case: Case) -> PlanOfAction | None:
    return db.session.query(PlanOfAction).filter_by(case_id=case.id).one_or_none()


def _plan(case: Case) -> PlanOfAction:
    """The case's plan of action, created empty when there is none yet."""
    plan = _find_plan(case)
    if plan is None:
        plan = PlanOfAction(case_id=case.id)
        db.session.add(plan)
        db.session.flush()
    return plan


def save_plan(actor, case: Case, version: int | None, **fields) -> PlanOfAction:
    """Save the prioritised problem, planned activities and the date the client signed the plan.
    Once the plan is signed and being carried out, it stays as it was signed."""
    lifecycle.check_agreements_open(case.status)
    existing = _find_plan(case)
    if existing is not None:
        check_version(existing, version)
        if existing.signed_on and case.status in lifecycle.RUNNING:
            raise RuleViolation("plan_locked")
    lifecycle.check_not_before_referral(fields.get("signed_on"), case.referred_on)
    if fields.get("signed_on") and not (existing and existing.goals):
        raise RuleViolation("plan_needs_goals")
    plan = existing or _plan(case)
    changes = audit.apply_changes(plan, fields)
    if changes:
        audit.record(actor, "plan_saved", plan, changes, case.id)
    return plan


def _check_goals_open(case: Case, plan: PlanOfAction) -> None:
    """Goals change only before the client signs (the signature date can still be taken away
    until the plan is being carried out)."""
    if plan.signed_on:
        raise RuleViolation("plan_locked" if case.status in lifecycle.RUNNING else "plan_signed")


def add_goal(actor, case: Case, life_domain_id: int, goal: str, expected_result: str) -> PlanGoal:
    """Add a goal for one life domain, with the expected result, to the plan of action."""
    lifecycle.check_agreements_open(case.status)
    plan = _plan(case)
    _check_goals_open(case, plan)
    item = PlanGoal(
        life_domain_id=life_domain_id, goal=goal, expected_result=expected_result, position=len(plan.goals)
    )
    plan.goals.append(item)
    audit.record(
        actor,
        "goal_added",
        item,
        {
            "life_domain_id": [None, life_domain_id],
            "goal": [None, goal],
            "expected_result": [None, expected_result],
        },
        case.id,
    )
    return item


def remove_goal(actor, case: Case, goal: PlanGoal) -> None:
    """Take a goal out of a plan that is not signed yet."""
    lifecycle.check_agreements_open(case.status)
    _check_goals_open(case, goal.plan)
    goal.plan.goals.remove(goal)
    db.session.flush()  # the row is gone before the change is recorded
    changes = {"life_domain_id": [goal.life_domain_id, None], "goal": [goal.goal, None]}
    audit.record(actor, "goal_removed", goal, changes, case.id)


def start_plan(actor, case: Case) -> None:
    """Start carrying out the plan, once contract, consent and signed plan are all there."""
    lifecycle.check_start(load_case_records(case)["facts"])
    change_status(actor, case, lifecycle.IN_PROGRESS)
