"""Pages: console lists with bounded queries (the same count for N and 5N rows), the forms, the
resident pages and the public section."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtyard.projects import services
from courtyard.projects.models import Consent, Opinion, Response, Suggestion

from .factories import actor, people, survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    who = people(tree)
    s, qs = survey(tree, who)
    project = services.create_project(by=actor(who.staff), unit=tree.unit, title="排水", category="basic", owner="街道")
    plan = services.publish_plan(by=actor(who.staff), plan=services.add_plan(
        by=actor(who.staff), project=project, title="方案一", summary="雨污分流"))
    campaign = services.create_campaign(by=actor(who.staff), unit=tree.unit, title="意愿征询", project=project)
    return tree, who, s, qs, project, plan, campaign


def _grow(tree, who, s, qs, project, plan, n):
    by = actor(who.staff)
    for i in range(n):
        item = services.merge_suggestions(by=by, unit=tree.unit, title=f"共识{i}", suggestions=[
            services.add_suggestion(by=by, unit=tree.unit, source="survey", text=f"建议{i}")])
        services.create_project(by=by, unit=tree.unit, title=f"项目{i}", category="improve", owner="社区",
                                consensus_items=[item])
        services.create_survey(by=by, unit=tree.unit, title=f"问卷{i}")
        services.create_campaign(by=by, unit=tree.unit, title=f"征询{i}")
        services.add_rectification(by=by, project=project, text=f"整改{i}")
        services.record_inspection(by=by, project=project, kind="biweekly", findings=f"巡查{i}")
        services.create_facility(by=by, unit=tree.unit, name=f"设施{i}", kind="bench", owner="院委会",
                                 place=tree.entrance1)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_console_pages_have_bounded_queries(world, login, django_assert_max_num_queries):
    tree, who, s, qs, project, plan, campaign = world
    c = login(who.staff)
    urls = [reverse("projects:library"), reverse("projects:suggestions"), reverse("projects:surveys"),
            reverse("projects:campaigns"), reverse("projects:funnel", args=[tree.unit.pk]), project.get_console_url(),
            reverse("projects:works", args=[project.pk]), reverse("projects:facilities"),
            reverse("projects:resident_hub"), "/api/v1/projects/facilities/"]
    _grow(tree, who, s, qs, project, plan, 2)
    for u in urls:  # warm the per-user caches (unread count, menu) so both counts are warm
        c.get(u)
    before = {u: _count(c, u) for u in urls}
    _grow(tree, who, s, qs, project, plan, 8)
    for u in urls:
        assert _count(c, u) == before[u], u
        with django_assert_max_num_queries(30):
            c.get(u)


def test_survey_results_consent_and_plan_pages_are_bounded(world, login, django_assert_max_num_queries):
    tree, who, s, (q1, q2, q3, q4), project, plan, campaign = world
    services.submit_response(by=actor(who.resident), survey=s, answers={q1.pk: [4], q2.pk: [1], q3.pk: {0: 2}})
    services.submit_response(by=actor(who.grid), survey=s, answers={q1.pk: [3], q4.pk: "路灯"}, channel="paper",
                             person=tree.person2)
    services.record_consent(by=actor(who.grid), campaign=campaign, dwelling=tree.dwelling1, answer="yes",
                            channel="door")
    services.give_opinion(by=actor(who.resident), plan=plan, text="加大管径")
    c = login(who.staff)
    for url in (s.get_console_url(), s.get_console_url() + "?by=age_band", s.get_console_url() + "?by=building",
                campaign.get_console_url(), plan.get_console_url()):
        with django_assert_max_num_queries(30):
            r = c.get(url)
        assert r.status_code == 200, url
    page = c.get(s.get_console_url() + "?by=tenure").content.decode()
    assert "survey-charts" in page and "Owner" in page and "Tenant" in page
    export = c.get(reverse("projects:survey_export", args=[s.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    campaign_page = c.get(campaign.get_console_url()).content.decode()
    assert "1 of 4 households" in campaign_page  # the tree's unit has four dwellings


def test_staff_forms_write_through_services(world, login):
    tree, who, s, (q1, q2, q3, q4), project, plan, campaign = world
    c = login(who.staff)
    r = c.post(reverse("projects:suggestion_new"), {"unit": tree.unit.pk, "source": "patrol", "text": "路面塌陷"})
    assert r.status_code == 302 and Suggestion.objects.filter(text="路面塌陷").exists()
    r = c.post(reverse("projects:suggestion_new"), {"unit": tree.unit.pk, "source": "nope", "text": ""})
    assert r.status_code == 400
    g = login(who.grid)
    r = g.post(reverse("projects:survey_entry", args=[s.pk]),
               {"person": tree.person2.pk, "channel": "paper", f"q{q1.pk}": "4", f"q{q3.pk}_r1": "2"})
    assert r.status_code == 302 and Response.objects.get(person=tree.person2).channel == "paper"
    r = g.post(campaign.get_console_url(), {"action": "record", "c-dwelling": tree.dwelling2.pk, "c-answer": "no",
                                            "c-channel": "meeting", "c-helper": ""})
    assert r.status_code == 302 and Consent.objects.get().helper == "网格员"
    assert login(who.outsider).get(s.get_console_url()).status_code == 404
    assert login(who.resident).get(reverse("projects:library")).status_code == 403


def test_resident_pages(world, login):
    tree, who, s, (q1, q2, q3, q4), project, plan, campaign = world
    c = login(who.resident)
    hub = c.get(reverse("projects:resident_hub")).content.decode()
    assert s.title in hub and campaign.title in hub and project.title in hub
    r = c.post(reverse("projects:resident_survey", args=[s.pk]), {f"q{q1.pk}": "4", f"q{q2.pk}": ["0", "2"],
                                                                  f"q{q3.pk}_r0": "3", f"q{q4.pk}": "多些路灯"})
    assert r.status_code == 302 and Response.objects.get().answers.count() == 4
    r = c.post(reverse("projects:resident_campaign", args=[campaign.pk]), {"answer": "yes"})
    assert r.status_code == 302 and Consent.objects.get().channel == "online"
    r = c.post(reverse("projects:resident_plan", args=[plan.pk]), {"text": "请提前公示停水"})
    assert r.status_code == 302 and Opinion.objects.get().author == who.resident
    stranger = login(who.stranger)
    assert stranger.get(reverse("projects:resident_survey", args=[s.pk])).status_code == 404
    assert stranger.get(reverse("projects:resident_campaign", args=[campaign.pk])).status_code == 404


def test_public_page_shows_adopted_plan_and_dispositions(world, client):
    tree, who, s, qs, project, plan, campaign = world
    op = services.give_opinion(by=actor(who.tenant), plan=plan, text="加大管径")
    services.dispose_opinion(by=actor(who.planner), opinion=op, disposition="partly", reason="主管加大")
    services.approve_plan(by=actor(who.committee), plan=plan)
    page = client.get(reverse("web:public_unit", args=[tree.unit.slug])).content.decode()
    assert "方案一" in page and "加大管径" in page and "主管加大" in page
    assert tree.person2.name not in page  # no personal data on public pages (the author is not shown)
