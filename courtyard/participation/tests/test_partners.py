"""Partner resources: value = quantity × unit price (enforced by the database too), scoped, reported per
partner and per year; money as integer fen, shown exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from courtyard.participation import selectors, services
from courtyard.participation.domain import parse_yuan, wan, yuan
from courtyard.participation.models import PartnerContribution

from .factories import actor

pytestmark = pytest.mark.django_db


def _record(staff, partner, **kw):
    args = {"day": timezone.localdate() - dt.timedelta(days=3), "title": "健康微站义诊", "method": "service_hours",
            "quantity": 8, "unit_price_fen": 200_00, "note": "专家门诊市场价"}
    args.update(kw)
    return services.record_contribution(by=actor(staff), partner=partner, **args)


def test_record_and_report_per_partner_and_year(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    row = _record(staff, tree.partner)
    assert row.value_fen == 1_600_00
    _record(staff, tree.partner, method="cash", quantity=1, unit_price_fen=5_000_00, title="捐款")
    report = selectors.resources_report(staff)
    assert report["total_yuan"] == "6,600.00" and report["total_wan"] == "0.66"
    assert report["rows"][0]["sessions"] == 2 and report["partners"] == 1
    page = login(staff).get("/console/participation/resources/").content.decode()
    assert "6,600.00" in page
    other = make_user("community_staff", tree.community_b)
    assert selectors.resources_report(other)["rows"] == []
    with pytest.raises(PermissionDenied):
        _record(other, tree.partner)


def test_bad_values_are_refused(tree, make_user):
    staff = make_user("community_staff", tree.community_a)
    with pytest.raises(ValidationError):
        _record(staff, tree.partner, day=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _record(staff, tree.partner, quantity=10**6, unit_price_fen=10**9)
    row = _record(staff, tree.partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerContribution.objects.filter(pk=row.pk).update(value_fen=1)  # value must be quantity × price


def test_form_parses_yuan_and_shows_errors_on_fields(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    client = login(staff)
    bad = client.post("/console/participation/resources/new/", {
        "partner": tree.partner.pk, "day": timezone.localdate().isoformat(), "title": "x", "method": "cash",
        "quantity": 1, "unit_price_fen": "12.345"})
    assert bad.status_code == 400 and not PartnerContribution.objects.exists()
    ok = client.post("/console/participation/resources/new/", {
        "partner": tree.partner.pk, "day": timezone.localdate().isoformat(), "title": "捐款", "method": "cash",
        "quantity": 1, "unit_price_fen": "1,234.50"})
    assert ok.status_code == 302 and PartnerContribution.objects.get().value_fen == 123_450


@given(fen=st.integers(0, 10**12))
def test_yuan_round_trips_and_wan_rounds_half_up(fen):
    assert parse_yuan(yuan(fen)) == fen
    hundredths = int(wan(fen).replace(".", ""))
    assert abs(hundredths * 10_000 - fen) <= 5_000


def test_the_seed_total():
    assert wan(62_740_000) == "62.74" and yuan(62_740_000) == "627,400.00"
