"""The tally against an independent reference in integer arithmetic (hundredths of m²)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.deliberation.tally import RULES, Elector, custom_rule, percent, tally, tally_options


def reference(electors, ballots, code):
    """Integer cross-multiplication only; areas in hundredths."""
    cents = {k: int(a * 100) for k, a in electors}
    total_a, total_n = sum(cents.values()), len(cents)
    part_a = sum(cents[k] for k in ballots)
    part_n = len(ballots)
    yes_a = sum(cents[k] for k, c in ballots.items() if c == "yes")
    yes_n = sum(1 for c in ballots.values() if c == "yes")
    if code == "simple_majority":
        p_area = p_heads = True
    else:
        p_area = 3 * part_a >= 2 * total_a
        p_heads = 3 * part_n >= 2 * total_n
    if code == "art278_major":
        a_area = 4 * yes_a >= 3 * part_a if part_a else False
        a_heads = 4 * yes_n >= 3 * part_n if part_n else False
    else:
        a_area = 2 * yes_a > part_a if part_a else False
        a_heads = 2 * yes_n > part_n if part_n else False
    return p_area, p_heads, a_area, a_heads


areas = st.integers(min_value=1, max_value=30000).map(lambda c: Decimal(c) / 100)
electorates = st.lists(areas, min_size=1, max_size=40)


@st.composite
def votes(draw):
    a = draw(electorates)
    electors = [(f"P{i}", x) for i, x in enumerate(a)]
    ballots = {}
    for k, _area in electors:
        c = draw(st.sampled_from(["yes", "no", "abstain", None, "yes"]))
        if c:
            ballots[k] = c
    return electors, ballots


@settings(max_examples=400, deadline=None)
@given(votes(), st.sampled_from(sorted(RULES)))
def test_tally_matches_integer_reference(v, code):
    electors, ballots = v
    r = tally([Elector(k, a) for k, a in electors], ballots, RULES[code])
    p_area, p_heads, a_area, a_heads = reference(electors, ballots, code)
    assert (r.participation_area_met, r.participation_heads_met) == (p_area, p_heads)
    assert (r.approval_area_met, r.approval_heads_met) == (a_area, a_heads)
    assert r.passed == (p_area and p_heads and a_area and a_heads)
    assert r.total.area == sum((a for _k, a in electors), Decimal(0))
    assert r.participating.heads == len(ballots)
    assert r.approving.heads == sum(1 for c in ballots.values() if c == "yes")


@settings(max_examples=200, deadline=None)
@given(votes())
def test_follow_majority_never_changes_participation(v):
    electors, ballots = v
    es = [Elector(k, a) for k, a in electors]
    off = tally(es, ballots, RULES["art278_ordinary"])
    on = tally(es, ballots, RULES["art278_ordinary"], follow_majority=True)
    assert (on.participation_area_met, on.participation_heads_met) == (
        off.participation_area_met, off.participation_heads_met)
    assert on.participating == off.participating
    if not off.participation_met:
        assert on.passed is False


def _es(*areas):
    return [Elector(f"P{i}", Decimal(a)) for i, a in enumerate(areas)]


def test_exact_bounds_yi_shang_includes_guo_ban_shu_excludes():
    # 3 owners of equal area; 2 take part: exactly 2/3 participation ("以上" includes it).
    es = _es("50.00", "50.00", "50.00")
    r = tally(es, {"P0": "yes", "P1": "yes"}, RULES["art278_major"])
    assert r.participation_met and r.passed
    # 4 participants, 3 yes: exactly 3/4 → major passes.
    es4 = _es("10", "10", "10", "10")
    r = tally(es4, {"P0": "yes", "P1": "yes", "P2": "yes", "P3": "no"}, RULES["art278_major"])
    assert r.approval_met
    # exactly half yes: "过半数" is not met.
    r = tally(es4, {"P0": "yes", "P1": "yes", "P2": "no", "P3": "abstain"}, RULES["art278_ordinary"])
    assert r.participation_met and not r.approval_heads_met and not r.passed


def test_float_trap_two_thirds():
    # 0.1-style areas whose float sum would miss 2/3 by a rounding error.
    es = [Elector("A", Decimal("0.10")), Elector("B", Decimal("0.10")), Elector("C", Decimal("0.10"))]
    r = tally(es, {"A": "yes", "B": "yes"}, RULES["art278_major"])
    assert r.participation_area_met


def test_abstention_participates_without_approving():
    es = _es("10", "10", "10")
    r = tally(es, {"P0": "yes", "P1": "abstain", "P2": "abstain"}, RULES["art278_ordinary"])
    assert r.participating.heads == 3 and r.approving.heads == 1 and not r.approval_met


def test_area_and_headcount_are_both_required():
    # a big owner alone: area met, headcount not.
    es = [Elector("big", Decimal("900")), Elector("a", Decimal("10")), Elector("b", Decimal("10"))]
    r = tally(es, {"big": "yes"}, RULES["art278_major"])
    assert r.participation_area_met and not r.participation_heads_met and not r.passed


def test_follow_majority_adds_non_voters_to_majority():
    es = _es("10", "10", "10", "10", "10", "10")
    ballots = {"P0": "yes", "P1": "yes", "P2": "yes", "P3": "no"}  # 4/6 take part, 3/4 yes
    r = tally(es, ballots, RULES["art278_major"], follow_majority=True)
    assert r.followed_majority.heads == 2 and r.approving.heads == 5 and r.approval_base.heads == 6
    assert r.passed


def test_unknown_voter_and_choice_rejected():
    with pytest.raises(ValueError):
        tally(_es("1"), {"X": "yes"}, RULES["art278_major"])
    with pytest.raises(ValueError):
        tally(_es("1"), {"P0": "maybe"}, RULES["art278_major"])


def test_custom_rule_and_options():
    rule = custom_rule(Fraction(1, 2), Fraction(2, 3), approval_inclusive=False, by_area=False)
    r = tally(_es("0", "0", "0"), {"P0": "yes", "P1": "yes", "P2": "no"}, rule)
    assert r.participation_met and not r.approval_met  # exactly 2/3 is not "more than"
    res = tally_options(_es("1", "1", "1"), {"P0": ["a"], "P1": ["a", "b"], "P2": []}, ["a", "b"],
                        RULES["simple_majority"])
    assert res["a"].approving.heads == 2 and res["a"].passed and not res["b"].passed


def test_percent_is_exact_rounding():
    assert percent(2, 3) == "66.67 %"
    assert percent(1, 8) == "12.50 %"
    assert percent(0, 0) == "—"


# ---------------------------------------------------------------- the command
SAMPLE = {
    "rule": "art278_major",
    "dwellings": [
        {"id": "3-2-501", "area": "63.50", "owner": "P001"},
        {"id": "3-2-502", "area": "70.00", "owner": "P002"},
        {"id": "3-2-601", "area": "80.25", "owner": "P002"},  # one buyer, two dwellings
        {"id": "3-2-602", "area": "55.00", "owner": "DEV"},  # developer's unsold
        {"id": "3-2-701", "area": "55.00", "owner": "DEV"},
    ],
    "ballots": [{"owner": "P001", "choice": "yes"}, {"owner": "P002", "choice": "yes"}],
}


def test_command_contract(tmp_path, capsys):
    from django.core.management import call_command

    f = tmp_path / "in.json"
    f.write_text(json.dumps(SAMPLE), encoding="utf-8")
    call_command("tally", str(f))
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "total": {"area": "323.75", "owners": 3},
        "participation": {"area": "213.75", "owners": 2, "area_met": False, "owners_met": True},
        "approval": {"area": "213.75", "owners": 2, "area_met": True, "owners_met": True},
        "passed": False,
    }


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["ballots"].append({"owner": "P999", "choice": "yes"}), "unknown owner"),
    (lambda d: d["ballots"].append({"owner": "P001", "choice": "no"}), "two ballots"),
    (lambda d: d["dwellings"][0].update(area="-1.00"), "negative"),
    (lambda d: d["dwellings"][0].update(area="6x.5"), "malformed area"),
    (lambda d: d["dwellings"][0].update(area=None), "area"),
    (lambda d: d.update(rule="art999"), "unknown rule"),
    (lambda d: d["ballots"][0].update(choice="maybe"), "unknown choice"),
])
def test_command_bad_input_exits_nonzero_with_one_line(tmp_path, mutate, message):
    import subprocess
    import sys

    data = json.loads(json.dumps(SAMPLE))
    mutate(data)
    f = tmp_path / "in.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    p = subprocess.run([sys.executable, "manage.py", "tally", str(f)], capture_output=True, text=True,  # noqa: S603
                       timeout=60, check=False)
    assert p.returncode != 0
    assert message in p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert p.stdout == ""


def test_command_malformed_json(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "in.json"
    f.write_text("{not json", encoding="utf-8")
    p = subprocess.run([sys.executable, "manage.py", "tally", str(f)], capture_output=True, text=True,  # noqa: S603
                       timeout=60, check=False)
    assert p.returncode == 2 and "not valid JSON" in p.stderr and "Traceback" not in p.stderr
