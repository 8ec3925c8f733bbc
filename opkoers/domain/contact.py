"""The shape of contact details."""

import re

# One plain address: no spaces, and none of the characters that make a header hold several
# addresses or a display name (, ; : " ( ) < > [ ] \).
EMAIL_PATTERN = r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$"
EMAIL_MAX_LENGTH = 254
_EMAIL = re.compile(EMAIL_PATTERN)


def is_email(value: str) -> bool:
    """Whether the text looks like one e-mail address (name@domain.tld, at most 254 characters)."""
    return len(value) <= EMAIL_MAX_LENGTH and bool(_EMAIL.match(value))
