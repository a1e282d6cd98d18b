"""Each indicator against hand-computed cases on the org test tree (real rows, real services)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.indicators import Period, catalogue
from courtyard.deliberation.models import Meeting
from courtyard.funds import selectors as fund_selectors
from courtyard.funds.choices import Basis
from courtyard.funds.tests import factories as ff
from courtyard.insight import scopes
from courtyard.servicedesk import services as sd_services
from courtyard.servicedesk.choices import Kind, Level, State
from courtyard.servicedesk.models import Rating, Request

pytestmark = pytest.mark.django_db


def value(code, scope, period):
    return catalogue()[code].reading(scope, period)


def this_month():
    return Period.containing(timezone.localdate())


def test_catalogue_has_the_apps_indicators():
    codes = set(catalogue())
    assert {"participation_rate", "self_funding_ratio", "response_rate", "resolution_rate", "satisfaction_rate",
            "on_time_rate", "meeting_cadence", "dispute_resolution_rate"} <= codes
    for ind in catalogue().values():
        assert ind.thresholds.red <= ind.thresholds.yellow or ind.direction == "down"
        assert str(ind.formula) and str(ind.numerator) and str(ind.denominator) and str(ind.source)


def test_response_rate_moves_when_a_request_is_accepted_late(sd, file_one):
    unit = scopes.of_unit(sd.t.unit)
    on_time = file_one()
    late = file_one(title="Second leak")
    assert on_time.accept_due and late.accept_due and late.accept_due > timezone.now()
    by = Actor(user=sd.staff)
    sd_services.transition(by=by, request=on_time, action="accept")
    r = value("response_rate", unit, this_month())
    assert (r.numerator, r.denominator) == (1, 1)  # the second is still inside its window
    sd_services.transition(by=by, request=late, action="accept", now=late.accept_due + dt.timedelta(hours=1))
    r = value("response_rate", unit, this_month())
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.value == Fraction(1, 2)


def test_response_rate_counts_a_missed_deadline(sd, file_one):
    req = file_one()
    Request.objects.filter(pk=req.pk).update(accept_due=timezone.now() - dt.timedelta(minutes=1))
    r = value("response_rate", scopes.of_place(sd.t.community_a), this_month())
    assert (r.numerator, r.denominator) == (0, 1)
    # the other community sees none of it
    r = value("response_rate", scopes.of_place(sd.t.community_b), this_month())
    assert (r.numerator, r.denominator, r.colour) == (0, 0, "grey")


def _rate(req, stars, fixed):
    Rating.objects.create(request=req, stars=stars, fixed=fixed, by=None)


def test_resolution_and_satisfaction_rates(sd, file_one):
    reqs = [file_one(title=f"r{i}") for i in range(5)]
    for req, (stars, fixed) in zip(reqs, [(5, True), (4, True), (3, False), (2, True), (1, False)], strict=True):
        _rate(req, stars, fixed)
    file_one(title="unrated")
    unit = scopes.of_unit(sd.t.unit)
    res, sat = value("resolution_rate", unit, this_month()), value("satisfaction_rate", unit, this_month())
    assert (res.numerator, res.denominator) == (3, 5)
    assert (sat.numerator, sat.denominator) == (2, 5)
    assert sat.colour == "red"  # 40 % < 60 %
    assert res.as_dict()["value"] == "0.6000"


def test_on_time_rate(sd, file_one):
    now = timezone.now()
    a, b, c = file_one(title="a"), file_one(title="b"), file_one(title="c")
    Request.objects.filter(pk=a.pk).update(state=State.RESOLVED, resolved_at=now, resolve_due=now + dt.timedelta(hours=1))
    Request.objects.filter(pk=b.pk).update(state=State.RESOLVED, resolved_at=now, resolve_due=now - dt.timedelta(hours=1))
    r = value("on_time_rate", scopes.of_place(sd.t.subdistrict), this_month())
    assert (r.numerator, r.denominator) == (1, 2)
    assert c.resolved_at is None


def test_dispute_resolution_rate(sd, file_one):
    now = timezone.now()
    d = [file_one(title=f"d{i}", kind=Kind.DISPUTE, category=sd.noise) for i in range(4)]
    file_one(title="repair")  # not a dispute
    Request.objects.filter(pk=d[0].pk).update(state=State.RESOLVED, resolved_at=now)
    Request.objects.filter(pk=d[1].pk).update(state=State.RESOLVED, resolved_at=now, escalation=Level.SUBDISTRICT)
    Request.objects.filter(pk=d[2].pk).update(state=State.REFERRED, resolved_at=now)
    r = value("dispute_resolution_rate", scopes.of_place(sd.t.community_a), this_month())
    assert (r.numerator, r.denominator) == (1, 4)


def test_participation_counts_households_not_people(sd):
    t = sd.t
    unit = scopes.of_unit(t.unit)
    households = len(t.dwellings_unit)
    r = value("participation_rate", unit, this_month())
    assert (r.numerator, r.denominator) == (0, households)
    for person in (t.person1, t.person2):  # both live in dwelling1
        sd_services.file_request(by=Actor(user=sd.staff), place=t.entrance1, category=sd.leak, title="x",
                                 reporter=person, source="staff")
    r = value("participation_rate", unit, this_month())
    assert (r.numerator, r.denominator) == (1, households)
    # a vote-free, topic-free month before: nothing
    r = value("participation_rate", unit, this_month().previous())
    assert r.numerator == 0


def test_meeting_cadence(sd):
    t = sd.t
    last = this_month().previous()
    start, _end = last.bounds()
    unit = scopes.of_unit(t.unit)
    for i, kind in enumerate(["party_joint", "leading_group", "leading_group", "leading_group", "project"]):
        Meeting.objects.create(unit=t.unit, kind=kind, title=f"m{i}", starts_at=start + dt.timedelta(days=i + 1),
                               signin_token=f"tok{i}")
    r = value("meeting_cadence", unit, last)
    # due in a month: 1 party joint meeting + 2 leading-group meetings; 3 leading-group held count as 2
    assert (r.numerator, r.denominator) == (3, 3)
    Meeting.objects.filter(kind="party_joint").delete()
    r = value("meeting_cadence", unit, last)
    assert (r.numerator, r.denominator) == (2, 3)
    # the community has one unit: same numbers; the other community has none: no value
    assert value("meeting_cadence", scopes.of_place(t.community_a), last).denominator == 3
    assert value("meeting_cadence", scopes.of_place(t.community_b), last).denominator == 0


def test_self_funding_equals_the_public_ledger(tree):
    people = ff.signers(tree)
    acc = ff.account(tree, people, funded=600_000)  # a subsidy of 6,000 yuan
    from courtyard.funds import services as fs

    fs.record_income(by=Actor(user=people["finance"]), account=acc, amount_fen=250_000, basis=Basis.LEVY,
                     counterparty_name="居民", counterparty_kind="person")
    gift = fs.record_income(by=Actor(user=people["finance"]), account=acc, amount_fen=150_000, basis=Basis.DONATION,
                            counterparty_name="商户", counterparty_kind="organisation")
    fs.reverse_entry(by=Actor(user=people["finance"]), entry=gift, reason="退回")
    fs.record_income(by=Actor(user=people["finance"]), account=acc, amount_fen=50_000, basis=Basis.DONATION,
                     counterparty_name="商户", counterparty_kind="organisation")
    ledger = fund_selectors.self_funding_ratio(tree.unit)
    for scope in (scopes.of_unit(tree.unit), scopes.of_place(tree.community_a), scopes.of_place(tree.district)):
        r = value("self_funding_ratio", scope, this_month())
        assert r.value == ledger == Fraction(300_000, 900_000)
        assert (r.numerator, r.denominator) == (300_000, 900_000)
    # a stock: nothing was booked before this month began
    assert value("self_funding_ratio", scopes.of_unit(tree.unit), this_month().previous()).denominator == 0
