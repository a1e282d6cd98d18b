"""django-rules permissions of org. Each permission code is true when a current grant carrying it
covers the object; `org.grant_role` and `org.end_grant` are composed rules over the access
kernel's grant rule (who may grant what, where, to whom). Services call the same rules the
console uses to offer choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ROLES, UNIT, Target, all_perms, current_grants, grant_refusal, in_scope
from courtyard.core.access import grants as kernel_grants

from .choices import PlaceKind
from .models import SelfGovernanceUnit


def _scoped(perm: str):
    @rules.predicate(name=f"in_scope[{perm}]")
    def predicate(user, obj=None) -> bool:
        return in_scope(user, perm, obj)

    return predicate


for _perm in all_perms():
    rules.add_perm(_perm, _scoped(_perm))


# ---------------------------------------------------------------- granting roles
@dataclass(frozen=True)
class GrantProposal:
    """A role to be granted to a user on a place or a unit (the object of `org.grant_role`)."""

    grantee_id: int
    role: str
    place: object | None = None
    unit: object | None = None

    @property
    def target(self) -> Target:
        if self.unit is not None:
            return Target(UNIT, self.unit.community.path, self.unit.pk)
        return Target(self.place.kind, self.place.path)


REFUSALS = {
    kernel_grants.SELF: _("Nobody can grant a role to themselves: ask another administrator."),
    kernel_grants.UNKNOWN_ROLE: _("Unknown role."),
    kernel_grants.SCOPE_KIND: _("This role cannot be granted on that kind of place."),
    kernel_grants.TOP_LEVEL: _("Only a platform administrator of the district can grant this role, and only on "
                               "the district."),
    kernel_grants.OUTSIDE: _("You can only grant roles inside your own scope."),
    kernel_grants.NOT_MANAGER: _("You may not manage roles there."),
    kernel_grants.NOT_SUBSET: _("You can only grant a role whose permissions you hold yourself there."),
}


def grant_refusal_of(user, proposal: GrantProposal) -> str | None:
    """The kernel's grant rule for a user (None: the system actor). Returns a refusal code or None."""
    if proposal.place is None and proposal.unit is None:
        return kernel_grants.SCOPE_KIND
    grants = None if user is None else current_grants(user)
    if user is not None and not getattr(user, "is_authenticated", False):
        return kernel_grants.OUTSIDE
    return grant_refusal(granter_grants=grants, granter_id=getattr(user, "pk", None),
                         grantee_id=proposal.grantee_id, role=proposal.role, target=proposal.target)


@rules.predicate
def may_grant(user, proposal: GrantProposal) -> bool:
    return grant_refusal_of(user, proposal) is None


@rules.predicate
def may_end_grant(user, grant) -> bool:
    """Ending a grant needs the same authority as making it (except that one may end one's own)."""
    proposal = GrantProposal(grantee_id=-1, role=grant.role, place=grant.place, unit=grant.unit)
    return grant_refusal_of(user, proposal) is None


def validate_grant_scope(role: str, place, unit) -> None:
    """Raises unless exactly one scope is given and the role may be granted on it (pure)."""
    definition = ROLES.get(role)
    if definition is None:
        raise ValidationError(_("Unknown role."))
    if (place is None) == (unit is None):
        raise ValidationError(_("Choose exactly one scope: a place or a self-governance unit."))
    kind = UNIT if unit is not None else place.kind
    if kind not in definition.scopes:
        unit_label = SelfGovernanceUnit._meta.verbose_name
        allowed = ", ".join(str(unit_label if k == UNIT else PlaceKind(k).label) for k in definition.scopes)
        raise ValidationError(
            _("%(role)s can only be granted on: %(allowed)s.") % {"role": definition.label, "allowed": allowed}
        )


def require_grant(by_user, *, user, role: str, place=None, unit=None) -> None:
    """Raise PermissionDenied (with the reason) unless `by_user` (None: the system actor) may grant."""
    refusal = grant_refusal_of(by_user, GrantProposal(grantee_id=user.pk, role=role, place=place, unit=unit))
    if refusal is not None:
        raise PermissionDenied(REFUSALS[refusal])


def require_end_grant(by_user, grant) -> None:
    if by_user is not None and not may_end_grant(by_user, grant):
        raise PermissionDenied(_("You may not end this grant."))


rules.add_perm("org.grant_role", may_grant)
rules.add_perm("org.end_grant", may_end_grant)
