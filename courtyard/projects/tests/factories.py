"""Projects test helpers on top of the org `tree` fixture."""

from __future__ import annotations

from types import SimpleNamespace

from courtyard.core.audit import Actor
from courtyard.org.tests import factories as org

from .. import services


def actor(user) -> Actor:
    return Actor(user=user)


def people(tree) -> SimpleNamespace:
    """Staff, collectors, the expert panel, the leading group and two residents of the tree's unit."""
    ns = SimpleNamespace(
        staff=org.make_user("community_staff", tree.community_a, display_name="社工"),
        grid=org.make_user("grid_worker", tree.grid1, display_name="网格员"),
        planner=org.make_user("planner", tree.unit, display_name="规划师"),
        committee=org.make_user("committee_member", tree.unit, display_name="院委会委员"),
        outsider=org.make_user("community_staff", tree.community_b, display_name="外社区社工"),
        resident=org.make_user(person=tree.person1, display_name="王秀英"),
        tenant=org.make_user(person=tree.person2, display_name="李强"),
        stranger=org.make_user(person=tree.person3, display_name="张建国"),  # lives outside the unit
    )
    return ns


def survey(tree, who, *, per="resident", open_=True):
    s = services.create_survey(by=actor(who.staff), unit=tree.unit, title="需求问卷", per=per)
    q1 = services.add_question(by=actor(who.staff), survey=s, kind="scale", text="排水改造迫切吗？",
                               options=["很不迫切", "不太迫切", "一般", "比较迫切", "非常迫切"])
    q2 = services.add_question(by=actor(who.staff), survey=s, kind="multiple", text="想要什么？",
                               options=["座椅", "绿化", "步道"])
    q3 = services.add_question(by=actor(who.staff), survey=s, kind="matrix", text="满意度", rows=["照明", "排水"])
    q4 = services.add_question(by=actor(who.staff), survey=s, kind="text", text="其他建议")
    if open_:
        s = services.set_state(by=actor(who.staff), survey=s, state="open")
    return s, (q1, q2, q3, q4)


def api_rows(tree) -> SimpleNamespace:
    """One row of every projects API list (for the API fuzz test in courtyard/web/tests)."""
    who = SimpleNamespace(
        staff=org.make_user("community_staff", tree.community_a, display_name="社工"),
        supervisor=org.make_user("works_supervisor", tree.unit, display_name="监理"),
        contractor=org.make_user("contractor", tree.unit, display_name="施工方"),
    )
    # A resident of their own (tree.person1 may already have a login from another app's rows).
    home = tree.dwellings_unit[1]
    who.resident = org.make_user(person=org.person(tree.community_a, "赵桂芳", home=home), display_name="赵桂芳")
    by = actor(who.staff)
    who.project = services.create_project(by=by, unit=tree.unit, title="雨污分流", category="basic", owner="街道")
    who.survey, (q1, *_rest) = survey(tree, who)
    services.submit_response(by=actor(who.resident), survey=who.survey, answers={q1.pk: [3]})
    who.campaign = services.create_campaign(by=by, unit=tree.unit, title="意愿征询", target_percent=90,
                                            project=who.project)
    services.record_consent(by=actor(who.resident), campaign=who.campaign, dwelling=home, answer="yes",
                            channel="online")
    who.inspection = services.record_inspection(by=actor(who.supervisor), project=who.project, kind="concealed",
                                                findings="管沟坡度合格")
    who.acceptance = services.record_acceptance(by=actor(who.contractor), project=who.project, stage="self_check",
                                                passed=True)
    who.facility = services.create_facility(by=by, unit=tree.unit, name="庭院灯", kind="lights", owner="院委会",
                                            place=tree.entrance1, maintenance_every_days=30, project=who.project)
    return who
