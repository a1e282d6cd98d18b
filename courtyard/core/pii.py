"""Personal information (PIPL): encryption at rest, keyed lookup hashes and masking.

Phone and ID numbers are stored as AES-256-GCM ciphertext (random nonce, so two equal
numbers give different ciphertexts) and looked up through an HMAC-SHA256 "blind index"
computed with a separate key. Both keys come from the environment (settings).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _key(value: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except Exception as exc:  # noqa: BLE001
        raise ImproperlyConfigured(f"{name} is not valid base64") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes")
    return raw


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    return AESGCM(_key(key, "COURTYARD_FIELD_KEY"))


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    return _key(key, "COURTYARD_INDEX_KEY")


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    ct = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plain.encode(), None)
    return PREFIX + base64.b64encode(nonce + ct).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(PREFIX) :])
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(kind: str, normalized: str) -> str:
    """Keyed hash for exact lookup; `kind` separates phone and ID namespaces."""
    mac = hmac.new(_index_key(settings.BLIND_INDEX_KEY), f"{kind}:{normalized}".encode(), hashlib.sha256)
    return mac.hexdigest()


def normalize_phone(value: str | int | None) -> str:
    """Return an 11-digit mainland mobile number or raise ValueError."""
    if value is None:
        raise ValueError("empty")
    digits = re.sub(r"[\s\-()]", "", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if digits.endswith(".0"):  # Excel turns numbers into floats
        digits = digits[:-2]
    if not PHONE_RE.match(digits):
        raise ValueError("not a mainland mobile number")
    return digits


def normalize_id_number(value: str | None) -> str:
    """Return an 18-character resident ID number with a valid check digit, or raise ValueError."""
    if not value:
        raise ValueError("empty")
    ident = str(value).strip().upper()
    if not ID_RE.match(ident):
        raise ValueError("not an 18-character ID number")
    total = sum(int(d) * w for d, w in zip(ident[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != ident[17]:
        raise ValueError("ID number check digit is wrong")
    return ident


def phone_index(value: str) -> str:
    return blind_index("phone", normalize_phone(value))


def id_index(value: str) -> str:
    return blind_index("id", normalize_id_number(value))


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 7 else "****"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if len(value) > 7 else "****"


def mask_name(value: str | None) -> str:
    """Public pages show private persons as 张* / 欧阳** ."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else value + "*"


_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def scrub(text: str) -> str:
    """Mask mobile and ID numbers inside free text shown on a public surface (a request's
    title in Open311, for instance): residents type their number into the first line."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group().upper()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group())[-11:]), text)
