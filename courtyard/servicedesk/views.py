"""Resident pages (file, follow, rate, order services) and the staff console (queues, detail with
dispatch, map, key numbers, orders, needs, settings). Views parse, check a rule, call a service."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core import pii
from courtyard.core.access import grants_with
from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, form_page
from courtyard.core.console.natural import NaturalKey
from courtyard.core.converters import parse_id
from courtyard.core.models import Attachment, Channel
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.core.redirects import safe_next
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Person, Place

from . import machine, selectors, services
from . import permissions as P
from . import rules as sd_rules
from .choices import Level, Menu, OrderStage, State
from .forms import RatingForm, RequestForm, StaffRequestForm
from .lists import queue_of
from .location import PLACE_RELATED, full_label
from .models import (
    Agreement,
    ApiKey,
    CalendarDay,
    Category,
    Demand,
    FollowUp,
    Offer,
    Request,
    RequestEvent,
    ServiceItem,
    ServiceOrder,
    SlaPolicy,
)
from .templatetags.servicedesk import BUTTONS

PER_PAGE = 50


def _community_of(user) -> Place | None:
    person = getattr(user, "person", None)
    if person is not None:
        return person.community
    grants = grants_with(user, P.VIEW) or grants_with(user, P.FILE_FOR) or grants_with(user, P.ORDERS)
    grant = next(iter(grants), None)
    if grant:
        ids = [int(p) for p in grant.path.split(".") if p]
        community = Place.objects.filter(pk__in=ids, kind=PlaceKind.COMMUNITY).first()
        # a grant above community level (district, subdistrict): its first community
        return community or Place.objects.filter(kind=PlaceKind.COMMUNITY, path__startswith=grant.path).order_by(
            "path").first()
    return None


def _events_with_photos(request_obj: Request, *, public_only: bool) -> list[RequestEvent]:
    events = list(request_obj.events.select_related("actor"))
    if public_only:
        events = [e for e in events if e.public]
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(RequestEvent)
    photos: dict[str, list] = {}
    for a in Attachment.objects.filter(owner_type=ct, owner_id__in=[str(e.pk) for e in events]):
        photos.setdefault(a.owner_id, []).append(a)
    for e in events:
        e.photos = photos.get(str(e.pk), [])
    return events


# ---------------------------------------------------------------- resident pages
@login_required
def new(request):
    community = None
    place_id = request.GET.get("place") or request.POST.get("place")
    qr_place = None
    if place_id and str(place_id).isdigit():
        qr_place = Place.objects.select_related("parent__courtyard", "courtyard").filter(pk=int(place_id)).first()
    person = request.user.person
    if qr_place is not None:
        community = qr_place.community
    elif person is not None:
        community = person.community
    else:
        community = _community_of(request.user)
    if community is None:
        messages.error(request, _("Your account is not linked to a community yet. Scan the QR code on your building."))
        return redirect("web:home")
    initial = {"facility": request.GET.get("facility", "")[:100]}
    if qr_place is not None:
        initial["place"] = qr_place.pk
    elif person is not None and person.home_id:
        initial["place"] = person.home.entrance_id
    form = RequestForm(request.POST or None, request.FILES or None, community_id=community.pk, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        place = get_object_or_404(Place, pk=d["place"], community=community)
        try:
            req = services.file_request(
                by=Actor.from_request(request), place=place, category=d["category"], title=d["title"],
                description=d["description"], kind=d["kind"], urgency=d["urgency"], reporter_user=request.user,
                public_anonymous=d["public_anonymous"], facility=d["facility"], photos=d["photos"],
                source="qr" if request.GET.get("place") else "resident", group_matter=d["group_matter"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your request #%(n)d is filed.") % {"n": req.pk})
            return redirect("servicedesk:mine_detail", req.pk)
    return render(request, "servicedesk/new.html", {"form": form, "qr_place": qr_place,
                                                    "qr_label": full_label(qr_place) if qr_place else ""})


@login_required
def mine(request):
    rows = selectors.my_requests(request.user)
    return render(request, "servicedesk/mine.html", {"rows": rows})


@login_required
def mine_detail(request, pk: int):
    req = get_object_or_404(Request.objects.select_related("category", *PLACE_RELATED), pk=pk, reporter_user=request.user)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "reopen":
            try:
                services.transition(by=Actor.from_request(request), request=req, action="reopen",
                                    note=request.POST.get("note", "")[:500])
                messages.success(request, _("Your request is reopened."))
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("servicedesk:mine_detail", pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.rate(by=Actor.from_request(request), request=req, stars=d["stars"], reasons=d["reasons"],
                              fixed=d["fixed"], comment=d["comment"])
                messages.success(request, _("Thank you for your rating."))
                return redirect("servicedesk:mine_detail", pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    return render(request, "servicedesk/mine_detail.html", {
        "req": req, "events": _events_with_photos(req, public_only=True), "form": form,
        "can_rate": req.state == State.RESOLVED, "can_reopen": machine.allowed("reopen", req.state),
    })


@login_required
def menu(request):
    community = _community_of(request.user)
    if community is None:  # the tile is on every home page: explain rather than end on a 404
        return render(request, "servicedesk/menu.html", {"no_community": True})
    items = ServiceItem.objects.filter(community=community, active=True)
    person = request.user.person
    if request.method == "POST":
        action = request.POST.get("action", "order")
        try:
            if action == "accept":
                order = get_object_or_404(ServiceOrder, pk=request.POST.get("order"), ordered_by=request.user)
                services.sign_off(by=Actor.from_request(request), order=order, party="resident",
                                  note=request.POST.get("note", "")[:500])
                messages.success(request, _("Your acceptance is recorded."))
            else:
                item = get_object_or_404(items, pk=request.POST.get("item"))
                place = person.home.entrance if person and person.home_id else community
                services.place_order(by=Actor.from_request(request), item=item, place=place,
                                     detail=request.POST.get("detail", "")[:1000])
                messages.success(request, _("Your order is placed. The committee will assess it."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("servicedesk:menu")
    orders = ServiceOrder.objects.filter(ordered_by=request.user).prefetch_related("signoffs")[:20]
    return render(request, "servicedesk/menu.html", {
        "basic": [i for i in items if i.menu == Menu.BASIC], "value_added": [i for i in items if i.menu == Menu.VALUE_ADDED],
        "orders": orders})


# ---------------------------------------------------------------- QR stickers
@require_perm(P.VIEW)
def qr_sticker(request, pk: int):
    building = get_object_or_404(Place.objects.visible_to(request.user, P.VIEW), pk=pk, kind=PlaceKind.BUILDING)
    facility = request.GET.get("facility", "").strip()[:100]
    form_url = request.build_absolute_uri(reverse("servicedesk:new"))
    targets = [(building, building.name)]
    if not facility:  # one sticker for the building and one per entrance
        targets += [(e, f"{building.name} {e.name}") for e in building.children.order_by(NaturalKey("name"))]
    stickers = []
    for place, label in targets:
        query = {"place": place.pk, **({"facility": facility} if facility else {})}
        url = f"{form_url}?{urlencode(query)}"
        stickers.append({"label": f"{label} · {facility}" if facility else label, "qr": qr_svg(url), "url": url})
    return pdf_response("servicedesk/qr_pdf.html", {"stickers": stickers, "building": building},
                        filename=f"qr-{building.pk}.pdf", request=request)


# ---------------------------------------------------------------- console
@require_perm(P.HANDLE)
def bulk_targets(request):
    """The <option>s of the bulk-dispatch select: candidates ranked over the queue page's rows.
    Loaded by the queue page after it renders, so the page's own query budget stays flat."""
    q = queue_of(request.GET)
    if q == "closed":
        q = "all"
    qs = selectors.queue_requests(request.user, q, vendor=request.GET.get("vendor", ""))
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    rows = list(qs.order_by(F("next_due").asc(nulls_last=True), "-id")[:PER_PAGE])
    return render(request, "servicedesk/partials/bulk_targets.html", {"targets": services.bulk_candidates(rows)})


@require_POST
@require_perm(P.HANDLE)
def bulk(request):
    ids = [i for i in map(parse_id, request.POST.getlist("ids")[:500]) if i is not None]
    action = request.POST.get("action", "")
    if action not in ("accept", "close", "dispatch"):
        raise PermissionDenied
    reqs = Request.objects.visible_to(request.user, P.HANDLE).filter(pk__in=ids)
    done, errors = services.bulk(by=Actor.from_request(request), requests=reqs, action=action,
                                 to=request.POST.get("to", ""), reason=request.POST.get("reason", ""))
    messages.success(request, _("%(n)d requests updated.") % {"n": done})
    for pk, msg in errors[:10]:
        messages.error(request, f"#{pk}: {msg}")
    return redirect(safe_next(request, reverse("servicedesk:queue")))


def _visible_request(request, pk: int) -> Request:
    qs = Request.objects.select_related("category", *PLACE_RELATED, "assignee", "vendor", "reporter", "duplicate_of")
    req = get_object_or_404(qs, pk=pk)
    if request.user.has_perm(P.VIEW) and Request.objects.visible_to(request.user, P.VIEW).filter(pk=pk).exists():
        return req
    if services.is_worker(request.user, req):
        return req
    raise Http404


@login_required
def console_detail(request, pk: int):
    req = _visible_request(request, pk)
    handler = services.can_handle(request.user, req)
    worker = services.is_worker(request.user, req)
    actions = [a for a in machine.actions_from(req.state) if services.may(request.user, req, a)
               and a not in ("dispatch", "reassign", "confirm")]
    ranked = services.ranked_candidates(req) if handler and (
        machine.allowed("dispatch", req.state) or machine.allowed("reassign", req.state)) else []
    ranked_view = [{"key": s.candidate.key, "label": s.candidate.label, "kind": s.candidate.kind, "score": s.score,
                    "load": s.candidate.open_load,
                    "reasons": [(services.reason_label(c), p) for c, p in s.reasons]} for s in ranked]
    reporter_phone = ""
    if handler and req.reporter_id and request.user.has_perm("org.reveal_pii"):
        reporter_phone = pii.mask_phone(req.reporter.phone)
    return render(request, "servicedesk/console_detail.html", {
        "req": req, "events": _events_with_photos(req, public_only=False), "handler": handler, "worker": worker,
        "actions": actions, "ranked": ranked_view, "reporter_phone": reporter_phone,
        "followups": req.followups.all(), "escalations": req.escalations.all(), "now": timezone.now(),
        "breadcrumbs": [  # a vendor or worker without the queue goes back to their work orders
            {"label": _("Requests"), "url": reverse("servicedesk:queue")} if request.user.has_perm(P.VIEW)
            else {"label": _("My work orders"),
                  "url": reverse("servicedesk:workorders") if request.user.has_perm(P.VENDOR) else ""},
            {"label": f"#{req.pk}"}],
    })


ACTION_LABELS = BUTTONS  # one set of button labels (templatetags/servicedesk.py)


@require_POST
@login_required
def act(request, pk: int):
    req = _visible_request(request, pk)
    action = request.POST.get("action", "")
    if action not in machine.TRANSITIONS:
        raise PermissionDenied
    dup = None
    if action == "merge":
        dup_id = request.POST.get("duplicate_of", "")
        dup = Request.objects.visible_to(request.user, P.VIEW).filter(pk=int(dup_id)).first() if dup_id.isdigit() else None
    try:
        services.transition(by=Actor.from_request(request), request=req, action=action,
                            note=request.POST.get("note", "")[:2000], photos=request.FILES.getlist("photos"),
                            referred_to=request.POST.get("referred_to", ""), duplicate_of=dup)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("servicedesk:console_detail", pk)


@require_POST
@require_perm(P.HANDLE)
def dispatch_view(request, pk: int):
    req = _visible_request(request, pk)
    try:
        services.dispatch(by=Actor.from_request(request), request=req, to=request.POST.get("to", ""),
                          reason=request.POST.get("reason", ""))
        messages.success(request, _("Dispatched."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("servicedesk:console_detail", pk)


@require_POST
@require_perm(P.HANDLE)
def followup_log(request, pk: int):
    fu = get_object_or_404(FollowUp.objects.select_related("request"), pk=pk)
    try:
        services.log_followup(by=Actor.from_request(request), followup=fu, outcome=request.POST.get("outcome", ""),
                              reopen=request.POST.get("reopen") == "1")
        messages.success(request, _("Follow-up call logged."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("servicedesk:console_detail", fu.request_id)


@require_perm(P.FILE_FOR)
def staff_new(request):
    community = _community_of(request.user)
    if community is None:
        raise Http404
    form = StaffRequestForm(request.POST or None, request.FILES or None, community_id=community.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        place = get_object_or_404(Place.objects.visible_to(request.user, P.FILE_FOR), pk=d["place"])
        person = None
        if d["reporter_phone"]:
            try:
                person = Person.objects.visible_to(request.user, "org.view_person").filter(
                    phone_hash=pii.phone_index(d["reporter_phone"])).first()
            except ValueError:
                form.add_error("reporter_phone", _("Enter a valid mobile number."))
        if not form.errors:
            patrol = d["source"] == "patrol"
            by = Actor.from_request(request, on_behalf_of=person, channel=Channel.ONLINE if patrol else Channel.OFFLINE)
            try:
                req = services.file_request(
                    by=by, place=place, category=d["category"], title=d["title"], description=d["description"],
                    kind=d["kind"], urgency=d["urgency"], reporter=person,
                    reporter_user=getattr(person, "user", None) if person else None,
                    public_anonymous=d["public_anonymous"], facility=d["facility"], photos=d["photos"],
                    source=d["source"], group_matter=d["group_matter"])
                if not person and d["reporter_name"]:
                    Request.objects.filter(pk=req.pk).update(reporter_name=d["reporter_name"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Request #%(n)d filed.") % {"n": req.pk})
                return redirect("servicedesk:console_detail", req.pk)
    return form_page(request, form, title=_("File a request for a resident"), back_url=reverse("servicedesk:queue"),
                     template="servicedesk/staff_new.html")


@require_perm(P.VENDOR)
def workorders(request):
    rows = selectors.work_orders(request.user)
    return render(request, "servicedesk/workorders.html", {"rows": rows, "now": timezone.now()})


@require_perm(P.STATS)
def stats(request):
    days = parse_id(request.GET.get("days", "90"))
    days = days if days is not None and 1 <= days <= 3660 else 90
    since = timezone.now() - dt.timedelta(days=days)
    return render(request, "servicedesk/stats.html", {"rows": selectors.grid_numbers(request.user, since=since), "days": days})


@require_perm(P.ORDERS)
def orders(request):
    qs = ServiceOrder.objects.visible_to(request.user, P.VIEW).select_related("item", "provider").prefetch_related(
        "signoffs")[:200]
    if request.method == "POST":
        order = get_object_or_404(ServiceOrder.objects.visible_to(request.user, P.VIEW), pk=request.POST.get("order"))
        provider = None
        if request.POST.get("provider", "").isdigit():
            provider = PartnerUnit.objects.filter(pk=int(request.POST["provider"]), community_id=order.community_id).first()
        try:
            services.sign_off(by=Actor.from_request(request), order=order, party=request.POST.get("party", ""),
                              note=request.POST.get("note", "")[:500], approve=request.POST.get("approve", "1") == "1",
                              provider=provider)
            messages.success(request, _("Sign-off recorded."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("servicedesk:orders")
    community = _community_of(request.user)
    providers = PartnerUnit.objects.filter(community=community) if community else []
    return render(request, "servicedesk/orders.html", {
        "orders": qs, "providers": providers, "flow": services.ORDER_FLOW, "stages": OrderStage})


@require_perm(P.ORDERS)
def needs(request):
    community = _community_of(request.user)
    if community is None:
        raise Http404
    if request.method == "POST":
        demand = get_object_or_404(Demand, pk=request.POST.get("demand"), community=community)
        offer = get_object_or_404(Offer, pk=request.POST.get("offer"), community=community)
        try:
            order = services.match(by=Actor.from_request(request), demand=demand, offer=offer)
            messages.success(request, _("Matched: service order #%(n)d created.") % {"n": order.pk})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("servicedesk:needs")
    offers = list(Offer.objects.filter(community=community, active=True).select_related("partner", "person"))
    demands = services.ranked_demands(community.pk)
    for d in demands:
        d.suggested = services.suggest_offers(d, offers)[:3]
    return render(request, "servicedesk/needs.html", {"demands": demands, "offers": offers})


@require_perm(P.CONFIGURE)
def settings_page(request):
    community = _community_of(request.user)
    new_key = None
    if request.method == "POST" and community is not None:
        if request.POST.get("action") == "key":
            new_key, _obj = services.create_api_key(by=Actor.from_request(request), community=community,
                                                    name=request.POST.get("name", "")[:80] or "Open311")
        elif request.POST.get("action") == "day":
            from django.utils.dateparse import parse_date

            day = parse_date(request.POST.get("date", "") or "")
            try:
                if day is None:
                    raise ValidationError(_("Enter a date as YYYY-MM-DD."))
                services.set_calendar_day(by=Actor.from_request(request), date=day,
                                          is_workday=request.POST.get("is_workday") == "1",
                                          name=request.POST.get("name", ""))
                messages.success(request, _("Calendar updated."))
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            return redirect("servicedesk:settings")
        elif request.POST.get("action") == "day_remove":
            day = get_object_or_404(CalendarDay, pk=request.POST.get("day") or 0)
            try:
                services.remove_calendar_day(by=Actor.from_request(request), day=day)
                messages.success(request, _("Calendar updated."))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            return redirect("servicedesk:settings")
        elif request.POST.get("action") == "revoke":
            ApiKey.objects.filter(pk=request.POST.get("key"), community=community).update(active=False)
            messages.success(request, _("Key revoked."))
            return redirect("servicedesk:settings")
    year = timezone.localdate().year
    from .config_views import editable_categories, editable_policies

    _mine = Q(community__isnull=True) | Q(community=community)

    return render(request, "servicedesk/settings.html", {
        "cat_edit": set(editable_categories(request.user).values_list("pk", flat=True)),
        "pol_edit": set(editable_policies(request.user).values_list("pk", flat=True)),
        "agr_edit": set(Agreement.objects.visible_to(request.user, P.CONFIGURE).values_list("pk", flat=True)),
        "items": ServiceItem.objects.filter(community=community).select_related("provider") if community else [],
        "categories": Category.objects.filter(_mine, parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Category.objects.filter(_mine))),
        "policies": SlaPolicy.objects.select_related("category"),
        "days": CalendarDay.objects.filter(date__year__gte=year - 1),
        "agreements": Agreement.objects.visible_to(request.user, P.VIEW).select_related("vendor").prefetch_related("categories"),
        "keys": ApiKey.objects.filter(community=community) if community else [], "new_key": new_key,
        "levels": Level.choices, "can_shared": sd_rules.may_configure_shared(request.user),
    })


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))

