"""Console forms for the service desk's settings — categories, SLA policies, vendors' framework
agreements, the service menu — and the resident's page to post a need or offer a resource.

Objects are found through scoped querysets (outside the scope → 404); the CONFIGURE permission is
checked first (→ 403). Shared rows (categories with no community, SLA policies of shared
categories or of every category) apply to every community, so only a platform administrator may
change them. Every write goes through one service in services/configuration.py (transaction + audit event); a
ValidationError lands on the form and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, form_page, save
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Place

from . import permissions as P
from . import rules as sd_rules
from . import services
from .forms import AgreementForm, CategoryForm, DemandForm, OfferForm, ServiceItemForm, SlaPolicyForm
from .models import Agreement, Category, Demand, Offer, ServiceItem, SlaPolicy
from .views import _community_of


def shared_ok(user) -> bool:
    """May change rows shared by every community: the rule `servicedesk.configure_shared`."""
    return sd_rules.may_configure_shared(user)


def _communities(user):
    return Place.objects.visible_to(user, P.CONFIGURE).filter(kind=PlaceKind.COMMUNITY)


def _community(request) -> Place:
    """The community new rows belong to: the user's own, if they may configure it."""
    community = _community_of(request.user)
    if community is None or not _communities(request.user).filter(pk=community.pk).exists():
        raise Http404
    return community


def editable_categories(user):
    q = Q(community__in=_communities(user))
    if shared_ok(user):
        q |= Q(community__isnull=True)
    return Category.objects.filter(q)


def usable_categories(community: Place):
    return Category.objects.filter(Q(community__isnull=True) | Q(community=community))


def editable_policies(user):
    q = Q(category__in=editable_categories(user))
    if shared_ok(user):
        q |= Q(category__isnull=True)
    return SlaPolicy.objects.filter(q)


def _page(request, form, title: str):
    return form_page(request, form, title=title, back_url=reverse("servicedesk:settings"))


def _done(request):
    messages.success(request, _("Saved. The change is in the audit trail."))
    return redirect("servicedesk:settings")


def _by(request) -> Actor:
    return Actor.from_request(request)


# ---------------------------------------------------------------- categories
def _category(request, pk: int | None):
    if not request.user.has_perm(P.CONFIGURE):
        raise PermissionDenied
    obj = get_object_or_404(editable_categories(request.user), pk=pk) if pk else None
    community = obj.community if obj else (None if request.GET.get("shared") == "1" and shared_ok(request.user)
                                           else _community(request))
    scope = community or _community_of(request.user)
    parents = usable_categories(scope).filter(parent__isnull=True) if scope else Category.objects.filter(
        parent__isnull=True, community__isnull=True)
    if community is None:
        parents = parents.filter(community__isnull=True)
    if obj is not None:
        parents = parents.exclude(pk=obj.pk)
    departments = PartnerUnit.objects.filter(community=community) if community else PartnerUnit.objects.none()
    initial = {k: getattr(obj, k) for k in ("parent", "code", "name", "default_kind", "team", "department", "sort",
                                            "active")} if obj else None
    form = CategoryForm(request.POST or None, initial=initial, parents=parents, departments=departments)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.save_category(
                by=_by(request), category=obj, community=community, parent=d["parent"], code=d["code"],
                name=d["name"], default_kind=d["default_kind"], team=d["team"], department=d["department"],
                active=d["active"], sort=d["sort"])):
            return _done(request)
    title = _("Edit category %(name)s") % {"name": obj.name} if obj else _("New category")
    return _page(request, form, title)


def category_new(request):
    return _category(request, None)


def category_edit(request, pk: int):
    return _category(request, pk)


# ---------------------------------------------------------------- SLA policies
def _policy(request, pk: int | None):
    if not request.user.has_perm(P.CONFIGURE):
        raise PermissionDenied
    obj = get_object_or_404(editable_policies(request.user), pk=pk) if pk else None
    if obj is None:
        _community(request)
    form = SlaPolicyForm(request.POST or None, categories=editable_categories(request.user).order_by(
        "parent__sort", "sort", "code"), initial={k: getattr(obj, k) for k in (
            "category", "urgency", "unit", "accept_within", "onsite_within", "resolve_within",
            "pause_when_waiting")} if obj else None)
    if not shared_ok(request.user):
        form.fields["category"].required = True
        form.fields["category"].label = _("Category")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.save_sla_policy(
                by=_by(request), policy=obj, category=d["category"], urgency=d["urgency"], unit=d["unit"],
                accept_within=d["accept_within"], onsite_within=d["onsite_within"],
                resolve_within=d["resolve_within"], pause_when_waiting=d["pause_when_waiting"])):
            return _done(request)
    return _page(request, form, _("Edit SLA policy") if obj else _("New SLA policy"))


def sla_new(request):
    return _policy(request, None)


def sla_edit(request, pk: int):
    return _policy(request, pk)


# ---------------------------------------------------------------- framework agreements
def _agreement(request, pk: int | None):
    if not request.user.has_perm(P.CONFIGURE):
        raise PermissionDenied
    obj = get_object_or_404(Agreement.objects.visible_to(request.user, P.CONFIGURE), pk=pk) if pk else None
    community = obj.community if obj else _community(request)
    initial = None
    if obj:
        initial = {k: getattr(obj, k) for k in ("vendor", "title", "onsite_hours", "emergency_hours", "starts",
                                                "ends", "max_open")}
        initial["categories"] = list(obj.categories.all())
    form = AgreementForm(request.POST or None, initial=initial,
                         vendors=PartnerUnit.objects.filter(community=community),
                         categories=usable_categories(community).filter(active=True).order_by("parent__sort", "sort"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.save_agreement(
                by=_by(request), agreement=obj, community=community, vendor=d["vendor"], title=d["title"],
                categories=d["categories"], onsite_hours=d["onsite_hours"], emergency_hours=d["emergency_hours"],
                starts=d["starts"], ends=d["ends"], max_open=d["max_open"])):
            return _done(request)
    return _page(request, form, _("Edit framework agreement") if obj else _("New framework agreement"))


def agreement_new(request):
    return _agreement(request, None)


def agreement_edit(request, pk: int):
    return _agreement(request, pk)


# ---------------------------------------------------------------- service menu
def _item(request, pk: int | None):
    if not request.user.has_perm(P.CONFIGURE):
        raise PermissionDenied
    obj = get_object_or_404(ServiceItem.objects.filter(community__in=_communities(request.user)), pk=pk) if pk else None
    community = obj.community if obj else _community(request)
    initial = None
    if obj:
        initial = {"menu": obj.menu, "name": obj.name, "description": obj.description, "price": obj.price_yuan,
                   "provider": obj.provider, "active": obj.active}
    form = ServiceItemForm(request.POST or None, initial=initial,
                           providers=PartnerUnit.objects.filter(community=community))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.save_service_item(
                by=_by(request), item=obj, community=community, menu=d["menu"], name=d["name"],
                description=d["description"], price_fen=d["price"], provider=d["provider"], active=d["active"])):
            return _done(request)
    return _page(request, form, _("Edit service") if obj else _("New service on the menu"))


def item_new(request):
    return _item(request, None)


def item_edit(request, pk: int):
    return _item(request, pk)


# ---------------------------------------------------------------- resident: post a need, offer a resource
@login_required
def resident_needs(request):
    person = getattr(request.user, "person", None)
    community = person.community if person is not None else None
    if community is None:
        messages.error(request, _("Your account is not linked to a community yet. Scan the QR code on your building."))
        return redirect("web:home")
    demand_form = DemandForm(request.POST if request.POST.get("action") == "need" else None, prefix="need")
    offer_form = OfferForm(request.POST if request.POST.get("action") == "offer" else None, prefix="offer")
    if request.method == "POST":
        action = request.POST.get("action")
        by = Actor.from_request(request)
        try:
            if action == "need" and demand_form.is_valid():
                d = demand_form.cleaned_data
                services.post_demand(by=by, community=community, person=person, title=d["title"], kind=d["kind"],
                                     urgency=d["urgency"])
                messages.success(request, _("Thank you. Your need is on the community's list."))
                return redirect("servicedesk:resident_needs")
            if action == "offer" and offer_form.is_valid():
                d = offer_form.cleaned_data
                services.offer_resource(by=by, community=community, person=person, title=d["title"], kind=d["kind"],
                                        availability=d["availability"])
                messages.success(request, _("Thank you. Your offer is on the community's resource list."))
                return redirect("servicedesk:resident_needs")
            if action == "support":
                demand = get_object_or_404(Demand, pk=request.POST.get("demand"), community=community,
                                           order__isnull=True)
                services.support_demand(by=by, demand=demand, person=person)
                messages.success(request, _("Noted: you need this too."))
                return redirect("servicedesk:resident_needs")
        except ValidationError as exc:
            apply_errors(demand_form if action == "need" else offer_form, exc)
    demands = services.ranked_demands(community.pk)[:30]
    mine = set(Demand.objects.filter(community=community, supporters=person).values_list("pk", flat=True))
    offers = Offer.objects.filter(community=community, person=person).order_by("-pk")[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "servicedesk/resident_needs.html", {
        "demand_form": demand_form, "offer_form": offer_form, "demands": demands, "mine": mine, "offers": offers},
        status=status)
