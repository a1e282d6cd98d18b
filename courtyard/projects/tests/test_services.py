"""Services: every write checked by the same rule the views ask, audited, and refused with nothing
changed on bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtyard.core.models import AuditEvent
from courtyard.projects import services
from courtyard.projects.models import ConsensusItem, Consent, Opinion, Project, Response, Suggestion

from .factories import actor, people, survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(tree):
    return people(tree)


def test_suggestions_merge_into_consensus_and_projects(tree, who):
    by = actor(who.staff)
    s1 = services.add_suggestion(by=by, unit=tree.unit, source="patrol", text="雨季积水", reference="巡查-3")
    s2 = services.add_suggestion(by=by, unit=tree.unit, source="request", text="下水道堵")
    item = services.merge_suggestions(by=by, unit=tree.unit, title="排水改造", suggestions=[s1, s2])
    assert set(item.suggestions.values_list("pk", flat=True)) == {s1.pk, s2.pk}
    with pytest.raises(ValidationError):  # a suggestion joins one consensus item only
        services.merge_suggestions(by=by, unit=tree.unit, title="再合并", suggestions=[s1])
    project = services.create_project(by=by, unit=tree.unit, title="雨污分流", category="basic", owner="街道",
                                      budget_fen=120_000_00, consensus_items=[item], place=tree.building1)
    item.refresh_from_db()
    assert item.project == project and project.community_id == tree.community_a.pk
    actions = list(AuditEvent.objects.filter(unit_id=tree.unit.pk).values_list("action", flat=True))
    assert actions.count("projects.suggestion.add") == 2
    assert "projects.consensus.merge" in actions and "projects.project.create" in actions


def test_bad_project_input_changes_nothing(tree, who):
    with pytest.raises(ValidationError) as exc:
        services.create_project(by=actor(who.staff), unit=tree.unit, title="", category="x", owner="",
                                budget_fen=-1, place=tree.building_b)
    assert set(exc.value.error_dict) == {"title", "category", "owner", "budget_fen", "place"}
    assert not Project.objects.exists()


def test_outsiders_and_residents_cannot_manage(tree, who):
    for user in (who.outsider, who.resident, who.planner):
        with pytest.raises(PermissionDenied):
            services.add_suggestion(by=actor(user), unit=tree.unit, source="other", text="x")
    assert not Suggestion.objects.exists()
    assert not ConsensusItem.objects.exists()


def test_rectification_list_is_closed_item_by_item(tree, who):
    by = actor(who.staff)
    project = services.create_project(by=by, unit=tree.unit, title="道路", category="basic", owner="街道")
    item = services.add_rectification(by=by, project=project, text="补坑")
    services.complete_rectification(by=by, item=item)
    with pytest.raises(ValidationError):
        services.complete_rectification(by=by, item=item)


def test_resident_answers_online_once(tree, who):
    s, (q1, q2, q3, q4) = survey(tree, who)
    r = services.submit_response(by=actor(who.resident), survey=s,
                                 answers={q1.pk: [4], q2.pk: [0, 2], q3.pk: {0: 3, 1: 1}, q4.pk: "加装路灯"})
    assert r.channel == "online" and r.person == tree.person1 and r.dwelling == tree.dwelling1
    assert r.age_band == "65plus" and r.tenure == "owner" and r.building == tree.building1
    assert r.answers.count() == 5  # two matrix rows
    with pytest.raises(ValidationError):
        services.submit_response(by=actor(who.resident), survey=s, answers={q1.pk: [3]})
    event = AuditEvent.objects.get(action="projects.survey.answer")
    assert event.on_behalf_of is None and event.channel == "online"


def test_household_survey_takes_one_answer_per_home(tree, who):
    s, (q1, *_rest) = survey(tree, who, per="household")
    services.submit_response(by=actor(who.resident), survey=s, answers={q1.pk: [4]})
    with pytest.raises(ValidationError):  # the tenant lives in the same dwelling
        services.submit_response(by=actor(who.tenant), survey=s, answers={q1.pk: [1]})
    assert Response.objects.count() == 1


def test_malformed_answers_are_refused(tree, who):
    s, (q1, q2, q3, _q4) = survey(tree, who)
    for bad in ({q1.pk: [7]}, {q1.pk: [1, 2]}, {q2.pk: [9]}, {q3.pk: {5: 1}}, {q3.pk: [1]}, {}):
        with pytest.raises(ValidationError):
            services.submit_response(by=actor(who.resident), survey=s, answers=bad)
    assert not Response.objects.exists()


def test_only_residents_of_the_unit_answer_online(tree, who):
    s, (q1, *_rest) = survey(tree, who)
    with pytest.raises(PermissionDenied):
        services.submit_response(by=actor(who.stranger), survey=s, answers={q1.pk: [4]})
    draft, (d1, *_r) = survey(tree, who, open_=False)
    with pytest.raises(ValidationError):
        services.submit_response(by=actor(who.resident), survey=draft, answers={d1.pk: [4]})


def test_paper_entry_is_audited_on_behalf(tree, who):
    s, (q1, *_rest) = survey(tree, who)
    r = services.submit_response(by=actor(who.grid), survey=s, answers={q1.pk: [2]}, channel="interview",
                                 person=tree.person2)
    assert r.entered_by == who.grid and r.tenure == "tenant" and r.residence_status == "floating"
    event = AuditEvent.objects.get(action="projects.survey.answer")
    assert event.actor == who.grid and event.on_behalf_of == tree.person2 and event.channel == "offline"
    with pytest.raises(PermissionDenied):  # a resident cannot key in for someone else
        services.submit_response(by=actor(who.resident), survey=s, answers={q1.pk: [2]}, channel="paper",
                                 person=tree.person2)
    with pytest.raises(ValidationError):  # someone outside the unit
        services.submit_response(by=actor(who.grid), survey=s, answers={q1.pk: [2]}, channel="paper",
                                 person=tree.person4)


def test_questions_are_checked(tree, who):
    s, _q = survey(tree, who, open_=False)
    by = actor(who.staff)
    with pytest.raises(ValidationError):
        services.add_question(by=by, survey=s, kind="single", text="只有一个选项", options=["是"])
    with pytest.raises(ValidationError):
        services.add_question(by=by, survey=s, kind="scale", text="三点量表", options=["低", "中", "高"])
    with pytest.raises(ValidationError):
        services.add_question(by=by, survey=s, kind="matrix", text="没有行")
    s = services.set_state(by=by, survey=s, state="open")
    with pytest.raises(ValidationError):  # no new questions once residents are answering
        services.add_question(by=by, survey=s, kind="text", text="晚来的问题")


def test_consent_online_only_for_own_household(tree, who):
    c = services.create_campaign(by=actor(who.staff), unit=tree.unit, title="意愿征询", target_percent=90)
    services.record_consent(by=actor(who.resident), campaign=c, dwelling=tree.dwelling1, answer="yes",
                            channel="online")
    with pytest.raises(PermissionDenied):
        services.record_consent(by=actor(who.resident), campaign=c, dwelling=tree.dwelling2, answer="yes",
                                channel="online")
    # The household changes its mind: one row, the audit keeps the previous answer.
    services.record_consent(by=actor(who.grid), campaign=c, dwelling=tree.dwelling1, answer="no", channel="door",
                            helper="楼栋长老周", person=tree.person1)
    consent = Consent.objects.get()
    assert (consent.answer, consent.channel, consent.helper) == ("no", "door", "楼栋长老周")
    last = AuditEvent.objects.filter(action="projects.consent.record").order_by("-pk").first()
    assert last.changes["answer"] == ["yes", "no"] and last.on_behalf_of == tree.person1
    with pytest.raises(ValidationError):  # a household outside the unit
        services.record_consent(by=actor(who.grid), campaign=c, dwelling=tree.dwelling_g2, answer="yes",
                                channel="door")
    with pytest.raises(ValidationError):
        services.create_campaign(by=actor(who.staff), unit=tree.unit, title="x", target_percent=0)


def test_plan_opinions_dispositions_and_approval(tree, who):
    staff = actor(who.staff)
    project = services.create_project(by=staff, unit=tree.unit, title="排水", category="basic", owner="街道")
    plan = services.add_plan(by=staff, project=project, title="方案一", summary="雨污分流")
    with pytest.raises(ValidationError):  # not published yet
        services.give_opinion(by=actor(who.resident), plan=plan, text="好")
    plan = services.publish_plan(by=staff, plan=plan)
    op = services.give_opinion(by=actor(who.resident), plan=plan, text="请加大管径")
    with pytest.raises(PermissionDenied):
        services.give_opinion(by=actor(who.stranger), plan=plan, text="外人意见")
    with pytest.raises(ValidationError):  # the opinion has no disposition yet
        services.approve_plan(by=actor(who.committee), plan=plan)
    with pytest.raises(PermissionDenied):  # staff are not the expert panel
        services.dispose_opinion(by=staff, opinion=op, disposition="adopted")
    with pytest.raises(ValidationError):  # not adopted needs a reason
        services.dispose_opinion(by=actor(who.planner), opinion=op, disposition="not_adopted")
    services.dispose_opinion(by=actor(who.planner), opinion=op, disposition="partly", reason="主管加大")
    with pytest.raises(PermissionDenied):  # the expert panel does not approve
        services.approve_plan(by=actor(who.planner), plan=plan)
    plan = services.approve_plan(by=actor(who.committee), plan=plan)
    assert plan.state == "approved" and plan.approved_by == who.committee
    assert Opinion.objects.get().disposition == "partly"


def test_superuser_holds_no_office(tree, who):
    from courtyard.org.tests.factories import make_superuser

    staff = actor(who.staff)
    project = services.create_project(by=staff, unit=tree.unit, title="排水", category="basic", owner="街道")
    plan = services.publish_plan(by=staff, plan=services.add_plan(by=staff, project=project, title="方案",
                                                                  summary="x"))
    with pytest.raises(PermissionDenied):
        services.approve_plan(by=actor(make_superuser()), plan=plan)
