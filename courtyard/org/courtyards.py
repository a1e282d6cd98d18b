"""Editing a courtyard's recorded fields (ORG-8): name, address, year built, management mode, type and the
property-owning unit. Staff who may change organisations in the courtyard's community; audited field by field."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot

from . import access
from .choices import HousingType, ManagementMode
from .models import Courtyard

FIELDS = ("name", "address", "built_year", "management_mode", "housing_type", "property_owner")


@transaction.atomic
def edit_courtyard(*, by: Actor, courtyard: Courtyard, name: str, address: str = "", built_year: int | None = None,
                   management_mode: str = "", housing_type: str = "", property_owner: str = "") -> Courtyard:
    c = Courtyard.objects.select_for_update().select_related("community").get(pk=courtyard.pk)
    if by.user is not None and not by.user.has_perm(access.CHANGE_ORGS, c.community):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the courtyard a name.")})
    if Courtyard.objects.filter(community_id=c.community_id, name=name).exclude(pk=c.pk).exists():
        raise ValidationError({"name": _("A courtyard named “%(name)s” already exists.") % {"name": name}})
    if management_mode and management_mode not in ManagementMode.values:
        raise ValidationError({"management_mode": _("Choose a management mode from the list.")})
    if housing_type and housing_type not in HousingType.values:
        raise ValidationError({"housing_type": _("Choose a type from the list.")})
    before = snapshot(c, fields=list(FIELDS))
    c.name, c.address, c.built_year = name[:100], address.strip()[:200], built_year
    c.management_mode, c.housing_type, c.property_owner = management_mode, housing_type, property_owner.strip()[:120]
    c.save(update_fields=list(FIELDS))
    changes = diff(before, snapshot(c, fields=list(FIELDS)))
    if changes:
        record(by, "org.courtyard.update", c, changes=changes, community_id=c.community_id)
    courtyard.__dict__.update({f: getattr(c, f) for f in FIELDS})
    return c
