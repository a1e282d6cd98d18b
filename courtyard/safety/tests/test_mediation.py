"""Mediation: a resident asks for a mediator, three tiers with sessions and minutes, closing with an
agreement or referral, an anonymised published outcome, exact success rate and cycle time."""

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.safety import services
from courtyard.safety.models import MediationCase
from courtyard.safety.views.mediation import public_outcomes


@pytest.fixture
def case(sf):
    return services.open_case(by=Actor(user=sf.committee), place=sf.t.building1, title="楼上漏水",
                              parties="王秀英\n李强", opened_at=timezone.now() - dt.timedelta(days=10))


def test_three_tiers_sessions_and_an_anonymised_outcome(sf, case, make_user):
    lawyer = make_user("lawyer", sf.t.unit)
    by = Actor(user=sf.committee)
    services.record_session(by=by, case=case, attendees="双方", minutes="各执一词",
                            held_at=timezone.now() - dt.timedelta(days=9))
    services.raise_tier(by=by, case=case, reason="需要律师")
    services.record_session(by=Actor(user=lawyer), case=case, attendees="律师、双方", minutes="说明责任")
    services.raise_tier(by=by, case=case, reason="多方")
    with pytest.raises(ValidationError):
        services.raise_tier(by=by, case=case, reason="再升")
    with pytest.raises(ValidationError) as exc:
        services.close_case(by=by, case=case, result="agreed", outcome="协议", published_outcome="王秀英同意赔偿")
    assert exc.value.params["names"] == "王秀英"
    services.close_case(by=by, case=case, result="agreed", outcome="楼上赔偿", published_outcome="漏水纠纷达成协议")
    case.refresh_from_db()
    assert case.tier == 3 and case.state == "agreed" and [s.tier for s in case.sessions.all()] == [1, 2]
    assert AuditEvent.objects.filter(action="safety.mediation.close", object_id=str(case.pk)).exists()
    with pytest.raises(ValidationError):
        services.record_session(by=by, case=case, attendees="x", minutes="y")
    assert public_outcomes(sf.t.unit)["rows"][0]["outcome"] == "漏水纠纷达成协议"


def test_referral_needs_a_destination_and_outsiders_are_refused(sf, case):
    with pytest.raises(ValidationError):
        services.close_case(by=Actor(user=sf.committee), case=case, result="referred", outcome="转交",
                            published_outcome="转人民调解委员会")
    for user in (sf.staff_b, sf.resident, sf.volunteer):
        with pytest.raises(PermissionDenied):
            services.record_session(by=Actor(user=user), case=case, attendees="x", minutes="y")


def test_rates_are_exact(sf):
    now = timezone.now()
    cases = [MediationCase(state=s, opened_at=now - dt.timedelta(days=d), closed_at=now)
             for s, d in (("agreed", 10), ("agreed", 5), ("failed", 6))]
    cases.append(MediationCase(state="open", opened_at=now))
    r = services.rates(cases)
    assert r["success"] == Fraction(2, 3) and r["cycle_days"] == Fraction(7) and r["closed"] == 3


def test_resident_asks_for_a_mediator_and_follows_it(sf, login):
    c = login(sf.resident)
    r = c.post(reverse("safety:ask_mediator"), {"title": "楼道噪音", "summary": "夜里装修"})
    assert r.status_code == 302
    case = MediationCase.objects.get()
    assert case.state == "requested" and case.requested_by == sf.resident and case.path == sf.t.entrance1.path
    assert "楼道噪音" in c.get(reverse("safety:my_mediation")).content.decode()
    assert "楼道噪音" not in login(sf.neighbour).get(reverse("safety:my_mediation")).content.decode()
    s = login(sf.committee)
    assert s.post(reverse("safety:case", args=[case.pk]), {"action": "take", "parties": "王秀英\n邻居"}).status_code == 302
    case.refresh_from_db()
    assert case.state == "open" and case.mediator == sf.committee


def test_console_pages(sf, case, login, django_assert_max_num_queries):
    c = login(sf.staff)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("safety:cases")).status_code == 200
    assert c.get(reverse("safety:case", args=[case.pk])).status_code == 200
    assert c.get(reverse("safety:mediation_stats")).status_code == 200
    assert c.get(reverse("safety:case_new")).status_code == 200
    r = c.post(reverse("safety:case", args=[case.pk]), {"action": "session", "attendees": "", "minutes": ""})
    assert r.status_code == 400
    assert login(sf.staff_b).get(reverse("safety:case", args=[case.pk])).status_code == 404
    assert login(sf.resident).get(reverse("safety:cases")).status_code == 403
