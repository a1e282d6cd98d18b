"""Console editor: the place tree, dwellings and their people, courtyards, units and organisations.

Every view finds its object through a `visible_to` queryset (outside the scope → 404), checks
the change permission on that object (→ 403), and writes through one service (→ audit event).
A service's ValidationError is shown on the form and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import form_page, save
from courtyard.core.console.natural import NaturalKey
from courtyard.core.models import Channel
from courtyard.core.permissions import require_perm

from . import access, liaison, selectors, services
from . import edit_forms as f
from .choices import CHILD_KINDS, BodyKind, PlaceKind
from .models import (
    BodyMembership,
    Courtyard,
    DwellingLink,
    GovernanceBody,
    PartnerUnit,
    PartyMember,
    PartyOrg,
    Person,
    Place,
    ResponsibilityZone,
)


def _by(request) -> Actor:
    return Actor.from_request(request, channel=Channel.OFFLINE)


def _check(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _community_of(place: Place) -> Place | None:
    return place if place.kind == PlaceKind.COMMUNITY else place.community


# ---------------------------------------------------------------- place tree
@require_perm(access.CHANGE_REGISTRY)
def place_add_child(request, pk: int):
    parent = get_object_or_404(selectors.places_for(request.user), pk=pk)
    _check(request, access.CHANGE_REGISTRY, parent)
    kinds = CHILD_KINDS[PlaceKind(parent.kind)]
    if not kinds:
        raise PermissionDenied
    kind = next(iter(kinds))
    form = f.PlaceForm(request.POST or None, kind=kind, community=_community_of(parent), with_courtyard=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        extra = {k: d[k] for k in ("courtyard", "floors", "map_x", "map_y") if k in d}
        created = []
        if save(form, lambda: created.append(services.create_place(
                by=_by(request), kind=kind, name=d["name"], code=d["code"], parent=parent, **extra))):
            messages.success(request, _("%(name)s added.") % {"name": created[0].name})
            return redirect("org:place", pk=parent.pk)
    return form_page(request, form, title=_("Add a %(kind)s under %(parent)s")
                     % {"kind": PlaceKind(kind).label.lower(), "parent": parent.name},
                     back_url=parent.get_console_url())


@require_perm(access.CHANGE_REGISTRY)
def place_edit(request, pk: int):
    place = get_object_or_404(selectors.places_for(request.user), pk=pk)
    _check(request, access.CHANGE_REGISTRY, place)
    initial = {"name": place.name, "code": place.code, "floors": place.floors, "map_x": place.map_x,
               "map_y": place.map_y, "danger_grade": place.danger_grade, "flood_risk": place.flood_risk}
    form = f.PlaceForm(request.POST or None, initial=initial, kind=place.kind, community=None, with_courtyard=False)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("name", "code", "floors", "danger_grade", "flood_risk", "map_x", "map_y") if k in d}
        if save(form, lambda: services.update_place(by=_by(request), place=place, **fields)):
            messages.success(request, _("Saved. The change is in the audit trail."))
            return redirect("org:place", pk=place.pk)
    return form_page(request, form, title=_("Edit %(name)s") % {"name": place.name},
                     back_url=place.get_console_url())


@require_perm(access.CHANGE_REGISTRY)
def dwelling_create(request, pk: int):
    entrance = get_object_or_404(selectors.places_for(request.user).select_related("parent__courtyard"),
                                 pk=pk, kind=PlaceKind.ENTRANCE)
    _check(request, access.CHANGE_REGISTRY, entrance)
    form = f.DwellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = []
        if save(form, lambda: created.append(services.create_dwelling(
                by=_by(request), entrance=entrance, number=d["number"], floor=d["floor"], area_m2=d["area_m2"],
                area_source=d["area_source"], property_type=d["property_type"], occupancy=d["occupancy"]))):
            messages.success(request, _("Dwelling %(number)s added.") % {"number": created[0].number})
            return redirect("org:dwelling", pk=created[0].pk)
    return form_page(request, form, title=_("Add a dwelling to %(building)s %(entrance)s")
                     % {"building": entrance.parent.name, "entrance": entrance.name},
                     back_url=entrance.get_console_url())


@require_perm(access.CHANGE_REGISTRY)
def dwelling_link(request, pk: int):
    dwelling = get_object_or_404(selectors.dwellings_for(request.user), pk=pk)
    _check(request, access.CHANGE_REGISTRY, dwelling)
    people = Person.objects.visible_to(request.user, access.CHANGE_REGISTRY).filter(community_id=dwelling.community_id)
    form = f.LinkForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.link_person(by=_by(request), person=d["person"], dwelling=dwelling,
                                                     relation=d["relation"], start_date=d["start_date"],
                                                     make_home=d["make_home"])):
            messages.success(request, _("%(name)s linked to the dwelling.") % {"name": d["person"].name})
            return redirect("org:dwelling", pk=dwelling.pk)
    return form_page(request, form, title=_("Link a person to %(dwelling)s") % {"dwelling": dwelling.label},
                     back_url=dwelling.get_console_url())


@require_perm(access.CHANGE_REGISTRY)
def link_end(request, pk: int):
    link = get_object_or_404(
        DwellingLink.objects.select_related("person", "dwelling")
        .filter(dwelling__in=selectors.dwellings_for(request.user).values("pk")), pk=pk)
    _check(request, access.CHANGE_REGISTRY, link.dwelling)
    if link.end_date is not None:
        messages.error(request, _("This link has already ended."))
        return redirect("org:dwelling", pk=link.dwelling_id)
    form = f.EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if save(form, lambda: services.end_link(by=_by(request), link=link, end_date=form.cleaned_data["end_date"])):
            messages.success(request, _("Link ended."))
            return redirect("org:dwelling", pk=link.dwelling_id)
    return form_page(request, form, title=_("End %(name)s as %(relation)s of %(dwelling)s")
                     % {"name": link.person.name, "relation": link.get_relation_display(),
                         "dwelling": link.dwelling.label},
                      back_url=link.dwelling.get_console_url())


# ---------------------------------------------------------------- courtyards and units
def _community_for_orgs(request, pk: int) -> Place:
    community = get_object_or_404(selectors.places_for(request.user), pk=pk, kind=PlaceKind.COMMUNITY)
    _check(request, access.CHANGE_ORGS, community)
    return community


@require_perm(access.CHANGE_ORGS)
def courtyard_create(request, pk: int):
    community = _community_for_orgs(request, pk)
    form = f.CourtyardForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.create_courtyard(by=_by(request), community=community, name=d["name"].strip(),
                                                          address=d["address"], built_year=d["built_year"],
                                                          unit=d["unit"], management_mode=d["management_mode"],
                                                          housing_type=d["housing_type"],
                                                          property_owner=d["property_owner"])):
            messages.success(request, _("Courtyard %(name)s added.") % {"name": d["name"]})
            return redirect("org:place", pk=community.pk)
    return form_page(request, form, title=_("Add a courtyard to %(community)s") % {"community": community.name},
                     back_url=community.get_console_url())


@require_perm(access.CHANGE_ORGS)
def unit_create(request, pk: int):
    community = _community_for_orgs(request, pk)
    form = f.UnitForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            by = _by(request)
            unit = services.create_unit(by=by, community=community, name=d["name"].strip(), slug=d["slug"],
                                        intro=d["intro"], established=d["established"])
            for courtyard in d["courtyards"]:
                services.set_courtyard_unit(by=by, courtyard=courtyard, unit=unit)

        if save(form, write):
            messages.success(request, _("Self-governance unit %(name)s created.") % {"name": d["name"]})
            return redirect("org:place", pk=community.pk)
    return form_page(request, form, title=_("New self-governance unit in %(community)s")
                     % {"community": community.name}, back_url=community.get_console_url())


@require_perm(access.CHANGE_ORGS)
def courtyard_unit(request, pk: int):
    courtyard = get_object_or_404(Courtyard.objects.visible_to(request.user).select_related("community", "unit"),
                                  pk=pk)
    _check(request, access.CHANGE_ORGS, courtyard.community)
    form = f.CourtyardUnitForm(request.POST or None, initial={"unit": courtyard.unit_id}, courtyard=courtyard)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if save(form, lambda: services.set_courtyard_unit(by=_by(request), courtyard=courtyard, unit=unit)):
            if unit is None:
                messages.success(request, _("%(courtyard)s no longer belongs to a unit.") % {"courtyard": courtyard.name})
            else:
                messages.success(request, _("%(courtyard)s now belongs to %(unit)s.")
                                 % {"courtyard": courtyard.name, "unit": unit.name})
            return redirect("org:place", pk=courtyard.community_id)
    return form_page(request, form, title=_("Self-governance unit of %(courtyard)s") % {"courtyard": courtyard.name},
                     back_url=courtyard.community.get_console_url())


@require_perm(access.CHANGE_ORGS)
def courtyard_edit(request, pk: int):
    """Management mode, type, property-owning unit and the other recorded fields of a courtyard."""
    from .courtyards import FIELDS, edit_courtyard

    courtyard = get_object_or_404(Courtyard.objects.visible_to(request.user).select_related("community"), pk=pk)
    _check(request, access.CHANGE_ORGS, courtyard.community)
    form = f.CourtyardFieldsForm(request.POST or None, initial={k: getattr(courtyard, k) for k in FIELDS})
    if request.method == "POST" and form.is_valid():
        if save(form, lambda: edit_courtyard(by=_by(request), courtyard=courtyard, **form.cleaned_data)):
            messages.success(request, _("%(courtyard)s is saved.") % {"courtyard": courtyard.name})
            return redirect("org:place", pk=courtyard.community_id)
    return form_page(request, form, title=_("Edit %(courtyard)s") % {"courtyard": courtyard.name},
                     back_url=courtyard.community.get_console_url())


# ---------------------------------------------------------------- organisations
def _communities(user):
    return Place.objects.visible_to(user, access.CHANGE_ORGS).filter(kind=PlaceKind.COMMUNITY).order_by(NaturalKey("name"))


def _units(user):
    from .models import SelfGovernanceUnit

    return SelfGovernanceUnit.objects.visible_to(user, access.CHANGE_ORGS).order_by(NaturalKey("name"))


ORGS_URL = "/console/organisations/"


@require_perm(access.CHANGE_ORGS)
def body_create(request):
    form = f.BodyForm(request.POST or None, units=_units(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.create_body(by=_by(request), unit=d["unit"], kind=d["kind"],
                                                     name=d["name"].strip(), duties=d["duties"],
                                                     term_start=d["term_start"], term_end=d["term_end"])):
            messages.success(request, _("%(name)s created.") % {"name": d["name"]})
            return redirect("org:organisations")
    return form_page(request, form, title=_("New self-governance body"), back_url=ORGS_URL)


def _body(request, pk: int) -> GovernanceBody:
    body = get_object_or_404(GovernanceBody.objects.visible_to(request.user).select_related("unit__community"), pk=pk)
    _check(request, access.CHANGE_ORGS, body.unit)
    return body


@require_perm(access.CHANGE_ORGS)
def body_member_add(request, pk: int):
    body = _body(request, pk)
    people = Person.objects.visible_to(request.user).filter(community_id=body.unit.community_id)
    grids = (Place.objects.filter(kind=PlaceKind.GRID, community_id=body.unit.community_id).order_by("path")
             if body.kind == BodyKind.COMMITTEE else None)
    form = f.MemberForm(request.POST or None, people=people, grids=grids)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            membership = services.add_body_member(by=_by(request), body=body, person=d["person"],
                                                  position=d["position"], start_date=d["start_date"])
            if d.get("liaison_grids"):
                liaison.set_liaison_grids(by=_by(request), membership=membership, grids=d["liaison_grids"])

        if save(form, write):
            messages.success(request, _("%(name)s joined %(body)s.") % {"name": d["person"].name, "body": body.name})
            return redirect("org:organisations")
    return form_page(request, form, title=_("Add a member to %(body)s") % {"body": body.name}, back_url=ORGS_URL)


@require_perm(access.CHANGE_ORGS)
def body_member_end(request, pk: int):
    membership = get_object_or_404(
        BodyMembership.objects.select_related("person", "body__unit")
        .filter(body__in=GovernanceBody.objects.visible_to(request.user).values("pk")), pk=pk)
    _check(request, access.CHANGE_ORGS, membership.body.unit)
    form = f.EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if save(form, lambda: services.end_body_member(by=_by(request), membership=membership,
                                                         end_date=form.cleaned_data["end_date"])):
            messages.success(request, _("%(name)s has left %(body)s.")
                             % {"name": membership.person.name, "body": membership.body.name})
            return redirect("org:organisations")
    return form_page(request, form, title=_("End the membership of %(name)s in %(body)s")
                     % {"name": membership.person.name, "body": membership.body.name}, back_url=ORGS_URL)


@require_perm(access.CHANGE_ORGS)
def partner_create(request):
    form = f.PartnerForm(request.POST or None, communities=_communities(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.create_partner(
                by=_by(request), community=d["community"], kind=d["kind"], name=d["name"].strip(),
                contact_name=d["contact_name"], contact_phone=d["contact_phone"], address=d["address"],
                alliance_member=d["alliance_member"])):
            messages.success(request, _("%(name)s added.") % {"name": d["name"]})
            return redirect("org:organisations")
    return form_page(request, form, title=_("New partner unit"), back_url=ORGS_URL)


@require_perm(access.CHANGE_ORGS)
def cobuilding_item_add(request, pk: int):
    partner = get_object_or_404(PartnerUnit.objects.visible_to(request.user), pk=pk)
    _check(request, access.CHANGE_ORGS, partner)
    form = f.CoBuildingItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.add_cobuilding_item(by=_by(request), partner=partner, **d)):
            messages.success(request, _("Commitment added to the list of %(name)s.") % {"name": partner.name})
            return redirect("org:organisations")
    return form_page(request, form, title=_("Add a co-building commitment of %(name)s") % {"name": partner.name},
                     back_url=ORGS_URL)


@require_perm(access.CHANGE_ORGS)
def party_org_create(request):
    user = request.user
    form = f.PartyOrgForm(request.POST or None, communities=_communities(user),
                          parents=PartyOrg.objects.visible_to(user, access.CHANGE_ORGS), units=_units(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = []
        if save(form, lambda: created.append(services.create_party_org(
                by=_by(request), community=d["community"], level=d["level"], name=d["name"], parent=d["parent"],
                unit=d["unit"]))):
            messages.success(request, _("%(name)s created.") % {"name": created[0].name})
            return redirect("org:party_org", pk=created[0].pk)
    return form_page(request, form, title=_("New party organisation"), back_url=ORGS_URL)


def _party_org(request, pk: int) -> PartyOrg:
    return get_object_or_404(PartyOrg.objects.visible_to(request.user).select_related("community", "parent", "unit"),
                             pk=pk)


@require_perm(access.VIEW_ORGS)
def party_org_detail(request, pk: int):
    org = _party_org(request, pk)
    members = (org.members.select_related("person", "reported_from")
               .prefetch_related(Prefetch("zones", queryset=ResponsibilityZone.objects.select_related("place__parent")))
               .order_by("position", "person__name"))
    return render(request, "org/party_org.html", {
        "org": org, "members": members[:500], "children": org.children.order_by("level", "name"),
        "can_change": request.user.has_perm(access.CHANGE_ORGS, org.community),
        "parent_visible": bool(org.parent_id) and PartyOrg.objects.visible_to(request.user).filter(
            pk=org.parent_id).exists(),
        "breadcrumbs": [{"label": _("Organisations"), "url": ORGS_URL}, {"label": org.name}],
    })


@require_perm(access.CHANGE_ORGS)
def party_member_add(request, pk: int):
    org = _party_org(request, pk)
    _check(request, access.CHANGE_ORGS, org.community)
    people = Person.objects.visible_to(request.user).filter(community_id=org.community_id)
    partners = PartnerUnit.objects.visible_to(request.user, access.CHANGE_ORGS).filter(community_id=org.community_id)
    form = f.PartyMemberForm(request.POST or None, people=people, partners=partners)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.add_party_member(by=_by(request), org=org, **d)):
            messages.success(request, _("%(name)s added to %(org)s.") % {"name": d["person"].name, "org": org.name})
            return redirect("org:party_org", pk=org.pk)
    return form_page(request, form, title=_("Add a party member to %(org)s") % {"org": org.name},
                     back_url=reverse("org:party_org", args=[org.pk]))


@require_perm(access.CHANGE_ORGS)
def zone_add(request, pk: int):
    member = get_object_or_404(
        PartyMember.objects.select_related("person", "org__community")
        .filter(org__in=PartyOrg.objects.visible_to(request.user).values("pk")), pk=pk)
    _check(request, access.CHANGE_ORGS, member.org.community)
    places = Place.objects.visible_to(request.user, access.CHANGE_ORGS).filter(
        community_id=member.org.community_id, kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE])
    form = f.ZoneForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        place = form.cleaned_data["place"]
        if save(form, lambda: services.add_responsibility_zone(by=_by(request), member=member, place=place)):
            messages.success(request, _("%(name)s now looks after %(place)s.")
                             % {"name": member.person.name, "place": place.name})
            return redirect("org:party_org", pk=member.org_id)
    return form_page(request, form, title=_("Responsibility zone of %(name)s") % {"name": member.person.name},
                     back_url=reverse("org:party_org", args=[member.org_id]))
