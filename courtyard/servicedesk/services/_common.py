"""Helpers shared by several service submodules: the request timeline, photos, notices, money input."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.notify import Text, notify
from courtyard.org.models import Place

from .. import rules as sd_rules
from ..models import Request, RequestEvent

MAX_PHOTOS = 6


# ---------------------------------------------------------------- helpers
def _event(request: Request, by: Actor, action: str, *, from_state: str = "", note: str = "",
           public: bool = True) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, from_state=from_state, to_state=request.state, actor=by.user,
        actor_label=(by.user.display_name if by.user else _("System"))[:120], on_behalf_of=by.on_behalf_of,
        channel=by.channel, note=note, public=public,
    )


def _photos(by: Actor, event: RequestEvent, photos: Sequence) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    for upload in photos:
        store_upload(by=by, upload=upload, allowed={"image"}, owner=event)


def _tell_reporter(request: Request, title: Text) -> None:
    if request.reporter_user_id:
        notify(recipients=[request.reporter_user], kind="servicedesk.request", title=title,
               body=request.title, url=reverse("servicedesk:mine_detail", args=[request.pk]))


# ---------------------------------------------------------------- shared rows
def _require_shared(by: Actor) -> None:
    """Rows shared by every community change only by a platform administrator (or the system)."""
    if by.user is not None and not sd_rules.may_configure_shared(by.user):
        raise PermissionDenied(_("Only a platform administrator of the district changes what every community shares."))


def _shared_place(by: Actor) -> int | None:
    return sd_rules.audit_place_id(by.user) if by.user is not None else None


class _CommunityObj:
    def __init__(self, community: Place):
        self.scope_path = community.path
        self.scope_unit_id = None


# ---------------------------------------------------------------- configuration (console forms)
def yuan_to_fen(text) -> int:
    """Pure: "12.5" yuan → 1250 fen, exactly (Decimal); at most two decimals, not negative."""
    import re
    from decimal import Decimal

    text = str(text if text is not None else "").strip()
    if not re.fullmatch(r"\d{1,12}(\.\d+)?", text):  # plain digits only: no sign, exponent, NaN or Infinity
        raise ValidationError(_("Enter a price in yuan, for example 12.50."))
    if "." in text and len(text.split(".")[1].rstrip("0")) > 2:
        raise ValidationError(_("A price has at most two decimals (fen)."))
    fen = int(Decimal(text) * 100)
    if fen > 2_000_000_000:
        raise ValidationError(_("This price is too high."))
    return fen


def _positive(value, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(_("%(f)s must be a whole number of at least 1.") % {"f": label})
    return value


def _audit_save(by: Actor, action: str, obj, before: dict | None, fields: list[str], **kw) -> None:
    record(by, action, obj, changes=diff(before, snapshot(obj, fields)), **kw)
