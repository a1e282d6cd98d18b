from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.core.audit import Actor
from courtyard.safety import services


def photo(name="p.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


CHECKLIST = "消防通道畅通\n灭火器压力 [正常/偏低!/失效!]\n其他情况…"


@pytest.fixture
def sf(tree, make_user):
    """The org `tree` plus safety people: staff, grid workers, a resident, a volunteer."""
    from courtyard.org.models import RoleGrant

    t = tree
    ns = SimpleNamespace(
        t=t, staff=make_user("community_staff", t.community_a), staff_b=make_user("community_staff", t.community_b),
        worker=make_user("grid_worker", t.grid1), worker2=make_user("grid_worker", t.grid1),
        grid2_worker=make_user("grid_worker", t.grid2), mg_worker=make_user("microgrid_worker", t.microgrid1),
        resident=make_user(person=t.person1), neighbour=make_user(person=t.person2),
        volunteer=make_user("volunteer", t.unit), committee=make_user("committee_member", t.unit),
        subdistrict=make_user("subdistrict_officer", t.subdistrict),
    )
    RoleGrant.objects.update(start_date=dt.date(2026, 1, 1))
    return ns


@pytest.fixture
def route(sf):
    """Two points in grid 1 on one route, a twice-daily plan worked by `worker`."""
    by = Actor(user=sf.staff)
    p1 = services.save_point(by=by, place=sf.t.building1, name="1栋消防通道", checklist_text=CHECKLIST)
    p2 = services.save_point(by=by, place=sf.t.building2, name="2栋配电箱", checklist_text="配电箱关闭\n线路老化 [无/有!]")
    r = services.save_route(by=by, grid=sf.t.grid1, name="第一网格日巡", points=[p1, p2])
    plan = services.save_plan(by=by, route=r, frequency="twice_daily", first_start=dt.time(8), first_end=dt.time(10),
                              second_start=dt.time(16), second_end=dt.time(18), workers=[sf.worker],
                              starts=dt.date(2026, 1, 1))
    return SimpleNamespace(p1=p1, p2=p2, route=r, plan=plan)


OK1 = {"q1": "ok", "q2": "正常", "q3": ""}
OK2 = {"q1": "ok", "q2": "无"}
