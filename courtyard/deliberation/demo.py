"""Demo rows for 学道苑: topics in every step, an owners' vote on 加装电梯 (art278_major) with online,
paper and assisted ballots, its published result, a committee decision, a meeting with minutes,
a convention with two versions, representative quotas."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org import services as org_services
from courtyard.org.models import Person, RoleGrant

from . import permissions as p
from . import services
from .election_demo import load_elections
from .models import ElectorPerson


def _demo_user(role: str):
    grant = RoleGrant.objects.filter(role=role, title="演示账号").select_related("user").first()
    return grant.user if grant else None


@transaction.atomic
def load_demo(info: dict, *, seed: int, stdout) -> None:
    rng = random.Random(seed)
    unit = info["units"]["xuedaoyuan"]
    staff, secretary = _demo_user("community_staff"), _demo_user("party_secretary")
    helper, committee = _demo_user("digital_helper"), _demo_user("committee_member")
    system = Actor.system()
    by_staff = Actor(user=staff) if staff else system
    now = timezone.now()
    residents = list(Person.objects.filter(unit=unit, active=True).order_by("id")[:40])

    def topic(title, body, channel="online", who=0):
        return services.raise_topic(by=system, unit=unit, title=title, body=body, channel=channel,
                                    raised_by=residents[who % len(residents)] if residents else None)

    # Topics in different steps.
    topic("院内晾衣区重新规划", "晾衣杆不够，希望在东侧空地加装。", "box", 3)
    parking = topic("夜间停车秩序", "晚上外来车辆多，消防通道被占。", "baba", 5)
    parking = services.advance_topic(by=system, topic=parking, to="discussion")
    for i, text in enumerate(["建议装道闸", "先划线再说", "外来车辆应登记"]):
        services.comment_topic(by=Actor(user=None, on_behalf_of=residents[(i + 7) % len(residents)],
                                        channel="offline"), topic=parking, body=text)
    light = topic("2单元楼道灯不亮", "晚上老人上下楼看不见。", "patrol", 9)
    light = services.advance_topic(by=system, topic=light, to="discussion")
    services.advance_topic(by=system, topic=light, to="publicity", tier="committee",
                           decision="由自治基金出资更换声控灯，三日内完成。")
    lift = topic("加装电梯", "3栋、5栋老人多，希望加装电梯。", "visit", 1)
    lift = services.advance_topic(by=system, topic=lift, to="discussion")

    # The owners' vote on the lift, run over the past three weeks.
    opens, closes = now - timedelta(days=21), now - timedelta(days=7)
    vote = services.create_vote(by=system, unit=unit, topic=lift, title="加装电梯（3栋、5栋）",
                                description="同意由业主共同出资、争取政府补贴加装电梯（民法典第278条第1款第8项）。",
                                rule="art278_major", electorate="owners", opens_at=opens, closes_at=closes,
                                notice_days=7)
    vote = services.open_vote(by=system, vote=vote, now=opens)
    voters = list(ElectorPerson.objects.filter(vote=vote).select_related("person").order_by("key", "person_id"))
    seen_keys: set[str] = set()
    firsts = [ep for ep in voters if not (ep.key in seen_keys or seen_keys.add(ep.key))]
    rng.shuffle(firsts)
    take = firsts[: int(len(firsts) * 0.82)]
    helper_scope = set(Person.objects.visible_to(helper, p.ASSIST_VOTE).filter(unit=unit).values_list("pk", flat=True)
                       ) if helper else set()
    phone = 13900000001
    for i, ep in enumerate(take):
        when = opens + timedelta(hours=2 + i)
        choice = rng.choices(["yes", "no", "abstain"], weights=[88, 8, 4])[0]
        if i % 3 == 0 and helper and ep.person_id in helper_scope:
            services.cast(by=Actor(user=helper, on_behalf_of=ep.person, channel="assisted"), vote=vote,
                          voter=ep.person, choice=choice, channel="assisted",
                          confirmation="助老员读票面，业主口头确认并按手印", now=when)
        elif i % 3 == 1 and staff and secretary:
            b = services.cast(by=Actor(user=staff, on_behalf_of=ep.person, channel="offline"), vote=vote,
                              voter=ep.person, choice=choice, channel="paper", paper_serial=f"XDY-{i:04d}", now=when)
            if i % 15 != 1:  # a few remain unchecked: they are listed but not counted
                # The second person's check goes through the service, so it leaves its audit event.
                services.confirm_paper(by=Actor(user=secretary), ballot=b, now=when + timedelta(hours=1))
        else:
            user = getattr(ep.person, "user", None)
            if user is None:
                user = org_services.create_user(by=system, phone=str(phone), display_name=ep.person.name,
                                                person=ep.person)
                phone += 1
            services.cast(by=Actor(user=user), vote=vote, voter=ep.person, choice=choice, now=when)
    vote = services.close_vote(by=system, vote=vote, now=closes + timedelta(hours=2))

    # A meeting of the residents' council with minutes and a resolution on the lift.
    meeting = services.create_meeting(by=by_staff, unit=unit, kind="council", title="居民议事会（第四季度）",
                                      starts_at=now - timedelta(days=5), location="学道苑活动室",
                                      agenda=[lift, parking])
    for person in residents[:12]:
        services.sign_in(by=system, meeting=meeting, person=person)
    services.record_minutes(by=by_staff, meeting=meeting, minutes="通报加装电梯表决结果；讨论夜间停车秩序，"
                            "决定先划线、再征求道闸意见。",
                            resolutions=[(lift, "按表决结果启动加装电梯报批"), (parking, "下周完成停车位划线")])

    # A convention in two versions, open for comments; quotas for representatives.
    v1 = services.new_version(by=system, unit=unit, kind="convention", title="学道苑院落公约",
                              text="## 第一条 环境\n爱护院落公共设施。\n## 第二条 垃圾\n垃圾分类投放。",
                              status="superseded")
    services.new_version(by=system, document=v1.document, status="comments",
                         comments_until=now + timedelta(days=10), note="意见整合稿",
                         text="## 第一条 环境\n爱护院落公共设施，不私搭乱建。\n## 第二条 垃圾\n垃圾分类、定时定点投放。")
    for group, minimum in (("old", 2), ("middle", 2), ("young", 1), ("tenant", 1), ("merchant", 1)):
        services.set_quota(by=system, unit=unit, group=group, minimum=minimum)
    load_elections(unit=unit, rng=rng, staff=staff, secretary=secretary, helper=helper, stdout=stdout)
    r = vote.result
    stdout.write(f"deliberation: 4 topics, vote “{vote.title}” {r['participation']['owners']}/{r['total']['owners']} "
                 f"owners took part, passed={r['passed']}, 1 meeting, 1 convention")
    if committee is None:
        stdout.write("deliberation: no committee demo login found")
    from .demo_history import load_history

    stdout.write(f"deliberation history: {load_history(info)} meetings over 12 months")
