from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AppendOnlyError, AuditEvent
from courtyard.deliberation import choices as c
from courtyard.deliberation import services
from courtyard.deliberation.models import Ballot, Elector, Notice, Topic
from courtyard.deliberation.tally_io import run_contract
from courtyard.org import services as org_services
from courtyard.org.tests import factories as f


def test_owner_electorate_counts_keys_as_the_spc_interpretation(world, open_vote):
    keys = {e.key: e for e in Elector.objects.filter(vote=open_vote)}
    d1, d2, d3, d4 = world.d
    assert len(keys) == 3  # d1 (two co-owners) · d2+d3 (one buyer) · d4 (developer)
    buyer_key = next(k for k, e in keys.items() if len(e.dwellings) == 2)
    assert keys[buyer_key].area_m2 == d2.area_m2 + d3.area_m2
    assert keys["developer"].area_m2 == d4.area_m2
    total = sum(e.area_m2 for e in keys.values())
    assert total == sum(d.area_m2 for d in world.d)


def test_snapshot_does_not_move_with_the_roster(world, open_vote):
    extra = f.person(world.t.community_a, "新业主", home=world.d[3], relation="owner")
    assert extra  # a later purchase does not enter an open vote's electorate
    assert Elector.objects.filter(vote=open_vote).count() == 3


def test_online_paper_assisted_proxy_and_one_current_ballot(world, open_vote):
    t = world.t
    b = services.cast(by=Actor(user=world.owner_user), vote=open_vote, voter=t.person1, choice="yes")
    assert b.is_current and b.counts
    with pytest.raises(ValidationError):  # the co-owner shares the key: the dwelling has voted
        services.cast(by=Actor(user=world.co_user), vote=open_vote, voter=world.co, choice="no")
    with pytest.raises(PermissionDenied):  # online means one's own ballot
        services.cast(by=Actor(user=world.owner_user), vote=open_vote, voter=world.buyer, choice="no")
    paper = services.cast(by=Actor(user=world.staff), vote=open_vote, voter=world.buyer, choice="yes",
                          channel="paper", paper_serial="P-001")
    assert not paper.counts
    assert services.compute(open_vote).participating.heads == 1
    with pytest.raises(ValidationError):  # four eyes
        services.confirm_paper(by=Actor(user=world.staff), ballot=paper)
    services.confirm_paper(by=Actor(user=world.staff2), ballot=paper)
    r = services.compute(open_vote)
    assert r.participating.heads == 2 and r.approving.heads == 2
    assert Ballot.objects.filter(vote=open_vote, is_current=True).count() == 2


def test_assisted_ballot_records_helper_and_confirmation(world, open_vote):
    with pytest.raises(ValidationError):
        services.cast(by=Actor(user=world.helper, on_behalf_of=world.t.person1, channel="assisted"), vote=open_vote,
                      voter=world.t.person1, choice="yes", channel="assisted")
    b = services.cast(by=Actor(user=world.helper, on_behalf_of=world.t.person1, channel="assisted"),
                      vote=open_vote, voter=world.t.person1, choice="abstain", channel="assisted",
                      confirmation="read aloud, voter nodded and signed")
    assert b.cast_by == world.helper and b.counts
    ev = AuditEvent.objects.filter(action="deliberation.ballot.cast").latest("id")
    assert ev.on_behalf_of == world.t.person1 and ev.channel == "assisted"
    assert "abstain" not in str(ev.changes)  # the audit trail keeps the ballot secret


def test_proxy_needs_the_authorisation(world, open_vote):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.cast(by=Actor(user=world.staff), vote=open_vote, voter=world.buyer, choice="no", channel="proxy")
    pdf = SimpleUploadedFile("auth.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    b = services.cast(by=Actor(user=world.staff), vote=open_vote, voter=world.buyer, choice="no", channel="proxy",
                      proxy_name="赵某某", proxy_file=pdf)
    assert b.proxy_document is not None and b.proxy_document.kind == "pdf"


def test_change_keeps_history_when_allowed(world, open_vote):
    open_vote.allow_change = True
    open_vote.save(update_fields=["allow_change"])
    first = services.cast(by=Actor(user=world.owner_user), vote=open_vote, voter=world.t.person1, choice="no")
    services.cast(by=Actor(user=world.co_user), vote=open_vote, voter=world.co, choice="yes")
    rows = list(Ballot.objects.filter(vote=open_vote).order_by("id"))
    assert [(b.choice, b.is_current) for b in rows] == [("no", False), ("yes", True)]
    first.refresh_from_db()
    assert first.superseded_at is not None
    with pytest.raises(AppendOnlyError):
        Ballot.objects.filter(pk=first.pk).update(choice="yes")
    with pytest.raises(AppendOnlyError):
        first.delete()


def test_closed_vote_tally_export_matches_command_and_publishes(world, open_vote):
    for user, person, choice in ((world.owner_user, world.t.person1, "yes"), (world.buyer_user, world.buyer, "yes")):
        services.cast(by=Actor(user=user), vote=open_vote, voter=person, choice=choice)
    with pytest.raises(ValidationError):  # not before closing time
        services.close_vote(by=Actor(user=world.staff), vote=open_vote)
    with time_machine.travel(open_vote.closes_at + timedelta(minutes=1)):
        vote = services.close_vote(by=Actor(user=world.staff), vote=open_vote)
        with pytest.raises(ValidationError):
            services.cast(by=Actor(user=world.owner_user), vote=vote, voter=world.t.person1, choice="no")
    import json

    exported = services.export_contract(vote)
    assert run_contract(json.dumps(exported)) == {k: v for k, v in vote.result.items() if k not in ("kind", "rule")}
    assert vote.result["participation"]["owners"] == 2 and vote.result["total"]["owners"] == 3
    notice = Notice.objects.get(vote=vote)
    assert notice.kind == c.NoticeKind.RESULT and not notice.is_late


def test_choices_single_multiple(world):
    now = timezone.now()
    v = services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="院落命名",
                             electorate="households", rule="simple_majority", choice_kind="multiple",
                             options=["学道苑", "书香苑", "墨池苑"], max_choices=2,
                             opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1))
    v = services.open_vote(by=Actor(user=world.staff), vote=v)
    with pytest.raises(ValidationError):
        services.cast(by=Actor(user=world.owner_user), vote=v, voter=world.t.person1,
                      choice=["学道苑", "书香苑", "墨池苑"])
    services.cast(by=Actor(user=world.owner_user), vote=v, voter=world.t.person1, choice=["学道苑", "墨池苑"])
    res = services.compute(v)
    assert res["学道苑"].approving.heads == 1 and res["书香苑"].approving.heads == 0
    with pytest.raises(ValidationError):
        services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="x", electorate="households",
                             rule="art278_major", opens_at=now, closes_at=now + timedelta(days=1))


def _local(day, hour: int):
    """`hour` o'clock on `day` in the site's time zone (tests travel relative to today, never to a fixed date)."""
    import datetime as dt

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_topic_steps_are_phase_gated(world):
    t = world.t
    topic = services.raise_topic(by=Actor(user=world.owner_user), unit=t.unit, title="加装电梯", body="三楼以上老人多")
    assert not topic.offline_entry and topic.raised_by == t.person1
    staff = Actor(user=world.staff)
    with pytest.raises(ValidationError):
        services.comment_topic(by=Actor(user=world.owner_user), topic=topic, body="同意")
    tomorrow_9am = _local(timezone.localdate() + timedelta(days=1), 9)
    with time_machine.travel(tomorrow_9am):
        topic = services.advance_topic(by=staff, topic=topic, to="discussion")
    services.comment_topic(by=Actor(user=world.co_user), topic=topic, body="同意")
    with pytest.raises(ValidationError):  # no tier yet
        services.advance_topic(by=staff, topic=topic, to="voting")
    with pytest.raises(ValidationError):
        services.advance_topic(by=staff, topic=topic, to="publicity", tier="assembly")
    with pytest.raises(PermissionDenied):
        services.advance_topic(by=Actor(user=world.owner_user), topic=topic, to="closed")
    topic = services.advance_topic(by=staff, topic=topic, to="voting", tier="assembly")
    assert topic.voting_at and timezone.localtime(topic.discussion_at).date() == tomorrow_9am.date()
    with pytest.raises(ValidationError):  # vote not closed yet
        services.advance_topic(by=staff, topic=topic, to="publicity")


def test_committee_decision_is_published_and_objection_opens_topic(world):
    staff = Actor(user=world.staff)
    topic = services.raise_topic(by=Actor(user=world.staff, on_behalf_of=world.t.person1, channel="offline"),
                                 unit=world.t.unit, title="楼道灯坏了", body="2单元", channel="box")
    assert topic.offline_entry and topic.entered_by == world.staff and topic.raised_by == world.t.person1
    topic = services.advance_topic(by=staff, topic=topic, to="discussion")
    services.advance_topic(by=staff, topic=topic, to="publicity", tier="committee", decision="由自治基金更换")
    notice = Notice.objects.get(topic=topic)
    objection = services.object_to_notice(by=Actor(user=world.co_user), notice=notice, body="应先比价")
    assert objection.objection.notice == notice
    with time_machine.travel(notice.period_ends + timedelta(hours=1)):
        with pytest.raises(ValidationError):
            services.object_to_notice(by=Actor(user=world.co_user), notice=notice, body="late")


def test_late_notice_flag(world):
    n = services.publish_notice(by=Actor(user=world.staff), unit=world.t.unit, kind="announcement", title="x",
                                body="y", decided_at=timezone.now() - timedelta(hours=25))
    assert n.is_late


def test_moderation_and_merge(world):
    staff = Actor(user=world.staff)
    a = services.raise_topic(by=Actor(user=world.owner_user), unit=world.t.unit, title="停车难", body="a")
    b = services.raise_topic(by=Actor(user=world.co_user), unit=world.t.unit, title="停车位不够", body="b")
    with pytest.raises(ValidationError):
        services.hide(by=staff, obj=a, reason=" ")
    with pytest.raises(PermissionDenied):
        services.hide(by=Actor(user=world.owner_user), obj=a, reason="spam")
    services.hide(by=staff, obj=a, reason="duplicate wording")
    assert AuditEvent.objects.filter(action="deliberation.topic.hide", note="duplicate wording").exists()
    services.merge_topics(by=staff, source=b, into=a)
    b.refresh_from_db()
    assert b.merged_into == a and b.step == "closed"


def test_meetings_cadence_minutes(world):
    staff = Actor(user=world.staff)
    with time_machine.travel(_local(timezone.localdate() + timedelta(days=1), 10)):
        missed = {m["kind"] for m in services.missed_cadences(world.t.unit)}
        assert str(c.MeetingKind.LEADING_GROUP.label) in {str(x) for x in missed}
        topic = Topic.objects.create(unit=world.t.unit, title="t", body="b")
        m = services.create_meeting(by=staff, unit=world.t.unit, kind="leading_group", title="领导小组会",
                                    starts_at=timezone.now(), agenda=[topic], invite=[world.owner_user])
        services.sign_in(by=staff, meeting=m, person=world.t.person1)
        services.sign_in(by=Actor(user=world.co_user), meeting=m, person=world.co, method="qr")
        services.record_minutes(by=staff, meeting=m, minutes="议定……", resolutions=[(topic, "启动加装电梯")])
        assert m.attendance.count() == 2 and m.resolutions.get().topic == topic
        assert Notice.objects.filter(meeting=m, kind="minutes").exists()
        assert str(c.MeetingKind.LEADING_GROUP.label) not in {str(x["kind"]) for x in
                                                              services.missed_cadences(world.t.unit)}


def test_documents_versions_comments_diff_and_adoption(world):
    staff = Actor(user=world.staff)
    v1 = services.new_version(by=staff, unit=world.t.unit, kind="convention", title="院落公约",
                              text="## 第一条\n爱护公物\n## 第二条\n垃圾分类", status="comments")
    services.comment_section(by=Actor(user=world.owner_user), version=v1, section="第二条", body="加上定时投放")
    v2 = services.new_version(by=staff, document=v1.document, text="## 第一条\n爱护公物\n## 第二条\n垃圾分类，定时投放",
                              status="consolidated")
    ops = services.diff_versions(v1, v2)
    assert ("removed", "垃圾分类") in ops and ("added", "垃圾分类，定时投放") in ops
    assert [s for s, _b in v2.sections()] == ["第一条", "第二条"]
    services.adopt_version(by=staff, version=v2)
    v2.document.refresh_from_db()
    assert v2.document.adopted_version == v2


def test_representative_quotas(world):
    staff = Actor(user=world.staff)
    services.set_quota(by=staff, unit=world.t.unit, group="tenant", minimum=1)
    services.set_quota(by=staff, unit=world.t.unit, group="old", minimum=1)
    with pytest.raises(ValidationError, match="quotas unmet"):
        services.confirm_panel(by=staff, unit=world.t.unit, people=[world.t.person1])
    panel = services.confirm_panel(by=staff, unit=world.t.unit, people=[world.t.person1],
                                   reason="no tenant volunteered")
    assert panel.unmet_quotas == ["tenant"]
    ok = services.confirm_panel(by=staff, unit=world.t.unit, people=[world.t.person1, world.t.person2])
    assert ok.unmet_quotas == []


def test_area_from_best_source(world):
    # the first dwelling of each building has a surveyed area after its register area: register wins
    d1 = world.d[0]
    assert d1.area_source == "register" and d1.area_m2 != Decimal("66.80")
    org_services.record_area(by=Actor.system(), dwelling=d1, source="contract", area_m2="99.00")
    d1.refresh_from_db()
    assert d1.area_m2 != Decimal("99.00")
