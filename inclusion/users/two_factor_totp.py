"""The cryptography of the second factor (platform_rules.md §3), free of models and requests:

- RFC 4226 HOTP and RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits), written here so that the few lines that
  guard the back-office are ours to read and test against the RFC test vectors;
- the TOTP secret, encrypted at rest with Fernet;
- one-time backup codes, stored as hashes.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# RFC 6238 defaults, the only ones every authenticator application supports.
TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
# One step either side absorbs a phone clock up to 30 seconds off (RFC 6238 §5.2).
TOTP_ALLOWED_DRIFT_STEPS = 1
# 160 bits: the HMAC-SHA-1 key size RFC 4226 §4 recommends.
SECRET_BYTES = 20

BACKUP_CODES_COUNT = 10
# 32 symbols without 0/O nor 1/I, which people misread; 12 of them carry 60 bits.
BACKUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BACKUP_CODE_LENGTH = 12


# HOTP / TOTP -------------------------------------------------------------------------------------------------------


def hotp(secret: bytes, counter: int, *, digits: int = TOTP_DIGITS) -> str:
    """RFC 4226 §5.3: HMAC-SHA-1 of the counter, dynamically truncated to `digits` decimal digits."""
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    binary = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def totp_step(timestamp: float) -> int:
    """RFC 6238 §4.2: the number of 30-second steps since the Unix epoch."""
    return int(timestamp) // TOTP_STEP_SECONDS


def totp(secret: bytes, timestamp: float, *, digits: int = TOTP_DIGITS) -> str:
    return hotp(secret, totp_step(timestamp), digits=digits)


def matching_step(secret: bytes, code: str, *, timestamp: float, last_used_step: int | None) -> int | None:
    """The time step whose code is `code`, within the allowed drift, or None.

    A step at or before `last_used_step` never matches: a code seen once (over a shoulder, in a proxy log) cannot be
    replayed, even within its 90 seconds of validity (RFC 6238 §5.2).
    """
    current = totp_step(timestamp)
    for step in range(current - TOTP_ALLOWED_DRIFT_STEPS, current + TOTP_ALLOWED_DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def secret_base32(secret: bytes) -> str:
    """The secret as authenticator applications take it: base32, without the padding they do not expect."""
    return base64.b32encode(secret).decode().rstrip("=")


def secret_for_typing(secret: bytes) -> str:
    """The base32 secret in groups of 4, for people who type it instead of scanning the QR code."""
    text = secret_base32(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(secret: bytes, *, account: str, issuer: str) -> str:
    """The otpauth:// URI of the Key Uri Format that authenticator applications read from the QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    parameters = {
        "secret": secret_base32(secret),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": TOTP_DIGITS,
        "period": TOTP_STEP_SECONDS,
    }
    return f"otpauth://totp/{label}?{urlencode(parameters, quote_via=quote)}"


def qr_code_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI, shown in an <img> (the CSP allows img-src data:, and no script is needed)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


# Secrets at rest ---------------------------------------------------------------------------------------------------


def _fernet() -> MultiFernet:
    """Fernet keys from settings.TWO_FACTOR_ENCRYPTION_KEY (comma-separated: the first encrypts, all decrypt, so that
    a key can be rotated), or one derived from SECRET_KEY when the setting is empty."""
    keys = [key.strip() for key in settings.TWO_FACTOR_ENCRYPTION_KEY.split(",") if key.strip()]
    if not keys:
        digest = hashlib.sha256(b"inclusion.users.two_factor:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "TWO_FACTOR_ENCRYPTION_KEY must hold Fernet keys (32 url-safe base64-encoded bytes, see "
            "cryptography.fernet.Fernet.generate_key()), separated by commas."
        ) from error


def encrypt_secret(secret: bytes) -> str:
    return _fernet().encrypt(secret).decode()


def decrypt_secret(token: str) -> bytes | None:
    """The secret, or None when no configured key opens it (a key lost or changed)."""
    try:
        return _fernet().decrypt(token.encode())
    except InvalidToken:
        return None


# Backup codes ------------------------------------------------------------------------------------------------------


def new_backup_codes() -> list[str]:
    return [
        "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        for _ in range(BACKUP_CODES_COUNT)
    ]


def format_backup_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_backup_code(typed: str) -> str | None:
    """The code as stored, from what a person typed (any case, spaces or dashes), or None if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) == BACKUP_CODE_LENGTH and all(c in BACKUP_CODE_ALPHABET for c in code):
        return code
    return None


def hash_backup_code(code: str) -> str:
    # 60 random bits leave no dictionary to try: like an API token, a fast unsalted hash is enough, and lets a code
    # be found with one indexed query instead of one slow password hash per remaining code.
    return hashlib.sha256(code.encode()).hexdigest()
