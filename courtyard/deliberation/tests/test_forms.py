"""Console forms and the resident comment page: happy paths, validation without partial writes,
permissions and audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.deliberation import services
from courtyard.deliberation.models import (
    Attendance,
    Document,
    DocumentComment,
    DocumentVersion,
    Meeting,
    Notice,
    RepresentativeQuota,
    Resolution,
    Topic,
    Vote,
)
from courtyard.org import services as org_services

FMT = "%Y-%m-%dT%H:%M"


def _when(**delta) -> str:
    return (timezone.localtime() + timedelta(**delta)).strftime(FMT)


def _topic(world, title="停车", step="discussion"):
    t = services.raise_topic(by=Actor.system(), unit=world.t.unit, title=title, body="…", channel="baba",
                             raised_by=world.t.person1)
    if step != "proposed":
        t = services.advance_topic(by=Actor.system(), topic=t, to="discussion")
    return t


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_meeting_create_desk_signin_minutes_publishes_notice(world, login, client):
    staff = login(world.staff)
    topic, other = _topic(world), _topic(world, "晾衣区")
    assert staff.get("/console/deliberation/meetings/new/").status_code == 200
    r = staff.post("/console/deliberation/meetings/new/", {
        "unit": world.t.unit.pk, "kind": "council", "title": "居民议事会", "starts_at": _when(hours=-1),
        "location": "活动室", "agenda": [topic.pk, other.pk]})
    meeting = Meeting.objects.get(title="居民议事会")
    assert r.status_code == 302 and set(meeting.agenda.all()) == {topic, other}
    assert _events("deliberation.meeting.create") == 1
    desk = f"/console/deliberation/meetings/{meeting.pk}/desk/"
    assert staff.get(desk).status_code == 200
    r = staff.post(desk, {"people": []})
    assert r.status_code == 200 and b"Tick at least one person." in r.content
    staff.post(desk, {"people": [world.t.person1.pk, world.co.pk]})
    assert Attendance.objects.filter(meeting=meeting, method="desk").count() == 2
    assert _events("deliberation.meeting.sign_in") == 2
    sheet = staff.get(f"/console/deliberation/meetings/{meeting.pk}/signin.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    minutes = f"/console/deliberation/meetings/{meeting.pk}/minutes/"
    page = staff.get(minutes)
    assert page.status_code == 200 and "停车".encode() in page.content
    r = staff.post(minutes, {"minutes": "  ", f"res_{topic.pk}": "先划线"})
    assert r.status_code == 400 and b"Write the minutes first." in r.content
    assert not Resolution.objects.exists() and not Notice.objects.filter(meeting=meeting).exists()
    r = staff.post(minutes, {"minutes": "讨论停车", f"res_{topic.pk}": "下周划线", "res_other": "下次会议在月底"})
    assert r.status_code == 302
    assert {(x.topic_id, x.text) for x in Resolution.objects.filter(meeting=meeting)} == {
        (topic.pk, "下周划线"), (None, "下次会议在月底")}
    notice = Notice.objects.get(meeting=meeting, kind="minutes")
    assert notice.title.encode() in client.get(f"/u/{world.t.unit.slug}/").content
    assert client.get(notice.get_public_url()).status_code == 200
    # A second recording is refused (no second notice).
    assert staff.get(minutes).status_code == 302
    with pytest.raises(Exception, match="already recorded"):
        services.record_minutes(by=Actor(user=world.staff), meeting=meeting, minutes="again")
    assert Notice.objects.filter(meeting=meeting).count() == 1


def test_meeting_form_validation(world, login):
    staff = login(world.staff)
    closed = _topic(world, "旧议题", step="proposed")
    services.advance_topic(by=Actor.system(), topic=closed, to="closed")
    r = staff.post("/console/deliberation/meetings/new/", {
        "unit": world.t.unit.pk, "kind": "nonsense", "title": "", "starts_at": "tomorrow", "agenda": [closed.pk]})
    assert r.status_code == 400
    for msg in (b"Select a valid choice", b"This field is required", b"Enter a valid date/time"):
        assert msg in r.content
    assert not Meeting.objects.exists()
    # A topic of another unit cannot be smuggled into the agenda.
    unit_b = org_services.create_unit(by=Actor.system(), community=world.t.community_b, name="别院", slug="bieyuan")
    foreign = Topic.objects.create(unit=unit_b, title="x", body="y", step="discussion")
    r = staff.post("/console/deliberation/meetings/new/", {
        "unit": world.t.unit.pk, "kind": "council", "title": "会", "starts_at": _when(days=1), "location": "室",
        "agenda": [foreign.pk]})
    assert r.status_code == 400 and not Meeting.objects.exists()


def test_meeting_forms_need_manage_permission(world, login, make_user):
    meeting = services.create_meeting(by=Actor(user=world.staff), unit=world.t.unit, kind="council", title="会",
                                      starts_at=timezone.now())
    reader = login(make_user("supervisory_member", world.t.unit))
    assert reader.get("/console/deliberation/meetings/new/").status_code == 403
    assert reader.get(f"/console/deliberation/meetings/{meeting.pk}/desk/").status_code == 403
    assert reader.get(f"/console/deliberation/meetings/{meeting.pk}/minutes/").status_code == 403
    assert reader.get(f"/console/deliberation/meetings/{meeting.pk}/").status_code == 200
    outsider = login(make_user("community_staff", world.t.community_b))
    assert outsider.get(f"/console/deliberation/meetings/{meeting.pk}/desk/").status_code == 404
    assert outsider.post(f"/console/deliberation/meetings/{meeting.pk}/minutes/", {"minutes": "x"}).status_code == 404
    assert not Meeting.objects.filter(minutes_at__isnull=False).exists()


def test_document_life_cycle_through_the_console(world, login):
    staff = login(world.staff)
    assert staff.get("/console/deliberation/documents/new/").status_code == 200
    r = staff.post("/console/deliberation/documents/new/", {"unit": world.t.unit.pk, "kind": "convention",
                                                           "title": "院落公约", "text": "没有分节"})
    assert r.status_code == 400 and "“## ”".encode() in r.content and not Document.objects.exists()
    r = staff.post("/console/deliberation/documents/new/", {"unit": world.t.unit.pk, "kind": "convention",
                                                           "title": "院落公约", "text": "## 一\n甲\n## 一\n乙"})
    assert b"same heading" in r.content and not Document.objects.exists()
    r = staff.post("/console/deliberation/documents/new/", {"unit": world.t.unit.pk, "kind": "convention",
                                                           "title": "院落公约", "text": "## 第一条\n爱护设施\n## 第二条\n垃圾分类"})
    doc = Document.objects.get(title="院落公约")
    assert r.status_code == 302 and staff.get(f"/console/deliberation/documents/{doc.pk}/").status_code == 200
    v1 = doc.versions.get()
    # Comment period: a date in the past is refused.
    url = f"/console/deliberation/versions/{v1.pk}/comments/"
    assert staff.get(url).status_code == 200
    r = staff.post(url, {"until": _when(days=-1)})
    assert r.status_code == 400 and b"must end in the future" in r.content
    staff.post(url, {"until": _when(days=10)})
    v1.refresh_from_db()
    assert v1.status == "comments" and _events("deliberation.document.comments_open") == 1
    # A resident comments on a section.
    resident = login(world.owner_user)
    assert resident.get("/documents/").status_code == 200
    page = resident.get(f"/documents/{v1.pk}/")
    assert page.status_code == 200 and "第二条".encode() in page.content
    r = resident.post(f"/documents/{v1.pk}/", {"section": "第九条", "body": "x"})
    assert r.status_code == 200 and b"Select a valid choice" in r.content
    r = resident.post(f"/documents/{v1.pk}/", {"section": "第二条", "body": ""})
    assert r.status_code == 200 and b"Write a comment first." in r.content
    r = resident.post(f"/documents/{v1.pk}/", {"section": "第二条", "body": "建议定时定点"})
    assert r.status_code == 302 and DocumentComment.objects.get().section == "第二条"
    # Consolidation: a new version, the commented one superseded.
    url = f"/console/deliberation/versions/{v1.pk}/consolidate/"
    page = staff.get(url)
    assert page.status_code == 200 and "建议定时定点".encode() in page.content
    staff.post(url, {"text": "## 第一条\n爱护设施\n## 第二条\n垃圾分类、定时定点", "note": ""})
    v1.refresh_from_db()
    v2 = doc.versions.get(number=2)
    assert v1.status == "superseded" and v2.status == "consolidated" and "1 comments" in v2.note
    assert resident.get(f"/documents/{v1.pk}/").status_code == 404
    # Final vote through the vote service: bad dates refused, then a draft vote linked to the version.
    url = f"/console/deliberation/versions/{v2.pk}/vote/"
    assert staff.get(url).status_code == 200
    r = staff.post(url, {"electorate": "owners", "rule": "art278_ordinary", "opens_at": _when(days=2),
                         "closes_at": _when(days=1), "notice_days": 7})
    assert r.status_code == 400 and b"must close after it opens" in r.content and not Vote.objects.exists()
    r = staff.post(url, {"electorate": "adults", "rule": "art278_major", "opens_at": _when(minutes=-5),
                         "closes_at": _when(days=1), "notice_days": 7})
    assert b"Civil Code rules apply to votes of owners" in r.content and not Vote.objects.exists()
    r = staff.post(url, {"electorate": "owners", "rule": "art278_ordinary", "opens_at": _when(minutes=-5),
                         "closes_at": _when(days=1), "notice_days": 7})
    vote = Vote.objects.get(document_version=v2)
    assert r.status_code == 302 and vote.status == "draft" and _events("deliberation.vote.create") == 1
    assert staff.post(url, {"electorate": "owners", "rule": "art278_ordinary", "opens_at": _when(minutes=-5),
                            "closes_at": _when(days=1), "notice_days": 7}).status_code == 400
    assert Vote.objects.count() == 1
    # A new version by hand.
    url = f"/console/deliberation/documents/{doc.pk}/versions/new/"
    assert staff.get(url).status_code == 200
    staff.post(url, {"text": "## 第一条\n新", "note": "再修改"})
    assert doc.versions.count() == 3 and DocumentVersion.objects.get(number=3).status == "draft"


def test_document_forms_need_permission(world, login, make_user):
    v = services.new_version(by=Actor(user=world.staff), unit=world.t.unit, kind="rules", title="议事规则",
                             text="## 一\n甲")
    helper = login(world.helper)  # reads topics, may not manage documents
    assert helper.get("/console/deliberation/documents/new/").status_code == 403
    assert helper.post(f"/console/deliberation/versions/{v.pk}/comments/", {"until": _when(days=3)}).status_code == 403
    outsider = login(make_user("community_staff", world.t.community_b))
    assert outsider.get(f"/console/deliberation/documents/{v.document_id}/").status_code == 404
    assert outsider.post(f"/console/deliberation/versions/{v.pk}/vote/", {}).status_code == 404
    v.refresh_from_db()
    assert v.status == "draft"
    # Residents see only their own unit's drafts open for comments.
    assert login(world.owner_user).get(f"/documents/{v.pk}/").status_code == 404


def test_quota_form(world, login, make_user):
    staff = login(world.staff)
    url = f"/console/deliberation/representatives/{world.t.unit.pk}/quotas/"
    assert staff.get(url).status_code == 200
    data = {"young": 1, "middle": 2, "old": 2, "tenant": 1, "merchant": 0, "special": -1}
    r = staff.post(url, data)
    assert r.status_code == 400 and b"greater than or equal to 0" in r.content
    assert not RepresentativeQuota.objects.exists()
    data["special"] = 1
    assert staff.post(url, data).status_code == 302
    assert dict(RepresentativeQuota.objects.values_list("group", "minimum")) == {
        "young": 1, "middle": 2, "old": 2, "tenant": 1, "special": 1}
    assert _events("deliberation.quota.set") == 5
    staff.post(url, {**data, "old": 3})
    assert _events("deliberation.quota.set") == 6  # only the changed group
    assert login(world.helper).get(url).status_code == 403
    assert login(make_user("community_staff", world.t.community_b)).get(url).status_code == 404


def test_notice_form(world, login, client):
    staff = login(world.staff)
    url = "/console/deliberation/notices/new/"
    assert staff.get(url).status_code == 200
    base = {"unit": world.t.unit.pk, "kind": "announcement", "title": "停水通知", "body": "周六停水", "period_days": 7}
    r = staff.post(url, {**base, "decided_at": _when(days=2)})
    assert r.status_code == 400 and b"cannot lie in the future" in r.content
    r = staff.post(url, {**base, "kind": "result", "decided_at": _when(hours=-1)})
    assert r.status_code == 400 and b"Select a valid choice" in r.content
    assert not Notice.objects.exists()
    r = staff.post(url, {**base, "decided_at": _when(hours=-1)})
    notice = Notice.objects.get()
    assert r.status_code == 302 and r["Location"] == notice.get_public_url()
    assert _events("deliberation.notice.publish") == 1
    assert "停水通知".encode() in client.get(f"/u/{world.t.unit.slug}/").content
    assert login(world.helper).get(url).status_code == 403


def test_resident_comment_page_closed_period(world, login):
    v = services.new_version(by=Actor(user=world.staff), unit=world.t.unit, kind="rules", title="议事规则",
                             text="## 一\n甲", status="comments", comments_until=timezone.now() - timedelta(hours=1))
    page = login(world.owner_user).get(f"/documents/{v.pk}/")
    assert page.status_code == 200 and b"comment period has ended" in page.content
    r = login(world.owner_user).post(f"/documents/{v.pk}/", {"section": "一", "body": "晚了"})
    assert r.status_code == 200 and not DocumentComment.objects.exists()


def test_elderly_mode_document_page(world, login):
    v = services.new_version(by=Actor(user=world.staff), unit=world.t.unit, kind="rules", title="议事规则",
                             text="## 一\n甲", status="comments", comments_until=timezone.now() + timedelta(days=3))
    world.owner_user.elderly_mode = True
    world.owner_user.save(update_fields=["elderly_mode"])
    page = login(world.owner_user).get(f"/documents/{v.pk}/")
    assert page.status_code == 200 and b"r-form" in page.content and b"elderly" in page.content
