"""Mandated rule deviations: propose, decide under the mandate, carry out, record the outcome,
correct or withdraw (a new record); and the anonymised register of where the rules fail people."""

from datetime import date

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from .. import audit
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..domain import deviations as rules
from ..extensions import db
from ..labels import label
from ..models import Case, Deviation, Meeting, Organisation, Rule
from ..timeutil import LOCAL_TZ
from . import check_version

PROPOSAL_FIELDS = ("rule_id", "what_differently", "motivation", "expected_effect", "valid_until")


def active_rules() -> list[Rule]:
    """The maintained list of rules to choose from."""
    return db.session.scalars(
        select(Rule)
        .where(Rule.active)
        .options(joinedload(Rule.organisation))
        .order_by(Rule.name, Rule.reference)
    ).all()


def add_rule(actor, kind: str, name: str, reference: str, organisation_id: int | None) -> Rule:
    """Put a rule on the list (or find it when it is already there)."""
    existing = db.session.scalar(
        select(Rule).where(
            Rule.kind == kind,
            func.lower(Rule.name) == name.lower(),
            func.lower(Rule.reference) == reference.lower(),
            Rule.organisation_id.is_(None)
            if organisation_id is None
            else Rule.organisation_id == organisation_id,
        )
    )
    if existing:
        return existing
    rule = Rule(kind=kind, name=name, reference=reference, organisation_id=organisation_id)
    db.session.add(rule)
    audit.record(
        actor, "rule_added", rule, audit.snapshot(rule, ("kind", "name", "reference", "organisation_id"))
    )
    return rule


def all_rules() -> list[Rule]:
    """Every rule, also those no longer in use (for the beheer list)."""
    return db.session.scalars(
        select(Rule)
        .options(joinedload(Rule.organisation))
        .order_by(Rule.active.desc(), Rule.name, Rule.reference)
    ).all()


def update_rule(
    actor,
    rule: Rule,
    version: int | None,
    *,
    kind: str,
    name: str,
    reference: str,
    organisation_id,
    active: bool,
) -> None:
    """Correct a rule's name or reference, or take it off the list (deviations keep referring to it)."""
    check_version(rule, version)
    duplicate = db.session.scalar(
        select(Rule.id).where(
            Rule.id != rule.id,
            Rule.kind == kind,
            func.lower(Rule.name) == name.lower(),
            func.lower(Rule.reference) == (reference or "").lower(),
            Rule.organisation_id.is_(None)
            if organisation_id is None
            else Rule.organisation_id == organisation_id,
        )
    )
    if duplicate:
        raise RuleViolation("duplicate_name")
    values = {
        "kind": kind,
        "name": name,
        "reference": reference or "",
        "organisation_id": organisation_id,
        "active": active,
    }
    changes = audit.apply_changes(rule, values)
    if changes:
        audit.record(actor, "rule_updated", rule, changes)


def _check_case(case: Case) -> None:
    if case.status not in (lifecycle.ADMITTED, lifecycle.IN_PROGRESS):
        raise RuleViolation("deviation_needs_admission")


def propose(
    actor, case: Case, replaces: Deviation | None = None, successor_kind: str | None = None, **fields
):
    """Propose a deviation for this client: which rule, what is done differently and why."""
    _check_case(case)
    rules.check_motivation(fields["motivation"])
    if replaces is not None:
        if replaces.case_id != case.id:
            raise RuleViolation("deviation_not_decided")
        rules.check_successor(is_in_force(replaces), _open_successor(replaces))
    deviation = Deviation(
        case_id=case.id,
        proposed_by_id=actor.id,
        replaces_id=replaces.id if replaces else None,
        successor_kind=successor_kind if replaces else None,
        **{k: fields.get(k) for k in PROPOSAL_FIELDS},
    )
    db.session.add(deviation)
    changes = audit.snapshot(deviation, PROPOSAL_FIELDS)
    if replaces:
        changes["replaces"] = [None, f"#{replaces.id}"]
    audit.record(actor, f"deviation_{successor_kind or 'proposed'}", deviation, changes, case.id)
    return deviation


def _open_successor(deviation: Deviation) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Deviation.replaces_id == deviation.id, Deviation.status == rules.PROPOSED))
        )
    )


def decide(
    actor,
    deviation: Deviation,
    version: int | None,
    outcome: str,
    meeting_id: int | None,
    decided_on: date,
    reasoning: str,
) -> None:
    """Decide (or reject) a proposal under the mandate; from then on it is read-only."""
    check_version(deviation, version)
    if actor.role != "projectgroep":
        raise RuleViolation("decider_not_projectgroep")
    rules.check_decidable(deviation.status)
    if outcome not in (rules.DECIDED, rules.REJECTED):
        raise RuleViolation("deviation_not_decided")
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.case_id != deviation.case_id:
            raise RuleViolation("meeting_of_other_case")
    lifecycle.check_not_before_referral(decided_on, deviation.case.referred_on)
    changes = audit.apply_changes(
        deviation,
        {
            "status": outcome,
            "decided_by_id": actor.id,
            "meeting_id": meeting_id,
            "decided_on": decided_on,
            "decision_reasoning": reasoning,
        },
    )
    changes["deviation_status"] = changes.pop("status")
    if changes.pop("meeting_id", None):
        meeting = db.session.get(Meeting, meeting_id)
        day = meeting.starts_at.astimezone(LOCAL_TZ).strftime("%d-%m-%Y")
        changes["meeting"] = [None, f"{label('meeting_kind', meeting.kind)} {day}"]
    audit.record(actor, "deviation_decided", deviation, changes, deviation.case_id)


def record_execution(actor, deviation: Deviation, organisation_id: int, executed_on: date) -> None:
    """Record which organisation carried the deviation out, and when."""
    rules.check_executable(is_in_force(deviation), deviation.executed_on is not None)
    changes = audit.apply_changes(
        deviation, {"executed_by_organisation_id": organisation_id, "executed_on": executed_on}
    )
    audit.record(actor, "deviation_executed", deviation, changes, deviation.case_id)


def record_outcome(actor, deviation: Deviation, outcome: str, in_register: bool) -> None:
    """Record what became of the deviation; its text is in the register only when chosen so."""
    rules.check_outcome(is_in_force(deviation), bool(deviation.outcome))
    changes = audit.apply_changes(deviation, {"outcome": outcome, "outcome_in_register": in_register})
    audit.record(actor, "deviation_outcome", deviation, changes, deviation.case_id)


# ---------------------------------------------------------------- what the pages show


def case_deviations(case: Case) -> list[Deviation]:
    """The deviations of a case, newest first."""
    return db.session.scalars(
        select(Deviation)
        .where(Deviation.case_id == case.id)
        .options(joinedload(Deviation.decided_by), joinedload(Deviation.meeting))
        .order_by(Deviation.id.desc())
    ).all()


def successors(deviation: Deviation) -> list[Deviation]:
    """The corrections and withdrawals that refer to this deviation."""
    return db.session.scalars(
        select(Deviation).where(Deviation.replaces_id == deviation.id).order_by(Deviation.id)
    ).all()


def in_force():
    """SQL condition on Deviation: decided, not a withdrawal, and not replaced by a decided
    correction or withdrawal (each chain counts once, as its latest decision)."""
    later = aliased(Deviation)
    replaced = exists().where(later.replaces_id == Deviation.id, later.status == rules.DECIDED)
    return and_(
        Deviation.status == rules.DECIDED,
        func.coalesce(Deviation.successor_kind, "") != rules.WITHDRAWAL,
        ~replaced,
    )


def is_in_force(deviation: Deviation) -> bool:
    """Whether this deviation is decided and not withdrawn or replaced by a decided successor."""
    db.session.flush()
    return bool(db.session.scalar(select(exists().where(Deviation.id == deviation.id, in_force()))))


OUTCOMES_SHOWN = 5  # per rule on the register page: the most frequent outcomes


def register(outcomes_per_rule: int | None = OUTCOMES_SHOWN) -> list[dict]:
    """Per rule: how often it was deviated from, how often carried out, and the outcomes chosen for
    the register — each different outcome once, with how often it was chosen, the most frequent
    first; at most outcomes_per_rule of them (None: all), and how many more there are.
    Anonymised: no client, no dates, no other free text."""
    counted = db.session.execute(
        select(
            Rule.id,
            Rule.kind,
            Rule.name,
            Rule.reference,
            Organisation.name,
            func.count(Deviation.id),
            func.count(Deviation.executed_on),
        )
        .join(Deviation, Deviation.rule_id == Rule.id)
        .outerjoin(Organisation, Organisation.id == Rule.organisation_id)
        .where(in_force())
        .group_by(Rule.id, Rule.kind, Rule.name, Rule.reference, Organisation.name)
        .order_by(func.count(Deviation.id).desc(), Rule.name)
    ).all()
    times = func.count(Deviation.id)
    ranked = (
        select(
            Deviation.rule_id,
            Deviation.outcome,
            times.label("times"),
            func.row_number()
            .over(partition_by=Deviation.rule_id, order_by=(times.desc(), Deviation.outcome))
            .label("rank"),
            func.count().over(partition_by=Deviation.rule_id).label("different"),
        )
        .where(in_force(), Deviation.outcome_in_register, Deviation.outcome != "")
        .group_by(Deviation.rule_id, Deviation.outcome)
        .subquery()
    )
    query = select(ranked.c.rule_id, ranked.c.outcome, ranked.c.times, ranked.c.different).order_by(
        ranked.c.rule_id, ranked.c.rank
    )
    if outcomes_per_rule is not None:
        query = query.where(ranked.c.rank <= outcomes_per_rule)
    outcomes: dict[int, list[tuple[str, int]]] = {}
    different: dict[int, int] = {}
    for rule_id, text, count, kinds in db.session.execute(query):
        outcomes.setdefault(rule_id, []).append((text, count))
        different[rule_id] = kinds
    return [
        {
            "kind": kind,
            "name": name,
            "reference": reference,
            "organisation": organisation or "",
            "count": count,
            "executed": executed,
            "outcomes": outcomes.get(rule_id, []),
            "more_outcomes": different.get(rule_id, 0) - len(outcomes.get(rule_id, [])),
        }
        for rule_id, kind, name, reference, organisation, count, executed in counted
    ]
