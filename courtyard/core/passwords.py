"""Passwords: a user changes their own; staff send a resident a one-time code by SMS and the
resident sets a new password with it (ADR 0010). Every write is audited; nothing here ever
writes a password or a code to the audit trail, the inbox or the log.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from . import pii
from .audit import Actor, record
from .models import PasswordResetCode, User
from .notify import get_adapter
from .throttle import hit

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
MAX_TRIES = 5  # wrong codes before the code dies
_SALT = "courtyard.core.passwords.reset-code"


class PasswordNotDigits:
    """Refuses a password that contains the account's own mobile number."""

    def validate(self, password: str, user=None) -> None:
        phone = getattr(user, "phone", "") or ""
        if phone and phone in password:
            raise ValidationError(_("The password must not contain your mobile number."), code="password_has_phone")

    def get_help_text(self) -> str:
        return _("Your password must not contain your mobile number.")


def _check_new(user: User, new: str, again: str) -> None:
    if new != again:
        raise ValidationError(_("The two new passwords are not the same."))
    password_validation.validate_password(new, user)


def _hash(user_id: int, code: str) -> str:
    return salted_hmac(_SALT, f"{user_id}:{code}", algorithm="sha256").hexdigest()


def _audit_scope(user: User) -> dict:
    person = getattr(user, "person", None)
    if person is None:
        return {}
    return {"community_id": person.community_id, "unit_id": getattr(person, "unit_id", None)}


# ---------------------------------------------------------------- change your own
@transaction.atomic
def change_password(*, by: Actor, user: User, old: str, new: str, again: str) -> None:
    """The user's own change: the old password, then the new one twice and the strength rules."""
    if by.user is None or by.user.pk != user.pk:
        raise ValidationError(_("You can only change your own password."))
    if not hit(f"pwchange:{user.pk}", limit=settings.LOGIN_RATE_LIMIT, period=settings.LOGIN_RATE_WINDOW):
        raise ValidationError(_("Too many attempts. Please wait 15 minutes and try again."))
    if not user.check_password(old):
        raise ValidationError(_("The current password is wrong."))
    _check_new(user, new, again)
    user.set_password(new)
    user.save(update_fields=["password"])
    record(by, "core.user.password_change", user, **_audit_scope(user))


# ---------------------------------------------------------------- reset with a code
@transaction.atomic
def issue_reset_code(*, by: Actor, user: User) -> PasswordResetCode:
    """Send `user` a one-time code by SMS. The caller has checked that `by` may do this for
    `user` (see org.accounts.send_password_code); staff never see the code."""
    if not user.is_active or not user.phone:
        raise ValidationError(_("This account cannot receive a code (inactive or no mobile number)."))
    per_user = settings.COURTYARD_RESET_CODES_PER_HOUR
    if not hit(f"pwreset-issue:user:{user.pk}", limit=per_user, period=3600):
        raise ValidationError(_("A code was sent to this number several times this hour. Please wait."))
    if by.user is not None and not hit(f"pwreset-issue:by:{by.user.pk}", limit=per_user * 10, period=3600):
        raise ValidationError(_("You have sent many codes this hour. Please wait."))
    now = timezone.now()
    # One live code at a time: a new code ends the older ones.
    PasswordResetCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    row = PasswordResetCode.objects.create(
        user=user, code_hash=_hash(user.pk, code), issued_by=by.user, created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.COURTYARD_RESET_CODE_MINUTES),
    )
    record(by, "core.user.password_code_sent", user, note=pii.mask_phone(user.phone), **_audit_scope(user))
    minutes = settings.COURTYARD_RESET_CODE_MINUTES
    title = _("Courtyard password code")
    body = _("Your code to set a new Courtyard password is %(code)s. It works once, for %(minutes)d minutes. "
             "Staff will never ask you for it.") % {"code": code, "minutes": minutes}
    phone = user.phone
    transaction.on_commit(lambda: _send(phone, title, body))
    return row


def _send(phone: str, title: str, body: str) -> None:
    try:
        get_adapter("sms").send(phone=phone, title=title, body=body, url="")
    except Exception:  # noqa: BLE001 - the adapter's failure is logged; the staff member can send again
        logger.warning("password code SMS failed", extra={"event": "pwreset.sms_failed",
                                                           "phone": pii.mask_phone(phone)})


def _refused() -> ValidationError:
    # One message for an unknown number, a wrong, used or expired code: nothing to probe.
    return ValidationError(_("The number or the code is wrong, or the code has expired. Ask for a new code."))


def reset_with_code(*, by: Actor, phone: str, code: str, new: str, again: str, address: str | None = None) -> User:
    """Set a new password with a code from `issue_reset_code`; the code works once.

    The general password rules are checked before the number is even looked up (so a refusal
    says nothing about whether the number has an account); a wrong code is counted and saved
    before the refusal is raised.
    """
    if not hit(f"pwreset-use:addr:{address or '-'}", limit=settings.LOGIN_RATE_LIMIT * 4, period=3600):
        raise ValidationError(_("Too many attempts. Please wait and try again later."))
    if new != again:
        raise ValidationError(_("The two new passwords are not the same."))
    password_validation.validate_password(new, None)
    try:
        user = User.objects.get_by_phone(phone)
    except (User.DoesNotExist, ValueError):
        raise _refused() from None
    done = _consume(by=by, user=user, code=code, new=new)
    if not done:
        raise _refused()
    return user


@transaction.atomic
def _consume(*, by: Actor, user: User, code: str, new: str) -> bool:
    now = timezone.now()
    row = (PasswordResetCode.objects.select_for_update()
           .filter(user=user, used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first())
    if row is None:
        return False
    if not hmac.compare_digest(row.code_hash, _hash(user.pk, (code or "").strip())):
        row.failed_tries += 1
        if row.failed_tries >= MAX_TRIES:
            row.expires_at = now
        row.save(update_fields=["failed_tries", "expires_at"])
        return False
    password_validation.validate_password(new, user)  # the rules that know the account (its number)
    row.used_at = now
    row.save(update_fields=["used_at"])
    user.set_password(new)
    user.save(update_fields=["password"])
    actor = Actor(user=user, channel=by.channel, ip=by.ip)
    record(actor, "core.user.password_reset", user, note="one-time code", **_audit_scope(user))
    return True
