"""Renovation projects in the browser, in both display modes: a resident answers the open survey, gives
their household's consent and an opinion on the published plan on a phone; the planner disposes of
it on the console (a missing reason is refused first); the committee member approves the plan; the
public page shows the adopted plan with its disposition list. Staff results (cross-tab, ECharts) and
the campaign page on desktop and phone. axe runs on every page."""

from __future__ import annotations

import pytest

from courtyard.core.models import User
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.projects.models import Consent, ConsentCampaign, Opinion, PlanVersion, Project, Response, Survey
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login, shot
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]


def _phone_of(role):
    return RoleGrant.objects.select_related("user").filter(role=role, title="演示账号").first().user.phone


def _mode(page, base, phones, mode):
    pks = [User.objects.get_by_phone(p).pk for p in phones]
    User.objects.filter(pk__in=pks).update(elderly_mode=mode == "elderly")
    page.context.add_cookies([{"name": "elderly", "value": "1" if mode == "elderly" else "0", "url": base}])


def _check(page, name, mode):
    assert page.locator("body.elderly").count() == (1 if mode == "elderly" else 0)
    check_axe(page, f"projects-{mode}-{name}")


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _submit(page, action=None):
    form = f"main form:has(input[name=action][value={action}])" if action else "main form[method=post]"
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_survey_consent_plan_opinion_disposition(live_server, page, desktop_page, mode):
    load_demo(seed=1)
    base = live_server.url
    planner, committee, staff = _phone_of("planner"), _phone_of("committee_member"), _phone_of("community_staff")
    resident = demo_phone(1)
    for p in (page, desktop_page):
        _mode(p, base, [resident, planner, committee, staff], mode)
    survey = Survey.objects.get(title="合议轩开放时段意见征集")
    campaign = ConsentCampaign.objects.get(unit__slug="xuedaoyuan")
    plan = PlanVersion.objects.get(state="published", project__unit__slug="xuedaoyuan")

    # 1. the resident on a phone: survey, consent, opinion
    login(page, base, resident, DEMO_PASSWORD)
    page.goto(base + "/projects/")
    _check(page, "hub", mode)
    _fits(page)
    with page.expect_navigation():
        page.locator(f"a[href='/projects/surveys/{survey.pk}/']").click()
    _check(page, "survey", mode)
    _fits(page)
    page.get_by_label("周末全天").check()
    page.get_by_label("非常支持").check()
    page.locator("textarea").fill("希望晚上也开放")
    _submit(page)
    assert page.locator("[role=status]").count() >= 1
    response = Response.objects.get(survey=survey)
    assert response.channel == "online" and response.answers.count() == 3
    shot(page, f"projects-{mode}-survey-done")

    page.goto(base + f"/projects/campaigns/{campaign.pk}/")
    _check(page, "consent", mode)
    page.get_by_label("同意", exact=True).check()
    _submit(page)
    assert Consent.objects.filter(campaign=campaign, answer="yes").count() == 137
    assert "您家已登记的意见：同意" in page.locator("main").inner_text()

    page.goto(base + f"/projects/plans/{plan.pk}/")
    _check(page, "plan", mode)
    page.fill("#id_text", "步道请用防滑材料")
    _submit(page)
    opinion = Opinion.objects.get(plan=plan)
    assert "等待专家组答复" in page.locator("main").inner_text()

    # 2. the planner disposes of it on the console; a refusal without a reason first
    desk = desktop_page
    login(desk, base, planner, DEMO_PASSWORD)
    desk.goto(base + f"/console/projects/plans/{plan.pk}/")
    _check(desk, "console-plan", mode)
    desk.select_option(f"#id_o{opinion.pk}-disposition", "not_adopted")
    _submit(desk, "dispose")
    assert "请说明理由" in desk.locator("main").inner_text() or "理由" in desk.locator(".alert-danger").inner_text()
    opinion.refresh_from_db()
    assert opinion.disposition == ""
    desk.select_option(f"#id_o{opinion.pk}-disposition", "partly")
    desk.fill(f"#id_o{opinion.pk}-reason", "主步道采用防滑透水砖，休憩区维持原设计")
    _submit(desk, "dispose")
    opinion.refresh_from_db()
    assert opinion.disposition == "partly"

    # 3. the committee member approves the final plan
    desk.context.clear_cookies()
    _mode(desk, base, [committee], mode)
    login(desk, base, committee, DEMO_PASSWORD)
    desk.goto(base + f"/console/projects/plans/{plan.pk}/")
    _check(desk, "console-plan-approve", mode)
    _submit(desk, "approve")
    plan.refresh_from_db()
    assert plan.state == "approved"

    # 4. the public page shows the adopted plan and the disposition list, without names
    page.goto(base + "/u/xuedaoyuan/")
    _check(page, "public", mode)
    text = page.locator("main").inner_text()
    assert "步道请用防滑材料" in text and "主步道采用防滑透水砖" in text and "部分采纳" in text

    # 5. staff see results with a cross-tab and charts, and the campaign, on desktop and phone
    desk.context.clear_cookies()
    _mode(desk, base, [staff], mode)
    login(desk, base, staff, DEMO_PASSWORD)
    needs = Survey.objects.get(title="学道苑老旧院落改造居民需求问卷")
    desk.goto(base + f"/console/projects/surveys/{needs.pk}/?by=age_band")
    desk.wait_for_selector(".prj-chart svg")
    _check(desk, "console-survey", mode)
    text = desk.locator("main").inner_text()
    assert "92.3" in text and "84.6" in text and "93.2" in text and "65岁及以上" in text
    shot(desk, f"projects-{mode}-console-survey")
    desk.goto(base + f"/console/projects/campaigns/{campaign.pk}/")
    _check(desk, "console-campaign", mode)
    assert "137" in desk.locator("main").inner_text()
    parking = Project.objects.get(unit__slug="xuedaoyuan", status="done")
    for url, name in ((f"/console/projects/{parking.pk}/works/", "console-works"),
                      ("/console/projects/facilities/", "console-facilities"),
                      ("/console/projects/structures/", "console-structures")):
        desk.goto(base + url)
        _check(desk, name, mode)
        if name == "console-works":
            text = desk.locator("main").inner_text()
            assert "联合竣工验收" in text and "签收单" in text and "消防部门" in text
    page.context.clear_cookies()
    _mode(page, base, [staff], mode)
    login(page, base, staff, DEMO_PASSWORD)
    for url in ("/console/projects/", f"/console/projects/surveys/{needs.pk}/", f"/console/projects/campaigns/{campaign.pk}/",
                f"/console/projects/{parking.pk}/works/"):
        page.goto(base + url)
        _check(page, "phone-" + url.strip("/").replace("/", "-"), mode)
