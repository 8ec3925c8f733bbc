"""Time-based one-time passwords (RFC 6238, as authenticator apps compute them) and recovery codes.

A code belongs to a 30-second time step. One step either side is accepted for a clock that runs a
little off; a step is accepted once per account, so a code seen over someone's shoulder is useless."""

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

PERIOD = 30
DIGITS = 6
DRIFT = 1  # steps either side
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    """A fresh secret in base32, the form authenticator apps read (and people can type)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def is_valid_secret(secret: str) -> bool:
    """Whether text is a secret this app could have made (base32 of the right length)."""
    try:
        return len(base64.b32decode(secret, casefold=False)) == SECRET_BYTES
    except (ValueError, TypeError):
        return False


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // PERIOD


def code_at(secret: str, step: int) -> str:
    """The code an authenticator app shows for this secret during this time step."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalise_code(text: str) -> str:
    """What someone typed, without spaces and dashes (apps show '123 456')."""
    return "".join(ch for ch in (text or "") if ch not in " -\t")


def matching_step(secret: str, code: str, moment: datetime, last_used_step: int | None) -> int | None:
    """The time step the code belongs to, if it is valid now and newer than the last step used."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_of(moment)
    for step in range(now - DRIFT, now + DRIFT + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address a QR code carries to an authenticator app."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": PERIOD})
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes() -> list[str]:
    """Single-use codes for when the phone is lost: ten of 'xxxxx-xxxxx' (50 random bits each)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_code_digest(code: str) -> str:
    """How a recovery code is stored: hashed, compared without its dash and case."""
    plain = normalise_code(code).lower()
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()
