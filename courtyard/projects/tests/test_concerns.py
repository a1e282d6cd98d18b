"""Residents' concerns during construction reach the contractor with the 24-hour clock and escalate like
any service-desk request; third-party test reports are published documents anyone can read (item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courtyard.org.models import PartnerUnit
from courtyard.projects import services
from courtyard.projects.models import Concern
from courtyard.servicedesk import services as sd_services
from courtyard.servicedesk.models import Request

from .factories import actor, people

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def c(tree):
    who = people(tree)
    who.contractor = PartnerUnit.objects.create(community=tree.community_a, kind="merchant", name="施工公司")
    who.project = services.create_project(by=actor(who.staff), unit=tree.unit, title="排水改造", category="basic",
                                          owner="街道", place=tree.building1)
    today = timezone.localdate()
    services.record_contract(by=actor(who.staff), project=who.project, role="works", method="direct", reason="抢修",
                             party="施工公司", number="SG-9", amount_fen=10_000_00, starts_on=today, ends_on=today,
                             partner=who.contractor)
    services.set_status(by=actor(who.staff), project=who.project, status="works")
    who.project.refresh_from_db()
    return who


def test_concern_reaches_the_contractor_with_a_24_hour_clock_and_escalates(c, tree):
    concern = services.raise_concern(by=actor(c.resident), project=c.project, text="夜间施工太吵")
    req = Request.objects.get(pk=concern.request_id)
    assert (req.vendor_id, req.state, req.urgency, req.kind) == (c.contractor.pk, "dispatched", "urgent", "complaint")
    assert req.reporter_user_id == c.resident.pk
    assert dt.timedelta(hours=23) <= req.onsite_due - req.created_at <= dt.timedelta(hours=24)
    with time_machine.travel(req.onsite_due + dt.timedelta(hours=2), tick=False):
        sd_services.sweep_overdue()
    req.refresh_from_db()
    assert req.overdue and req.escalation >= 1
    with pytest.raises(PermissionDenied):
        services.raise_concern(by=actor(c.stranger), project=c.project, text="x")
    with pytest.raises(ValidationError):
        services.raise_concern(by=actor(c.resident), project=c.project, text="  ")


def test_resident_page_and_console_list_the_concern(c, client):
    client.force_login(c.resident)
    url = reverse("projects:resident_works", args=[c.project.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    response = client.post(url, {"text": "围挡倒了"})
    assert response.status_code == 302 and Concern.objects.count() == 1
    assert client.get(url).status_code == 200
    client.force_login(c.staff)
    page = client.get(reverse("projects:works", args=[c.project.pk])).content.decode()
    assert "排水改造" in page and f"#{Concern.objects.get().request_id}" in page


def test_test_report_published_and_readable_by_anyone(c, tree, client):
    with pytest.raises(ValidationError):
        services.publish_test_report(by=actor(c.staff), project=c.project, title="水压试验", lab="", report=None,
                                     tested_on=timezone.localdate(), passed=True)
    with pytest.raises(PermissionDenied):
        services.publish_test_report(by=actor(c.grid), project=c.project, title="水压试验", lab="检测公司",
                                     tested_on=timezone.localdate(), passed=True,
                                     report=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"))
    services.publish_test_report(by=actor(c.staff), project=c.project, title="水压试验报告", lab="检测公司",
                                 tested_on=timezone.localdate(), passed=True,
                                 report=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"))
    public = client.get(f"/u/{tree.unit.slug}/")
    text = public.content.decode()
    assert "水压试验报告" in text and "检测公司" in text
    import re

    link = re.search(r'href="(/files/\d+/)"', text)
    assert link is not None and client.get(link.group(1)).status_code == 200  # anonymous: published
