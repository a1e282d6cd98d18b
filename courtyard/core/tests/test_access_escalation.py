"""The grant rule admits no escalation path (generated from the role registry, issue 8 item 2).

For every role, on every scope kind it may be granted on, a coalition of its holder and a
helper who holds nothing grants and re-grants every role on every node of an abstract tree
until nothing new can be granted (a fixpoint). Whatever the coalition ends up with must lie
inside the first holder's scope and carry no permission the first holder did not have there;
nobody is ever granted anything by themselves; district-level grants come only from a platform
administrator on the district. The tree and the expectations are written here from the
registry, not read from the code under test.
"""

from __future__ import annotations

import itertools

import pytest

from courtyard.core.access import ROLES, UNIT, GrantScope, Target, covers, grant_refusal

# An abstract tree: one chain from the district down to a building, a unit in the community,
# and nodes outside every chain (another district, a sibling community, another unit).
NODES = {
    "district": Target("district", "1."),
    "subdistrict": Target("subdistrict", "1.2."),
    "community": Target("community", "1.2.3."),
    "grid": Target("grid", "1.2.3.4."),
    "microgrid": Target("microgrid", "1.2.3.4.5."),
    "building": Target("building", "1.2.3.4.5.6."),
    "unit": Target(UNIT, "1.2.3.", 7),
    "other_district": Target("district", "9."),
    "other_subdistrict": Target("subdistrict", "1.20."),
    "sibling_community": Target("community", "1.2.30."),
    "sibling_grid": Target("grid", "1.2.30.4."),
    "other_unit": Target(UNIT, "1.2.30.", 70),
    "unit_next_door": Target(UNIT, "1.2.3.", 71),  # another unit of the same community
}
TOP = "district"


def scope_of(target: Target, role: str) -> GrantScope:
    return GrantScope(role, target.path, target.unit_id if target.kind == UNIT else None, target.kind)


def perms_at(grants: list[GrantScope], target: Target) -> frozenset[str]:
    unit = target.unit_id if target.kind == UNIT else None
    out: set[str] = set()
    for g in grants:
        if covers(g, target.path, unit, unitless=False):
            out |= ROLES[g.role].perms
    return frozenset(out)


def inside(first: GrantScope, target: Target) -> bool:
    """Written from the tree's shape: a place grant reaches its subtree (units of communities in it
    included); a unit grant reaches only that unit."""
    if first.unit_id is not None:
        return target.kind == UNIT and target.unit_id == first.unit_id
    return target.path.startswith(first.path)


SEEDS = [(code, node) for code, role in sorted(ROLES.items()) for node, t in NODES.items()
         if t.kind in role.scopes and not node.startswith(("other", "sibling", "unit_next"))]


def closure(first: GrantScope) -> tuple[dict[str, set[GrantScope]], list[tuple]]:
    """Everything two colluding users (A holds `first`, B nothing) can grant each other."""
    held: dict[str, set[GrantScope]] = {"A": {first}, "B": set()}
    log: list[tuple] = []
    changed = True
    while changed:
        changed = False
        for granter, grantee in (("A", "B"), ("B", "A"), ("A", "A"), ("B", "B")):
            for code, role in ROLES.items():
                for target in NODES.values():
                    if target.kind not in role.scopes:
                        continue
                    new = scope_of(target, code)
                    if new in held[grantee]:
                        continue
                    refusal = grant_refusal(granter_grants=list(held[granter]), granter_id=hash(granter),
                                            grantee_id=hash(grantee), role=code, target=target)
                    if refusal is None:
                        log.append((granter, grantee, code, target))
                        held[grantee].add(new)
                        changed = True
    return held, log


@pytest.mark.parametrize(("role", "node"), SEEDS, ids=[f"{r}@{n}" for r, n in SEEDS])
def test_no_escalation_path(role, node):
    first = scope_of(NODES[node], role)
    held, log = closure(first)
    assert all(granter != grantee for granter, grantee, *_ in log), "a grant to oneself was accepted"
    for who in ("A", "B"):
        for g in held[who]:
            target = next(t for t in NODES.values() if scope_of(t, g.role) == g)
            assert inside(first, target), f"{who} got {g.role} outside the first grant's scope: {target}"
            assert ROLES[g.role].perms <= perms_at([first], target), (
                f"{who} got {g.role} at {target} carrying {sorted(ROLES[g.role].perms - perms_at([first], target))}")
    for granter, _grantee, code, target in log:
        if ROLES[code].top_level or target.kind == TOP:
            assert ROLES[role].administers and NODES[node].kind == TOP, (code, target)
        del granter


@pytest.mark.parametrize("role", sorted(ROLES))
def test_nobody_grants_anything_to_themselves(role):
    for node, target in NODES.items():
        for code in ROLES:
            refusal = grant_refusal(granter_grants=[scope_of(target, role)], granter_id=1, grantee_id=1, role=code,
                                    target=target)
            assert refusal is not None, (role, node, code)


@pytest.mark.parametrize(("granter", "grantee"), list(itertools.product(sorted(ROLES), sorted(ROLES))))
def test_grant_rule_matches_the_subset_rule(granter, grantee):
    """Hand-derived expectation for one granter on its own node and another user: allowed exactly when
    the granter may manage roles, the role's permissions are a subset of the granter's, the kind
    fits, and district-level grants come from a platform administrator on the district."""
    g_role, r_role = ROLES[granter], ROLES[grantee]
    for node in [n for n, t in NODES.items() if t.kind in g_role.scopes and not n.startswith(("other", "sibling"))]:
        target = NODES[node]
        mine = scope_of(target, granter)
        expected = ("org.manage_roles" in g_role.perms and r_role.perms <= g_role.perms
                    and target.kind in r_role.scopes
                    and (not (r_role.top_level or target.kind == TOP) or (g_role.administers and target.kind == TOP)))
        got = grant_refusal(granter_grants=[mine], granter_id=1, grantee_id=2, role=grantee, target=target) is None
        assert got == expected, (granter, node, grantee)


def test_the_attacks_of_issue_8_are_refused():
    secretary = GrantScope("party_secretary", "1.2.3.", None, "community")
    staff = GrantScope("community_staff", "1.2.3.", None, "community")
    for code, target in (("finance_officer", NODES["community"]), ("committee_member", NODES["unit"])):
        assert grant_refusal(granter_grants=[secretary], granter_id=1, grantee_id=1, role=code, target=target)
        # not even to an accomplice: the role carries permissions the secretary does not hold
        assert grant_refusal(granter_grants=[secretary], granter_id=1, grantee_id=2, role=code, target=target)
    assert grant_refusal(granter_grants=[staff], granter_id=1, grantee_id=2, role="platform_admin",
                         target=NODES["community"]) == "scope_kind"
    assert grant_refusal(granter_grants=[staff], granter_id=1, grantee_id=2, role="platform_admin",
                         target=NODES["district"]) == "top_level"
    admin = GrantScope("platform_admin", "1.", None, "district")
    assert grant_refusal(granter_grants=[admin], granter_id=1, grantee_id=2, role="platform_admin",
                         target=NODES["district"]) is None
    assert grant_refusal(granter_grants=[admin], granter_id=1, grantee_id=2, role="platform_admin",
                         target=NODES["other_district"]) == "top_level"
    assert grant_refusal(granter_grants=[admin], granter_id=1, grantee_id=1, role="finance_officer",
                         target=NODES["community"]) == "self"
