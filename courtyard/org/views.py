"""Staff console for the registry: thin views over selectors, services and rules."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core import worklist
from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, form_page
from courtyard.core.console.natural import NaturalKey
from courtyard.core.files import store_upload
from courtyard.core.models import AuditEvent, Channel
from courtyard.core.permissions import require_perm

from . import access, accounts, lists, selectors, services
from .choices import CHILD_KINDS, PartnerKind, PlaceKind
from .forms import AreaForm, GrantForm, PersonForm, RevealForm, SensitiveForm
from .models import Courtyard, Person, RoleGrant, SelfGovernanceUnit
from .reveal import TooManyReveals


@require_perm(access.CONSOLE)
def dashboard(request):
    user = request.user
    roots = selectors.tree_roots(user)
    stats = [(root, selectors.place_stats(user, root)) for root in roots[:6]]
    work = worklist.collect(user)
    return render(request, "org/dashboard.html", {
        "stats": stats, "grants": selectors.roles_of(user).grants, "work": work,
        "waiting": sum(i.count for i in work), "urgent": sum(i.count for i in work if i.urgent)})


@require_perm(access.VIEW_PLACE)
def places(request):
    return render(request, "org/places.html", {"roots": selectors.tree_roots(request.user)})


@require_perm(access.VIEW_PLACE)
def place_detail(request, pk: int):
    place = get_object_or_404(selectors.places_for(request.user).select_related("courtyard", "parent"), pk=pk)
    children = selectors.place_children(request.user, place)
    ancestors = list(place.ancestors())
    # Levels above the user's scope are shown as text: a link there would end on a 404.
    open_ids = set(selectors.places_for(request.user).filter(pk__in=[a.pk for a in ancestors])
                   .values_list("pk", flat=True))
    crumbs = [{"label": a.name, "url": a.get_console_url() if a.pk in open_ids else ""} for a in ancestors]
    context = {"place": place, "children": children, "stats": selectors.place_stats(request.user, place),
               "breadcrumbs": [*crumbs, {"label": place.name}]}
    if place.kind == PlaceKind.ENTRANCE:
        context["dwellings"] = selectors.dwellings_for(request.user).filter(entrance=place).order_by(NaturalKey("number"))
    user = request.user
    child_kinds = CHILD_KINDS[PlaceKind(place.kind)]
    context["can_edit"] = user.has_perm(access.CHANGE_REGISTRY, place)
    context["child_kind"] = PlaceKind(next(iter(child_kinds))).label if child_kinds else None
    if place.kind == PlaceKind.COMMUNITY:
        context["can_orgs"] = user.has_perm(access.CHANGE_ORGS, place)
        context["courtyards"] = (Courtyard.objects.visible_to(user).filter(community=place)
                                 .select_related("unit").order_by(NaturalKey("name")))
        context["units"] = SelfGovernanceUnit.objects.visible_to(user).filter(community=place).order_by(NaturalKey("name"))
    return render(request, "org/place_detail.html", context)


dwellings = lists.DwellingList.as_view()


@require_perm(access.VIEW_DWELLING)
def dwelling_detail(request, pk: int):
    dwelling = get_object_or_404(selectors.dwellings_for(request.user), pk=pk)
    links = dwelling.links.select_related("person").order_by("end_date", "relation")
    history = AuditEvent.objects.visible_to(request.user).filter(
        content_type__model="dwelling", object_id=str(dwelling.pk))[:20]
    return render(request, "org/dwelling_detail.html", {
        "dwelling": dwelling, "links": links, "areas": dwelling.areas.all(), "history": history,
        "area_form": AreaForm() if request.user.has_perm(access.CHANGE_REGISTRY, dwelling) else None,
        "can_edit": request.user.has_perm(access.CHANGE_REGISTRY, dwelling),
        "breadcrumbs": [{"label": _("Dwellings"), "url": "/console/dwellings/"}, {"label": dwelling.label}],
    })


people = lists.PersonList.as_view()


@require_perm(access.VIEW_PERSON)
def person_detail(request, pk: int):
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    user = request.user
    context = {
        "person": person,
        "links": person.links.select_related("dwelling__courtyard", "dwelling__building", "dwelling__entrance"),
        "tags": person.tags.all(),
        "can_reveal": user.has_perm(access.REVEAL_PII, person),
        "can_sensitive": user.has_perm(access.VIEW_SENSITIVE, person),
        "can_edit": user.has_perm(access.CHANGE_REGISTRY, person),
        "can_send_code": accounts.may_send_password_code(user, person) and accounts.login_of(person) is not None,
        "can_add_sensitive": user.has_perm(access.CHANGE_SENSITIVE, person),
        "breadcrumbs": [{"label": _("People"), "url": "/console/people/"}, {"label": person.name}],
    }
    if context["can_sensitive"]:
        context["sensitive"] = person.sensitive_records.filter(ended_at__isnull=True)
    # Link only the dwellings this user may open (a social worker sees people, not the registry).
    context["open_dwellings"] = set(selectors.dwellings_for(user).filter(
        pk__in=[link.dwelling_id for link in context["links"]]).values_list("pk", flat=True)) \
        if user.has_perm(access.VIEW_DWELLING) else set()
    return render(request, "org/person_detail.html", context)


@require_POST
@require_perm(access.VIEW_PERSON)
def person_reveal(request, pk: int):
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "org/partials/reveal.html", {"error": _("Unknown field.")}, status=400)
    field = form.cleaned_data["field"]
    try:
        value = services.reveal_pii(by=Actor.from_request(request), person=person, field=field)
    except TooManyReveals as exc:
        response = render(request, "org/partials/reveal.html", {"error": _too_many_reveals(exc.wait)}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    response = render(request, "org/partials/reveal.html", {"value": value or _("not recorded"), "field": field})
    response["Cache-Control"] = "no-store"  # a full number must not stay in any cache
    return response


@require_POST
@require_perm(access.CHANGE_REGISTRY)
def person_password_code(request, pk: int):
    """Sends the person's login a one-time password code by SMS (the staff member never sees it)."""
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    try:
        code = accounts.send_password_code(by=Actor.from_request(request), person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A one-time code was sent by SMS to %(phone)s. It works once, for %(minutes)d "
                                    "minutes; the resident sets a new password at %(url)s.") % {
            "phone": code.user.masked_phone, "minutes": settings.COURTYARD_RESET_CODE_MINUTES,
            "url": reverse("password_reset")})
    return redirect("org:person", pk=person.pk)


_too_many_reveals = lists.too_many_reveals


@require_perm(access.VIEW_ORGS)
def organisations(request):
    data = selectors.orgs_for(request.user)
    bodies = list(data["bodies"])
    party_person_ids = set(
        Person.objects.filter(party_membership__isnull=False,
                              body_memberships__body__in=bodies).values_list("pk", flat=True)
    )
    return render(request, "org/organisations.html", {
        "party_orgs": data["party_orgs"][:200], "bodies": bodies,
        "partners": data["partners"].order_by("kind", "name")[:400],
        "partner_counts": [{"kind": PartnerKind(r["kind"]).label if r["kind"] in PartnerKind.values else r["kind"],
                            "n": r["n"]} for r in data["partners"].values("kind").annotate(n=Count("id")).order_by("kind")],
        "cross_appointed": party_person_ids,
        "can_change": request.user.has_perm(access.CHANGE_ORGS),
    })


grants = lists.GrantList.as_view()


@require_perm(access.MANAGE_ROLES)
def grant_create(request):
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        scope = d["place"] or d["unit"]
        if scope is not None and not request.user.has_perm(access.MANAGE_ROLES, scope):
            raise PermissionDenied
        try:
            services.grant_role(by=Actor.from_request(request), user=d["phone"], role=d["role"], place=d["place"],
                                unit=d["unit"], title=d["title"], end_date=d["end_date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not grant this role."))
            return render(request, "org/grant_form.html", {"form": form, "breadcrumbs": [
                {"label": _("Roles"), "url": "/console/roles/"}, {"label": _("Grant a role")}]}, status=403)
        else:
            messages.success(request, _("Role granted."))
            return redirect("org:grants")
    status = 400 if request.method == "POST" else 200
    return render(request, "org/grant_form.html", {"form": form, "breadcrumbs": [
        {"label": _("Roles"), "url": "/console/roles/"}, {"label": _("Grant a role")}]}, status=status)


@require_POST
@require_perm(access.MANAGE_ROLES)
def grant_revoke(request, pk: int):
    grant = get_object_or_404(RoleGrant.objects.visible_to(request.user, access.MANAGE_ROLES), pk=pk)
    try:
        services.revoke_role(by=Actor.from_request(request), grant=grant)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("org:grants")
    messages.success(request, _("Role ended."))
    return redirect("org:grants")


audit = lists.AuditList.as_view()


@require_perm(access.CHANGE_REGISTRY)
def person_edit(request, pk: int):
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    if not request.user.has_perm(access.CHANGE_REGISTRY, person):
        raise PermissionDenied
    initial = {"name": person.name, "gender": person.gender, "birth_year": person.birth_year,
               "phone": person.phone, "residence_status": person.residence_status,
               "tags": list(person.tags.values_list("code", flat=True)), "notes": person.notes}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_person(by=Actor.from_request(request, channel=Channel.OFFLINE), person=person,
                                   name=d["name"], gender=d["gender"], birth_year=d["birth_year"],
                                   phone=d["phone"], residence_status=d["residence_status"], notes=d["notes"],
                                   tags=d["tags"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The change is in the audit trail."))
            return redirect("org:person", pk=person.pk)
    return form_page(request, form, title=_("Edit %(name)s") % {"name": person.name},
                     back_url=reverse("org:person", args=[person.pk]))


@require_POST
@require_perm(access.CHANGE_REGISTRY)
def dwelling_area(request, pk: int):
    dwelling = get_object_or_404(selectors.dwellings_for(request.user), pk=pk)
    if not request.user.has_perm(access.CHANGE_REGISTRY, dwelling):
        raise PermissionDenied
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            services.record_area(by=Actor.from_request(request, channel=Channel.OFFLINE), dwelling=dwelling,
                                 **form.cleaned_data)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Area recorded. The dwelling now counts %(area)s m² (%(source)s).")
                             % {"area": dwelling.area_m2, "source": dwelling.get_area_source_display()})
    else:
        for errors in form.errors.values():
            for msg in errors:
                messages.error(request, msg)
    return redirect("org:dwelling", pk=dwelling.pk)


@require_perm(access.CHANGE_SENSITIVE)
def sensitive_add(request, pk: int):
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    if not request.user.has_perm(access.CHANGE_SENSITIVE, person):
        raise PermissionDenied
    form = SensitiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by = Actor.from_request(request, channel=Channel.OFFLINE)
        try:
            with transaction.atomic():
                document = None
                if d["consent_document"]:
                    document = store_upload(by=by, upload=d["consent_document"], allowed={"image", "pdf"})
                services.add_sensitive_record(by=by, person=person, category=d["category"], value=d["value"],
                                              legal_basis=d["legal_basis"], basis_note=d["basis_note"],
                                              detail=d["detail"], consent_document=document)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded with its legal basis."))
            return redirect("org:person", pk=person.pk)
    return form_page(request, form, title=_("Record sensitive information about %(name)s") % {"name": person.name},
                     back_url=reverse("org:person", args=[person.pk]))
