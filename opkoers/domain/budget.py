"""The per-client budget: commitments may never add up to more than the budget, payments never to
more than their commitment; nothing is edited, a mistake is undone by a reversing entry."""

from . import RuleViolation

COMMITMENT = "commitment"
PAYMENT = "payment"
ENTRY_KINDS = (COMMITMENT, PAYMENT)
CATEGORIES = ("housing", "debts", "income", "care", "work", "mobility", "household", "other")


def check_within_budget(budget: int, committed: int, amount: int) -> None:
    """A new commitment may not take the committed total above the budget."""
    if committed + amount > budget:
        raise RuleViolation("over_budget", left=max(budget - committed, 0), amount=amount)


def check_payment(commitment: int, paid: int, amount: int) -> None:
    """Payments on a commitment may not add up to more than was committed."""
    if paid + amount > commitment:
        raise RuleViolation("over_commitment", left=max(commitment - paid, 0), amount=amount)


def check_new_budget(amount: int, committed: int) -> None:
    """A client's budget cannot be set below what is already committed."""
    if amount < committed:
        raise RuleViolation("budget_below_committed", committed=committed)


def check_reversible(already_reversed: bool, is_reversal: bool, has_payments: bool) -> None:
    """An entry is reversed once; a reversal is not reversed again; a commitment with payments on it
    is reversed only after those payments are."""
    if is_reversal:
        raise RuleViolation("reversal_of_reversal")
    if already_reversed:
        raise RuleViolation("already_reversed")
    if has_payments:
        raise RuleViolation("commitment_has_payments")
