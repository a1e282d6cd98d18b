from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from courtyard.core.access import holders
from courtyard.core.indicators import percent_text
from courtyard.core.models import Attachment, User

# An exact ratio as a percentage with one decimal, rounded half up: 1/8 → "12.5 %" ("—" for none).
pct = percent_text


def request_url(number: int | None, user=None) -> str:
    """The service desk's staff page of a request (by number; no import of the service desk); "" when
    `user` may not read requests (a link they are shown must not end on 403/404)."""
    if not number or (user is not None and not user.has_perm("servicedesk.view_request")):
        return ""
    try:
        return reverse("servicedesk:console_detail", args=[number])
    except NoReverseMatch:
        return ""


def photos_of(obj) -> list[Attachment]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(Attachment.objects.filter(owner_type=ct, owner_id=str(obj.pk)).order_by("pk"))


def staff_over(obj, roles=("grid_worker", "microgrid_worker", "community_staff", "party_secretary")):
    """People who may be made owners / workers of something at `obj`."""
    return holders(list(roles), obj).order_by("display_name", "pk") if obj is not None else User.objects.none()


from courtyard.core.console import ListPage  # noqa: E402


class SafetyList(ListPage):
    """A console list with the app's action buttons (`actions`: [(url, label)] from extra_context)."""
    template = "safety/list.html"
