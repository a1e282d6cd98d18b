"""Site plans of courtyards and the buildings placed on them (the request map's ground).

Writes: keyword-only, one transaction, an audit event each, permission checked against the
courtyard or building itself (a grid worker cannot move another grid's buildings).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload

from . import access
from .choices import PlaceKind
from .models import Courtyard, Place, SitePlan

# A plan smaller than this cannot show buildings apart; a larger one is scaled by the upload check (2560 px).
MIN_SIDE = 200


def courtyards_for(user):
    """Courtyards the user works on: in a grant's scope, or holding a building in it (grid workers)."""
    buildings = Place.objects.visible_to(user).filter(kind=PlaceKind.BUILDING, courtyard__isnull=False)
    return Courtyard.objects.filter(Q(pk__in=Courtyard.objects.visible_to(user).values("pk"))
                                    | Q(pk__in=buildings.values("courtyard_id")))


def _require(by: Actor, obj) -> None:
    if by.user is None or not by.user.has_perm(access.CHANGE_REGISTRY, obj):
        raise PermissionDenied(_("You may not change the site plan of this courtyard."))


@transaction.atomic
def upload_site_plan(*, by: Actor, courtyard: Courtyard, upload) -> SitePlan:
    """Stores the image through core's checked uploads (type from content, EXIF stripped, size
    limits) and makes it the courtyard's plan. Buildings keep their positions when a plan is
    replaced by one of the same size; otherwise positions outside the new plan are cleared."""
    _require(by, courtyard)
    attachment = store_upload(by=by, upload=upload, allowed={"image"}, owner=courtyard)
    if min(attachment.width or 0, attachment.height or 0) < MIN_SIDE:
        attachment.file.storage.delete(attachment.file.name)  # the row goes with the transaction
        raise ValidationError(_("The site plan is too small: use an image at least %(n)s pixels on each side.")
                              % {"n": MIN_SIDE}, code="plan_small")
    plan = SitePlan.objects.select_for_update().filter(courtyard=courtyard).first()
    before = snapshot(plan, fields=["image", "width", "height"]) if plan else None
    if plan is None:
        plan = SitePlan(courtyard=courtyard)
    plan.image, plan.width, plan.height = attachment, attachment.width, attachment.height
    plan.updated_by, plan.updated_at = by.user, timezone.now()
    plan.save()
    outside = Place.objects.filter(courtyard=courtyard, kind=PlaceKind.BUILDING, map_x__isnull=False).exclude(
        map_x__lte=plan.width, map_y__lte=plan.height)
    cleared = outside.update(map_x=None, map_y=None)
    changes = diff(before, snapshot(plan, fields=["image", "width", "height"]))
    if cleared:
        changes["buildings_cleared"] = [None, cleared]
    record(by, "org.site_plan.upload", courtyard, changes=changes, community_id=courtyard.community_id)
    return plan


@transaction.atomic
def place_building(*, by: Actor, building: Place, x: float | None, y: float | None) -> Place:
    """Puts a building on its courtyard's plan at pixel (x, y) from the top-left, or takes it off
    the plan (x = y = None)."""
    if building.kind != PlaceKind.BUILDING or building.courtyard_id is None:
        raise ValidationError(_("Only a building of a courtyard can be placed on a site plan."), code="not_building")
    _require(by, building)
    building = Place.objects.select_for_update().get(pk=building.pk)
    if (x is None) != (y is None):
        raise ValidationError(_("Give both site-plan coordinates, or neither."), code="half_position")
    if x is not None:
        plan = SitePlan.objects.filter(courtyard_id=building.courtyard_id).first()
        if plan is None:
            raise ValidationError(_("This courtyard has no site plan yet: upload one first."), code="no_plan")
        if not (0 <= x <= plan.width and 0 <= y <= plan.height):
            raise ValidationError(_("That point is outside the site plan."), code="outside")
        x, y = round(float(x), 1), round(float(y), 1)
    before = snapshot(building, fields=["map_x", "map_y"])
    building.map_x, building.map_y = x, y
    building.save(update_fields=["map_x", "map_y"])
    changes = diff(before, snapshot(building, fields=["map_x", "map_y"]))
    if changes:
        record(by, "org.building.place", building, changes=changes, community_id=building.community_id)
    return building
