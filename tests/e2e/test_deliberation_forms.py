"""Staff create a meeting with an agenda, sign attendees in at the desk, record the minutes → the minutes
notice is on the unit's public page. Then the document forms, quotas, hand-published notice and the
resident comment page. axe on every new page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courtyard.deliberation.models import Attendance, DocumentComment, DocumentVersion, Meeting, Notice, Topic
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import Person, RoleGrant
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]
FMT = "%Y-%m-%dT%H:%M"


def _phone(role):
    return RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user.phone


def _submit(page, selector="main form[method=post] button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_meeting_minutes_documents_quotas_notice(live_server, page, desktop_page):
    load_demo(seed=1)
    base = live_server.url
    parking = Topic.objects.get(title="夜间停车秩序")
    unit = parking.unit
    login(desktop_page, base, _phone("community_staff"), DEMO_PASSWORD)

    # A meeting with an agenda picked from the open topics.
    desktop_page.goto(f"{base}/console/deliberation/meetings/")
    check_axe(desktop_page, "dlb-meetings-with-new")
    desktop_page.goto(f"{base}/console/deliberation/meetings/new/")
    check_axe(desktop_page, "dlb-meeting-new")
    desktop_page.select_option("select[name=unit]", str(unit.pk))
    desktop_page.select_option("select[name=kind]", "leading_group")
    desktop_page.fill("input[name=title]", "领导小组例会")
    desktop_page.fill("input[name=starts_at]", (timezone.localtime() - timedelta(minutes=30)).strftime(FMT))
    desktop_page.fill("input[name=location]", "学道苑活动室")
    desktop_page.check(f"input[name=agenda][value='{parking.pk}']")
    _submit(desktop_page)
    meeting = Meeting.objects.get(title="领导小组例会")
    assert list(meeting.agenda.all()) == [parking]
    check_axe(desktop_page, "dlb-console-meeting-new-one")

    # Desk sign-in list and the printable QR sheet.
    desktop_page.goto(f"{base}/console/deliberation/meetings/{meeting.pk}/desk/")
    check_axe(desktop_page, "dlb-meeting-desk")
    people = list(Person.objects.filter(unit=unit, active=True).order_by("path", "name", "id")[:2])
    for person in people:
        desktop_page.check(f"input[name=people][value='{person.pk}']")
    _submit(desktop_page)
    assert Attendance.objects.filter(meeting=meeting, method="desk").count() == 2
    shot(desktop_page, "dlb-meeting-desk-signed")
    sheet = desktop_page.request.get(f"{base}/console/deliberation/meetings/{meeting.pk}/signin.pdf", timeout=60_000)
    assert sheet.ok and sheet.body()[:4] == b"%PDF"

    # Minutes with a resolution linked to the topic → the minutes notice on the public page.
    desktop_page.goto(f"{base}/console/deliberation/meetings/{meeting.pk}/minutes/")
    check_axe(desktop_page, "dlb-meeting-minutes")
    _submit(desktop_page)  # empty: the form says what is missing, nothing is saved
    assert not Meeting.objects.get(pk=meeting.pk).minutes_at
    desktop_page.fill("textarea[name=minutes]", "研究夜间停车秩序，决定先划线。")
    desktop_page.fill(f"textarea[name=res_{parking.pk}]", "本周内完成停车位划线")
    _submit(desktop_page)
    notice = Notice.objects.get(meeting=meeting, kind="minutes")
    assert parking.resolutions.get(meeting=meeting).text == "本周内完成停车位划线"
    page.goto(f"{base}/u/{unit.slug}/")
    assert page.get_by_text(notice.title).first.is_visible()
    check_axe(page, "dlb-public-unit-minutes")
    page.goto(f"{base}{notice.get_public_url()}")
    check_axe(page, "dlb-public-minutes-notice")
    shot(page, "dlb-public-minutes-notice")

    # Documents: new, comment period, resident comment, consolidation, final vote.
    desktop_page.goto(f"{base}/console/deliberation/documents/new/")
    check_axe(desktop_page, "dlb-document-new")
    desktop_page.select_option("select[name=unit]", str(unit.pk))
    desktop_page.select_option("select[name=kind]", "rules")
    desktop_page.fill("input[name=title]", "议事规则")
    desktop_page.fill("textarea[name=text]", "## 第一条 议题\n议题由居民提出。\n## 第二条 表决\n重大事项由业主表决。")
    _submit(desktop_page)
    version = DocumentVersion.objects.get(document__title="议事规则")
    check_axe(desktop_page, "dlb-console-document")
    desktop_page.goto(f"{base}/console/deliberation/versions/{version.pk}/comments/")
    check_axe(desktop_page, "dlb-version-comments")
    _submit(desktop_page)
    version.refresh_from_db()
    assert version.status == "comments"

    login(page, base, demo_phone(1), DEMO_PASSWORD)
    page.goto(f"{base}/documents/")
    check_axe(page, "dlb-resident-documents")
    page.goto(f"{base}/documents/{version.pk}/")
    check_axe(page, "dlb-resident-document")
    page.select_option("select[name=section]", "第二条 表决")
    page.fill("textarea[name=body]", "建议写明线上线下都可以投票。")
    _submit(page, "main form button[type=submit]")
    assert DocumentComment.objects.get(version=version).section == "第二条 表决"
    shot(page, "dlb-resident-document-commented")

    desktop_page.goto(f"{base}/console/deliberation/versions/{version.pk}/consolidate/")
    check_axe(desktop_page, "dlb-version-consolidate")
    desktop_page.fill("textarea[name=text]", "## 第一条 议题\n议题由居民提出。\n## 第二条 表决\n重大事项由业主线上或线下表决。")
    _submit(desktop_page)
    consolidated = DocumentVersion.objects.get(document__title="议事规则", status="consolidated")
    desktop_page.goto(f"{base}/console/deliberation/versions/{consolidated.pk}/vote/")
    check_axe(desktop_page, "dlb-version-vote")
    _submit(desktop_page)
    assert consolidated.votes.count() == 1
    desktop_page.goto(f"{base}/console/deliberation/documents/{consolidated.document_id}/diff/")
    check_axe(desktop_page, "dlb-document-diff")

    # Quotas and a notice published by hand.
    desktop_page.goto(f"{base}/console/deliberation/representatives/{unit.pk}/quotas/")
    check_axe(desktop_page, "dlb-quotas")
    desktop_page.fill("input[name=special]", "2")
    _submit(desktop_page)
    assert unit.pk and desktop_page.url.endswith(f"?unit={unit.pk}")
    desktop_page.goto(f"{base}/console/deliberation/notices/new/")
    check_axe(desktop_page, "dlb-notice-new")
    desktop_page.select_option("select[name=unit]", str(unit.pk))
    desktop_page.select_option("select[name=kind]", "announcement")
    desktop_page.fill("input[name=title]", "周六上午停水")
    desktop_page.fill("textarea[name=body]", "因管网维修，周六 8:00–12:00 停水。")
    _submit(desktop_page)
    assert Notice.objects.filter(title="周六上午停水", kind="announcement").exists()
    check_axe(desktop_page, "dlb-hand-notice-public")
