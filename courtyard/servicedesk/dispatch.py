"""Smart dispatch (智能派单): a pure scoring function. Each candidate — a worker, a vendor under a
framework agreement, or a department — gets points for where it works, what it is responsible
for, its contract terms and how much open work it has; every point comes with a reason the
dispatcher sees. `rank` orders candidates by score, then by lower load, then by key, so the
order never depends on the order candidates were given in."""

from __future__ import annotations

from dataclasses import dataclass

# Points. Location outweighs category: the building's own micro-grid worker knows the place.
LOCATION_BUILDING = 40  # micro-grid worker of the building, owner of the facility
LOCATION_GRID = 15  # works in the same grid
CATEGORY = 30  # responsible team, contracted vendor, or department for the category
CONTRACT = 20  # framework agreement in force covering the category
CONTRACT_FAST = 10  # the agreement promises to be on site within the time this request needs
LOAD_STEP = 3  # per open work order
LOAD_CAP = 30
AT_CAPACITY = 50  # open work orders reached the agreement's maximum


@dataclass(frozen=True)
class Candidate:
    key: str  # "user:12" or "partner:3"
    label: str
    kind: str  # "worker", "vendor", "department"
    location: int = 0  # 0 unrelated, 1 same grid, 2 the building's micro-grid worker / facility owner
    category: bool = False
    contract: bool = False
    contract_onsite_hours: int | None = None
    open_load: int = 0
    capacity: int | None = None


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: int
    reasons: tuple[tuple[str, int], ...]  # (reason code, points)


def score(c: Candidate, *, needed_onsite_hours: int | None = None) -> Scored:
    reasons: list[tuple[str, int]] = []
    if c.location >= 2:
        reasons.append(("location_building", LOCATION_BUILDING))
    elif c.location == 1:
        reasons.append(("location_grid", LOCATION_GRID))
    if c.category:
        reasons.append(("category", CATEGORY))
    if c.contract:
        reasons.append(("contract", CONTRACT))
        if (needed_onsite_hours is not None and c.contract_onsite_hours is not None
                and c.contract_onsite_hours <= needed_onsite_hours):
            reasons.append(("contract_fast", CONTRACT_FAST))
    load = max(0, c.open_load)
    if load:
        reasons.append(("load", -min(LOAD_CAP, LOAD_STEP * load)))
    if c.capacity is not None and load >= c.capacity:
        reasons.append(("capacity", -AT_CAPACITY))
    return Scored(c, sum(p for _, p in reasons), tuple(reasons))


def rank(candidates, *, needed_onsite_hours: int | None = None) -> list[Scored]:
    scored = [score(c, needed_onsite_hours=needed_onsite_hours) for c in candidates]
    return sorted(scored, key=lambda s: (-s.score, s.candidate.open_load, s.candidate.key))
