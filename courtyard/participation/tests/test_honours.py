"""Honours: nominations carry the year's activity records, review needs distinct committee sign-offs (kept),
a vote goes through the core vote extension point onto deliberation's machinery, ties are left to people,
and names reach the public page only with the honouree's consent."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.core import hooks
from courtyard.org.tests.factories import make_user, person
from courtyard.participation import selectors, services
from courtyard.participation.models import HonourNomination, HonourSignoff

from .factories import actor, earn, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def hw(tree):
    w = world(tree)
    this_year = timezone.localdate().year
    earn(w, tree.person1, 3)  # 30 points this year (today and the two days before, possibly last year)
    services.confirm_hours(by=actor(w.staff), unit=tree.unit, person=tree.person2, activity="清扫",
                           day=timezone.localdate(), hours=4)
    w.year = this_year
    w.c1 = make_user("committee_member", tree.unit)
    w.c2 = make_user("committee_member", tree.unit)
    return w


def test_review_needs_distinct_committee_signoffs_and_keeps_them(hw, tree):
    by = actor(hw.staff)
    r = services.create_round(by=by, unit=tree.unit, kind="volunteer", year=hw.year, seats=1, method="review")
    with pytest.raises(ValidationError):
        services.create_round(by=by, unit=tree.unit, kind="volunteer", year=hw.year, seats=1, method="review")
    sugg = services.suggestions(r)
    assert [s["person"].pk for s in sugg][:1] == [tree.person2.pk]  # volunteers: hours first
    n2 = services.nominate(by=by, honour_round=r, person=tree.person2, reason="清扫")
    n1 = services.nominate(by=by, honour_round=r, person=tree.person1)
    assert (n2.hours, n2.points) == (4, 20) and n1.points > 0
    with pytest.raises(ValidationError):
        services.nominate(by=by, honour_round=r, person=tree.person3)  # not of the unit
    with pytest.raises(ValidationError):
        services.start_review(by=by, honour_round=r, nominations=[n1, n2])  # more than the seats
    services.start_review(by=by, honour_round=r, nominations=[n2])
    with pytest.raises(PermissionDenied):
        services.sign_off(by=by, honour_round=r)  # staff are not committee members
    services.sign_off(by=actor(hw.c1), honour_round=r, note="同意")
    with pytest.raises(ValidationError):
        services.sign_off(by=actor(hw.c1), honour_round=r)  # once per member and selection
    r.refresh_from_db()
    assert r.state == "deciding"
    services.sign_off(by=actor(hw.c2), honour_round=r)
    r.refresh_from_db()
    assert r.state == "decided" and HonourSignoff.objects.filter(round=r).count() == 2
    assert list(HonourNomination.objects.filter(round=r, awarded=True)) == [n2]
    with pytest.raises(Exception):  # noqa: B017 - sign-offs are append-only
        HonourSignoff.objects.filter(round=r).first().delete()


def test_a_nominee_does_not_sign_off_their_own_honour(hw, tree):
    r = services.create_round(by=actor(hw.staff), unit=tree.unit, kind="good_neighbour", year=hw.year, seats=1,
                              method="review", signoffs_needed=1)
    n = services.nominate(by=actor(hw.staff), honour_round=r, person=tree.person1)
    services.start_review(by=actor(hw.staff), honour_round=r, nominations=[n])
    from courtyard.org.tests.factories import grant_role

    grant_role(hw.resident, "committee_member", tree.unit)  # the nominee is on the committee
    with pytest.raises(ValidationError):
        services.sign_off(by=actor(hw.resident), honour_round=r)


def test_public_names_only_with_consent(hw, tree):
    r = services.create_round(by=actor(hw.staff), unit=tree.unit, kind="book_family", year=hw.year, seats=2,
                              method="review", signoffs_needed=1)
    n1 = services.nominate(by=actor(hw.staff), honour_round=r, person=tree.person1)
    n2 = services.nominate(by=actor(hw.staff), honour_round=r, person=tree.person2)
    services.start_review(by=actor(hw.staff), honour_round=r, nominations=[n1, n2])
    services.sign_off(by=actor(hw.c1), honour_round=r)
    data = selectors.public_honours(tree.unit)
    assert data["rounds"][0]["names"] == [] and data["rounds"][0]["hidden"] == 2
    with pytest.raises(PermissionDenied):
        services.set_public_consent(by=actor(hw.neighbour), nomination=n1, consent=True)  # not theirs
    services.set_public_consent(by=actor(hw.resident), nomination=n1, consent=True)
    data = selectors.public_honours(tree.unit)
    assert data["rounds"][0]["names"] == [tree.person1.name] and data["rounds"][0]["hidden"] == 1


def _fake_provider(monkeypatch, counts):
    fake = types.SimpleNamespace(started=[])

    def start(**kw):
        fake.started.append(kw)
        return 99

    assert hooks.available("deliberation.start_choice_vote")  # the real providers load first, then are replaced
    for name, fn in (("deliberation.start_choice_vote", start), ("deliberation.choice_counts", lambda **kw: counts),
                     ("deliberation.vote_url", lambda **kw: "/")):
        monkeypatch.setitem(hooks._providers, name, fn)
    return fake


def test_vote_top_seats_win_and_a_tie_for_the_last_place_is_left_open(hw, tree, monkeypatch):
    r = services.create_round(by=actor(hw.staff), unit=tree.unit, kind="volunteer", year=hw.year, seats=2,
                              method="vote")
    p3 = person(tree.community_a, "赵敏", home=tree.dwelling2)
    ns = [services.nominate(by=actor(hw.staff), honour_round=r, person=p) for p in (tree.person1, tree.person2, p3)]
    fake = _fake_provider(monkeypatch, {"王秀英": 5, "李强": 3, "赵敏": 3})
    now = timezone.now()
    services.start_vote(by=actor(hw.staff), honour_round=r, opens_at=now, closes_at=now + dt.timedelta(days=7))
    assert fake.started[0]["options"] == ["王秀英", "李强", "赵敏"] and fake.started[0]["max_choices"] == 2
    services.decide_by_vote(by=actor(hw.staff), honour_round=r)
    r.refresh_from_db()
    assert [n.pk for n in HonourNomination.objects.filter(round=r, awarded=True)] == [ns[0].pk]
    assert "1" in r.outcome  # one place left to the committee
    assert sorted(HonourNomination.objects.filter(round=r).values_list("votes", flat=True)) == [3, 3, 5]


def test_vote_on_the_deliberation_machinery(hw, tree):
    r = services.create_round(by=actor(hw.staff), unit=tree.unit, kind="volunteer", year=hw.year, seats=1,
                              method="vote")
    services.nominate(by=actor(hw.staff), honour_round=r, person=tree.person1)
    with pytest.raises(ValidationError):  # a vote needs more nominees than places
        services.start_vote(by=actor(hw.staff), honour_round=r, opens_at=timezone.now(),
                            closes_at=timezone.now() + dt.timedelta(days=1))
    services.nominate(by=actor(hw.staff), honour_round=r, person=tree.person2)
    now = timezone.now()
    services.start_vote(by=actor(hw.staff), honour_round=r, opens_at=now, closes_at=now + dt.timedelta(days=1))
    r.refresh_from_db()
    from courtyard.deliberation.models import Vote
    from courtyard.deliberation.services import ballots
    from courtyard.deliberation.services.votes import close_vote

    vote = Vote.objects.get(pk=r.vote_id)
    assert vote.status == "open" and vote.options == ["王秀英", "李强"]
    with pytest.raises(ValidationError):  # not counted yet
        services.decide_by_vote(by=actor(hw.staff), honour_round=r)
    ballots.cast(by=actor(hw.resident), vote=vote, voter=tree.person1, choice="李强")
    ballots.cast(by=actor(hw.neighbour), vote=vote, voter=tree.person2, choice="李强")
    close_vote(by=actor(hw.staff), vote=vote, now=now + dt.timedelta(days=2))
    services.decide_by_vote(by=actor(hw.staff), honour_round=r)
    assert list(HonourNomination.objects.filter(round=r, awarded=True).values_list("person_id", flat=True)) == [
        tree.person2.pk]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_with_flat_query_counts(hw, tree):
    from django.test import Client

    by = actor(hw.staff)
    r = services.create_round(by=by, unit=tree.unit, kind="volunteer", year=hw.year, seats=3, method="review",
                              signoffs_needed=1)
    for p in (tree.person1, tree.person2):
        services.nominate(by=by, honour_round=r, person=p)
    staff = Client()
    staff.force_login(hw.staff, backend="courtyard.core.auth.PhoneBackend")
    url = f"/console/participation/honours/{r.pk}/"
    few = _queries(staff, url)
    for i in range(4):
        services.nominate(by=by, honour_round=r, person=person(tree.community_a, f"邻居{i}", home=tree.dwelling2))
    assert _queries(staff, url) == few
    assert _queries(staff, "/console/participation/honours/") <= 12
    services.start_review(by=by, honour_round=r, nominations=list(r.nominations.all()[:3]))
    services.sign_off(by=actor(hw.c1), honour_round=r)
    resident = Client()
    resident.force_login(hw.resident, backend="courtyard.core.auth.PhoneBackend")
    assert _queries(resident, "/participation/honours/") <= 8
    public = Client()
    page = public.get(f"/u/{tree.unit.slug}/")
    assert page.status_code == 200 and "3 more who prefer not to be named" in page.content.decode()  # no consent
