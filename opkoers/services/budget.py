"""The per-client budget: open it at admission, commit and pay from it, reverse a mistake, decide
on a different amount; the totals per case and across cases."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import case as sql_case
from sqlalchemy import extract, func, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..domain import RuleViolation
from ..domain import budget as rules
from ..domain import case_status as lifecycle
from ..extensions import db
from ..models import BudgetDecision, BudgetEntry, Case, CaseBudget, User
from . import settings

DEFAULT_BUDGET_KEY = "default_budget_cents"
SPENDING_STATUSES = (lifecycle.ADMITTED, lifecycle.IN_PROGRESS, lifecycle.AFTERCARE)


def default_budget_cents() -> int:
    """The budget a newly admitted client gets: the beheerder's setting, else config.py."""
    return int(settings.value(DEFAULT_BUDGET_KEY, str(current_app.config["DEFAULT_BUDGET_CENTS"])))


def default_budget_setting() -> tuple[int | None, int]:
    """The stored setting's version (None before it was ever changed) and the default in cents."""
    return settings.version(DEFAULT_BUDGET_KEY), default_budget_cents()


def set_default_budget(actor, amount_cents: int, version: int | None) -> None:
    """Change the default budget for clients admitted from now on."""
    settings.save(
        actor,
        DEFAULT_BUDGET_KEY,
        str(amount_cents),
        version,
        default=str(current_app.config["DEFAULT_BUDGET_CENTS"]),
        action="default_budget_changed",
        field="default_budget",
    )


def open_budget(actor, case: Case) -> CaseBudget:
    """Give an admitted client the default budget (once)."""
    budget = db.session.scalar(select(CaseBudget).where(CaseBudget.case_id == case.id))
    if budget is None:
        budget = CaseBudget(case_id=case.id, amount_cents=default_budget_cents())
        db.session.add(budget)
        audit.record(actor, "budget_opened", budget, {"amount_cents": [None, budget.amount_cents]}, case.id)
    return budget


def _locked_budget(case: Case) -> CaseBudget:
    """The client's budget row, locked until the transaction ends: a second writer waits here, then
    sees the first one's entry (PostgreSQL: FOR UPDATE; SQLite: every transaction writes alone)."""
    if case.status not in SPENDING_STATUSES:
        raise RuleViolation("budget_needs_admission")
    budget = db.session.scalar(
        select(CaseBudget)
        .where(CaseBudget.case_id == case.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if budget is None:
        raise RuleViolation("budget_needs_admission")
    return budget


def _sum(condition) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(BudgetEntry.amount_cents), 0)).where(*condition))


def _committed(case_id: int) -> int:
    return _sum((BudgetEntry.case_id == case_id, BudgetEntry.kind == rules.COMMITMENT))


def _decider(decided_by_id: int) -> User:
    """Spending is decided under the mandate: by a project-group member."""
    user = db.session.get(User, decided_by_id) if decided_by_id else None
    if user is None or user.role != "projectgroep":
        raise RuleViolation("decider_not_projectgroep")
    return user


ENTRY_FIELDS = ("kind", "category", "description", "payee", "amount_cents", "decided_by_id", "entry_date")


def _record(actor, entry: BudgetEntry, what: str) -> BudgetEntry:
    db.session.add(entry)
    changes = audit.snapshot(entry, ENTRY_FIELDS)
    changes["entry_kind"] = changes.pop("kind")  # (the trail's "kind" is a selection step)
    for field, other in (("reverses", entry.reverses_id), ("on_commitment", entry.commitment_id)):
        if other:
            changes[field] = [None, f"#{other}"]
    audit.record(actor, what, entry, changes, entry.case_id)
    return entry


def commit(
    actor,
    case: Case,
    *,
    category: str,
    description: str,
    payee: str,
    amount_cents: int,
    decided_by_id: int,
    entry_date: date,
    meeting_id: int | None = None,
) -> BudgetEntry:
    """Commit money from the client's budget; refused when it would exceed the budget."""
    budget = _locked_budget(case)
    _decider(decided_by_id)
    rules.check_within_budget(budget.amount_cents, _committed(case.id), amount_cents)
    entry = BudgetEntry(
        case_id=case.id,
        kind=rules.COMMITMENT,
        category=category,
        description=description,
        payee=payee,
        amount_cents=amount_cents,
        decided_by_id=decided_by_id,
        meeting_id=meeting_id,
        entry_date=entry_date,
        created_by_id=actor.id,
    )
    return _record(actor, entry, "budget_committed")


def pay(
    actor, case: Case, commitment: BudgetEntry, *, amount_cents: int, decided_by_id: int, entry_date: date
) -> BudgetEntry:
    """Record a payment on a commitment; refused when the payments would exceed it."""
    _locked_budget(case)
    _decider(decided_by_id)
    if commitment.kind != rules.COMMITMENT or commitment.reverses_id is not None or _is_reversed(commitment):
        raise RuleViolation("not_an_open_commitment")
    paid = _sum((BudgetEntry.commitment_id == commitment.id, BudgetEntry.kind == rules.PAYMENT))
    rules.check_payment(commitment.amount_cents, paid, amount_cents)
    entry = BudgetEntry(
        case_id=case.id,
        kind=rules.PAYMENT,
        category=commitment.category,
        description=commitment.description,
        payee=commitment.payee,
        amount_cents=amount_cents,
        commitment_id=commitment.id,
        decided_by_id=decided_by_id,
        meeting_id=commitment.meeting_id,
        entry_date=entry_date,
        created_by_id=actor.id,
    )
    return _record(actor, entry, "budget_paid")


def _is_reversed(entry: BudgetEntry) -> bool:
    return db.session.scalar(select(func.count()).where(BudgetEntry.reverses_id == entry.id)) > 0


def reverse(actor, case: Case, entry: BudgetEntry, reason: str, entry_date: date) -> BudgetEntry:
    """Undo a commitment or payment with an entry of the opposite amount that refers to it."""
    _locked_budget(case)
    open_payments = _sum((BudgetEntry.commitment_id == entry.id, BudgetEntry.kind == rules.PAYMENT))
    rules.check_reversible(_is_reversed(entry), entry.reverses_id is not None, open_payments > 0)
    reversal = BudgetEntry(
        case_id=case.id,
        kind=entry.kind,
        category=entry.category,
        description=reason,
        payee=entry.payee,
        amount_cents=-entry.amount_cents,
        commitment_id=entry.commitment_id,
        reverses_id=entry.id,
        decided_by_id=actor.id,
        meeting_id=entry.meeting_id,
        entry_date=entry_date,
        created_by_id=actor.id,
    )
    return _record(actor, reversal, "budget_reversed")


def decide_amount(
    actor, case: Case, new_cents: int, motivation: str, decided_on: date, meeting_id: int | None = None
) -> BudgetDecision:
    """Give one client a different budget: a decision with a motivation, never below what is committed."""
    budget = _locked_budget(case)
    rules.check_new_budget(new_cents, _committed(case.id))
    decision = BudgetDecision(
        case_id=case.id,
        old_cents=budget.amount_cents,
        new_cents=new_cents,
        motivation=motivation,
        decided_by_id=actor.id,
        meeting_id=meeting_id,
        decided_on=decided_on,
    )
    budget.amount_cents = new_cents
    db.session.add(decision)
    changes = {
        "amount_cents": [decision.old_cents, new_cents],
        "motivation": [None, motivation],
        "decided_on": [None, decided_on.isoformat()],
    }
    audit.record(actor, "budget_amount_decided", decision, changes, case.id)
    return decision


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class Totals:
    budget: int
    committed: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.budget - self.committed

    @property
    def committed_percent(self) -> int:
        return min(100, round(100 * self.committed / self.budget)) if self.budget else 0


def _kind_sums():
    """Committed and paid over every case (reversals net out)."""
    committed = func.coalesce(
        func.sum(sql_case((BudgetEntry.kind == rules.COMMITMENT, BudgetEntry.amount_cents), else_=0)), 0
    )
    paid = func.coalesce(
        func.sum(sql_case((BudgetEntry.kind == rules.PAYMENT, BudgetEntry.amount_cents), else_=0)), 0
    )
    return db.session.execute(select(committed, paid)).one()


def case_budget(case: Case) -> dict | None:
    """The client's budget, its totals and its entries (newest first), or None before admission."""
    budget = db.session.scalar(select(CaseBudget).where(CaseBudget.case_id == case.id))
    if budget is None:
        return None
    entries = db.session.scalars(
        select(BudgetEntry).where(BudgetEntry.case_id == case.id).order_by(BudgetEntry.id.desc())
    ).all()
    committed = sum(e.amount_cents for e in entries if e.kind == rules.COMMITMENT)
    paid = sum(e.amount_cents for e in entries if e.kind == rules.PAYMENT)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    paid_per_commitment: dict[int, int] = {}
    for e in entries:
        if e.kind == rules.PAYMENT:
            paid_per_commitment[e.commitment_id] = (
                paid_per_commitment.get(e.commitment_id, 0) + e.amount_cents
            )
    decisions = db.session.scalars(
        select(BudgetDecision)
        .where(BudgetDecision.case_id == case.id)
        .options(joinedload(BudgetDecision.decided_by))
        .order_by(BudgetDecision.id)
    ).all()
    return {
        "budget": budget,
        "totals": Totals(budget.amount_cents, committed, paid),
        "entries": entries,
        "reversed_ids": reversed_ids,
        "paid_per_commitment": paid_per_commitment,
        "decisions": decisions,
    }


def overview() -> dict:
    """Across all cases: total available and committed, and commitments by category and by month."""
    available = db.session.scalar(select(func.coalesce(func.sum(CaseBudget.amount_cents), 0)))
    committed, paid = _kind_sums()
    is_commitment = BudgetEntry.kind == rules.COMMITMENT
    by_category = db.session.execute(
        select(BudgetEntry.category, func.sum(BudgetEntry.amount_cents))
        .where(is_commitment)
        .group_by(BudgetEntry.category)
        .order_by(func.sum(BudgetEntry.amount_cents).desc())
    ).all()
    year, month = extract("year", BudgetEntry.entry_date), extract("month", BudgetEntry.entry_date)
    committed_sum = func.sum(sql_case((is_commitment, BudgetEntry.amount_cents), else_=0))
    paid_sum = func.sum(sql_case((BudgetEntry.kind == rules.PAYMENT, BudgetEntry.amount_cents), else_=0))
    by_month = db.session.execute(
        select(year, month, committed_sum, paid_sum).group_by(year, month).order_by(year.desc(), month.desc())
    ).all()
    return {
        "totals": Totals(available, committed, paid),
        "by_category": by_category,
        "by_month": [(int(y), int(m), c, p) for y, m, c, p in by_month],
    }
