"""Demands and offered resources (needs/resources matching)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.org.models import Person, Place

from ..choices import OrderStage, Urgency
from ..models import Category, Demand, Offer, OrderSignOff, ServiceOrder
from ..permissions import HANDLE
from ._common import _CommunityObj

# ---------------------------------------------------------------- demand and resource lists (SVC-7)
URGENCY_WEIGHT = {Urgency.EMERGENCY: 100, Urgency.URGENT: 30, Urgency.NORMAL: 10}


def demand_rank_key(urgency: str, supporters: int) -> int:
    """Pure: emergencies first, then the needs more households share."""
    return URGENCY_WEIGHT.get(urgency, 10) + 5 * supporters


def ranked_demands(community_id: int) -> list[Demand]:
    demands = list(Demand.objects.filter(community_id=community_id, order__isnull=True)
                   .annotate(n=Count("supporters")).select_related("category"))
    return sorted(demands, key=lambda d: (-demand_rank_key(d.urgency, d.n), d.pk))


def suggest_offers(demand: Demand, offers: Iterable[Offer], today: dt.date | None = None) -> list[Offer]:
    """Offers of the kind needed that are available now; same category first."""
    today = today or timezone.localdate()
    fit = [o for o in offers if o.active and o.kind == demand.kind
           and (o.available_from is None or o.available_from <= today)
           and (o.available_until is None or o.available_until >= today)]
    return sorted(fit, key=lambda o: (o.category_id != demand.category_id, o.pk))


@transaction.atomic
def support_demand(*, by: Actor, demand: Demand, person: Person) -> None:
    demand.supporters.add(person)
    record(by, "servicedesk.demand.support", demand, community_id=demand.community_id)


@transaction.atomic
def match(*, by: Actor, demand: Demand, offer: Offer) -> ServiceOrder:
    if not in_scope(by.user, HANDLE, _CommunityObj(demand.community)):
        raise PermissionDenied
    if offer.community_id != demand.community_id or demand.order_id:
        raise ValidationError(_("This offer cannot be matched to this need."))
    community = demand.community
    order = ServiceOrder.objects.create(
        community=community, path=community.path, title=demand.title, detail=_("Matched with: %(o)s") % {"o": offer.title},
        ordered_by=by.user, stage=OrderStage.ASSESSED, provider=offer.partner)
    OrderSignOff.objects.create(order=order, stage=OrderStage.ASSESSED, party="community", by=by.user,
                                note=_("Matched from the demand list."))
    demand.matched_offer, demand.order = offer, order
    demand.save(update_fields=["matched_offer", "order"])
    record(by, "servicedesk.demand.match", demand, changes={"offer": [None, offer.pk], "order": [None, order.pk]},
           community_id=community.pk)
    return order


@transaction.atomic
def post_demand(*, by: Actor, community: Place, person: Person, title: str, kind: str,
                category: Category | None = None, urgency: str = Urgency.NORMAL) -> Demand:
    """A resident posts a need; they are its first supporter (so it ranks by how many share it)."""
    from ..choices import OfferKind

    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what is needed."))
    if kind not in OfferKind.values or urgency not in Urgency.values:
        raise ValidationError(_("Choose what kind of help is needed and how urgent it is."))
    if person.community_id != community.pk:
        raise PermissionDenied
    if category is not None and category.community_id not in (None, community.pk):
        raise ValidationError(_("Choose a category of this community."))
    demand = Demand.objects.create(community=community, title=title[:120], kind=kind, category=category,
                                   urgency=urgency)
    demand.supporters.add(person)
    record(by, "servicedesk.demand.post", demand, changes=diff(None, snapshot(demand, ["title", "kind", "urgency"])),
           community_id=community.pk)
    return demand


@transaction.atomic
def offer_resource(*, by: Actor, community: Place, person: Person, title: str, kind: str,
                   category: Category | None = None, availability: str = "",
                   available_from: dt.date | None = None, available_until: dt.date | None = None) -> Offer:
    """A resident offers a space, service, skill, money or goods to the resource list."""
    from ..choices import OfferKind

    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what you offer."))
    if kind not in OfferKind.values:
        raise ValidationError(_("Choose what kind of resource you offer."))
    if person.community_id != community.pk:
        raise PermissionDenied
    if available_from and available_until and available_until < available_from:
        raise ValidationError(_("The end of availability cannot be before its start."))
    offer = Offer.objects.create(community=community, kind=kind, title=title[:120], person=person, category=category,
                                 availability=(availability or "").strip()[:120], available_from=available_from,
                                 available_until=available_until)
    record(by, "servicedesk.offer.create", offer, changes=diff(None, snapshot(offer, ["title", "kind"])),
           community_id=community.pk)
    return offer
