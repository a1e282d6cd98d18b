"""Facilities kept up (issue 10 item 8): preventive work orders filed in the service desk through the hook,
once per facility and due date; dispatch prefers the facility's owner; the QR sticker opens the request
form pre-filled; revenue shares posted to the funds ledger by agreement, once a month. And the hook
registry itself (ADR 0026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtyard.core import hooks
from courtyard.core.audit import Actor
from courtyard.funds import services as funds_services
from courtyard.funds.models import LedgerEntry
from courtyard.org.models import PartnerUnit
from courtyard.projects import services
from courtyard.projects.models import PreventiveOrder, RevenuePosting
from courtyard.servicedesk import services as sd_services
from courtyard.servicedesk.models import Request

from .factories import actor, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def u(tree):
    who = people(tree)
    who.owner = PartnerUnit.objects.create(community=tree.community_a, kind="merchant", name="物业服务站")
    who.facility = services.create_facility(by=actor(who.staff), unit=tree.unit, name="庭院灯", kind="lights",
                                            owner="物业服务站", owner_partner=who.owner, place=tree.entrance1,
                                            location="1栋门口", maintenance_every_days=30,
                                            maintenance_standard="每月巡查")
    return who


def test_hook_registry_names_its_hooks_and_refuses_a_missing_provider(monkeypatch):
    with pytest.raises(KeyError):
        hooks.provides("nobody.knows")
    monkeypatch.setattr(hooks, "_providers", {})
    monkeypatch.setattr(hooks, "_loaded", True)
    with pytest.raises(hooks.HookMissing):
        hooks.call("servicedesk.file_work_order", by=None, place_id=1, title="x")
    assert hooks.ask("projects.facility_owner", "none", community_id=1, facility="") == "none"


def test_preventive_order_filed_once_per_due_date_and_sent_to_the_owner(u, tree):
    today = timezone.localdate()
    services.record_maintenance(by=actor(u.staff), facility=u.facility, on=today - dt.timedelta(days=25))
    due = today + dt.timedelta(days=5)
    assert services.file_preventive_orders(today=today) == {"due": 1, "filed": 1}
    assert services.file_preventive_orders(today=today) == {"due": 1, "filed": 0}  # idempotent
    order = PreventiveOrder.objects.get()
    assert order.due_on == due
    req = Request.objects.get(pk=order.request_id)
    assert req.vendor_id == u.owner.pk and req.state == "dispatched" and req.source == "maintenance"
    assert u.facility.marker in req.facility and req.place_id == tree.entrance1.pk
    assert req.category.code == "light-street"
    # Maintained: the next due date gets its own order, the old one stays.
    services.record_maintenance(by=actor(u.staff), facility=u.facility, on=today)
    assert services.file_preventive_orders(today=today + dt.timedelta(days=24)) == {"due": 1, "filed": 1}
    assert PreventiveOrder.objects.count() == 2


def test_nothing_due_outside_the_lead_time(u):
    assert services.file_preventive_orders(today=timezone.localdate()) == {"due": 0, "filed": 0}


def test_dispatch_ranks_the_facility_owner_first(u, tree):
    other = PartnerUnit.objects.create(community=tree.community_a, kind="merchant", name="别的公司")
    from courtyard.servicedesk.models import Category

    req = sd_services.file_request(by=Actor(user=u.resident), place=tree.entrance1,
                                   category=Category.objects.get(code="light-street"), title="灯不亮",
                                   facility=u.facility.request_text, reporter_user=u.resident)
    ranked = sd_services.ranked_candidates(req)
    assert ranked[0].candidate.key == f"partner:{u.owner.pk}"
    assert ("location_building", 40) in ranked[0].reasons
    assert all(s.candidate.key != f"partner:{other.pk}" for s in ranked)
    plain = sd_services.file_request(by=Actor(user=u.resident), place=tree.entrance1,
                                     category=Category.objects.get(code="light-street"), title="灯不亮",
                                     facility="别处的灯〔F-999999〕", reporter_user=u.resident)
    assert all(s.candidate.key != f"partner:{u.owner.pk}" for s in sd_services.ranked_candidates(plain))


def test_sticker_leads_to_the_prefilled_request_form(u, tree, client):
    client.force_login(u.staff)
    response = client.get(reverse("projects:facility_sticker", args=[u.facility.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = client.get(reverse("projects:facility", args=[u.facility.pk]))
    url = page.context["form_url"]
    assert f"place={tree.entrance1.pk}" in url and "F-" in url
    client.force_login(u.resident)
    form = client.get(url[url.index("/servicedesk") if "/servicedesk" in url else url.index("/", 8):])
    assert form.status_code == 200
    assert form.context["form"].initial["facility"] == u.facility.request_text
    assert form.context["form"].initial["place"] == tree.entrance1.pk


def _income_account(tree, staff):
    return funds_services.create_account(by=actor(staff), unit=tree.unit, purpose="self_governance", name="自治基金",
                                         custodian="社区财务室", policy="three_party")


def test_revenue_share_posted_to_the_ledger_once_a_month(u, tree):
    charger = services.create_facility(by=actor(u.staff), unit=tree.unit, name="充电桩", kind="charger",
                                       owner="充电公司", owner_partner=u.owner)
    account = _income_account(tree, u.staff)
    today = timezone.localdate()
    start = (today - dt.timedelta(days=70)).replace(day=1)
    with pytest.raises(ValidationError) as err:
        services.add_revenue_agreement(by=actor(u.staff), facility=charger, partner=u.owner,
                                       share_percent=Decimal("0"), account_id=account.pk, starts_on=start)
    assert "share_percent" in err.value.message_dict
    a = services.add_revenue_agreement(by=actor(u.staff), facility=charger, partner=u.owner,
                                       share_percent=Decimal("30"), account_id=account.pk, starts_on=start)
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    posting = services.post_revenue_share(by=actor(u.staff), agreement=a, month=month, gross_fen=4_286_55)
    assert posting.share_fen == 1_285_97  # 30 % of 4,286.55 = 1,285.965 → half up
    entry = LedgerEntry.objects.get(pk=posting.entry_id)
    assert entry.amount_fen == 1_285_97 and entry.basis == "ppp" and entry.partner_id == u.owner.pk
    with pytest.raises(ValidationError):
        services.post_revenue_share(by=actor(u.staff), agreement=a, month=month, gross_fen=100_00)
    with pytest.raises(ValidationError):
        services.post_revenue_share(by=actor(u.staff), agreement=a, month=today + dt.timedelta(days=40),
                                    gross_fen=100_00)
    with pytest.raises(PermissionDenied):
        services.post_revenue_share(by=actor(u.grid), agreement=a, month=start, gross_fen=100_00)
    assert RevenuePosting.objects.count() == 1


def test_share_is_exact_half_up():
    assert services.share_of(1, Decimal("50")) == 1  # 0.5 fen → 1
    assert services.share_of(3, Decimal("33.33")) == 1
    assert services.share_of(100_00, Decimal("12.5")) == 12_50


def test_facility_page_bounded_queries(u, tree, client, django_assert_max_num_queries):
    today = timezone.localdate()
    client.force_login(u.staff)
    url = reverse("projects:facility", args=[u.facility.pk])
    client.get(url)
    for n in range(3):
        PreventiveOrder.objects.create(facility=u.facility, due_on=today + dt.timedelta(days=n), request_id=10_000 + n)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200
