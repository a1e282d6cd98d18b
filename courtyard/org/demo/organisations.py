"""The organisations of a demo community: partner units, the party organisation, self-governance bodies.

A mixin of `plan.CommunityBuilder` (its methods run on the builder's state); pure, like the plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from courtyard.org import models as m
from courtyard.org.choices import (
    BodyKind,
    BodyPosition,
    CoBuildingStatus,
    PartnerKind,
    PartyOrgLevel,
    PartyPosition,
    PersonTag,
)

from . import names, spec
from .rows import YEAR, _weighted, cn_number


class OrganisationsMixin:
    # ------------------------------------------------------------ partners
    def _partners(self) -> None:
        from .partners import MERCHANT_ITEMS, OTHER_PARTNERS, merchant_name

        rng, s, b = self.rng, self.spec, self.b
        self.partners: list[m.PartnerUnit] = []
        for _ in range(s.merchants):
            g = rng.choice("MF")
            partner = b.new(
                m.PartnerUnit, community=self.community, kind=PartnerKind.MERCHANT, name=merchant_name(rng),
                contact_name=names.person_name(rng, g, YEAR - rng.randint(25, 60)),
                contact_phone=names.phone_number(rng, self.phones),
                address=f"{rng.choice(spec.STREETS[:12])}{rng.randint(1, 120)}号",
                alliance_member=rng.random() < 0.25, joined=dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1),
            )
            if partner.alliance_member:
                b.new(m.CoBuildingItem, partner=partner, title=rng.choice(MERCHANT_ITEMS), frequency="长期",
                      status=CoBuildingStatus.ACTIVE)
            self.partners.append(partner)
        self.other_partners: list[m.PartnerUnit] = []
        for kind, name, items in OTHER_PARTNERS[: s.other_partners]:
            g = rng.choice("MF")
            partner = b.new(
                m.PartnerUnit, community=self.community, kind=kind, name=name,
                contact_name=names.person_name(rng, g, YEAR - rng.randint(28, 58)),
                contact_phone=names.phone_number(rng, self.phones),
                address=f"{rng.choice(spec.STREETS[:12])}{rng.randint(1, 120)}号",
                alliance_member=True, joined=dt.date(rng.randint(2018, 2024), rng.randint(1, 12), 1),
            )
            for title, freq in items:
                status = _weighted(rng, {CoBuildingStatus.ACTIVE: 6, CoBuildingStatus.DONE: 3,
                                         CoBuildingStatus.PLANNED: 2})
                b.new(m.CoBuildingItem, partner=partner, title=title, frequency=freq, status=status,
                      due=dt.date(2027, rng.randint(1, 12), 28) if status != CoBuildingStatus.DONE else None)
            self.other_partners.append(partner)
        # ORG-8: the property company and the trust institution as parties (no random draws: the rest of the
        # demo keeps its names and numbers).
        self.property_company = b.new(m.PartnerUnit, community=self.community, kind=PartnerKind.PROPERTY_COMPANY,
                                      name="锦安物业服务有限公司", contact_name="物业客服中心", address="学道街 12 号")
        self.trust_institution = b.new(m.PartnerUnit, community=self.community, kind=PartnerKind.TRUST_INSTITUTION,
                                       name="蜀信信托有限责任公司", contact_name="慈善信托部", address="红星路三段 1 号")

    # ------------------------------------------------------------ party
    def _party(self) -> None:
        rng, s, b = self.rng, self.spec, self.b
        committee = b.new(m.PartyOrg, community=self.community, level=PartyOrgLevel.COMMITTEE,
                          name=f"{self.community.name}党委", place=self.community)
        branches = []
        n = min(s.party_branches, s.grids)
        branch_of_grid: dict[int, m.PartyOrg] = {}
        for i in range(n):
            covered = list(range(i, i + 1)) if i < n - 1 else list(range(i, s.grids))
            label = "、".join(cn_number(self.grid_numbers[g]) for g in covered)
            branch = b.new(m.PartyOrg, community=self.community, level=PartyOrgLevel.BRANCH, parent=committee,
                           name=f"第{label}网格{'联合' if len(covered) > 1 else ''}党支部", place=self.grids[i])
            branches.append(branch)
            for g in covered:
                branch_of_grid[g] = branch
        group_of_unit: dict[int, m.PartyOrg] = {}
        for cy in self.courtyards:
            if cy.unit_id and cy.unit_id not in group_of_unit:
                group_of_unit[cy.unit_id] = b.new(
                    m.PartyOrg, community=self.community, level=PartyOrgLevel.GROUP, unit=cy.unit,
                    parent=branch_of_grid[self.grid_of_courtyard[cy.pk]], name=f"{cy.unit.name}党小组")
        candidates = [p for p in self.b.rows[m.Person]
                      if p.home_id and p.residence_status == "permanent" and YEAR - p.birth_year >= 22]
        weights = [3 if YEAR - p.birth_year >= 60 else 1 for p in candidates]
        chosen: list[m.Person] = []
        seen: set[int] = set()
        # Guarantee a few in every unit so its party group is real (双向进入、交叉任职).
        for unit_id in group_of_unit:
            local = [p for p in candidates if p.unit_id == unit_id]
            for p in rng.sample(local, min(len(local), 12 if unit_id == getattr(self.units.get("xuedaoyuan"), "pk", 0) else 5)):
                chosen.append(p)
                seen.add(p.pk)
        while len(chosen) < min(s.party_members, len(candidates)):
            p = rng.choices(candidates, weights=weights)[0]
            if p.pk not in seen:
                seen.add(p.pk)
                chosen.append(p)
        self.party_members: list[m.PartyMember] = []
        by_org: dict[int, list[m.PartyMember]] = defaultdict(list)
        dwelling_by_pk = {d.pk: d for d in self.dwellings}
        for p in chosen:
            home = dwelling_by_pk[p.home_id]
            org = group_of_unit.get(home.unit_id) or branch_of_grid[self.grid_of_courtyard[home.courtyard_id]]
            join_year = min(YEAR - 1, max(p.birth_year + 18, rng.randint(1965, 2024)))
            pm = b.new(m.PartyMember, person=p, org=org, since=dt.date(join_year, rng.randint(1, 12), 1),
                       central_household=rng.random() < 0.06)
            self.party_members.append(pm)
            by_org[org.pk].append(pm)
            self.tags[p.pk].add(PersonTag.PARTY_MEMBER)
            if pm.central_household:
                b.new(m.ResponsibilityZone, member=pm, place=home.building)
        # Leaders: the committee is drawn from the branches; each branch and group gets a secretary.
        pool = list(self.party_members)
        rng.shuffle(pool)
        for pm, pos in zip(pool[:5], (PartyPosition.SECRETARY, PartyPosition.DEPUTY, PartyPosition.COMMITTEE,
                                      PartyPosition.COMMITTEE, PartyPosition.COMMITTEE), strict=False):
            by_org[pm.org.pk].remove(pm)
            pm.org, pm.position = committee, pos
        for org in [*branches, *group_of_unit.values()]:
            members = by_org.get(org.pk, [])
            for pm, pos in zip(members[:3], (PartyPosition.SECRETARY, PartyPosition.COMMITTEE, PartyPosition.COMMITTEE),
                               strict=False):
                if org.level == PartyOrgLevel.GROUP and pos != PartyPosition.SECRETARY:
                    continue
                pm.position = pos
                if not pm.central_household:  # leaders look after their own building too (包干楼栋)
                    b.new(m.ResponsibilityZone, member=pm, place=dwelling_by_pk[pm.person.home_id].building)
        # Double reporting (双报到): in-service members registered through their employer.
        employers = [pu for pu in self.other_partners if pu.kind in (PartnerKind.RESIDENT_UNIT, PartnerKind.DEPARTMENT)]
        working = [pm for pm in self.party_members if 25 <= YEAR - pm.person.birth_year <= 58]
        if employers:
            for pm in rng.sample(working, min(len(working), max(3, len(self.party_members) // 16))):
                pm.reported_from = rng.choice(employers)
        self.group_of_unit = group_of_unit
        self.by_org = by_org

    # ------------------------------------------------------------ self-governance bodies
    def _bodies(self) -> None:
        rng, b = self.rng, self.b
        term = (dt.date(2024, 3, 1), dt.date(2027, 2, 28))
        self.picks: dict = {}
        people_of_unit: dict[int, list[m.Person]] = defaultdict(list)
        for p in b.rows[m.Person]:
            if p.unit_id:
                people_of_unit[p.unit_id].append(p)
        members_of_unit: dict[int, list[m.PartyMember]] = defaultdict(list)
        for pm in self.party_members:
            if pm.person.unit_id:
                members_of_unit[pm.person.unit_id].append(pm)
        for slug, unit in self.units.items():
            adults = [p for p in people_of_unit[unit.pk]
                      if p.residence_status == "permanent" and 38 <= YEAR - p.birth_year <= 78]
            rng.shuffle(adults)
            party = [pm.person for pm in members_of_unit[unit.pk] if 38 <= YEAR - pm.person.birth_year <= 78]
            xdy = slug == "xuedaoyuan"
            size = 7 if xdy else 5
            # Cross-appointment: the chair and two more committee members also sit in the party group.
            committee_people = party[:3] + [p for p in adults if p not in party[:3]][: size - min(3, len(party))]
            committee_people = committee_people[:size]
            rest = [p for p in adults if p not in committee_people]
            body = b.new(m.GovernanceBody, unit=unit, kind=BodyKind.COMMITTEE, name=f"{unit.name}院委会",
                         duties="公共空间日常维护、基础服务协调、活动组织、监督反馈", term_start=term[0], term_end=term[1])
            positions = [BodyPosition.CHAIR, BodyPosition.VICE_CHAIR, BodyPosition.SECRETARY]
            for k, p in enumerate(committee_people):
                b.new(m.BodyMembership, body=body, person=p, start_date=term[0],
                      position=positions[k] if k < len(positions) else BodyPosition.MEMBER)
            board = b.new(m.GovernanceBody, unit=unit, kind=BodyKind.SUPERVISORY_BOARD, name=f"{unit.name}监事会",
                          duties="监督院落资金收支与院委会履职", term_start=term[0], term_end=term[1])
            supervisors = rest[:3]
            for k, p in enumerate(supervisors):
                b.new(m.BodyMembership, body=board, person=p, start_date=term[0],
                      position=BodyPosition.CHAIR if k == 0 else BodyPosition.MEMBER)
            if xdy:
                helpers = rest[3:]
                for k, (gname, duty) in enumerate((("环境监督小组", "垃圾定时清运巡查、公共区域保洁排班"),
                                                   ("文化活动小组", "院落故事会、书香家庭评选、邻里节"),
                                                   ("志愿服务队", "邻里互助、独居老人探访、清洁日"))):
                    group = b.new(m.GovernanceBody, unit=unit, kind=BodyKind.FUNCTIONAL_GROUP, name=gname, duties=duty,
                                  term_start=term[0], term_end=term[1])
                    crew = helpers[k * 5: k * 5 + 5] + committee_people[3 + k: 4 + k]
                    for j, p in enumerate(crew):
                        b.new(m.BodyMembership, body=group, person=p, start_date=term[0],
                              position=BodyPosition.CHAIR if j == 0 else BodyPosition.MEMBER)
                        self.tags[p.pk].add(PersonTag.VOLUNTEER)
                reps = rest[18:33]
                for p in reps:
                    self.tags[p.pk].add(PersonTag.REPRESENTATIVE)
                volunteers = helpers[10:15]
                self.picks.update(
                    committee=committee_people[0], supervisor=supervisors[0] if supervisors else None,
                    representative=reps[0] if reps else None,
                    party_member=next((pm.person for pm in members_of_unit[unit.pk]
                                       if pm.person not in committee_people), None),
                    volunteer=volunteers[0] if volunteers else None,
                )
        # Resident group leaders.
        for group in self.groups:
            local = [p for cy in self.courtyards if cy.resident_group_id == group.pk
                     for p in self.residents_by_courtyard[cy.pk]
                     if p.residence_status == "permanent" and 45 <= YEAR - p.birth_year <= 75]
            if local:
                group.leader = rng.choice(local)
