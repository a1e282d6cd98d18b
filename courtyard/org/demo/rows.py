"""The id allocator, the batch of unsaved rows and small helpers shared by the demo plan modules."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from courtyard.org import models as m
from courtyard.org.choices import PlaceKind
from courtyard.org.services import place_tree_fields

TODAY = dt.date(2026, 11, 21)
YEAR = TODAY.year
CN_NUM = "一二三四五六七八九十"
LOAD_ORDER = (
    m.Place, m.SelfGovernanceUnit, m.ResidentGroup, m.Courtyard, m.Dwelling, m.DwellingArea, m.Person, m.Tag,
    m.DwellingLink, m.SensitiveRecord, m.PartnerUnit, m.CoBuildingItem, m.PartyOrg, m.PartyMember,
    m.ResponsibilityZone, m.GovernanceBody, m.BodyMembership,
)



def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    tens, ones = divmod(n, 10)
    return CN_NUM[tens - 1] + "十" + (CN_NUM[ones - 1] if ones else "")



class Ids:
    """Hands out primary keys per model; this one just counts (no database)."""

    def __init__(self) -> None:
        self.counters: dict[type, int] = defaultdict(int)

    def next(self, model: type) -> int:
        self.counters[model] += 1
        return self.counters[model]


class Batch:
    """The rows of one community (plus the district/subdistrict nodes it creates first)."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.rows: dict[type, list] = defaultdict(list)
        self.community: m.Place | None = None
        self.info: dict = {}

    def new(self, model: type, **fields):
        obj = model(**fields)
        obj.pk = self.ids.next(model)
        self.rows[model].append(obj)
        return obj

    def place(self, kind: str, name: str, parent: m.Place | None, **extra) -> m.Place:
        derived = place_tree_fields(parent, kind)
        obj = self.new(m.Place, kind=kind, name=name, parent=parent, **derived, **extra)
        obj.path = f"{parent.path if parent else ''}{obj.pk}."
        if kind == PlaceKind.COMMUNITY:
            obj.community = obj
        return obj

    def counts(self) -> dict[str, int]:
        return {model.__name__: len(self.rows[model]) for model in LOAD_ORDER if self.rows[model]}



def _weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]



def _split(total: int, parts: int, rng: random.Random, jitter: float = 0.3) -> list[int]:
    weights = [1 + rng.uniform(-jitter, jitter) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(parts), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out



def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.UTC)

