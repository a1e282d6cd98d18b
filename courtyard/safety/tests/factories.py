"""Safety test helpers on top of the org `tree` fixture."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from courtyard.core.audit import Actor
from courtyard.org import services as org_services
from courtyard.org.tests.factories import make_user
from courtyard.safety import services
from courtyard.safety.models import PatrolTask

PATROL_DAY = dt.date(2026, 9, 28)


def api_rows(tree) -> SimpleNamespace:
    """One row of every safety API list (for the API fuzz test in courtyard/web/tests): a hazard, a patrol
    task, an incident and an escalation to a department, all in community A."""
    w = SimpleNamespace(tree=tree)
    w.staff = make_user("community_staff", tree.community_a)
    w.worker = make_user("grid_worker", tree.grid1)
    by = Actor(user=w.staff)
    w.hazard = services.report_hazard(by=by, place=tree.building1, title="井盖缺失", grade="red", source="inspection")
    point = services.save_point(by=by, place=tree.building1, name="1栋消防通道",
                                checklist_text="消防通道畅通\n灭火器压力 [正常/偏低!/失效!]")
    route = services.save_route(by=by, grid=tree.grid1, name="第一网格日巡", points=[point])
    w.plan = services.save_plan(by=by, route=route, frequency="daily", first_start=dt.time(8),
                                first_end=dt.time(10), workers=[w.worker], starts=dt.date(2026, 1, 1))
    services.generate_tasks(PATROL_DAY)
    w.task = PatrolTask.objects.get(plan=w.plan, day=PATROL_DAY)
    w.incident = services.report_incident(by=Actor(user=w.worker), place=tree.building1, kind="gas",
                                          title="闻到燃气味")
    department = org_services.create_partner(by=Actor.system(), community=tree.community_a, kind="department",
                                             name="城管科")
    w.whistle = services.blow_whistle(by=by, place=tree.building1, department=department, subject="占道经营",
                                      hazard=w.hazard)
    return w
