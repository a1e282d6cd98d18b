"""Renovation projects in the browser. One journey, in the standard display mode: a resident answers the
open survey, gives their household's consent and an opinion on the published plan on a phone; the
planner disposes of it on the console (a missing reason is refused first); the committee member
approves the plan; the public page shows the adopted plan with its disposition list and the results
board. Then every page the journey and the staff visit — resident pages on the phone, console pages on
desktop and phone, the new facility, contract, results and rollout pages — is loaded and checked with
axe in the standard mode and again in elderly mode (loads only, the journey is not redone; one demo,
the same two browser contexts, one login per person: the display mode is switched in place)."""

from __future__ import annotations

import pytest

from courtyard.core.models import User
from courtyard.org.demo.logins import DEMO_PASSWORD, demo_phone
from courtyard.org.models import RoleGrant
from courtyard.projects.models import (
    Consent,
    ConsentCampaign,
    Contract,
    Facility,
    Opinion,
    PlanVersion,
    Programme,
    Project,
    Response,
    Survey,
)
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


def _as(page, base, phone, mode):
    page.context.clear_cookies()
    _mode(page, base, [phone], mode)
    login(page, base, phone, DEMO_PASSWORD)


def _visit(page, base, urls, mode, *, phone=False):
    for url, name in urls:
        page.goto(base + url)
        _check(page, name, mode)
        if phone:
            _fits(page)


def test_project_journey_then_every_page_in_both_modes(live_server, page, desktop_page):
    load_demo(seed=1)
    base = live_server.url
    planner, committee, staff = _phone_of("planner"), _phone_of("committee_member"), _phone_of("community_staff")
    party = _phone_of("subdistrict_party_committee")
    resident = demo_phone(1)
    mode = "standard"
    for p in (page, desktop_page):
        _mode(p, base, [resident, planner, committee, staff, party], mode)
    survey = Survey.objects.get(title="合议轩开放时段意见征集")
    campaign = ConsentCampaign.objects.get(unit__slug="xuedaoyuan", title="学道苑综合改造居民意愿征询")
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
    page.goto(base + f"/projects/campaigns/{campaign.pk}/")
    _check(page, "consent", mode)
    _fits(page)
    page.get_by_label("同意", exact=True).check()
    _submit(page)
    assert Consent.objects.filter(campaign=campaign, answer="yes").count() == 137
    assert "您家已登记的意见：同意" in page.locator("main").inner_text()
    page.goto(base + f"/projects/plans/{plan.pk}/")
    _check(page, "plan", mode)
    _fits(page)
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
    assert "理由" in desk.locator("main").inner_text()
    opinion.refresh_from_db()
    assert opinion.disposition == ""
    desk.select_option(f"#id_o{opinion.pk}-disposition", "partly")
    desk.fill(f"#id_o{opinion.pk}-reason", "主步道采用防滑透水砖，休憩区维持原设计")
    _submit(desk, "dispose")
    opinion.refresh_from_db()
    assert opinion.disposition == "partly"

    _mode(desk, base, [planner], "elderly")  # the same page in elderly mode, no new login
    desk.reload()
    _check(desk, "console-plan", "elderly")

    # 3. the committee member approves the final plan
    _as(desk, base, committee, mode)
    desk.goto(base + f"/console/projects/plans/{plan.pk}/")
    _check(desk, "console-plan-approve", mode)
    _submit(desk, "approve")
    plan.refresh_from_db()
    assert plan.state == "approved"
    _mode(desk, base, [committee], "elderly")
    desk.reload()
    _check(desk, "console-plan-approve", "elderly")

    # 4. the public page: the adopted plan and its disposition list, the results board, no names
    page.goto(base + "/u/xuedaoyuan/")
    _check(page, "public", mode)
    _fits(page)
    text = page.locator("main").inner_text()
    assert "步道请用防滑材料" in text and "主步道采用防滑透水砖" in text and "部分采纳" in text
    assert "项目成果" in text and "划定停车位42个" in text and "94.2" in text

    # 5. every page in both modes, one login per person and context: the display mode is switched in place
    needs = Survey.objects.get(title="学道苑老旧院落改造居民需求问卷")
    parking = Project.objects.get(unit__slug="xuedaoyuan", status="done")
    works = Project.objects.get(unit__slug="xuedaoyuan", status="works")
    charger = Facility.objects.get(unit__slug="xuedaoyuan", kind="charger")
    contract = Contract.objects.filter(project=parking).first() or Contract.objects.first()
    prog = Programme.objects.get()
    resident_pages = [("/projects/", "hub"), (f"/projects/surveys/{survey.pk}/", "survey"),
                      (f"/projects/campaigns/{campaign.pk}/", "consent"), (f"/projects/plans/{plan.pk}/", "plan"),
                      ("/u/xuedaoyuan/", "public"), (f"/projects/works/{works.pk}/", "works")]
    staff_pages = [(f"/console/projects/surveys/{needs.pk}/?by=age_band", "console-survey"),
                   (f"/console/projects/campaigns/{campaign.pk}/", "console-campaign"),
                   (f"/console/projects/{parking.pk}/works/", "console-works"),
                   ("/console/projects/facilities/", "console-facilities"),
                   (f"/console/projects/facilities/{charger.pk}/", "console-facility"),
                   (f"/console/projects/contracts/{contract.pk}/", "console-contract"),
                   (f"/console/projects/{parking.pk}/results/", "console-results"),
                   ("/console/projects/structures/", "console-structures")]
    phone_staff = [(u, "phone-" + u.strip("/").replace("/", "-")) for u in (
        "/console/projects/", f"/console/projects/surveys/{needs.pk}/", f"/console/projects/campaigns/{campaign.pk}/",
        f"/console/projects/{parking.pk}/works/")]

    # the resident's standard pages were checked during the journey, all but the works page
    _visit(page, base, resident_pages[-1:], "standard", phone=True)
    _mode(page, base, [resident], "elderly")
    _visit(page, base, resident_pages, "elderly", phone=True)

    _as(desk, base, staff, "standard")
    _visit(desk, base, staff_pages[:1], "standard")
    desk.wait_for_selector(".prj-chart svg")
    text = desk.locator("main").inner_text()
    assert "92.3" in text and "84.6" in text and "93.2" in text and "65岁及以上" in text
    shot(desk, "projects-console-survey")
    _visit(desk, base, staff_pages[1:3], "standard")
    text = desk.locator("main").inner_text()  # the works page
    assert "联合竣工验收" in text and "签收单" in text and "消防部门" in text
    _visit(desk, base, staff_pages[3:5], "standard")
    assert "收益分成" in desk.locator("main").inner_text()  # the charger's page
    _visit(desk, base, staff_pages[5:], "standard")
    _mode(desk, base, [staff], "elderly")
    _visit(desk, base, staff_pages, "elderly")

    _as(desk, base, party, "standard")
    _visit(desk, base, [(f"/console/projects/programmes/{prog.pk}/", "console-programme")], "standard")
    assert "延期" in desk.locator("main").inner_text()
    _mode(desk, base, [party], "elderly")
    _visit(desk, base, [(f"/console/projects/programmes/{prog.pk}/", "console-programme")], "elderly")

    # The console on a phone-sized screen, once (its pages are checked in both modes on desktop above).
    _as(page, base, staff, "standard")
    _visit(page, base, phone_staff, "standard")
