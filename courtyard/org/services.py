"""Every write to the place tree, the registry, organisations and roles.

Services take keyword-only arguments, run in one transaction and leave an audit event.
They raise ValidationError with a translated message when the input breaks a rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import pii, versions
from courtyard.core.access import ROLES, forget_grants
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.middleware import note_reveal
from courtyard.core.models import User
from courtyard.core.notify import Text, notify
from courtyard.org.access import REVEAL_PII

from . import reveal as reveal_budget
from . import rules as org_rules
from .choices import AREA_SOURCE_RANK, CHILD_KINDS, PartyOrgLevel, PlaceKind
from .models import (
    BodyMembership,
    CoBuildingItem,
    Courtyard,
    Dwelling,
    DwellingArea,
    DwellingLink,
    GovernanceBody,
    PartnerUnit,
    PartyMember,
    PartyOrg,
    Person,
    Place,
    ResponsibilityZone,
    RoleGrant,
    SelfGovernanceUnit,
    SensitiveRecord,
    Tag,
)


# ---------------------------------------------------------------- place tree
def place_tree_fields(parent: Place | None, kind: str) -> dict:
    """Checks that `kind` may sit under `parent` and returns the derived fields (pure)."""
    if parent is None:
        if kind != PlaceKind.DISTRICT:
            raise ValidationError(_("Only a district can be the root of the place tree."))
        return {"depth": 0, "community": None}
    if kind not in CHILD_KINDS[PlaceKind(parent.kind)]:
        raise ValidationError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": PlaceKind(kind).label, "parent": PlaceKind(parent.kind).label}
        )
    community = parent if parent.kind == PlaceKind.COMMUNITY else parent.community
    return {"depth": parent.depth + 1, "community": community}


@transaction.atomic
def create_place(
    *, by: Actor, kind: str, name: str, parent: Place | None, code: str = "", courtyard: Courtyard | None = None,
    floors: int | None = None, map_x: float | None = None, map_y: float | None = None,
) -> Place:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."))
    if courtyard is not None and kind != PlaceKind.BUILDING:
        raise ValidationError(_("Only a building belongs to a courtyard."))
    if kind == PlaceKind.BUILDING and courtyard is None:
        raise ValidationError(_("A building must belong to a courtyard."))
    derived = place_tree_fields(parent, kind)
    if courtyard is not None and derived["community"] is not None and courtyard.community_id != derived["community"].pk:
        raise ValidationError(_("The courtyard belongs to another community."))
    place = Place(kind=kind, name=name, code=code, parent=parent, courtyard=courtyard, floors=floors,
                  map_x=map_x, map_y=map_y, path="", **derived)
    place.save()
    place.path = f"{parent.path if parent else ''}{place.pk}."
    if kind == PlaceKind.COMMUNITY:
        place.community = place
    place.save(update_fields=["path", "community"])
    record(by, "org.place.create", place, changes=diff(None, snapshot(place)),
           community_id=place.community_id)
    return place


PLACE_EDITABLE = ("name", "code", "floors", "danger_grade", "flood_risk", "map_x", "map_y")


@transaction.atomic
def update_place(*, by: Actor, place: Place, **fields) -> Place:
    """Renames a place or corrects its code, floors and site-plan position; the tree shape is unchanged."""
    unknown = set(fields) - set(PLACE_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationError(_("A name is required."))
    if place.kind != PlaceKind.BUILDING and (fields.get("floors") is not None or fields.get("danger_grade")):
        raise ValidationError(_("Only a building has floors and a danger grade."))
    before = snapshot(place)
    for key, value in fields.items():
        setattr(place, key, value)
    place.save()
    changes = diff(before, snapshot(place))
    if changes:
        record(by, "org.place.update", place, changes=changes, community_id=place.community_id)
    return place


@transaction.atomic
def create_unit(*, by: Actor, community: Place, name: str, slug: str, intro: str = "",
                established: dt.date | None = None) -> SelfGovernanceUnit:
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(_("A self-governance unit belongs to a community."))
    if SelfGovernanceUnit.objects.filter(slug=slug).exists():
        raise ValidationError(_("The web address “%(slug)s” is already taken.") % {"slug": slug})
    unit = SelfGovernanceUnit.objects.create(community=community, name=name, slug=slug, intro=intro,
                                             established=established)
    record(by, "org.unit.create", unit, changes=diff(None, snapshot(unit)), community_id=community.pk)
    return unit


@transaction.atomic
def create_courtyard(*, by: Actor, community: Place, name: str, address: str = "",
                     unit: SelfGovernanceUnit | None = None, resident_group=None,
                     built_year: int | None = None, management_mode: str = "", housing_type: str = "",
                     property_owner: str = "") -> Courtyard:
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(_("A courtyard belongs to a community."))
    if unit is not None and unit.community_id != community.pk:
        raise ValidationError(_("The unit belongs to another community."))
    if Courtyard.objects.filter(community=community, name=name).exists():
        raise ValidationError(_("A courtyard named “%(name)s” already exists.") % {"name": name})
    courtyard = Courtyard.objects.create(community=community, name=name, address=address, unit=unit,
                                         resident_group=resident_group, built_year=built_year,
                                         management_mode=management_mode, housing_type=housing_type,
                                         property_owner=property_owner.strip()[:120])
    record(by, "org.courtyard.create", courtyard, changes=diff(None, snapshot(courtyard)))
    return courtyard


@transaction.atomic
def set_courtyard_unit(*, by: Actor, courtyard: Courtyard, unit: SelfGovernanceUnit | None) -> Courtyard:
    """Merge a courtyard into a unit (三院合一) or take it out; copies the unit onto its rows."""
    if unit is not None and unit.community_id != courtyard.community_id:
        raise ValidationError(_("The unit belongs to another community."))
    before = courtyard.unit_id
    courtyard.unit = unit
    courtyard.save(update_fields=["unit"])
    unit_id = unit.pk if unit else None
    Dwelling.objects.filter(courtyard=courtyard).update(unit_id=unit_id)
    Person.objects.filter(home__courtyard=courtyard).update(unit_id=unit_id)
    versions.bump(Dwelling)  # update() sends no signal (the courtyard's save bumps the home blocks)
    record(by, "org.courtyard.set_unit", courtyard, changes={"unit": [before, unit_id]})
    return courtyard


# ---------------------------------------------------------------- dwellings
def dwelling_location(entrance: Place) -> dict:
    """The location fields a dwelling copies from its entrance (pure, given a loaded entrance)."""
    if entrance.kind != PlaceKind.ENTRANCE:
        raise ValidationError(_("A dwelling must be placed in an entrance (单元)."))
    building = entrance.parent
    courtyard = building.courtyard
    return {
        "building": building,
        "courtyard": courtyard,
        "unit_id": courtyard.unit_id,
        "community_id": entrance.community_id,
        "path": entrance.path,
    }


def best_area(areas: list[tuple[str, Decimal]]) -> tuple[Decimal | None, str]:
    """The area that counts: property register over survey over sale contract (pure)."""
    if not areas:
        return None, ""
    source, area = min(areas, key=lambda item: AREA_SOURCE_RANK[item[0]])
    return area, source


def parse_area(value) -> Decimal:
    """Parses an area in m²: positive, at most two decimal places."""
    try:
        area = Decimal(str(value).strip())
    except Exception as exc:  # noqa: BLE001
        raise ValidationError(_("“%(value)s” is not an area in m².") % {"value": value}) from exc
    if not area.is_finite() or area <= 0:
        raise ValidationError(_("The area must be greater than zero."))
    if area != area.quantize(Decimal("0.01")):
        raise ValidationError(_("The area can have at most two decimal places."))
    if area >= Decimal("100000000"):
        raise ValidationError(_("The area is too large."))
    return area.quantize(Decimal("0.01"))


@transaction.atomic
def create_dwelling(*, by: Actor, entrance: Place, number: str, floor: int | None = None,
                    area_m2=None, area_source: str = "", property_type: str = "", occupancy: str = "",
                    developer_unsold: bool = False) -> Dwelling:
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("A room number is required."))
    if Dwelling.objects.filter(entrance=entrance, number=number).exists():
        raise ValidationError(_("Room %(number)s already exists in this entrance.") % {"number": number})
    dwelling = Dwelling(entrance=entrance, number=number, floor=floor, developer_unsold=developer_unsold,
                        **dwelling_location(entrance))
    if property_type:
        dwelling.property_type = property_type
    if occupancy:
        dwelling.occupancy = occupancy
    dwelling.full_clean(exclude=["building", "courtyard", "community", "path", "unit"])
    dwelling.save()
    if area_m2 is not None and area_m2 != "":
        _set_area(dwelling, area_source or "register", parse_area(area_m2), "")
    record(by, "org.dwelling.create", dwelling, changes=diff(None, snapshot(dwelling)))
    return dwelling


def _set_area(dwelling: Dwelling, source: str, area: Decimal, reference: str) -> None:
    DwellingArea.objects.update_or_create(dwelling=dwelling, source=source,
                                          defaults={"area_m2": area, "reference": reference})
    dwelling.area_m2, dwelling.area_source = best_area(list(dwelling.areas.values_list("source", "area_m2")))
    dwelling.save(update_fields=["area_m2", "area_source", "updated_at"])


@transaction.atomic
def record_area(*, by: Actor, dwelling: Dwelling, source: str, area_m2, reference: str = "") -> Dwelling:
    area = parse_area(area_m2)
    before = snapshot(dwelling, ["area_m2", "area_source"])
    _set_area(dwelling, source, area, reference)
    record(by, "org.dwelling.area", dwelling, changes=diff(before, snapshot(dwelling, ["area_m2", "area_source"])),
           note=f"{source}: {area}")
    return dwelling


DWELLING_EDITABLE = ("floor", "property_type", "occupancy", "developer_unsold")


@transaction.atomic
def update_dwelling(*, by: Actor, dwelling: Dwelling, **fields) -> Dwelling:
    unknown = set(fields) - set(DWELLING_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(dwelling)
    for key, value in fields.items():
        setattr(dwelling, key, value)
    dwelling.full_clean(exclude=["building", "courtyard", "community", "path", "unit", "entrance"])
    dwelling.save()
    changes = diff(before, snapshot(dwelling))
    if changes:
        record(by, "org.dwelling.update", dwelling, changes=changes)
    return dwelling


# ---------------------------------------------------------------- people
def _clean_phone(phone: str) -> tuple[str, str]:
    if not phone:
        return "", ""
    try:
        normalized = pii.normalize_phone(phone)
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” is not a valid mainland mobile number.") % {"value": phone}) from exc
    return normalized, pii.blind_index("phone", normalized)


def _clean_id(id_number: str) -> tuple[str, str]:
    if not id_number:
        return "", ""
    try:
        normalized = pii.normalize_id_number(id_number)
    except ValueError as exc:
        raise ValidationError(_("The ID number is not valid (18 characters with a correct check digit).")) from exc
    return normalized, pii.blind_index("id", normalized)


def _place_person(person: Person) -> None:
    if person.home_id:
        person.path, person.unit_id = person.home.path, person.home.unit_id
    else:
        person.path, person.unit_id = person.community.path, None


PERSON_EDITABLE = ("name", "gender", "birth_year", "residence_status", "notes", "active")


@transaction.atomic
def create_person(*, by: Actor, community: Place, name: str, phone: str = "", id_number: str = "",
                  birth_year: int | None = None, gender: str = "", residence_status: str = "permanent",
                  home: Dwelling | None = None, tags: list[str] | None = None, notes: str = "") -> Person:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."))
    phone, phone_hash = _clean_phone(phone)
    id_number, id_hash = _clean_id(id_number)
    if home is not None and home.community_id != community.pk:
        raise ValidationError(_("The home dwelling is in another community."))
    person = Person(community=community, name=name, phone=phone, phone_hash=phone_hash, id_number=id_number,
                    id_hash=id_hash, birth_year=birth_year, gender=gender, residence_status=residence_status,
                    home=home, notes=notes)
    _place_person(person)
    person.full_clean(exclude=["path", "unit", "phone_hash", "id_hash"])
    person.save()
    for code in tags or []:
        Tag.objects.get_or_create(person=person, code=code)
    record(by, "org.person.create", person, changes=diff(None, snapshot(person)))
    return person


@transaction.atomic
def update_person(*, by: Actor, person: Person, phone: str | None = None, id_number: str | None = None,
                  home: Dwelling | None | bool = False, tags: list[str] | None = None, **fields) -> Person:
    unknown = set(fields) - set(PERSON_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(person)
    before_tags = sorted(person.tags.values_list("code", flat=True))
    for key, value in fields.items():
        setattr(person, key, value)
    if phone is not None:
        person.phone, person.phone_hash = _clean_phone(phone)
    if id_number is not None:
        person.id_number, person.id_hash = _clean_id(id_number)
    if home is not False:
        person.home = home
        _place_person(person)
    person.full_clean(exclude=["path", "unit", "phone_hash", "id_hash"])
    person.save()
    changes = diff(before, snapshot(person))
    if tags is not None:
        person.tags.exclude(code__in=tags).delete()
        for code in tags:
            Tag.objects.get_or_create(person=person, code=code)
        if sorted(tags) != before_tags:
            changes["tags"] = [before_tags, sorted(tags)]
    if changes:
        record(by, "org.person.update", person, changes=changes)
    return person


@transaction.atomic
def link_person(*, by: Actor, person: Person, dwelling: Dwelling, relation: str,
                start_date: dt.date | None = None, make_home: bool = False) -> DwellingLink:
    if person.community_id != dwelling.community_id:
        raise ValidationError(_("The person and the dwelling are in different communities."))
    if DwellingLink.objects.filter(person=person, dwelling=dwelling, relation=relation, end_date__isnull=True).exists():
        raise ValidationError(_("This person already has that relation to the dwelling."))
    link = DwellingLink.objects.create(person=person, dwelling=dwelling, relation=relation, start_date=start_date)
    record(by, "org.link.create", link, changes=diff(None, snapshot(link)), community_id=dwelling.community_id)
    if make_home or person.home_id is None:
        person.home = dwelling
        _place_person(person)
        person.save(update_fields=["home", "path", "unit", "updated_at"])
    return link


@transaction.atomic
def end_link(*, by: Actor, link: DwellingLink, end_date: dt.date | None = None) -> DwellingLink:
    end_date = end_date or timezone.localdate()
    if link.start_date and end_date < link.start_date:
        raise ValidationError(_("The end date is before the start date."))
    link.end_date = end_date
    link.save(update_fields=["end_date"])
    record(by, "org.link.end", link, changes={"end_date": [None, str(end_date)]},
           community_id=link.dwelling.community_id)
    return link


@transaction.atomic
def reveal_pii(*, by: Actor, person: Person, field: str) -> str:
    """Returns a person's full phone or ID number to someone allowed to see it, and logs the reveal."""
    if field not in ("phone", "id_number"):
        raise ValueError(field)
    if by.user is None or not by.user.has_perm(REVEAL_PII, person):
        raise PermissionDenied(_("You may not see this person's full details."))
    reveal_budget.spend(by.user)  # raises TooManyReveals (ADR 0010)
    record(by, f"org.person.reveal_{field}", person, note=field)
    note_reveal()  # the response carrying it gets Cache-Control: no-store
    return getattr(person, field)


@transaction.atomic
def add_sensitive_record(*, by: Actor, person: Person, category: str, value: str, legal_basis: str,
                         basis_note: str, detail: str = "", consent_document=None) -> SensitiveRecord:
    if not (basis_note or "").strip():
        raise ValidationError(_("Say why the platform may hold this sensitive fact (the legal basis)."))
    if legal_basis == "consent" and consent_document is None:
        raise ValidationError(_("Consent must be backed by an uploaded signed consent form."))
    rec = SensitiveRecord.objects.create(person=person, category=category, value=value, detail=detail,
                                         legal_basis=legal_basis, basis_note=basis_note.strip(),
                                         consent_document=consent_document, recorded_by=by.user)
    if consent_document is not None:
        # The form is served only to those who may see this record (courtyard/org/file_access.py).
        consent_document.owner = rec
        consent_document.save(update_fields=["owner_type", "owner_id"])
    # The audit trail names the category, never the sensitive value itself.
    record(by, "org.sensitive.create", person, note=f"{category} ({legal_basis})")
    return rec


# ---------------------------------------------------------------- organisations
@transaction.atomic
def create_body(*, by: Actor, unit: SelfGovernanceUnit, kind: str, name: str, duties: str = "",
                term_start: dt.date | None = None, term_end: dt.date | None = None) -> GovernanceBody:
    if term_start and term_end and term_end < term_start:
        raise ValidationError(_("The term ends before it starts."))
    body = GovernanceBody.objects.create(unit=unit, kind=kind, name=name, duties=duties,
                                         term_start=term_start, term_end=term_end)
    record(by, "org.body.create", body, changes=diff(None, snapshot(body)), community_id=unit.community_id)
    return body


@transaction.atomic
def add_body_member(*, by: Actor, body: GovernanceBody, person: Person, position: str = "member",
                    start_date: dt.date | None = None) -> BodyMembership:
    if BodyMembership.objects.filter(body=body, person=person, end_date__isnull=True).exists():
        raise ValidationError(_("%(name)s is already a member.") % {"name": person.name})
    membership = BodyMembership.objects.create(body=body, person=person, position=position,
                                               start_date=start_date or body.term_start)
    record(by, "org.body.add_member", body, changes={"member": [None, person.pk], "position": [None, position]},
           community_id=body.unit.community_id)
    return membership


@transaction.atomic
def create_partner(*, by: Actor, community: Place, kind: str, name: str, contact_name: str = "",
                   contact_phone: str = "", address: str = "", alliance_member: bool = False) -> PartnerUnit:
    phone, _hash = _clean_phone(contact_phone)
    partner = PartnerUnit.objects.create(community=community, kind=kind, name=name, contact_name=contact_name,
                                         contact_phone=phone, address=address, alliance_member=alliance_member)
    record(by, "org.partner.create", partner, changes=diff(None, snapshot(partner)))
    return partner


@transaction.atomic
def end_body_member(*, by: Actor, membership: BodyMembership, end_date: dt.date | None = None) -> BodyMembership:
    end_date = end_date or timezone.localdate()
    if membership.end_date is not None:
        raise ValidationError(_("This membership has already ended."))
    if membership.start_date and end_date < membership.start_date:
        raise ValidationError(_("The end date is before the start date."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    body = membership.body
    record(by, "org.body.end_member", body,
           changes={"member": [membership.person_id, None], "end_date": [None, str(end_date)]},
           community_id=body.unit.community_id)
    return membership


@transaction.atomic
def add_cobuilding_item(*, by: Actor, partner: PartnerUnit, title: str, frequency: str = "",
                        status: str = "active", due: dt.date | None = None) -> CoBuildingItem:
    """Adds one line to a partner's co-building responsibility list (共建责任清单)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what the partner commits to."))
    item = CoBuildingItem(partner=partner, title=title, frequency=(frequency or "").strip(), status=status, due=due)
    item.full_clean(exclude=["partner"])
    item.save()
    record(by, "org.partner.add_item", partner, changes={"item": [None, title]},
           community_id=partner.community_id)
    return item


# A party organisation's level fixes the level of the organisation above it (ORG-3).
PARTY_PARENT_LEVEL = {"committee": None, "branch": "committee", "group": "branch"}


@transaction.atomic
def create_party_org(*, by: Actor, community: Place, level: str, name: str, parent: PartyOrg | None = None,
                     place: Place | None = None, unit: SelfGovernanceUnit | None = None) -> PartyOrg:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."))
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(_("A party organisation belongs to a community."))
    if level not in PARTY_PARENT_LEVEL:
        raise ValidationError(_("Unknown level."))
    wanted = PARTY_PARENT_LEVEL[level]
    if wanted is None and parent is not None:
        raise ValidationError(_("A community party committee has no organisation above it."))
    if wanted is not None:
        if parent is None or parent.level != wanted:
            raise ValidationError(_("A %(level)s sits under a %(parent)s.")
                                  % {"level": PartyOrgLevel(level).label, "parent": PartyOrgLevel(wanted).label})
        if parent.community_id != community.pk:
            raise ValidationError(_("The organisation above belongs to another community."))
    if place is not None and place.community_id != community.pk:
        raise ValidationError(_("The place belongs to another community."))
    if unit is not None and unit.community_id != community.pk:
        raise ValidationError(_("The unit belongs to another community."))
    org = PartyOrg.objects.create(community=community, level=level, name=name, parent=parent, place=place, unit=unit)
    record(by, "org.party.create", org, changes=diff(None, snapshot(org)), community_id=community.pk)
    return org


@transaction.atomic
def add_party_member(*, by: Actor, org: PartyOrg, person: Person, position: str = "member",
                     central_household: bool = False, reported_from: PartnerUnit | None = None,
                     since: dt.date | None = None) -> PartyMember:
    if person.community_id != org.community_id:
        raise ValidationError(_("The person lives in another community."))
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already recorded as a party member.") % {"name": person.name})
    if reported_from is not None and reported_from.community_id != org.community_id:
        raise ValidationError(_("The partner unit belongs to another community."))
    member = PartyMember(person=person, org=org, position=position, central_household=central_household,
                         reported_from=reported_from, since=since)
    member.full_clean(exclude=["person", "org", "reported_from"])
    member.save()
    Tag.objects.get_or_create(person=person, code="party_member")
    record(by, "org.party.add_member", org,
           changes={"member": [None, person.pk], "position": [None, position],
                    "central_household": [None, central_household],
                    "reported_from": [None, reported_from.pk if reported_from else None]},
           community_id=org.community_id)
    return member


@transaction.atomic
def add_responsibility_zone(*, by: Actor, member: PartyMember, place: Place) -> ResponsibilityZone:
    """包干楼栋单元: a party member looks after a building or an entrance of their community."""
    if place.kind not in (PlaceKind.BUILDING, PlaceKind.ENTRANCE):
        raise ValidationError(_("A responsibility zone is a building or an entrance."))
    if place.community_id != member.org.community_id:
        raise ValidationError(_("The place belongs to another community."))
    if ResponsibilityZone.objects.filter(member=member, place=place).exists():
        raise ValidationError(_("%(name)s already looks after %(place)s.")
                              % {"name": member.person.name, "place": place.name})
    zone = ResponsibilityZone.objects.create(member=member, place=place)
    record(by, "org.party.add_zone", member.org, changes={"zone": [None, place.pk], "member": [None, member.person_id]},
           community_id=member.org.community_id)
    return zone


# ---------------------------------------------------------------- accounts and roles
@transaction.atomic
def create_user(*, by: Actor, phone: str, display_name: str, password: str | None = None,
                person: Person | None = None) -> User:
    normalized, phone_hash = _clean_phone(phone)
    if not normalized:
        raise ValidationError(_("A mobile number is required."))
    if User.objects.filter(phone_hash=phone_hash).exists():
        raise ValidationError(_("An account with this mobile number already exists."))
    user = User.objects.create_user(normalized, password, display_name=display_name, person=person)
    record(by, "core.user.create", user, community_id=person.community_id if person else None)
    return user


validate_grant_scope = org_rules.validate_grant_scope  # pure; kept here for callers


@transaction.atomic
def grant_role(*, by: Actor, user: User, role: str, place: Place | None = None,
               unit: SelfGovernanceUnit | None = None, title: str = "", partner: PartnerUnit | None = None,
               start_date: dt.date | None = None, end_date: dt.date | None = None) -> RoleGrant:
    validate_grant_scope(role, place, unit)
    org_rules.require_grant(by.user, user=user, role=role, place=place, unit=unit)
    start_date = start_date or timezone.localdate()
    if end_date and end_date < start_date:
        raise ValidationError(_("The grant ends before it starts."))
    existing = RoleGrant.objects.filter(user=user, role=role, place=place, unit=unit, end_date__isnull=True)
    if existing.exists():
        raise ValidationError(_("This user already holds that role there."))
    community = unit.community if unit is not None else (place if place.kind == PlaceKind.COMMUNITY else place.community)
    grant = RoleGrant.objects.create(
        user=user, role=role, place=place, unit=unit, title=title, partner=partner, start_date=start_date,
        end_date=end_date, granted_by=by.user, community=community,
        path=place.path if place is not None else unit.community.path,
    )
    record(by, "org.role.grant", grant, changes=diff(None, snapshot(grant)),
           community_id=community.pk if community else grant.place_id)
    forget_grants(user)
    notify(recipients=[user], kind="org.role.granted",
           title=Text(N_("You are now %(role)s"), role=ROLES[role].label),
           body=Text(N_("Scope: %(scope)s. Open “Me” to see all your roles."), scope=grant.scope),
           url="/me/")
    return grant


@transaction.atomic
def revoke_role(*, by: Actor, grant: RoleGrant, end_date: dt.date | None = None) -> RoleGrant:
    org_rules.require_end_grant(by.user, grant)
    end_date = end_date or timezone.localdate()
    if end_date < grant.start_date:
        end_date = grant.start_date
    grant.end_date = end_date
    grant.save(update_fields=["end_date"])
    record(by, "org.role.revoke", grant, changes={"end_date": [None, str(end_date)]},
           community_id=grant.community_id)
    return grant
