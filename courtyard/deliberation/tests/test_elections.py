"""Committee elections (ORG-9): nominations with consent, the diversity-checked list, the contested
ballot on the vote machinery, the result and the committee formed from the winners."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.deliberation import services
from courtyard.deliberation.models import Ballot, Election, Nomination, Notice
from courtyard.org import services as org_services
from courtyard.org.models import BodyMembership, GovernanceBody, PartyOrg
from courtyard.org.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ew(tree, make_user):
    """Eight adult residents of the tree's unit, each in their own household (two per dwelling)."""
    d = tree.dwellings_unit
    year = timezone.localdate().year
    people = [f.person(tree.community_a, name, home=d[i % 4], relation="owner" if i < 4 else "tenant",
                       gender="F" if i % 2 else "M", birth_year=year - (30 + 7 * i))
              for i, name in enumerate(["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"])]
    w = SimpleNamespace(t=tree, people=people)
    w.staff = make_user("community_staff", tree.community_a)
    w.staff2 = make_user("community_staff", tree.community_a)
    w.users = [make_user(person=x) for x in people]
    w.party = PartyOrg.objects.create(community=tree.community_a, level="branch", name="第一党支部")
    return w


def _election(w, **kw):
    args = {"title": "第二届小院自治委员会选举", "seats": 2, "electorate": "adults", "joint_minimum": 2,
            "nominations_close": timezone.now() + timedelta(days=7)}
    return services.create_election(by=Actor(user=w.staff), unit=w.t.unit, **{**args, **kw})


def _listed(w, **kw):
    e = _election(w, **kw)
    sys = Actor.system()
    services.nominate(by=Actor(user=w.users[0]), election=e, nominee=w.people[0], kind="self", occupation="retired")
    n = services.nominate(by=Actor(user=w.staff), election=e, nominee=w.people[1], kind="joint",
                          occupation="employed", nominators=w.people[4:6])
    services.answer_nomination(by=Actor(user=w.users[1]), nomination=n, accept=True)
    n = services.nominate(by=Actor(user=w.staff), election=e, nominee=w.people[2], kind="party",
                          occupation="professional", party_org=w.party)
    services.answer_nomination(by=Actor(user=w.staff), nomination=n, accept=True)
    services.confirm_list(by=sys, election=e)
    e.refresh_from_db()
    return e


def test_self_nomination_is_consent_and_only_for_oneself(ew):
    e = _election(ew)
    n = services.nominate(by=Actor(user=ew.users[0]), election=e, nominee=ew.people[0], kind="self",
                          occupation="retired", statement="愿为大家服务")
    assert n.status == "consented" and n.consent_channel == "online"
    with pytest.raises(PermissionDenied):
        services.nominate(by=Actor(user=ew.users[0]), election=e, nominee=ew.people[1], kind="self",
                          occupation="retired")
    with pytest.raises(ValidationError, match="already been nominated"):
        services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[0], kind="party",
                          occupation="retired", party_org=ew.party)
    assert AuditEvent.objects.filter(action="deliberation.nomination.create").count() == 1


def test_joint_nomination_needs_enough_residents_and_consent(ew):
    e = _election(ew, joint_minimum=3)
    with pytest.raises(ValidationError) as exc:
        services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[1], kind="joint",
                          occupation="employed", nominators=ew.people[4:6])
    assert "nominators" in exc.value.message_dict
    outsider = f.person(ew.t.community_a, "外人")
    with pytest.raises(ValidationError):
        services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[1], kind="joint",
                          occupation="employed", nominators=[*ew.people[4:6], outsider])
    n = services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[1], kind="joint",
                          occupation="employed", nominators=ew.people[4:7])
    assert n.status == "awaiting" and sorted(n.nominators) == sorted(x.pk for x in ew.people[4:7])
    # Another resident cannot consent for the nominee; the nominee can decline.
    with pytest.raises(PermissionDenied):
        services.answer_nomination(by=Actor(user=ew.users[2]), nomination=n, accept=True)
    services.answer_nomination(by=Actor(user=ew.users[1]), nomination=n, accept=False)
    n.refresh_from_db()
    assert n.status == "declined"
    with pytest.raises(ValidationError):
        services.answer_nomination(by=Actor(user=ew.users[1]), nomination=n, accept=True)


def test_residents_cannot_nominate_others_or_manage(ew):
    e = _election(ew)
    with pytest.raises(PermissionDenied):
        services.nominate(by=Actor(user=ew.users[0]), election=e, nominee=ew.people[2], kind="party",
                          occupation="retired", party_org=ew.party)
    with pytest.raises(PermissionDenied):
        services.create_election(by=Actor(user=ew.users[0]), unit=ew.t.unit, title="x", seats=1,
                                 nominations_close=timezone.now() + timedelta(days=1))


def test_list_must_be_contested_and_quotas_need_a_reason(ew):
    e = _election(ew, seats=2, quotas={"women": 2, "young": 1})
    services.nominate(by=Actor(user=ew.users[0]), election=e, nominee=ew.people[0], kind="self", occupation="retired")
    services.nominate(by=Actor(user=ew.users[2]), election=e, nominee=ew.people[2], kind="self", occupation="retired")
    waiting = services.nominate(by=Actor(user=ew.staff), election=e, nominee=ew.people[3], kind="party",
                                occupation="employed", party_org=ew.party)
    sys = Actor.system()
    # Two consenting candidates for two seats: not a contested election; the awaiting nominee is not on it.
    with pytest.raises(ValidationError, match="more candidates than seats"):
        services.confirm_list(by=sys, election=e)
    services.answer_nomination(by=Actor(user=ew.users[3]), nomination=waiting, accept=True)
    status = {d["group"]: d for d in services.diversity(e)}
    assert status["women"]["count"] == 1 and not status["women"]["met"]
    assert status["young"]["count"] == 1 and status["young"]["met"]
    assert status["occupations"]["count"] == 2
    with pytest.raises(ValidationError) as exc:
        services.confirm_list(by=sys, election=e)
    assert "reason" in exc.value.message_dict
    services.confirm_list(by=sys, election=e, reason="女性居民均未同意参选")
    e.refresh_from_db()
    assert e.status == "listed" and e.list_unmet == ["women"]
    # Staff cannot confirm before nominations close.
    e2 = _election(ew)
    with pytest.raises(ValidationError, match="open until"):
        services.confirm_list(by=Actor(user=ew.staff), election=e2)


def test_contested_ballot_result_and_committee(ew):
    e = _listed(ew, seats=2)
    now = timezone.now()
    e = services.start_ballot(by=Actor(user=ew.staff), election=e, opens_at=now - timedelta(minutes=1),
                              closes_at=now + timedelta(days=3))
    vote = e.vote
    assert vote.choice_kind == "multiple" and vote.max_choices == 2 and vote.status == "open"
    assert vote.options == ["甲", "乙", "丙"]
    old_body = (GovernanceBody.objects.filter(unit=ew.t.unit, kind="committee").order_by("id").first()
                or GovernanceBody.objects.create(unit=ew.t.unit, kind="committee", name="自治委员会"))
    old = org_services.add_body_member(by=Actor.system(), body=old_body, person=ew.people[7],
                                       start_date=now.date() - timedelta(days=900))
    # Eight electors. 甲: 6, 乙: 5, 丙: 2 — 甲 and 乙 have more than half of the 7 who vote.
    choices = [["甲", "乙"], ["甲", "乙"], ["甲", "乙"], ["甲", "乙"], ["甲", "丙"], ["甲", "乙"], ["丙"]]
    for user, person, choice in zip(ew.users, ew.people, choices, strict=False):
        services.cast(by=Actor(user=user), vote=vote, voter=person, choice=choice)
    with pytest.raises(ValidationError):  # more than N choices
        services.cast(by=Actor(user=ew.users[7]), vote=vote, voter=ew.people[7], choice=["甲", "乙", "丙"])
    services.close_vote(by=Actor.system(), vote=vote)
    e.refresh_from_db()
    assert e.status == "decided"
    assert e.outcome["winners"] == ["甲", "乙"] and e.outcome["votes"] == {"甲": 6, "乙": 5, "丙": 2}
    assert e.term_start == timezone.localdate() and e.term_end.year == e.term_start.year + 3
    members = set(BodyMembership.objects.filter(body=e.body, end_date__isnull=True).values_list("person_id", flat=True))
    assert members == {ew.people[0].pk, ew.people[1].pk}
    old.refresh_from_db()
    assert old.end_date is not None
    assert e.body == old_body
    notice = Notice.objects.get(unit=e.unit, title__startswith="Elected")
    assert "甲、乙" in notice.body and str(e.term_end) in notice.body


def test_paper_ballot_counts_after_second_check(ew):
    e = _listed(ew, seats=1)
    now = timezone.now()
    e = services.start_ballot(by=Actor(user=ew.staff), election=e, opens_at=now - timedelta(minutes=1),
                              closes_at=now + timedelta(days=3))
    b = services.cast(by=Actor(user=ew.staff, on_behalf_of=ew.people[3], channel="offline"), vote=e.vote,
                      voter=ew.people[3], choice=["乙"], channel="paper", paper_serial="A-1")
    assert not b.counts
    services.confirm_paper(by=Actor(user=ew.staff2), ballot=b)
    assert Ballot.objects.get(pk=b.pk).counts


def _run(ew, e, ballots):
    now = timezone.now()
    e = services.start_ballot(by=Actor(user=ew.staff), election=e, opens_at=now - timedelta(minutes=1),
                              closes_at=now + timedelta(days=3))
    for user, person, choice in zip(ew.users, ew.people, ballots, strict=False):
        services.cast(by=Actor(user=user), vote=e.vote, voter=person, choice=choice)
    services.close_vote(by=Actor.system(), vote=e.vote)
    e.refresh_from_db()
    return e


def test_exactly_half_is_not_a_majority(ew):
    e = _run(ew, _listed(ew, seats=2, participation="0"), [["甲", "乙"], ["甲", "丙"], ["乙", "丙"], ["甲"]])
    # 甲 3, 乙 2, 丙 2 of 4 ballots: only 甲 has more than half; the second seat stays open.
    assert e.outcome["winners"] == ["甲"] and e.outcome["open_seats"] == 1 and e.outcome["tied"] == []
    assert "remain open" in services.outcome_text(e)


def test_tie_at_last_seat_is_not_broken(ew):
    e = _run(ew, _listed(ew, seats=2, participation="0"),
             [["甲", "乙"], ["甲", "丙"], ["甲", "乙"], ["甲", "丙"], ["乙", "丙"]])
    # 甲 4, 乙 3, 丙 3 of 5: all have a majority; 乙 and 丙 tie for the second seat → a run-off decides.
    assert e.outcome["winners"] == ["甲"] and e.outcome["tied"] == ["乙", "丙"] and e.outcome["open_seats"] == 1
    assert set(BodyMembership.objects.filter(body=e.body, end_date__isnull=True)
               .values_list("person_id", flat=True)) == {ew.people[0].pk}
    assert "run-off" in services.outcome_text(e)


def test_void_when_too_few_take_part(ew):
    e = _run(ew, _listed(ew, seats=1, participation="1"), [["甲"]])
    assert e.outcome["valid"] is False and e.outcome["winners"] == [] and e.body is None
    assert "nobody was elected" in services.outcome_text(e)


def test_bad_election_settings_name_their_field(ew):
    for kw, field in [({"seats": 0}, "seats"), ({"term_years": 9}, "term_years"), ({"electorate": "owners"},
                      "electorate"), ({"participation": "abc"}, "participation"),
                      ({"nominations_close": timezone.now() - timedelta(days=1)}, "nominations_close"),
                      ({"quotas": {"women": 5}}, "quotas")]:
        with pytest.raises(ValidationError) as exc:
            _election(ew, **kw)
        assert field in exc.value.message_dict
    assert not Election.objects.exists() and not Nomination.objects.exists()


def test_by_election_adds_winners_and_keeps_sitting_members(ew):
    body = (GovernanceBody.objects.filter(unit=ew.t.unit, kind="committee").order_by("id").first()
            or GovernanceBody.objects.create(unit=ew.t.unit, kind="committee", name="自治委员会"))
    end = timezone.localdate() + timedelta(days=400)
    GovernanceBody.objects.filter(pk=body.pk).update(term_end=end)
    sitting = org_services.add_body_member(by=Actor.system(), body=body, person=ew.people[7])
    e = _run(ew, _listed(ew, seats=1, participation="0", by_election=True), [["甲"], ["甲"], ["乙"]])
    assert e.outcome["winners"] == ["甲"] and e.term_end == end
    current = set(BodyMembership.objects.filter(body=body, end_date__isnull=True).values_list("person_id", flat=True))
    assert {ew.people[0].pk, sitting.person_id} <= current
