"""Test data for the org app, built through `courtyard.org.services` as the system actor.

`build_tree()` makes a small, realistic world (see `courtyard/conftest.py` for the `tree`
fixture that returns it); `make_user()` makes a login holding one role on one scope.

The world::

    district 锦江区
      subdistrict 书院街街道
        community A 学道街社区
          grid1 (G1) ── microgrid1 ── building1 (courtyard1, in the unit) ── entrance1, entrance2
                                 └─ building2 (courtyard2)                ── entrance3, entrance4
          grid2 (G2) ── microgrid2 ── building3, building4 (courtyard3)    ── entrance5 … entrance8
          unit 学道苑 = courtyard1 only
        community B 东风路社区
          grid_b ── microgrid_b ── building_b (courtyard_b) ── entrance_b
      other_subdistrict … is in another district:
    other_district 青羊区 ── other_subdistrict ── community C ── grid_c ── microgrid_c ── building_c ── entrance_c

Every entrance holds two dwellings ("101", "201"). `dwelling1` (building1/entrance1/101) is the
unit's; `dwelling_g1` lies in G1 but outside the unit; `dwelling_g2` in G2; `dwelling_b` in B;
`dwelling_c` in C. People: person1 (owner of dwelling1, phone and ID number), person2 (tenant of
dwelling1, phone), person3 (owner in G1 outside the unit), person4 (owner in G2), person_b,
person_c, and person_nohome (community A, no dwelling).
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from courtyard.core.audit import Actor
from courtyard.core.models import User
from courtyard.org import services
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SelfGovernanceUnit

PASSWORD = "pw-12345678"

# Users take 150…, people 137… so they never collide with core/tests/factories.py (138…).
_user_phones = itertools.count(15000000001)
_person_phones = itertools.count(13700000001)
_id_serial = itertools.count(1)
_slugs = itertools.count(1)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def system() -> Actor:
    return Actor.system()


def next_user_phone() -> str:
    return str(next(_user_phones))


def next_person_phone() -> str:
    return str(next(_person_phones))


def id_number(birth: str = "19580312", region: str = "510104") -> str:
    """A valid 18-character resident ID number (correct check digit), different on every call."""
    body = f"{region}{birth}{next(_id_serial) % 1000:03d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


# ---------------------------------------------------------------- small builders
def place(kind: str, name: str, parent: Place | None, **kwargs) -> Place:
    return services.create_place(by=system(), kind=kind, name=name, parent=parent, **kwargs)


def building_with_entrances(microgrid: Place, courtyard, name: str, *, entrances: int = 2,
                            dwellings_per_entrance: int = 2, floors: int = 6) -> SimpleNamespace:
    """A building, its entrances and dwellings (each with a registered area; the first also surveyed)."""
    building = place(PlaceKind.BUILDING, name, microgrid, courtyard=courtyard, floors=floors)
    out = SimpleNamespace(building=building, entrances=[], dwellings=[])
    for e in range(1, entrances + 1):
        entrance = place(PlaceKind.ENTRANCE, f"{e}单元", building)
        out.entrances.append(entrance)
        for d in range(1, dwellings_per_entrance + 1):
            dwelling = services.create_dwelling(
                by=system(), entrance=entrance, number=f"{d}01", floor=d, area_m2=f"{60 + e * 5 + d}.50",
                area_source="register",
            )
            out.dwellings.append(dwelling)
    services.record_area(by=system(), dwelling=out.dwellings[0], source="survey", area_m2="66.80")
    out.dwellings[0].refresh_from_db()
    return out


def person(community: Place, name: str, *, home=None, relation: str | None = None, phone: bool | str = True,
           id_no: bool | str = False, **kwargs):
    """A person, optionally linked to a dwelling (`relation`: owner, tenant, …) which becomes their home."""
    p = services.create_person(
        by=system(), community=community, name=name,
        phone=(next_person_phone() if phone is True else (phone or "")),
        id_number=(id_number() if id_no is True else (id_no or "")),
        **kwargs,
    )
    if home is not None:
        services.link_person(by=system(), person=p, dwelling=home, relation=relation or "owner")
        p.refresh_from_db()
    return p


def make_user(role: str | None = None, scope: Place | SelfGovernanceUnit | None = None, *,
              person=None, display_name: str | None = None, phone: str | None = None, **grant_kwargs) -> User:
    """A login (password PASSWORD), holding `role` on `scope` when both are given."""
    phone = phone or next_user_phone()
    user = services.create_user(by=system(), phone=phone, display_name=display_name or f"{role or 'user'} {phone[-4:]}",
                                password=PASSWORD, person=person)
    if role is not None:
        if scope is None:
            raise ValueError("a role needs a scope")
        grant_role(user, role, scope, **grant_kwargs)
    return user


def grant_role(user: User, role: str, scope, **kwargs):
    scope_kw = {"unit": scope} if isinstance(scope, SelfGovernanceUnit) else {"place": scope}
    grant = services.grant_role(by=system(), user=user, role=role, **scope_kw, **kwargs)
    user.__dict__.pop("_courtyard_grants", None)  # the grant cache lives on the user object
    return grant


def make_superuser(phone: str | None = None) -> User:
    return User.objects.create_superuser(phone or next_user_phone(), PASSWORD, display_name="Superuser")


def community(name: str, subdistrict: Place) -> Place:
    return place(PlaceKind.COMMUNITY, name, subdistrict)


def small_community(name: str, subdistrict: Place, prefix: str) -> SimpleNamespace:
    """A community with one grid, one micro-grid, one courtyard and one building (one entrance, two dwellings)."""
    c = community(name, subdistrict)
    grid = place(PlaceKind.GRID, f"{prefix}第一网格", c)
    microgrid = place(PlaceKind.MICROGRID, f"{prefix}1号微网格", grid)
    courtyard = services.create_courtyard(by=system(), community=c, name=f"{prefix}1号院")
    b = building_with_entrances(microgrid, courtyard, f"{prefix}1栋", entrances=1)
    return SimpleNamespace(community=c, grid=grid, microgrid=microgrid, courtyard=courtyard,
                           building=b.building, entrance=b.entrances[0], dwellings=b.dwellings)


# ---------------------------------------------------------------- the world
def build_tree() -> SimpleNamespace:
    t = SimpleNamespace()
    t.district = place(PlaceKind.DISTRICT, "锦江区", None)
    t.subdistrict = place(PlaceKind.SUBDISTRICT, "书院街街道", t.district)

    # Community A: two grids, a unit of one courtyard.
    t.community_a = community("学道街社区", t.subdistrict)
    t.unit = services.create_unit(by=system(), community=t.community_a, name="学道苑", slug=f"xuedaoyuan-{next(_slugs)}",
                                  intro="三院合一")
    t.courtyard1 = services.create_courtyard(by=system(), community=t.community_a, name="学道街1号院", unit=t.unit,
                                             built_year=1988)
    t.courtyard2 = services.create_courtyard(by=system(), community=t.community_a, name="学道街3号院", built_year=1992)
    t.courtyard3 = services.create_courtyard(by=system(), community=t.community_a, name="学道街5号院", built_year=1995)
    t.grid1 = place(PlaceKind.GRID, "第一网格", t.community_a)
    t.grid2 = place(PlaceKind.GRID, "第二网格", t.community_a)
    t.microgrid1 = place(PlaceKind.MICROGRID, "1号微网格", t.grid1)
    t.microgrid2 = place(PlaceKind.MICROGRID, "2号微网格", t.grid2)
    b1 = building_with_entrances(t.microgrid1, t.courtyard1, "1栋")
    b2 = building_with_entrances(t.microgrid1, t.courtyard2, "2栋")
    b3 = building_with_entrances(t.microgrid2, t.courtyard3, "3栋")
    b4 = building_with_entrances(t.microgrid2, t.courtyard3, "4栋")
    t.building1, t.building2, t.building3, t.building4 = b1.building, b2.building, b3.building, b4.building
    t.entrance1, t.entrance2 = b1.entrances
    t.entrance3 = b2.entrances[0]
    t.dwellings_unit = b1.dwellings
    t.dwellings_g1 = b1.dwellings + b2.dwellings
    t.dwellings_g2 = b3.dwellings + b4.dwellings
    t.dwellings_a = t.dwellings_g1 + t.dwellings_g2
    t.dwelling1 = b1.dwellings[0]
    t.dwelling2 = b1.dwellings[1]
    t.dwelling_g1 = b2.dwellings[0]  # in G1, not in the unit
    t.dwelling_g2 = b3.dwellings[0]

    # Community B, same subdistrict.
    b = small_community("东风路社区", t.subdistrict, "东风")
    t.community_b, t.grid_b, t.microgrid_b, t.courtyard_b = b.community, b.grid, b.microgrid, b.courtyard
    t.building_b, t.entrance_b, t.dwelling_b = b.building, b.entrance, b.dwellings[0]
    t.dwellings_b = b.dwellings

    # Community C, in another district: outside every grant made in the first district.
    t.other_district = place(PlaceKind.DISTRICT, "青羊区", None)
    t.other_subdistrict = place(PlaceKind.SUBDISTRICT, "少城街道", t.other_district)
    c = small_community("宽巷子社区", t.other_subdistrict, "宽巷")
    t.community_c, t.grid_c, t.microgrid_c, t.courtyard_c = c.community, c.grid, c.microgrid, c.courtyard
    t.building_c, t.entrance_c, t.dwelling_c = c.building, c.entrance, c.dwellings[0]

    # People.
    t.person1 = person(t.community_a, "王秀英", home=t.dwelling1, relation="owner", id_no=True, birth_year=1948,
                       gender="F", tags=["party_member"])
    t.person2 = person(t.community_a, "李强", home=t.dwelling1, relation="tenant", birth_year=1990, gender="M",
                       residence_status="floating")
    t.person3 = person(t.community_a, "张建国", home=t.dwelling_g1, relation="owner", id_no=True, birth_year=1960)
    t.person4 = person(t.community_a, "刘芳", home=t.dwelling_g2, relation="owner", birth_year=1975,
                       tags=["volunteer"])
    t.person_nohome = person(t.community_a, "陈明", phone=False, birth_year=1982)
    t.person_b = person(t.community_b, "赵丽", home=t.dwelling_b, relation="owner", birth_year=1955)
    t.person_c = person(t.community_c, "孙伟", home=t.dwelling_c, relation="owner", birth_year=1966)
    t.people_unit = [t.person1, t.person2]

    # The unit's committee and a partner unit, for the organisation pages.
    t.committee = services.create_body(by=system(), unit=t.unit, kind="committee", name="学道苑院委会")
    services.add_body_member(by=system(), body=t.committee, person=t.person1, position="chair")
    t.partner = services.create_partner(by=system(), community=t.community_a, kind="merchant", name="学道街商户联盟")

    # A grant far away, so role-grant lists have something outside most scopes.
    t.user_c = make_user("community_staff", t.community_c, display_name="宽巷子社工")
    t.grant_c = t.user_c.grants.get()
    return t


# The node of the tree a role is granted on, per scope kind (see test_permission_matrix).
def scope_node(t: SimpleNamespace, kind: str):
    return {
        PlaceKind.DISTRICT: t.district,
        PlaceKind.SUBDISTRICT: t.subdistrict,
        PlaceKind.COMMUNITY: t.community_a,
        PlaceKind.GRID: t.grid1,
        PlaceKind.MICROGRID: t.microgrid1,
        PlaceKind.BUILDING: t.building1,
        "unit": t.unit,
    }[kind]
