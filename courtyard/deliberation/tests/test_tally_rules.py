"""One rule builder for the app and `manage.py tally` (issue 8 item 8, item 9).

A vote exported from the app re-tallies to the app's verdict for every electorate, every rule (custom
fractions and 过半数-style strictness included), with and without non-voters following the majority,
for yes/no and option votes. And the app's own tally path counts the developer's unsold dwellings as
one owner, and non-voters do not follow a majority of exactly half.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation import tally as t
from courtyard.deliberation.models import Ballot, Elector
from courtyard.deliberation.tally_io import TallyInputError, run_contract
from courtyard.org import services as org_services
from courtyard.org.choices import BodyKind, PersonTag
from courtyard.org.models import BodyMembership, GovernanceBody, Tag
from courtyard.org.tests import factories as f

RULES = [
    ("art278_major", {}),
    ("art278_ordinary", {}),
    ("simple_majority", {}),
    ("custom", {"custom_participation": "1/2", "custom_approval": "1/2", "custom_approval_strict": True}),
    ("custom", {"custom_participation": "1/2", "custom_approval": "1/2", "custom_approval_strict": False}),
    ("custom", {"custom_participation": "0", "custom_approval": "3/5"}),
    ("custom", {"custom_participation": "2/3", "custom_approval": "2/3", "custom_approval_strict": True}),
    ("custom", {"custom_participation": "0.25", "custom_approval": "1"}),
]
ELECTORATES = ["owners", "households", "adults", "representatives", "committee"]


def _everyone(world):
    """Give the unit's people a representative tag and committee seats, so every electorate has voters."""
    people = [world.t.person1, world.co, world.buyer]
    body = GovernanceBody.objects.create(unit=world.t.unit, kind=BodyKind.COMMITTEE, name="院委会")
    for p in people:
        Tag.objects.get_or_create(person=p, code=PersonTag.REPRESENTATIVE)
        BodyMembership.objects.create(body=body, person=p)
    extra = f.person(world.t.community_a, "周extra", home=world.d[1], relation="tenant")
    Tag.objects.create(person=extra, code=PersonTag.REPRESENTATIVE)
    BodyMembership.objects.create(body=body, person=extra)


def _vote(world, *, electorate, rule, extra, choice_kind="yes_no", follow=False):
    now = timezone.now()
    options = ["甲方案", "乙方案", "丙方案"] if choice_kind != "yes_no" else []
    v = services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="表决", rule=rule,
                             electorate=electorate, choice_kind=choice_kind, options=options,
                             max_choices=2 if choice_kind == "multiple" else 1, follow_majority=follow,
                             opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7), **extra)
    return services.open_vote(by=Actor(user=world.staff), vote=v)


def _ballots(vote, rng: random.Random) -> None:
    """Ballots straight into the table the app counts from (the cast path is tested elsewhere)."""
    for e in Elector.objects.filter(vote=vote).order_by("key"):
        pick = rng.random()
        if pick < 0.25:
            continue
        if vote.choice_kind == "yes_no":
            choice = rng.choice(["yes", "yes", "no", "abstain"])
        else:
            choice = rng.sample(vote.options, rng.randint(1, vote.max_choices))
        Ballot.objects.create(vote=vote, voter_key=e.key, choice=choice, channel="online")


def _app_verdict(vote) -> dict:
    stored = services.result_json(vote, services.compute(vote))
    return {k: v for k, v in stored.items() if k not in ("kind", "rule")}


@pytest.mark.parametrize("electorate", ELECTORATES)
@pytest.mark.parametrize("rule, extra", RULES, ids=[f"{r}-{i}" for i, (r, _e) in enumerate(RULES)])
def test_export_retallies_to_the_app_verdict(world, electorate, rule, extra):
    _everyone(world)
    if rule.startswith("art278") and electorate != "owners":
        with pytest.raises(ValidationError):
            _vote(world, electorate=electorate, rule=rule, extra=extra)
        with pytest.raises(ValueError, match="owners"):
            t.build_rule(rule, electorate=electorate)
        return
    rng = random.Random(f"{electorate}/{rule}/{sorted(extra.items())}")  # noqa: S311 - test data
    kinds = [("yes_no", False), ("yes_no", True), ("single", False), ("multiple", False)]
    for choice_kind, follow in kinds:
        vote = _vote(world, electorate=electorate, rule=rule, extra=extra, choice_kind=choice_kind, follow=follow)
        _ballots(vote, rng)
        for _round in range(3):  # several ballot patterns on the same vote: more and more ballots
            exported = services.export_contract(vote)
            assert exported["electorate"] == electorate and exported["rule"] == rule
            assert run_contract(json.dumps(exported, ensure_ascii=False)) == _app_verdict(vote)
            missing = Elector.objects.filter(vote=vote).exclude(
                key__in=Ballot.objects.filter(vote=vote).values("voter_key")).first()
            if missing is None:
                break
            choice = "yes" if choice_kind == "yes_no" else [vote.options[0]]
            Ballot.objects.create(vote=vote, voter_key=missing.key, choice=choice, channel="online")


def test_households_simple_majority_disagreed_before(world):
    """The case of the issue: a households vote (heads only) under a non-Civil-Code rule."""
    vote = _vote(world, electorate="households", rule="simple_majority", extra={})
    for e in Elector.objects.filter(vote=vote):
        Ballot.objects.create(vote=vote, voter_key=e.key, choice="yes", channel="online")
    app = _app_verdict(vote)
    assert app["passed"] is True
    assert run_contract(json.dumps(services.export_contract(vote))) == app


def test_custom_strict_and_inclusive_differ_at_the_bound(world):
    """Exactly half approve: passes under ≥ 1/2, fails under > 1/2 — in the app and in the command."""
    verdicts = []
    for strict in (False, True):
        vote = _vote(world, electorate="households", rule="custom",
                     extra={"custom_participation": "0", "custom_approval": "1/2", "custom_approval_strict": strict})
        for e, choice in zip(Elector.objects.filter(vote=vote).order_by("key"), ["yes", "yes", "no", "no"],
                             strict=True):
            Ballot.objects.create(vote=vote, voter_key=e.key, choice=choice, channel="online")
        app = _app_verdict(vote)
        assert run_contract(json.dumps(services.export_contract(vote))) == app
        verdicts.append(app["passed"])
    assert verdicts == [True, False]


def test_app_counts_the_developers_unsold_dwellings_as_one_owner(world):
    """Two unsold dwellings: one key, one head, all their area — via open_vote → ballots → compute."""
    org_services.update_dwelling(by=Actor.system(), dwelling=world.d[2], developer_unsold=True)
    vote = _vote(world, electorate="owners", rule="art278_ordinary", extra={})
    keys = dict(Elector.objects.filter(vote=vote).values_list("key", "area_m2"))
    assert len(keys) == 3 and keys["developer"] == world.d[2].area_m2 + world.d[3].area_m2
    # d1 (two co-owners) and d2 (the buyer; d3 now unsold) vote yes: 2 of 3 owners take part.
    services.cast(by=Actor(user=world.owner_user), vote=vote, voter=world.t.person1, choice="yes")
    services.cast(by=Actor(user=world.buyer_user), vote=vote, voter=world.buyer, choice="yes")
    r = services.compute(vote)
    assert (r.total.heads, r.participating.heads) == (3, 2)
    assert r.participation_heads_met  # 2/3 ≥ 2/3; with the unsold dwellings as two owners it would be 2/4
    assert r.total.area == sum(d.area_m2 for d in world.d)
    assert run_contract(json.dumps(services.export_contract(vote))) == _app_verdict(vote)


def test_app_non_voters_do_not_follow_a_majority_of_exactly_half(world):
    """Households (4 keys): 2 vote, 1 yes 1 no. Half is no majority: the 2 non-voters do not join 'yes'."""
    vote = _vote(world, electorate="households", rule="simple_majority", extra={}, follow=True)
    keys = sorted(Elector.objects.filter(vote=vote).values_list("key", flat=True))
    Ballot.objects.create(vote=vote, voter_key=keys[0], choice="yes", channel="online")
    Ballot.objects.create(vote=vote, voter_key=keys[1], choice="no", channel="online")
    r = services.compute(vote)
    assert r.followed_majority is not None and r.followed_majority.heads == 2
    assert r.approving.heads == 1 and r.approval_base.heads == 4 and not r.passed
    assert run_contract(json.dumps(services.export_contract(vote))) == _app_verdict(vote)


def test_non_voters_follow_a_strict_majority_only():
    electors = [t.Elector(f"k{i}", Decimal("10")) for i in range(6)]
    rule = t.RULES["simple_majority"]
    half = t.tally(electors, {"k0": "yes", "k1": "yes", "k2": "no", "k3": "no"}, rule, follow_majority=True)
    assert half.approving.heads == 2 and half.approving.area == Decimal("20") and not half.passed
    more = t.tally(electors, {"k0": "yes", "k1": "yes", "k2": "yes", "k3": "no"}, rule, follow_majority=True)
    assert more.approving.heads == 5 and more.passed


def test_build_rule_is_the_one_builder():
    r = t.build_rule("custom", electorate="households", participation="2/3", approval="1/2", approval_strict=True)
    assert r == t.Rule("custom", t.Threshold(Fraction(2, 3), True), t.Threshold(Fraction(1, 2), False), False)
    assert t.build_rule("art278_major") is t.RULES["art278_major"]
    assert t.build_rule("simple_majority", electorate="adults").by_area is False
    for bad in ({"code": "art999"}, {"code": "custom", "approval": "3/2"}, {"code": "custom", "approval": "abc"},
                {"code": "simple_majority", "electorate": "tenants"}):
        code = bad.pop("code")
        with pytest.raises(ValueError):
            t.build_rule(code, **bad)


@pytest.mark.parametrize("patch, message", [
    ({"rule": "custom"}, None),  # custom without fractions: participation 0, approval ≥ 1/2
    ({"rule": "custom", "custom": {"approval": "7/5"}}, "between 0 and 1"),
    ({"rule": "custom", "custom": "2/3"}, "custom must be an object"),
    ({"electorate": "tenants"}, "unknown electorate"),
    ({"electorate": "households"}, "applies to votes of owners"),
    ({"follow_majority": "yes"}, "follow_majority"),
    ({"options": ["A"]}, "options"),
])
def test_contract_rule_spec_is_validated(patch, message):
    data = {"rule": "art278_ordinary", "dwellings": [{"id": "1", "area": "50", "owner": "a"},
                                                      {"id": "2", "area": "60", "owner": "b"}],
            "ballots": [{"owner": "a", "choice": "yes"}]} | patch
    if message is None:
        assert run_contract(json.dumps(data))["passed"] is True  # the one participant approves: ≥ 1/2
        return
    with pytest.raises(TallyInputError, match=message):
        run_contract(json.dumps(data))


# --- property: any vote, written as the export writes it, re-tallies to the app's count -------------------
fractions = st.tuples(st.integers(0, 12), st.integers(1, 12)).filter(lambda t: t[0] <= t[1]).map(
    lambda t: f"{t[0]}/{t[1]}")


@st.composite
def specs(draw):
    electorate = draw(st.sampled_from(t.ELECTORATES))
    codes = ["simple_majority", "custom"] + (list(t.CIVIL_CODE_RULES) if electorate == "owners" else [])
    spec = {"rule": draw(st.sampled_from(codes)), "electorate": electorate}
    if spec["rule"] == "custom":
        spec["custom"] = {"participation": draw(fractions), "approval": draw(fractions),
                          "approval_strict": draw(st.booleans())}
    return spec


@st.composite
def exported_votes(draw):
    spec = draw(specs())
    owners = draw(st.integers(1, 9))
    dwellings = []
    for o in range(owners):
        for d in range(draw(st.integers(1, 3)) if spec["electorate"] == "owners" else 1):
            cents = draw(st.integers(0, 20000)) if spec["electorate"] == "owners" else 0
            dwellings.append({"id": f"{o}-{d}", "area": f"{cents // 100}.{cents % 100:02d}", "owner": f"o{o}"})
    options = draw(st.none() | st.just(["甲", "乙", "丙"]))
    ballots = []
    for o in range(owners):
        if options is None:
            c = draw(st.sampled_from(["yes", "no", "abstain", None]))
            if c:
                ballots.append({"owner": f"o{o}", "choice": c})
        elif draw(st.booleans()):
            ballots.append({"owner": f"o{o}", "choices": draw(st.lists(st.sampled_from(options), min_size=1,
                                                                        max_size=2, unique=True))})
    follow = options is None and draw(st.booleans())
    doc = {**spec, "follow_majority": follow, "dwellings": dwellings, "ballots": ballots}
    if options is not None:
        doc["options"] = options
    return doc


@settings(max_examples=300, deadline=None)
@given(exported_votes())
def test_property_contract_equals_the_apps_count(doc):
    areas: dict[str, Decimal] = {}
    for d in doc["dwellings"]:
        areas[d["owner"]] = areas.get(d["owner"], Decimal("0")) + Decimal(d["area"])
    electors = [t.Elector(k, a) for k, a in areas.items()]
    field = "choice" if "options" not in doc else "choices"
    ballots = {b["owner"]: b[field] for b in doc["ballots"]}
    app = t.count(electors, ballots, t.rule_from_spec(doc), options=doc.get("options"),
                  follow_majority=doc["follow_majority"])
    assert run_contract(json.dumps(doc, ensure_ascii=False)) == t.contract_of(app)
