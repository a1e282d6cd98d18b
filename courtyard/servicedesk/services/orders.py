"""Service orders from the menu and their joint sign-off."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Person, Place

from ..choices import OrderStage
from ..models import OrderSignOff, ServiceItem, ServiceOrder
from ..permissions import HANDLE
from ._common import _audit_save
from .access import vendor_ids_of

# ---------------------------------------------------------------- service orders (SVC-5)
ORDER_FLOW = {  # stage -> (next stage, who signs it off)
    OrderStage.ORDERED: (OrderStage.ASSESSED, ("committee",)),
    OrderStage.ASSESSED: (OrderStage.DISPATCHED, ("community",)),
    OrderStage.DISPATCHED: (OrderStage.IN_SERVICE, ("provider",)),
    OrderStage.IN_SERVICE: (OrderStage.ACCEPTED, ("resident", "committee", "community")),
}
JOINT_PARTIES = ("resident", "committee", "community")


@transaction.atomic
def place_order(*, by: Actor, item: ServiceItem | None, place: Place, title: str = "", detail: str = "",
                person: Person | None = None) -> ServiceOrder:
    title = (title or (item.name if item else "")).strip()
    if not title:
        raise ValidationError(_("Say what service you need."))
    building = place if place.kind == PlaceKind.BUILDING else place.parent
    unit_id = building.courtyard.unit_id if building is not None and building.courtyard_id else None
    order = ServiceOrder.objects.create(
        community_id=place.community_id, unit_id=unit_id, path=place.path, item=item, title=title[:120],
        detail=detail, person=person or (by.user.person if by.user and by.user.person_id else None),
        ordered_by=by.user, price_fen=item.price_fen if item else 0, provider=item.provider if item else None)
    OrderSignOff.objects.create(order=order, stage=OrderStage.ORDERED, party="resident", by=by.user, note=detail[:500])
    record(by, "servicedesk.order.place", order, changes=diff(None, snapshot(order, ["title", "price_fen"])),
           community_id=order.community_id)
    return order


@transaction.atomic
def sign_off(*, by: Actor, order: ServiceOrder, party: str, note: str = "", approve: bool = True,
             provider: PartnerUnit | None = None) -> ServiceOrder:
    """Record one party's sign-off on the current stage; the order moves on when all have signed."""
    order = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if order.stage not in ORDER_FLOW:
        raise ValidationError(_("This order is finished."))
    nxt, parties = ORDER_FLOW[OrderStage(order.stage)]
    if party not in parties:
        raise ValidationError(_("This step needs a sign-off by: %(p)s.") % {"p": ", ".join(parties)})
    if party == "resident":
        if not (by.user and (order.ordered_by_id == by.user.pk or (order.person_id and by.user.person_id == order.person_id))):
            raise PermissionDenied
    elif party == "provider":
        if not (by.user and (in_scope(by.user, HANDLE, order) or (order.provider_id in vendor_ids_of(by.user)))):
            raise PermissionDenied
    elif not in_scope(by.user, HANDLE, order):
        raise PermissionDenied
    if not approve:
        order.stage = OrderStage.REJECTED
        order.save(update_fields=["stage"])
        OrderSignOff.objects.create(order=order, stage=OrderStage.REJECTED, party=party, by=by.user, note=note)
        record(by, "servicedesk.order.reject", order, note=note, community_id=order.community_id)
        return order
    if order.stage == OrderStage.ASSESSED:
        if provider is None and order.provider_id is None:
            raise ValidationError(_("Choose who provides the service."))
        if provider is not None:
            order.provider = provider
    stage_for_signoff = nxt
    OrderSignOff.objects.get_or_create(order=order, stage=stage_for_signoff, party=party,
                                       defaults={"by": by.user, "note": note})
    signed = set(order.signoffs.filter(stage=stage_for_signoff).values_list("party", flat=True))
    before = order.stage
    if set(parties) <= signed:
        order.stage = nxt
    order.save()
    record(by, "servicedesk.order.signoff", order, changes={"stage": [before, order.stage], "party": [None, party]},
           note=note[:500], community_id=order.community_id)
    return order


ITEM_FIELDS = ["menu", "name", "description", "price_fen", "provider", "active"]


@transaction.atomic
def save_service_item(*, by: Actor, item: ServiceItem | None = None, community: Place, menu: str, name: str,
                      description: str = "", price_fen: int, provider: PartnerUnit | None = None,
                      active: bool = True) -> ServiceItem:
    """Create or change an entry of the basic or value-added service list (price in fen)."""
    from ..choices import Menu

    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the service."))
    if menu not in Menu.values:
        raise ValidationError(_("Choose the basic or the value-added list."))
    if not isinstance(price_fen, int) or isinstance(price_fen, bool) or price_fen < 0:
        raise ValidationError(_("Enter a price in yuan, for example 12.50."))
    if provider is not None and provider.community_id != community.pk:
        raise ValidationError(_("Choose a provider of this community."))
    before = snapshot(item, ITEM_FIELDS) if item else None
    obj = item or ServiceItem(community=community)
    obj.menu, obj.name, obj.description, obj.price_fen = menu, name[:100], (description or "").strip(), price_fen
    obj.provider, obj.active = provider, active
    obj.save()
    _audit_save(by, "servicedesk.item." + ("update" if item else "create"), obj, before, ITEM_FIELDS,
                community_id=community.pk)
    return obj
