"""Filing a request (报事) and proposing a meeting about it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import text as text_limits
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.models import User
from courtyard.core.notify import Text, notify
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Person, Place

from .. import sla
from ..choices import Kind, Urgency
from ..models import Category, Request
from ._common import _event, _photos, _tell_reporter
from .access import users_with_role
from .clocks import refresh_clocks


# ---------------------------------------------------------------- filing (SVC-1)
@transaction.atomic
def file_request(*, by: Actor, place: Place, category: Category, title: str, description: str = "",
                 kind: str = Kind.REPAIR, urgency: str = Urgency.NORMAL, reporter: Person | None = None,
                 reporter_user: User | None = None, public_anonymous: bool = False, facility: str = "",
                 source: str = "resident", photos: Sequence = (), group_matter: bool = False,
                 lat: float | None = None, long: float | None = None, now: dt.datetime | None = None) -> Request:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say in a few words what is wrong."))
    text_limits.within(description or "", limit=text_limits.DESCRIPTION_MAX, what=_("The description"))
    if place.kind not in (PlaceKind.BUILDING, PlaceKind.ENTRANCE, PlaceKind.MICROGRID, PlaceKind.GRID,
                          PlaceKind.COMMUNITY):
        raise ValidationError(_("Choose a building, an entrance or the community as the location."))
    if place.community_id is None:
        raise ValidationError(_("The location must lie inside a community."))
    if kind == Kind.EMERGENCY:
        urgency = Urgency.EMERGENCY
    if reporter is None and reporter_user is not None and reporter_user.person_id:
        reporter = reporter_user.person
    building = place if place.kind == PlaceKind.BUILDING else (place.parent if place.kind == PlaceKind.ENTRANCE else None)
    unit_id = None
    if building is not None and building.courtyard_id:
        unit_id = building.courtyard.unit_id
    now = now or timezone.now()
    request = Request(
        community_id=place.community_id, unit_id=unit_id, place=place, path=place.path, facility=facility[:100],
        kind=kind, category=category, urgency=urgency, title=title[:120], description=description,
        reporter=reporter, reporter_user=reporter_user,
        reporter_name=(reporter.name if reporter else (reporter_user.display_name if reporter_user else ""))[:60],
        filed_by=by.user, channel=by.channel, source=source, public_anonymous=public_anonymous,
        group_matter=group_matter, created_at=now, token=secrets.token_hex(8),
        map_x=building.map_x if building else None, map_y=building.map_y if building else None, lat=lat, long=long,
    )
    if group_matter:
        request.meeting_by = now + sla.MEETING_WITHIN
    refresh_clocks(request, now=now)
    request.save()
    event = _event(request, by, "file", note=description[:500])
    _photos(by, event, photos)
    record(by, "servicedesk.request.file", request, changes=diff(None, snapshot(request, [
        "kind", "category", "urgency", "title", "place", "reporter", "source", "public_anonymous"])),
        community_id=request.community_id)
    handlers = users_with_role(["microgrid_worker", "grid_worker"], place)
    notify(recipients=handlers, kind="servicedesk.new", title=Text(N_("New request: %(t)s"), t=request.title),
           url=reverse("servicedesk:console_detail", args=[request.pk]))
    if group_matter:
        propose_meeting(request, by=by)
    _tell_reporter(request, Text(N_("We have received your request #%(n)d."), n=request.pk))
    return request


def propose_meeting(request: Request, *, by: Actor) -> None:
    """Complex or group matters get a coordination meeting proposed within 48 hours (SVC-2)."""
    request.meeting_by = request.meeting_by or (timezone.now() + sla.MEETING_WITHIN)
    request.save(update_fields=["meeting_by"])
    _event(request, by, "meeting", note=_("Coordination meeting to be held by %(t)s.") % {
        "t": timezone.localtime(request.meeting_by).strftime("%Y-%m-%d %H:%M")})
    people = users_with_role(["community_staff", "committee_member", "grid_worker"], request.place,
                             unit_id=request.unit_id)
    notify(recipients=people, kind="servicedesk.meeting",
           title=Text(N_("Coordination meeting needed for request #%(n)d"), n=request.pk),
           url=reverse("servicedesk:console_detail", args=[request.pk]))
