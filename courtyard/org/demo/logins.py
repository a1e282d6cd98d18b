"""One demo login per role in ROLES, plus a resident and a tenant; all share DEMO_PASSWORD."""

from __future__ import annotations

from django.db import transaction

from courtyard.core import pii
from courtyard.core.access import ROLES
from courtyard.core.audit import Actor
from courtyard.org import services

DEMO_PASSWORD = "courtyard-demo"  # demo data only, printed on purpose


def demo_phone(n: int) -> str:
    return f"1380000{n:04d}"


@transaction.atomic
def create_logins(info: dict) -> list[dict]:
    """Returns rows {label, phone, password, scope, person} for the printed table."""
    by = Actor.system()
    units, grids, picks = info["units"], info["grids"], info["picks"]
    xdy = units["xuedaoyuan"]
    community = grids[0].community
    grid8 = next((g for g in grids if g.name == "第8网格"), grids[-1])
    building_head, head_building = picks.get("building_head") or (None, info["xdy_buildings"][0])
    # role → (place, unit, person, partner)
    scopes = {
        "platform_admin": (info["district"], None, None, None),
        "subdistrict_officer": (info["subdistrict"], None, None, None),
        "department_officer": (info["subdistrict"], None, None, picks.get("department")),
        "party_secretary": (community, None, None, None),
        "community_staff": (community, None, None, None),
        "finance_officer": (community, None, None, None),
        "grid_worker": (grid8, None, None, None),
        "microgrid_worker": (info["xdy_microgrids"][0], None, None, None),
        "building_head": (head_building, None, building_head, None),
        "digital_helper": (grid8, None, None, None),
        "committee_member": (None, xdy, picks.get("committee"), None),
        "supervisory_member": (None, xdy, picks.get("supervisor"), None),
        "representative": (None, xdy, picks.get("representative"), None),
        "party_member": (None, xdy, picks.get("party_member"), None),
        "volunteer": (None, xdy, picks.get("volunteer"), None),
        "planner": (None, xdy, None, None),
        "lawyer": (None, xdy, None, None),
        "engineer": (None, xdy, None, None),
        "social_worker": (community, None, None, None),
        "contractor": (None, xdy, None, None),
        "works_supervisor": (None, xdy, None, None),
        "vendor": (community, None, None, None),
        "partner_contact": (community, None, None, picks.get("merchant")),
        "evaluator": (info["subdistrict"], None, None, None),
        "grid_chief": (grid8, None, None, None),
        "grid_deputy": (grid8, None, None, None),
        "property_company": (None, xdy, None, picks.get("property_company")),
        "trust_institution": (None, xdy, None, picks.get("trust_institution")),
        "subdistrict_party_committee": (info["subdistrict"], None, None, None),  # projects' role (rollout)
    }
    missing = set(ROLES) - set(scopes)
    rows: list[dict] = []
    used_people: set[int] = set()

    def account(n: int, name: str, person, elderly: bool = False):
        phone = demo_phone(n)
        if person is not None and person.pk in used_people:
            person = None
        if person is not None:
            used_people.add(person.pk)
            person.phone, person.phone_hash = phone, pii.blind_index("phone", phone)
            person.save(update_fields=["phone", "phone_hash"])
        user = services.create_user(by=by, phone=phone, display_name=person.name if person else name,
                                    password=DEMO_PASSWORD, person=person)
        if elderly:
            user.elderly_mode = True
            user.save(update_fields=["elderly_mode"])
        return user, person

    for n, (label, person) in enumerate(
        ((f"Resident (elderly owner, {xdy.name}, elderly mode)", picks.get("elderly_owner")),
         ("Resident (tenant)", picks.get("tenant"))), start=1,
    ):
        user, person = account(n, label, person, elderly=(n == 1))
        where = person.home.label if person and person.home_id else str(community)
        rows.append({"label": label, "phone": demo_phone(n), "password": DEMO_PASSWORD, "scope": where,
                     "person": person.name if person else ""})
    for n, (code, role) in enumerate(ROLES.items(), start=11):
        if code in missing:  # a role added later without a demo scope: give it the first scope it allows
            continue
        place, unit, person, partner = scopes[code]
        user, person = account(n, f"演示·{role.label}", person)
        services.grant_role(by=by, user=user, role=code, place=place, unit=unit, partner=partner,
                            title="演示账号")
        scope = str(unit or place)
        if place is not None and place.courtyard_id:
            scope = f"{place.courtyard.name} {place.name}"
        scope += f" / {partner.name}" if partner else ""
        rows.append({"label": str(role.label), "phone": demo_phone(n), "password": DEMO_PASSWORD, "scope": scope,
                     "person": person.name if person else "", "role": code})
    if missing:
        rows.append({"label": f"(no demo scope for: {', '.join(sorted(missing))})", "phone": "", "password": "",
                     "scope": "", "person": ""})
    return rows
