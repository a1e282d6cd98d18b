"""Pure rules of the indicator kernel (courtyard/core/indicators.py) against hand-computed cases and
properties: periods, exact decimals, colours, stages, meetings due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.core.indicators import (
    DOWN,
    GREEN,
    GREY,
    RED,
    UP,
    YEAR1,
    YEAR5,
    YEARS2_3,
    YELLOW,
    BadPeriod,
    Indicator,
    Period,
    Reading,
    Targets,
    Thresholds,
    colour,
    decimal_str,
    stage_for,
)
from courtyard.deliberation.indicators import meetings_due

RANK = {GREEN: 0, YELLOW: 1, RED: 2}


def ind(direction=UP, yellow=Fraction(60, 100), red=Fraction(40, 100), **kw) -> Indicator:
    return Indicator(code="x", label="x", formula="", numerator="", denominator="", source="",
                     compute=lambda s, p: (0, 0), thresholds=Thresholds(yellow, red), direction=direction, **kw)


@pytest.mark.parametrize(("text", "start", "end", "kind"), [
    ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 12, 1), "month"),
    ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1), "month"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 3, 1), "month"),
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1), "quarter"),
    ("2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1), "quarter"),
    ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1), "year"),
])
def test_period_parse(text, start, end, kind):
    p = Period.parse(text)
    assert (p.start, p.end, p.kind, p.key) == (start, end, kind, text)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-Q5", "26-11", "2026/11", "1999-01", "x", "2026-1"])
def test_period_parse_refuses(text):
    with pytest.raises(BadPeriod):
        Period.parse(text)


@settings(deadline=None)  # the shared 2-core machine makes timings meaningless
@given(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["month", "quarter", "year"]))
def test_periods_tile_the_calendar(day, kind):
    p = Period.containing(day, kind)
    assert p.start <= day < p.end
    assert p.previous().end == p.start and p.next().start == p.end
    assert Period.parse(p.key) == p
    back = p.back(5)
    assert back[-1] == p and all(a.end == b.start for a, b in zip(back, back[1:], strict=False))


@pytest.mark.parametrize(("num", "den", "text"), [(5, 8, "0.6250"), (2, 3, "0.6667"), (1, 3, "0.3333"),
                                                   (1, 1, "1.0000"), (0, 7, "0.0000"), (1, 20000, "0.0001"),
                                                   (1, 200000, "0.0000")])
def test_decimal_str_hand_cases(num, den, text):
    assert decimal_str(Fraction(num, den)) == text


@settings(deadline=None)  # the shared 2-core machine makes timings meaningless
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_decimal_str_is_exact_half_up(num, den):
    text = decimal_str(Fraction(num, den))
    # the exact value lies within half a unit of the last place, ties rounded up
    diff = Fraction(Decimal(text)) - Fraction(num, den)
    assert -Fraction(1, 20000) < diff <= Fraction(1, 20000)


@settings(deadline=None)  # the shared 2-core machine makes timings meaningless
@given(st.fractions(min_value=0, max_value=2), st.fractions(min_value=0, max_value=2))
def test_colour_is_monotonic(a, b):
    lo, hi = sorted((a, b))
    up, down = ind(UP), ind(DOWN, yellow=Fraction(1, 10), red=Fraction(2, 10))
    assert RANK[colour(up, hi)] <= RANK[colour(up, lo)]
    assert RANK[colour(down, lo)] <= RANK[colour(down, hi)]


def test_colour_hand_cases():
    i = ind()
    assert colour(i, None) == GREY
    assert colour(i, Fraction(60, 100)) == GREEN  # at the threshold: green
    assert colour(i, Fraction(59, 100)) == YELLOW
    assert colour(i, Fraction(40, 100)) == YELLOW
    assert colour(i, Fraction(39, 100)) == RED


def test_colour_from_the_stage_target():
    """Yellow as soon as the value misses the stage's target; red when it misses it by more than the
    indicator's band (yellow − red of its fixed thresholds: 20 points here); no target: the thresholds."""
    i = ind(targets=Targets(None, Fraction(70, 100), Fraction(90, 100)))
    assert Reading(i, 90, 100, YEAR5).colour == GREEN
    assert Reading(i, 89, 100, YEAR5).colour == YELLOW  # green under the fixed thresholds (≥ 60 %)
    assert Reading(i, 70, 100, YEAR5).colour == YELLOW
    assert Reading(i, 69, 100, YEAR5).colour == RED
    assert Reading(i, 70, 100, YEARS2_3).colour == GREEN
    assert Reading(i, 50, 100, YEARS2_3).colour == YELLOW
    assert Reading(i, 49, 100, YEARS2_3).colour == RED
    # the first year has no target: the fixed thresholds (yellow below 60 %, red below 40 %)
    assert [Reading(i, n, 100, YEAR1).colour for n in (60, 59, 40, 39)] == [GREEN, YELLOW, YELLOW, RED]
    # lower is better: yellow above the target, red more than the band above it
    d = ind(DOWN, yellow=Fraction(1, 10), red=Fraction(2, 10), targets=Targets(Fraction(5, 100), None, None))
    assert [Reading(d, n, 100, YEAR1).colour for n in (5, 6, 15, 16)] == [GREEN, YELLOW, YELLOW, RED]
    assert [Reading(d, n, 100, YEAR5).colour for n in (10, 11, 20, 21)] == [GREEN, YELLOW, YELLOW, RED]


@settings(deadline=None)  # the shared 2-core machine makes timings meaningless
@given(st.fractions(min_value=0, max_value=2), st.fractions(min_value=0, max_value=2),
       st.fractions(min_value=0, max_value=1), st.sampled_from([UP, DOWN]))
def test_colour_from_a_target_is_monotonic_and_green_at_the_target(a, b, target, direction):
    i = ind(direction, yellow=Fraction(1, 10), red=Fraction(2, 10)) if direction == DOWN else ind()
    lo, hi = sorted((a, b))
    better, worse = (hi, lo) if direction == UP else (lo, hi)
    assert RANK[colour(i, better, target)] <= RANK[colour(i, worse, target)]
    assert colour(i, target, target) == GREEN


def test_stage_counts_from_the_programme_start_when_the_unit_has_none():
    p = Period.parse("2026-11")
    with override_settings(COURTYARD_PROGRAMME_START=dt.date(2026, 3, 1)):
        assert stage_for(None, p) == YEAR1
        assert stage_for(dt.date(2023, 1, 1), p) == YEAR5  # the unit's own start date comes first
    with override_settings(COURTYARD_PROGRAMME_START=dt.date(2024, 6, 1)):
        assert stage_for(None, p) == YEARS2_3
    with override_settings(COURTYARD_PROGRAMME_START=None):
        assert stage_for(None, p) == YEAR5


def test_stage_for():
    p = Period.parse("2026-11")
    assert stage_for(None, p) == YEAR5
    assert stage_for(dt.date(2026, 1, 15), p) == YEAR1
    assert stage_for(dt.date(2025, 12, 1), p) == YEAR1  # 11 months
    assert stage_for(dt.date(2025, 11, 1), p) == YEARS2_3  # 12 months
    assert stage_for(dt.date(2023, 12, 1), p) == YEARS2_3  # 35 months
    assert stage_for(dt.date(2023, 11, 1), p) == YEAR5


def test_reading_dict_and_target():
    i = ind(targets=Targets(Fraction(80, 100), Fraction(90, 100), None))
    r = Reading(i, 3, 4, YEAR1)
    assert r.as_dict() == {"code": "x", "value": "0.7500", "numerator": 3, "denominator": 4, "target": "0.8000",
                           "colour": YELLOW}  # below the first year's target of 80 %
    assert Reading(i, 4, 5, YEAR1).colour == GREEN
    assert Reading(i, 0, 0, YEAR5).as_dict()["value"] is None
    assert Reading(i, 0, 0, YEAR5).colour == GREY
    assert Reading(i, 1, 3, YEARS2_3).shown == "33.3 %"


@pytest.mark.parametrize(("days", "cadence", "due"), [(31, 31, 1), (30, 31, 1), (28, 31, 1), (31, 14, 2),
                                                      (28, 14, 2), (92, 92, 1), (31, 92, 0), (365, 31, 12),
                                                      (365, 14, 26), (365, 92, 4), (90, 14, 6), (92, 31, 3)])
def test_meetings_due(days, cadence, due):
    assert meetings_due(days, cadence) == due


@settings(deadline=None)  # the shared 2-core machine makes timings meaningless
@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=120))
def test_meetings_due_is_nearest(days, cadence):
    due = meetings_due(days, cadence)
    assert abs(Fraction(days, cadence) - due) <= Fraction(1, 2)
