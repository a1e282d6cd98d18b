"""Configuration data every install starts with: the category tree the seeds name, the 2026
holiday / make-up-day calendar (国务院办公厅 notice for 2026), and SLA policies matching the
seeds' promises (24-hour response, emergencies at once, repairs on site within 48 h).
Idempotent: run by a data migration and safe to run again."""

from __future__ import annotations

import datetime as dt

# (code, name, team, [(code, name, kind)])
CATEGORIES = [
    ("water", "供水", "物业维修", [("water-leak", "漏水/爆管", "repair"), ("water-outage", "停水/水压低", "repair")]),
    ("power", "用电", "物业维修", [("power-outage", "停电/跳闸", "repair"), ("power-wiring", "线路老化/飞线", "hazard")]),
    ("drainage", "排水", "物业维修", [("drain-blocked", "下水道堵塞", "repair"), ("drain-flooding", "雨水积水", "repair")]),
    ("fire", "消防安全", "安全巡查", [("fire-equipment", "消防设施损坏", "hazard"),
                                  ("fire-passage", "消防通道堵塞", "hazard")]),
    ("lighting", "照明", "物业维修", [("light-street", "路灯/楼道灯不亮", "repair")]),
    ("paths", "道路", "物业维修", [("path-damage", "路面破损", "repair"), ("path-barrier", "无障碍设施", "suggestion")]),
    ("rubbish", "垃圾清运", "环卫", [("rubbish-overflow", "垃圾未清运", "complaint"),
                                   ("rubbish-sorting", "垃圾分类", "consultation")]),
    ("cleaning", "清洁卫生", "环卫", [("clean-stairs", "楼道卫生", "complaint"), ("clean-common", "公共区域卫生", "complaint")]),
    ("parking", "停车与电动车", "院委会", [("park-disorder", "乱停乱放", "complaint"),
                                      ("ebike-indoor", "电动车入户/楼道停放", "hazard")]),
    ("charging", "充电设施", "合作商户", [("charge-broken", "充电桩故障", "repair")]),
    ("greenery", "绿化", "环卫", [("green-trim", "树木修剪", "repair"), ("green-damage", "绿地破坏", "complaint")]),
    ("noise", "噪音", "院委会", [("noise-neighbour", "邻里噪音", "complaint"), ("noise-business", "商户噪音", "complaint")]),
    ("neighbours", "邻里关系", "院委会", [("neigh-dispute", "邻里纠纷", "dispute"), ("neigh-leak", "楼上漏水到楼下", "dispute")]),
    ("building", "房屋与公共设施", "物业维修", [("bld-roof", "屋面渗漏", "repair"), ("bld-door", "单元门/门禁", "repair"),
                                        ("bld-lift", "电梯", "repair")]),
    ("services", "社区服务", "社区", [("svc-elderly", "助老服务", "service_order"), ("svc-consult", "政策咨询", "consultation"),
                                  ("svc-suggest", "意见建议", "suggestion")]),
]

# 2026 public holidays (False) and make-up working days on weekends (True).
_H = [
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"), ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
_W = [("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"), ("2026-05-09", "劳动节调休"),
      ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休")]


def calendar_2026() -> list[tuple[dt.date, bool, str]]:
    out = []
    for start, end, name in _H:
        day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        while day <= last:
            out.append((day, False, name))
            day += dt.timedelta(days=1)
    out += [(dt.date.fromisoformat(d), True, name) for d, name in _W]
    return sorted(out)


# (category code or None, urgency, unit, accept, onsite, resolve)
POLICIES = [
    (None, "normal", "hours", 24, 48, 120),
    (None, "urgent", "hours", 4, 24, 72),
    (None, "emergency", "hours", 1, 2, 24),
    ("services", "normal", "workdays", 1, 3, 5),
    ("neighbours", "normal", "workdays", 1, 2, 10),
]


def seed(apps=None) -> None:
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Category = apps.get_model("servicedesk", "Category")
    CalendarDay = apps.get_model("servicedesk", "CalendarDay")
    SlaPolicy = apps.get_model("servicedesk", "SlaPolicy")
    for i, (code, name, team, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "team": team, "sort": i})
        for j, (ccode, cname, kind) in enumerate(children):
            Category.objects.get_or_create(code=ccode, defaults={"name": cname, "parent": parent, "team": team,
                                                                 "default_kind": kind, "sort": j})
    for day, workday, name in calendar_2026():
        CalendarDay.objects.get_or_create(date=day, defaults={"is_workday": workday, "name": name})
    for code, urgency, unit, a, o, r in POLICIES:
        category = Category.objects.get(code=code) if code else None
        SlaPolicy.objects.get_or_create(category=category, urgency=urgency, defaults={
            "unit": unit, "accept_within": a, "onsite_within": o, "resolve_within": r})
