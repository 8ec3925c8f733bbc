"""Money in whole cents: reading what a Dutch user types."""

import re

from . import RuleViolation

MAX_CENTS = 100_000_000_00  # a hundred million euro: anything above is a typing mistake

# Euros with an optional decimal comma and at most two decimals; the thousands may be grouped with
# dots or spaces (1.234,56 or 1 234,56) or not (1234,56). A dot is never a decimal point here:
# "12.50" is refused, and so is "12 50" (a space is not a decimal comma either).
_AMOUNT = re.compile(r"^(?P<euros>[0-9]{1,3}(?:[. ][0-9]{3})+|[0-9]+)(?:,(?P<cents>[0-9]{1,2}))?$")


def parse_amount(text: str) -> int:
    """The amount a person typed, in cents: '1.234,56', '12,50', '€ 10', '€10,-'.
    Refuses empty, negative, zero, more than two decimals, a decimal point, NaN, scientific
    notation and anything else that is not plainly an amount, each with its own code."""
    value = (text or "").strip().replace("\u00a0", " ")
    value = value.removeprefix("€").strip().removesuffix(",-").removesuffix(",--").strip()
    if not value:
        raise RuleViolation("amount_empty")
    if value.startswith("-"):
        raise RuleViolation("amount_negative")
    match = _AMOUNT.match(value)
    if match is None:
        if re.fullmatch(r"[0-9.]+,[0-9]{3,}", value):
            raise RuleViolation("amount_too_precise")
        if re.fullmatch(r"[0-9]+\.[0-9]{1,2}", value):
            raise RuleViolation("amount_decimal_point")
        raise RuleViolation("amount_invalid")
    euros = int(match["euros"].replace(".", "").replace(" ", ""))
    cents = int((match["cents"] or "0").ljust(2, "0"))
    total = euros * 100 + cents
    if total == 0:
        raise RuleViolation("amount_zero")
    if total > MAX_CENTS:
        raise RuleViolation("amount_too_large")
    return total
