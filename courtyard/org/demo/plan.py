"""Pure generator: unsaved model instances for a demo community, from a seeded random.Random.

Primary keys come from an id allocator (`Ids` counts from 1; the loader's `DbIds` reserves real ids),
so paths and denormalised fields are final before anything is written. Nothing here touches the
database, which is what lets the tests fingerprint a seed without one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from courtyard.core import pii
from courtyard.org import models as m
from courtyard.org.choices import (
    AreaSource,
    CareLevel,
    DangerGrade,
    HousingType,
    LegalBasis,
    ManagementMode,
    Occupancy,
    PartnerKind,
    PersonTag,
    PlaceKind,
    PropertyType,
    Relation,
    SensitiveCategory,
)
from courtyard.org.services import best_area, dwelling_location

from . import names, spec
from .organisations import OrganisationsMixin
from .rows import CN_NUM, LOAD_ORDER, TODAY, YEAR, Batch, Ids, _aware, _split, _weighted, cn_number

__all__ = ["CN_NUM", "LOAD_ORDER", "SCALES", "TODAY", "YEAR", "Batch", "CommunityBuilder", "Ids", "cn_number", "plan"]


def _area(rng: random.Random, modern: bool, corner: bool) -> Decimal:
    if modern:
        value = rng.gauss(92, 14)
        low, high = 60, 120
    else:
        value = rng.gauss(68 if corner else 59, 8)
        low, high = 35, 95
    return Decimal(f"{min(max(value, low), high):.2f}")


def _layout(rng: random.Random, quota: int, modern: bool) -> list[tuple[int, int, int]]:
    """(entrance, floor, room) for `quota` dwellings of one building."""
    if modern:
        per_floor, entrances = rng.choice((4, 4, 6)), 1
    else:
        per_floor = 2 if rng.random() < 0.7 else 3
        entrances = max(1, math.ceil(quota / (per_floor * 7)))
    floors = max(1, math.ceil(quota / (per_floor * entrances)))
    out = []
    for e in range(1, entrances + 1):
        for f in range(1, floors + 1):
            for r in range(1, per_floor + 1):
                if len(out) < quota:
                    out.append((e, f, r))
    return out



class CommunityBuilder(OrganisationsMixin):
    def __init__(self, rng: random.Random, batch: Batch, parent: m.Place, cspec: spec.CommunitySpec,
                 phones: set[str]) -> None:
        self.rng, self.b, self.spec, self.phones = rng, batch, cspec, phones
        self.community = batch.place(PlaceKind.COMMUNITY, cspec.name, parent)
        batch.community = self.community
        self.person_home: dict[int, m.Dwelling | None] = {}
        self.residents_by_courtyard: dict[int, list[m.Person]] = defaultdict(list)
        self.tags: dict[int, set[str]] = defaultdict(set)
        self.units: dict[str, m.SelfGovernanceUnit] = {}

    # ------------------------------------------------------------ places
    def build(self) -> Batch:
        rng, s, b = self.rng, self.spec, self.b
        self.groups = [b.new(m.ResidentGroup, community=self.community, name=f"第{cn_number(i)}居民小组")
                       for i in range(1, s.resident_groups + 1)]
        numbers = s.grid_numbers or list(range(1, s.grids + 1))
        self.grid_numbers = numbers
        self.grids = [b.place(PlaceKind.GRID, f"第{i}网格", self.community, code=f"G{i:02d}") for i in numbers]
        # Courtyards: 学道苑 first (grid 8, its own resident group), then the rest spread over grids.
        plans = []  # (courtyard, grid index, [building quotas], modern)
        if s.with_xuedaoyuan:
            x = spec.XUEDAOYUAN
            unit = b.new(m.SelfGovernanceUnit, community=self.community, name=x["name"], slug=x["slug"],
                         intro=x["intro"], established=dt.date(2023, 6, 18))
            self.units[x["slug"]] = unit
            self.xdy_unit = unit
            grid_index = numbers.index(x["grid"])
            for cname, n_buildings, households in x["courtyards"]:
                cy = b.new(m.Courtyard, community=self.community, unit=unit, resident_group=self.groups[0],
                           name=cname, address=f"成都市锦江区{cname}", built_year=1985)
                plans.append((cy, grid_index, _split(households, n_buildings, rng, 0.15), False))
        remaining = s.dwellings - sum(sum(p[2]) for p in plans)
        shares = _split(remaining, len(s.courtyards), rng, 0.6)
        unit_for = {u[0]: u for u in s.other_units}
        order = list(range(len(s.courtyards)))
        rng.shuffle(order)
        for k, idx in enumerate(order):
            cname, built = s.courtyards[idx]
            modern = built >= 2000
            unit = None
            if cname in unit_for:
                _c, uname, slug = unit_for[cname]
                unit = b.new(m.SelfGovernanceUnit, community=self.community, name=uname, slug=slug,
                             established=dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)))
                self.units[slug] = unit
            group = self.groups[(k % (len(self.groups) - 1)) + 1] if len(self.groups) > 1 else self.groups[0]
            cy = b.new(m.Courtyard, community=self.community, unit=unit, resident_group=group, name=cname,
                       address=f"成都市锦江区{cname}", built_year=built)
            quotas, left = [], shares[idx]
            while left > 0:
                q = min(left, rng.randint(60, 100) if modern else rng.randint(18, 60))
                quotas.append(q)
                left -= q
            grid_index = k % s.grids
            if s.with_xuedaoyuan and numbers[grid_index] == spec.XUEDAOYUAN["grid"] and s.grids > 1:
                grid_index = (grid_index + 1) % s.grids  # keep grid 8 light: 学道苑 fills much of it
            plans.append((cy, grid_index, quotas, modern))
        self.courtyards = [p[0] for p in plans]
        self._management(plans)
        # Buildings and entrances, packed into micro-grids of 30–100 households per grid.
        per_grid: dict[int, list] = defaultdict(list)
        for cy, gi, quotas, modern in plans:
            per_grid[gi].append((cy, quotas, modern))
        self.dwellings: list[m.Dwelling] = []
        self.buildings: list[m.Place] = []
        self.xdy_microgrids: list[m.Place] = []
        self.xdy_buildings: list[m.Place] = []
        self.grid_of_courtyard: dict[int, int] = {}
        for gi in sorted(per_grid):
            grid = self.grids[gi]
            items = []  # (courtyard, quota, modern)
            for cy, quotas, modern in per_grid[gi]:
                items.extend((cy, q, modern) for q in quotas)
            is_x = [bool(it[0].unit_id) and it[0].unit.slug == "xuedaoyuan" for it in items]
            xdy = [it for it, flag in zip(items, is_x, strict=True) if flag]
            rest = [it for it, flag in zip(items, is_x, strict=True) if not flag]
            groups = []
            if xdy:
                groups.extend((True, g) for g in self._even_cuts(xdy, spec.XUEDAOYUAN["microgrids"]))
            groups.extend((False, g) for g in self._pack(rest))
            for n, (is_xdy, members) in enumerate(groups, 1):
                mg = b.place(PlaceKind.MICROGRID, f"{numbers[gi]}-{n}微网格", grid, code=f"G{numbers[gi]:02d}-{n:02d}")
                if is_xdy:
                    self.xdy_microgrids.append(mg)
                for cy, quota, modern in members:
                    self.grid_of_courtyard[cy.pk] = gi
                    self._building(mg, cy, quota, modern, is_xdy)
        self._building_risks()
        self._people()
        self._partners()
        self._party()
        self._bodies()
        self._finish_tags()
        b.info.update(units=self.units, grids=self.grids, xdy_microgrids=self.xdy_microgrids,
                      xdy_buildings=self.xdy_buildings, picks=self.picks)
        return b

    OWNING_UNITS = ("成都某国营机械厂", "四川省某勘察设计院", "锦江区某国有公司", "成都某电业局")

    def _management(self, plans) -> None:
        """ORG-8 (seed 000 §1.2): of 合江亭's 38 courtyards 14 have professional property management and 24 are
        managed by their owning work unit or by the residents. The newest courtyards are the professionally
        managed ones (commodity housing); of the older ones, every other is a work-unit dormitory managed by
        its owning unit; 学道苑 manages itself. No random draw (the demo's other figures stay as they were)."""
        n_professional = len(plans) * 14 // 38
        others = sorted((p for p in plans if not (p[0].unit_id and p[0].unit.slug == "xuedaoyuan")),
                        key=lambda p: (-(p[0].built_year or 0), p[0].name))
        professional = {id(p[0]) for p in others[:n_professional]}
        k = 0
        for cy, _gi, _quotas, modern in plans:
            if id(cy) in professional:
                cy.management_mode = ManagementMode.PROFESSIONAL
                cy.housing_type = HousingType.COMMODITY if modern else HousingType.OLD
            elif cy.unit_id and cy.unit.slug == "xuedaoyuan":
                cy.management_mode, cy.housing_type = ManagementMode.SELF, HousingType.OLD
            else:
                k += 1
                if k % 2:
                    cy.management_mode, cy.housing_type = ManagementMode.UNIT, HousingType.DORMITORY
                    cy.property_owner = self.OWNING_UNITS[(k // 2) % len(self.OWNING_UNITS)]
                else:
                    cy.management_mode, cy.housing_type = ManagementMode.SELF, HousingType.OLD

    def _building_risks(self) -> None:
        """Danger grades (C/D 危房, seed 001 §3.2) and flood-risk points on some old buildings, by position."""
        old = [x for x in self.buildings if (x.courtyard.built_year or 0) < 2000]
        for i, building in enumerate(old):
            if i % 23 == 5:
                building.danger_grade = DangerGrade.C
            elif i % 71 == 11:
                building.danger_grade = DangerGrade.D
            if i % 29 == 3:
                building.flood_risk = "单元门口地势低洼，暴雨后积水"

    @staticmethod
    def _even_cuts(items: list, parts: int) -> list[list]:
        """Contiguous groups of buildings with about equal household totals."""
        total = sum(it[1] for it in items)
        groups: list[list] = [[] for _ in range(parts)]
        run = 0
        for it in items:
            k = min(parts - 1, int(run * parts / total))
            groups[k].append(it)
            run += it[1]
        return [g for g in groups if g]

    def _pack(self, items: list) -> list[list]:
        groups, cur, total = [], [], 0
        for it in items:
            if cur and total + it[1] > 100 and total >= 30:
                groups.append(cur)
                cur, total = [], 0
            cur.append(it)
            total += it[1]
        if cur:
            if groups and total < 30 and sum(i[1] for i in groups[-1]) + total <= 100:
                groups[-1].extend(cur)
            else:
                groups.append(cur)
        return groups

    def _building(self, mg: m.Place, cy: m.Courtyard, quota: int, modern: bool, is_xdy: bool) -> None:
        rng, b = self.rng, self.b
        self._bcount = getattr(self, "_bcount", defaultdict(int))
        self._bcount[cy.pk] += 1
        layout = _layout(rng, quota, modern)
        floors = max(f for _e, f, _r in layout)
        building = b.place(PlaceKind.BUILDING, f"{self._bcount[cy.pk]}栋", mg, courtyard=cy, floors=floors,
                           map_x=round(rng.uniform(0, 1000), 1), map_y=round(rng.uniform(0, 700), 1))
        self.buildings.append(building)
        if is_xdy:
            self.xdy_buildings.append(building)
        entrances: dict[int, m.Place] = {}
        per_floor = max(r for _e, _f, r in layout)
        for e, f, r in layout:
            if e not in entrances:
                entrances[e] = b.place(PlaceKind.ENTRANCE, f"{e}单元", building)
            self._dwelling(entrances[e], f, r, modern, corner=(r in (1, per_floor)), is_xdy=is_xdy)

    def _dwelling(self, entrance: m.Place, floor: int, room: int, modern: bool, corner: bool, is_xdy: bool) -> None:
        rng, b = self.rng, self.b
        if modern:
            ptype = _weighted(rng, {PropertyType.COMMODITY: 92, PropertyType.COMMERCIAL: 5,
                                    PropertyType.RESETTLEMENT: 3})
            occ = _weighted(rng, {Occupancy.SELF_OCCUPIED: 48, Occupancy.RENTED: 38, Occupancy.HOMESTAY: 7,
                                  Occupancy.VACANT: 7})
        else:
            ptype = _weighted(rng, {PropertyType.REFORM: 55, PropertyType.COMMODITY: 25, PropertyType.PUBLIC_RENTAL: 8,
                                    PropertyType.RESETTLEMENT: 8, PropertyType.SELF_BUILT: 2, PropertyType.OTHER: 2})
            table = ({Occupancy.SELF_OCCUPIED: 78, Occupancy.RENTED: 18, Occupancy.VACANT: 4} if is_xdy else
                     {Occupancy.SELF_OCCUPIED: 44, Occupancy.RENTED: 43, Occupancy.HOMESTAY: 3, Occupancy.VACANT: 10})
            occ = _weighted(rng, table)
        unsold = modern and rng.random() < 0.025
        if unsold:
            occ = Occupancy.VACANT
        dwelling = b.new(m.Dwelling, entrance=entrance, number=f"{floor}{room:02d}", floor=floor,
                         property_type=ptype, occupancy=occ, developer_unsold=unsold, **dwelling_location(entrance))
        area = _area(rng, modern, corner)
        roll = rng.random()
        if roll < 0.80:
            sources = [(AreaSource.REGISTER, area)]
        elif roll < 0.90:
            sources = [(AreaSource.SURVEY, area)]
        elif roll < 0.96:
            sources = [(AreaSource.CONTRACT, area)]
        else:  # register and an older, slightly different sale-contract figure
            sources = [(AreaSource.REGISTER, area), (AreaSource.CONTRACT, area + Decimal(f"{rng.uniform(0.5, 4):.2f}"))]
        for source, value in sources:
            b.new(m.DwellingArea, dwelling=dwelling, source=source, area_m2=value,
                  reference=f"川({YEAR - rng.randint(3, 30)})成都市不动产权第{rng.randrange(10**7):07d}号"
                  if source == AreaSource.REGISTER else "")
        dwelling.area_m2, dwelling.area_source = best_area(sources)
        self.dwellings.append(dwelling)

    # ------------------------------------------------------------ people
    def _new_person(self, gender: str, birth_year: int, home: m.Dwelling | None, floating: bool) -> m.Person:
        rng = self.rng
        age = YEAR - birth_year
        phone = phone_hash = ""
        if age >= 18 and rng.random() < (0.6 if age >= 80 else 0.92):
            phone = names.phone_number(rng, self.phones)
            phone_hash = pii.blind_index("phone", phone)
        ident = id_hash = ""
        if age >= 16 and rng.random() < 0.25:
            ident = names.id_number(rng, birth_year, gender, local=not floating)
            id_hash = pii.blind_index("id", ident)
        person = self.b.new(
            m.Person, community=self.community, name=names.person_name(rng, gender, birth_year), gender=gender,
            birth_year=birth_year, phone=phone, phone_hash=phone_hash, id_number=ident, id_hash=id_hash,
            residence_status="floating" if floating else "permanent", home=home,
            path=home.path if home else self.community.path, unit_id=home.unit_id if home else None,
        )
        if home is not None:
            self.residents_by_courtyard[home.courtyard_id].append(person)
            self.residents_by_building[home.building_id].append(person)
        return person

    def _link(self, person: m.Person, dwelling: m.Dwelling, relation: str, start: dt.date | None) -> None:
        self.b.new(m.DwellingLink, person=person, dwelling=dwelling, relation=relation, start_date=start)

    def _head_age(self) -> int:
        band = _weighted(self.rng, {(28, 44): 11, (45, 59): 17, (60, 74): 39, (75, 93): 33})
        return self.rng.randint(*band)

    def _people(self) -> None:
        rng, s = self.rng, self.spec
        self.residents_by_building: dict[int, list[m.Person]] = defaultdict(list)
        self.absentees: list[list] = []  # [person, dwellings owned]
        self.elderly_owners_xdy: list[m.Person] = []
        self.tenants: list[m.Person] = []
        self.alone: list[m.Person] = []
        # 1. household sizes per dwelling; absentee owners are people too (registered, living elsewhere).
        if s.lite:
            size_self = {1: 60, 2: 32, 3: 8}
            size_rent = {1: 75, 2: 25}
        else:
            size_self = {1: 14, 2: 30, 3: 28, 4: 18, 5: 8, 6: 2}
            size_rent = {1: 22, 2: 30, 3: 24, 4: 14, 5: 7, 6: 3}
        sizes = []
        nonresident = 0
        for d in self.dwellings:
            if d.occupancy == Occupancy.SELF_OCCUPIED:
                sizes.append(_weighted(rng, size_self))
            elif d.occupancy == Occupancy.RENTED:
                sizes.append(_weighted(rng, size_rent))
            else:
                sizes.append(0)
            if d.occupancy != Occupancy.SELF_OCCUPIED and not d.developer_unsold:
                nonresident += 1  # approximate: an absentee owner (some own several) or a homestay operator
        xdy_idx = [i for i, d in enumerate(self.dwellings) if d.unit_id and self.units.get("xuedaoyuan")
                   and d.unit_id == self.units["xuedaoyuan"].pk and sizes[i] > 0]
        other_idx = [i for i, d in enumerate(self.dwellings) if sizes[i] > 0 and i not in set(xdy_idx)]
        if xdy_idx:
            self._adjust(sizes, xdy_idx, spec.XUEDAOYUAN["people"])
        # 2. make the people, then correct the total to exactly `people` by trimming/adding residents.
        plan_total = s.people
        if plan_total is not None:
            # Rough first pass; fine-tuned below once the absentee count is known exactly.
            self._adjust(sizes, other_idx, plan_total - sum(sizes[i] for i in xdy_idx) - int(nonresident * 0.95))
        pending = []
        for d in self.dwellings:
            pending.append(self._owners(d))
        if plan_total is not None:
            absent = len(self.b.rows[m.Person])
            self._adjust(sizes, other_idx, plan_total - absent - sum(sizes[i] for i in xdy_idx))
        for i, d in enumerate(self.dwellings):
            self._household(d, sizes[i], pending[i])

    def _adjust(self, sizes: list[int], idx: list[int], target: int) -> None:
        rng = self.rng
        diff = target - sum(sizes[i] for i in idx)
        guard = 0
        while diff and idx and guard < 200000:
            guard += 1
            i = rng.choice(idx)
            if diff > 0 and sizes[i] < 8:
                sizes[i] += 1
                diff -= 1
            elif diff < 0 and sizes[i] > 1:
                sizes[i] -= 1
                diff += 1

    def _owners(self, d: m.Dwelling):
        """Absentee owners and homestay operators (people who do not live in the dwelling)."""
        rng = self.rng
        if d.occupancy == Occupancy.SELF_OCCUPIED or d.developer_unsold:
            return None
        if self.spec.lite and rng.random() > 0.15:
            return None
        owner = None
        if self.absentees and rng.random() < 0.05:
            entry = rng.choice(self.absentees)
            if entry[1] < 4:  # one buyer owning several dwellings
                owner = entry[0]
                entry[1] += 1
        if owner is None:
            owner = self._new_person(rng.choice("MF"), YEAR - rng.randint(36, 86), None, floating=rng.random() < 0.2)
            self.absentees.append([owner, 1])
        since = dt.date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28))
        self._link(owner, d, Relation.OWNER, since)
        if d.occupancy == Occupancy.HOMESTAY:
            if rng.random() < 0.4:
                operator = owner
            else:
                operator = self._new_person(rng.choice("MF"), YEAR - rng.randint(24, 50), None, floating=rng.random() < 0.5)
            self._link(operator, d, Relation.HOMESTAY_OPERATOR, TODAY - dt.timedelta(days=rng.randint(60, 1500)))
            self.tags[operator.pk].add(PersonTag.MERCHANT)
        return owner

    def _household(self, d: m.Dwelling, size: int, owner) -> None:
        rng = self.rng
        if size == 0:
            return
        if d.occupancy == Occupancy.SELF_OCCUPIED:
            since = dt.date(rng.randint(1992, 2024), rng.randint(1, 12), rng.randint(1, 28))
            head_age = self._head_age()
            floating = rng.random() < 0.05
            gender = rng.choice("MF")
            head = self._new_person(gender, YEAR - head_age, d, floating)
            self._link(head, d, Relation.OWNER, since)
            if size == 1 and head_age >= 70:
                self.alone.append(head)
            if head_age >= 65 and self.units.get("xuedaoyuan") and d.unit_id == self.units["xuedaoyuan"].pk:
                self.elderly_owners_xdy.append(head)
            members = []
            if size >= 2:
                spouse_age = max(20, head_age + rng.randint(-4, 4))
                members.append(("F" if gender == "M" else "M", spouse_age,
                                Relation.CO_OWNER if rng.random() < 0.35 else Relation.FAMILY))
            for k in range(size - len(members) - 1):
                if head_age >= 58:
                    age = head_age - rng.randint(24, 34) if k == 0 else rng.randint(1, 17)
                elif k == 0 and rng.random() < 0.25 and head_age + 26 <= 95:
                    age = head_age + rng.randint(24, 30)
                else:
                    age = max(0, head_age - rng.randint(22, 36))
                members.append((rng.choice("MF"), max(age, 0), Relation.FAMILY))
            for g, age, rel in members:
                p = self._new_person(g, YEAR - age, d, floating and rng.random() < 0.8)
                self._link(p, d, rel, since)
        else:  # rented: tenants, mostly floating, with a start date
            start = TODAY - dt.timedelta(days=rng.randint(20, 1500))
            couple = size >= 2 and rng.random() < 0.5
            first_age, first_g = 30, "M"
            for k in range(size):
                if k == 0:
                    age = rng.randint(60, 82) if rng.random() < 0.09 else rng.randint(20, 50)
                    g = rng.choice("MF")
                elif couple and k == 1:
                    age, g = max(20, first_age + rng.randint(-4, 4)), ("F" if first_g == "M" else "M")
                elif couple:
                    age, g = rng.randint(0, 15), rng.choice("MF")
                else:
                    age, g = rng.randint(19, 40), rng.choice("MF")
                if k == 0:
                    first_age, first_g = age, g
                p = self._new_person(g, YEAR - age, d, floating=rng.random() < 0.9)
                self._link(p, d, Relation.FAMILY if (couple and k >= 2) else Relation.TENANT, start)
                self.tenants.append(p)

    def _finish_tags(self) -> None:
        rng, b = self.rng, self.b
        for building in self.buildings:
            local = [p for p in self.residents_by_building[building.pk]
                     if p.residence_status == "permanent" and 45 <= YEAR - p.birth_year <= 78]
            if local and rng.random() < 0.8:
                head = rng.choice(local)
                self.tags[head.pk].add(PersonTag.BUILDING_HEAD)
                if building in self.xdy_buildings and "building_head" not in self.picks:
                    self.picks["building_head"] = (head, building)
        for p in b.rows[m.Person]:
            age = YEAR - p.birth_year
            if p.home_id and 18 <= age <= 80 and rng.random() < (0.08 if 60 <= age <= 75 else 0.035):
                self.tags[p.pk].add(PersonTag.VOLUNTEER)
            if p.gender == "M" and age >= 45 and rng.random() < 0.03:
                self.tags[p.pk].add(PersonTag.VETERAN)
            if p.home_id and rng.random() < 0.012:
                b.new(m.SensitiveRecord, person=p, category=SensitiveCategory.DISABILITY,
                      value=rng.choice(("肢体三级", "肢体四级", "视力二级", "听力三级", "智力四级")),
                      legal_basis=LegalBasis.LEGAL_DUTY, basis_note="《残疾人保障法》：残疾人信息登记与帮扶（区残联名册）",
                      recorded_at=_aware(TODAY - dt.timedelta(days=rng.randint(10, 900))))
        for p in self.alone:  # 五色管理 for elderly living alone
            age = YEAR - p.birth_year
            level = (CareLevel.RED if age >= 88 else CareLevel.ORANGE if age >= 83 else CareLevel.YELLOW if age >= 78
                     else CareLevel.BLUE if age >= 74 else CareLevel.GREEN)
            b.new(m.SensitiveRecord, person=p, category=SensitiveCategory.CARE_LEVEL, value=level,
                  detail="独居老人", legal_basis=LegalBasis.PUBLIC_INTEREST,
                  basis_note="特殊困难老年人探访关爱服务（民政部等部门意见），社区网格走访",
                  recorded_at=_aware(TODAY - dt.timedelta(days=rng.randint(10, 400))))
        for pk, codes in self.tags.items():
            for code in sorted(codes):
                b.new(m.Tag, person_id=pk, code=code)
        xdy_people = [p for p in self.elderly_owners_xdy if p.phone]
        self.picks["elderly_owner"] = max(xdy_people or self.elderly_owners_xdy or [None],
                                          key=lambda p: YEAR - p.birth_year if p else 0)
        xdy_pk = self.units["xuedaoyuan"].pk if "xuedaoyuan" in self.units else None
        tenants = [p for p in self.tenants if p.unit_id == xdy_pk and YEAR - p.birth_year >= 18] or \
            [p for p in self.tenants if YEAR - p.birth_year >= 18]
        self.picks["tenant"] = tenants[0] if tenants else None
        self.picks["merchant"] = self.partners[0] if self.partners else None
        self.picks["department"] = next((p for p in self.other_partners if p.kind == PartnerKind.DEPARTMENT), None)
        self.picks["property_company"] = self.property_company
        self.picks["trust_institution"] = self.trust_institution


# ------------------------------------------------------------ scales
SCALES = ("small", "community", "district")


def plan(scale: str, seed: int, ids: Ids | None = None) -> Iterator[Batch]:
    """Yields one Batch per community; the first also carries the district and subdistrict nodes."""
    if scale not in SCALES:
        raise ValueError(scale)
    ids = ids or Ids()
    rng = random.Random(seed)
    phones: set[str] = set()
    first = Batch(ids)
    district = first.place(PlaceKind.DISTRICT, spec.DISTRICT, None, code="510104")
    subdistricts = [first.place(PlaceKind.SUBDISTRICT, spec.SUBDISTRICT, district)]
    if scale == "district":
        subdistricts += [first.place(PlaceKind.SUBDISTRICT, name, district) for name in spec.SUBDISTRICTS[1:]]
    first.info.update(district=district, subdistrict=subdistricts[0])
    main = spec.small() if scale == "small" else spec.hejiangting()
    CommunityBuilder(rng, first, subdistricts[0], main, phones).build()
    yield first
    if scale == "district":
        for k, cname in enumerate(spec.COMMUNITY_NAMES[:49]):
            batch = Batch(ids)
            CommunityBuilder(rng, batch, subdistricts[(k + 1) % len(subdistricts)], spec.generic(rng, cname),
                             phones).build()
            yield batch
