"""Intake, the selection steps and the admission decision."""

from sqlalchemy import select

from .. import audit
from ..domain import case_status as lifecycle
from ..domain.decision_tree import CRITERIA
from ..extensions import db
from ..models import Case, Intake, IntakeProblem, SelectionStep
from ..models.base import utcnow
from . import change_status, check_version, retention, self_reliance
from .budget import open_budget
from .cases import load_case_records

QUESTION_FIELDS = ("who_asks", "problem", "concerns_whom", "tried", "goal")
TREE_FIELDS = tuple(f"tree_{c.lower()}{suffix}" for c in CRITERIA for suffix in ("", "_note"))


def start_intake(actor, case: Case) -> Intake:
    """Move a referred case into intake and open an empty intake form."""
    change_status(actor, case, lifecycle.INTAKE)
    intake = Intake(case_id=case.id)
    db.session.add(intake)
    audit.record(actor, "intake_started", intake, {}, case.id)
    return intake


def save_intake(
    actor, case: Case, intake: Intake, version: int | None, problems: dict[int, str], **fields
) -> None:
    """Save the five questions, the decision tree A–D and the problem per life domain."""
    lifecycle.check_intake_open(case.status)  # after the decision, its answers stay as they were
    check_version(intake, version)
    changes = audit.apply_changes(intake, {k: fields[k] for k in (*QUESTION_FIELDS, *TREE_FIELDS)})
    current = {p.life_domain_id: p for p in intake.problems}
    for domain_id, text in problems.items():
        existing = current.get(domain_id)
        old = existing.description if existing else None
        if text and existing is None:
            position = max((p.position for p in intake.problems), default=0) + 1  # new ones last
            intake.problems.append(
                IntakeProblem(life_domain_id=domain_id, description=text, position=position)
            )
        elif text and existing.description != text:
            existing.description = text
        elif not text and existing is not None:
            intake.problems.remove(existing)
        else:
            continue
        changes[f"problem:{domain_id}"] = [old, text or None]
    if changes:
        intake.updated_at = utcnow()  # touches the row, so its version moves on every save
        audit.record(actor, "intake_saved", intake, changes, case.id)


def record_step(actor, case: Case, kind: str, version: int | None, **fields) -> SelectionStep:
    """Record (or correct) one selection step: when, by whom, a note, and for the intake talk the report."""
    lifecycle.check_intake_open(case.status)
    lifecycle.check_not_before_referral(fields.get("held_on"), case.referred_on)
    step = db.session.scalar(
        select(SelectionStep).where(SelectionStep.case_id == case.id, SelectionStep.kind == kind)
    )
    if step is None:
        step = SelectionStep(case_id=case.id, kind=kind, **fields)
        db.session.add(step)
        audit.record(
            actor, "step_recorded", step, {"kind": [None, kind], **audit.snapshot(step, fields)}, case.id
        )
    else:  # a form opened before the step existed (no version) finds it recorded by someone else
        check_version(step, version)
        changes = audit.apply_changes(step, fields)
        if changes:
            audit.record(actor, "step_corrected", step, {"kind": [kind, kind], **changes}, case.id)
    return step


def decide(actor, case: Case, outcome: str, motivation: str, decided_on, told_client: str = "") -> None:
    """Admit or decline, with motivation and what the client was told of the next steps and the
    waiting time; a declined case closes with that reason."""
    facts = load_case_records(case)["facts"]
    lifecycle.check_decision(facts, outcome)
    lifecycle.check_not_before_referral(decided_on, case.referred_on)
    values = {
        "decision": outcome,
        "decision_motivation": motivation,
        "decision_told_client": told_client,
        "decided_on": decided_on,
        "decided_by_id": actor.id,
        "status": lifecycle.ADMITTED if outcome == "admitted" else lifecycle.DECLINED,
    }
    if outcome == "declined":
        values.update(closed_on=decided_on, closed_reason=motivation)
    changes = audit.apply_changes(case, values)
    if outcome == "declined":
        retention.mark_ended(case, decided_on)
    audit.record(actor, "decision_taken", case, changes, case.id)
    if outcome == "admitted":
        open_budget(actor, case)
        self_reliance.plan_start(actor, case, case.handler_id or actor.id, decided_on)
