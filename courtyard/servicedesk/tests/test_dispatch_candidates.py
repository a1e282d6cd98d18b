"""Pins how dispatch builds its candidates from the database and breaks ties.

The scoring function is pure and tested on its own (test_machine_dispatch.py); these tests pin the
facts fed into it — which location level each worker gets, which agreements count as a contract
for the category, which on-site promise applies — and the order of equally scored candidates, so a
change to any of them fails a test instead of quietly sending work to the wrong person.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit
from courtyard.servicedesk import dispatch as scoring
from courtyard.servicedesk import services
from courtyard.servicedesk.models import Agreement, Category

pytestmark = pytest.mark.django_db


def _by_key(request):
    return {c.key: c for c in services.candidates(request)}


def test_location_levels_building_worker_two_grid_worker_one(sd, file_one, make_user):
    grid1_worker = make_user("grid_worker", sd.t.grid1)
    req = file_one()  # entrance1 lies in building1, micro-grid 1, grid 1
    found = _by_key(req)
    assert found[f"user:{sd.mg_worker.pk}"].location == 2
    assert found[f"user:{grid1_worker.pk}"].location == 1
    # A grid-2 worker does not cover entrance1 and is no candidate at all.
    assert f"user:{sd.grid2_worker.pk}" not in found
    ranked = services.ranked_candidates(req)
    keys = [s.candidate.key for s in ranked]
    assert keys.index(f"user:{sd.mg_worker.pk}") < keys.index(f"user:{grid1_worker.pk}")
    reasons = {s.candidate.key: dict(s.reasons) for s in ranked}
    assert reasons[f"user:{sd.mg_worker.pk}"]["location_building"] == scoring.LOCATION_BUILDING
    assert reasons[f"user:{grid1_worker.pk}"]["location_grid"] == scoring.LOCATION_GRID


def test_an_ended_worker_grant_gives_no_location(sd, file_one, make_user):
    today = timezone.localdate()
    former = make_user("microgrid_worker", sd.t.microgrid1, start_date=today - dt.timedelta(days=90),
                       end_date=today - dt.timedelta(days=1))
    assert f"user:{former.pk}" not in _by_key(file_one())
    # Still a grid worker of grid 1, no longer the building's micro-grid worker: location 1, not 2.
    from courtyard.org.tests import factories

    factories.grant_role(former, "grid_worker", sd.t.grid1)
    assert _by_key(file_one())[f"user:{former.pk}"].location == 1


def test_only_an_agreement_covering_the_category_is_a_contract(sd, file_one):
    other = PartnerUnit.objects.create(community=sd.t.community_a, kind=PartnerKind.MERCHANT, name="Greenery")
    Agreement.objects.create(community=sd.t.community_a, vendor=other, title="Trees", onsite_hours=24,
                             emergency_hours=4, starts=timezone.localdate() - dt.timedelta(days=30)
                             ).categories.set(Category.objects.filter(code="noise-neighbour"))
    found = _by_key(file_one(category=sd.leak))  # water-leak, under "water", which sd.vendor covers
    covering, not_covering = found[f"partner:{sd.vendor.pk}"], found[f"partner:{other.pk}"]
    assert covering.contract and covering.category
    assert not not_covering.contract and not not_covering.category
    ranked = [s.candidate.key for s in services.ranked_candidates(file_one(category=sd.leak))]
    assert ranked.index(f"partner:{sd.vendor.pk}") < ranked.index(f"partner:{other.pk}")


def test_an_agreement_for_the_parent_category_covers_its_children(sd, file_one):
    assert sd.leak.parent is not None and sd.leak.parent.code == "water"
    assert not sd.agreement.categories.filter(pk=sd.leak.pk).exists()
    assert _by_key(file_one(category=sd.leak))[f"partner:{sd.vendor.pk}"].contract


def test_expired_and_future_agreements_are_not_candidates(sd, file_one):
    today = timezone.localdate()
    Agreement.objects.filter(pk=sd.agreement.pk).update(ends=today - dt.timedelta(days=1))
    assert f"partner:{sd.vendor.pk}" not in _by_key(file_one())
    Agreement.objects.filter(pk=sd.agreement.pk).update(starts=today + dt.timedelta(days=1), ends=None)
    assert f"partner:{sd.vendor.pk}" not in _by_key(file_one())


def test_the_promise_that_counts_depends_on_urgency(sd, file_one):
    normal = _by_key(file_one())[f"partner:{sd.vendor.pk}"]
    emergency = _by_key(file_one(kind="emergency"))[f"partner:{sd.vendor.pk}"]
    assert normal.contract_onsite_hours == sd.agreement.onsite_hours == 48
    assert emergency.contract_onsite_hours == sd.agreement.emergency_hours == 2


def test_open_work_is_counted_per_assignee(sd, file_one, make_user):
    busy = file_one()
    services.transition(by=Actor(user=sd.staff), request=busy, action="accept")
    busy.refresh_from_db()
    services.dispatch(by=Actor(user=sd.staff), request=busy, to=f"user:{sd.mg_worker.pk}", reason="local")
    for_vendor = file_one()
    services.transition(by=Actor(user=sd.staff), request=for_vendor, action="accept")
    for_vendor.refresh_from_db()
    services.dispatch(by=Actor(user=sd.staff), request=for_vendor, to=f"partner:{sd.vendor.pk}", reason="contract")
    found = _by_key(file_one())
    assert found[f"user:{sd.mg_worker.pk}"].open_load == 1
    assert found[f"partner:{sd.vendor.pk}"].open_load == 1


def test_category_with_a_department_adds_the_department(sd, file_one):
    dept = PartnerUnit.objects.create(community=sd.t.community_a, kind=PartnerKind.DEPARTMENT, name="Water bureau")
    Category.objects.filter(pk=sd.leak.pk).update(department=dept)
    sd.leak.refresh_from_db()
    found = _by_key(file_one(category=sd.leak))
    assert found[f"partner:{dept.pk}"].kind == "department" and found[f"partner:{dept.pk}"].category
    # Workers are then not the responsible party for the category.
    assert not found[f"user:{sd.mg_worker.pk}"].category


def test_ties_go_to_the_less_busy_then_to_the_lower_key():
    busy = scoring.Candidate(key="user:1", label="a", kind="worker", location=1, category=True, open_load=5)
    idle = scoring.Candidate(key="user:2", label="b", kind="worker", category=True, open_load=0)
    assert scoring.score(busy).score == scoring.score(idle).score  # 15 + 30 - 15 == 30
    assert [s.candidate.key for s in scoring.rank([busy, idle])] == ["user:2", "user:1"]
    assert [s.candidate.key for s in scoring.rank([idle, busy])] == ["user:2", "user:1"]
    twin_a = scoring.Candidate(key="user:3", label="c", kind="worker", category=True)
    twin_b = scoring.Candidate(key="user:4", label="d", kind="worker", category=True)
    assert [s.candidate.key for s in scoring.rank([twin_b, twin_a])][:2] == ["user:3", "user:4"]


def test_fast_contract_bonus_only_when_the_promise_is_within_the_need():
    vendor = scoring.Candidate(key="partner:1", label="v", kind="vendor", category=True, contract=True,
                               contract_onsite_hours=2)
    assert dict(scoring.score(vendor, needed_onsite_hours=2).reasons).get("contract_fast") == scoring.CONTRACT_FAST
    assert "contract_fast" not in dict(scoring.score(vendor, needed_onsite_hours=1).reasons)
    assert "contract_fast" not in dict(scoring.score(vendor).reasons)
