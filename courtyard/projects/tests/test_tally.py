"""Property tests of the pure arithmetic: exact shares, half-up percentages, cross-tabs that partition
the respondents, consent rates by households and by area."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.indicators import percent_str
from courtyard.projects import tally

groups = st.fixed_dictionaries({"age_band": st.sampled_from(["u35", "35_49", "50_64", "65plus"]),
                                "tenure": st.sampled_from(["owner", "tenant", "other"])})
rows = st.lists(st.builds(tally.Row, st.lists(st.integers(0, 4), max_size=3).map(tuple), groups), max_size=60)


def _half_up(part: int, whole: int, places: int) -> str:
    """The exact oracle: integer arithmetic only (what projects rendered before it used the shared helper)."""
    scaled = Fraction(part * 100 * 10**places, whole)
    n = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole_part, frac = divmod(n, 10**places)
    return f"{whole_part}.{frac:0{places}d}" if places else str(n)


@given(st.integers(0, 10_000), st.integers(1, 10_000), st.integers(0, 3))
def test_percent_str_is_exact_half_up(part, whole, places):
    part = min(part, whole)
    expected = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert percent_str(tally.share(part, whole), places) == str(expected) == _half_up(part, whole, places)


def test_seed_figures_round_as_published():
    assert percent_str(Fraction(60, 65)) == "92.3"
    assert percent_str(Fraction(51, 65)) == "78.5"
    assert percent_str(Fraction(9, 65)) == "13.8"
    assert percent_str(Fraction(55, 65)) == "84.6"
    assert percent_str(Fraction(41, 44)) == "93.2"
    assert percent_str(Fraction(19, 25)) == "76.0"
    assert percent_str(Fraction(136, 139), 0) == "98"
    assert percent_str(Fraction(1, 8)) == "12.5"  # a true half rounds up
    assert percent_str(None) == "—"


def test_share_refuses_nonsense():
    assert tally.share(0, 0) is None
    with pytest.raises(ValueError):
        tally.share(3, 2)
    with pytest.raises(ValueError):
        tally.share(-1, 2)


@given(rows, st.sampled_from(["age_band", "tenure"]))
def test_crosstab_partitions_the_respondents(data, dimension):
    overall, answered = tally.option_counts(data, 5)
    table = tally.crosstab(data, 5, dimension)
    assert sum(a for _c, a in table.values()) == answered
    for i in range(5):
        assert sum(c[i] for c, _a in table.values()) == overall[i]
    for counts, n in table.values():
        assert all(0 <= c <= n for c in counts)
    assert answered == sum(1 for r in data if r.choices)


@given(rows)
def test_single_choice_shares_add_up_to_one(data):
    single = [tally.Row(r.choices[:1], r.groups) for r in data]
    counts, answered = tally.option_counts(single, 5)
    if answered:
        assert sum(Fraction(c, answered) for c in counts) == 1


households = st.lists(st.builds(tally.Household, st.integers(1, 10**6), st.sampled_from(["1栋", "2栋", "3栋"]),
                                st.integers(1, 20_000), st.sampled_from(["yes", "no", "undecided", ""])),
                      max_size=80, unique_by=lambda h: h.dwelling_id)


@given(households)
def test_consent_rates_are_exact_and_complete(hh):
    r = tally.consent_rates(hh)
    assert r.yes + r.no + r.undecided + r.not_visited == r.households == len(hh)
    assert r.area_total == sum(h.area_hundredths for h in hh)
    assert r.by_households == (Fraction(r.yes, len(hh)) if hh else None)
    assert r.area_yes == sum(h.area_hundredths for h in hh if h.answer == "yes")
    visit = tally.to_visit(hh)
    assert sum(len(v) for v in visit.values()) == r.undecided + r.not_visited


@given(households, st.integers(1, 100), st.integers(1, 100))
def test_a_lower_target_is_met_whenever_a_higher_one_is(hh, a, b):
    r = tally.consent_rates(hh)
    lo, hi = sorted((Fraction(a, 100), Fraction(b, 100)))
    if r.meets(hi):
        assert r.meets(lo)


@given(households)
def test_turning_a_no_into_a_yes_never_lowers_the_rate(hh):
    r = tally.consent_rates(hh)
    changed = [tally.Household(h.dwelling_id, h.building, h.area_hundredths, "yes" if h.answer == "no" else h.answer)
               for h in hh]
    r2 = tally.consent_rates(changed)
    if hh:
        assert r2.by_households >= r.by_households
