"""Committee members' liaison grids (ORG-8, 000 §3.3.4): each member of a courtyard committee liaises
with the grids assigned to them. Audited like every org write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record

from .choices import BodyKind, PlaceKind
from .models import BodyMembership


@transaction.atomic
def set_liaison_grids(*, by: Actor, membership: BodyMembership, grids) -> BodyMembership:
    grids = list(grids)
    body = membership.body
    if grids and body.kind != BodyKind.COMMITTEE:
        raise ValidationError(_("Only committee members liaise with grids."))
    if any(g.kind != PlaceKind.GRID or g.community_id != body.unit.community_id for g in grids):
        raise ValidationError({"liaison_grids": _("Choose grids of the unit's community.")})
    before = sorted(membership.liaison_grids.values_list("pk", flat=True))
    membership.liaison_grids.set(grids)
    record(by, "org.body.liaison", body, changes={"member": [None, membership.person_id],
                                                 "grids": [before, sorted(g.pk for g in grids)]},
           community_id=body.unit.community_id)
    return membership
