"""Login by mobile number and password, with progressive delays on failed attempts.

Failures are counted in four buckets (ADR 0010):

* the account from this client address: a few free tries, then the wait doubles up to
  LOGIN_MAX_DELAY (5 minutes) — the one attacker on one address is slowed hard;
* the account from anywhere: more free tries, then at most LOGIN_ACCOUNT_MAX_DELAY
  (1 minute) — a distributed guess is slowed, yet the owner is never locked out for long;
* the client address over all accounts: many free tries (a family, an office or a community
  centre share one address), then at most a minute;
* a known device: after a successful login the browser gets a signed cookie naming the
  account; attempts that carry it are counted on that device alone, so nobody else's
  failures can make the owner's own phone wait.

The client address is read through `throttle.client_ip`, which honours
COURTYARD_TRUSTED_PROXIES; behind nginx without that setting every resident would share
nginx's address and one attacker would slow the whole community.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing

from . import pii
from .models import User
from .throttle import Backoff, address_bucket, client_ip

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "cy_device"
_DEVICE_SALT = "courtyard.login.device"
_DEVICE_MAX_AGE = 365 * 24 * 3600


class PhoneBackend(ModelBackend):
    """Authenticates `phone` + `password`; the phone is found through its keyed hash."""

    def authenticate(self, request, phone=None, password=None, username=None, **kwargs):
        phone = phone or username
        if not phone or not password:
            return None
        try:
            user = User.objects.get_by_phone(phone)
        except (User.DoesNotExist, ValueError):
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    # Permissions come from roles in code (org/roles.py, django-rules; ADR 0002), never from Django's
    # per-user or per-group permission tables; asking those cost two queries on every page that
    # checks a permission. Superusers still pass every check (PermissionsMixin.has_perm).
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def phone_key(raw: str) -> str:
    try:
        return pii.phone_index(raw)
    except ValueError:
        return "invalid"


def _buckets() -> dict[str, Backoff]:
    free = settings.LOGIN_RATE_LIMIT
    cap = settings.LOGIN_MAX_DELAY
    wide_cap = settings.LOGIN_ACCOUNT_MAX_DELAY
    return {
        "pair": Backoff("login-pair", free=free, base=2, cap=cap),
        "device": Backoff("login-device", free=free, base=2, cap=cap),
        "account": Backoff("login-account", free=free * 4, base=2, cap=wide_cap),
        "address": Backoff("login-address", free=free * 20, base=2, cap=wide_cap),
    }


@dataclass(frozen=True)
class Attempt:
    """One login attempt: the account tried, the client's address and, if known, the device."""

    account: str
    address: str | None
    device: str | None

    @classmethod
    def from_request(cls, request, phone: str) -> Attempt:
        account = phone_key(phone)
        return cls(account=account, address=address_bucket(client_ip(request)),
                   device=_device_of(request, account))

    def _idents(self) -> dict[str, str]:
        if self.device:
            return {"device": f"{self.account}:{self.device}"}
        idents = {"pair": f"{self.account}:{self.address or '-'}", "account": self.account}
        if self.address:
            idents["address"] = self.address
        return idents

    def wait(self) -> int:
        """Seconds to wait before this attempt may be checked; 0 to go ahead."""
        buckets = _buckets()
        return max((buckets[name].wait(ident) for name, ident in self._idents().items()), default=0)

    def failed(self) -> None:
        buckets = _buckets()
        for name, ident in self._idents().items():
            buckets[name].fail(ident, forget_after=settings.LOGIN_RATE_WINDOW)
        logger.info("login failed", extra={"event": "login.failed", "address": self.address,
                                           "known_device": bool(self.device)})

    def succeeded(self, response) -> None:
        """Forget this client's failures on the account and remember the device."""
        buckets = _buckets()
        buckets["pair"].clear(f"{self.account}:{self.address or '-'}")
        nonce = self.device or secrets.token_urlsafe(12)
        buckets["device"].clear(f"{self.account}:{nonce}")
        token = signing.dumps({"a": self.account[:32], "d": nonce}, salt=_DEVICE_SALT)
        response.set_cookie(DEVICE_COOKIE, token, max_age=_DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)


def _device_of(request, account: str) -> str | None:
    """The device nonce from a valid cookie issued for this same account, else None."""
    token = request.COOKIES.get(DEVICE_COOKIE)
    if not token or account == "invalid":
        return None
    try:
        data = signing.loads(token, salt=_DEVICE_SALT, max_age=_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != account[:32] or not isinstance(data.get("d"), str):
        return None
    return data["d"][:32]
