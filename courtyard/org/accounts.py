"""Staff side of a password reset: send the resident's own phone a one-time code (ADR 0010).

The staff member never sees the code; it goes by SMS to the mobile number of the resident's
login (not the registry's number, which staff can edit), so sending a code cannot hand an
account to the sender.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from courtyard.core import passwords
from courtyard.core.audit import Actor
from courtyard.core.models import PasswordResetCode, User

from .access import CHANGE_REGISTRY
from .models import Person


def login_of(person: Person) -> User | None:
    try:
        return person.user
    except User.DoesNotExist:
        return None


def may_send_password_code(user, person: Person) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CHANGE_REGISTRY, person))


def send_password_code(*, by: Actor, person: Person) -> PasswordResetCode:
    if not may_send_password_code(by.user, person):
        raise PermissionDenied(_("You may not reset this person's password."))
    account = login_of(person)
    if account is None:
        raise ValidationError(_("This person has no login yet."))
    return passwords.issue_reset_code(by=by, user=account)
