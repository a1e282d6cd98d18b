"""Property tests of the pure rules: deadlines by grade, escalation, timeliness, plan days, care
intervals and warning grades, exact percentages."""

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from courtyard.safety import domain

UTC = dt.UTC
moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(UTC))
grades = st.sampled_from(["red", "yellow", "blue"])
spans = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=120))


@given(grades, moments)
def test_deadline_is_after_finding_and_stricter_for_worse_grades(grade, found):
    deadline = domain.rectification_deadline(grade, found)
    assert deadline > found
    assert domain.rectification_deadline("red", found) < domain.rectification_deadline("yellow", found) \
        < domain.rectification_deadline("blue", found)


@given(grades, moments, spans, spans)
def test_escalation_starts_after_the_deadline_and_never_falls(grade, deadline, a, b):
    first, later = deadline + a, deadline + a + b
    assert domain.escalation_level(grade, deadline, deadline) == 0
    assert domain.escalation_level(grade, deadline, deadline - dt.timedelta(seconds=1)) == 0
    assert 0 <= domain.escalation_level(grade, deadline, first) <= domain.escalation_level(grade, deadline, later) <= 3
    if a > dt.timedelta(0):
        assert domain.escalation_level(grade, deadline, first) >= 1


@given(moments, st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(hours=8)),
       st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=6)),
       st.timedeltas(min_value=-dt.timedelta(hours=2), max_value=dt.timedelta(hours=20)))
def test_timeliness_is_monotonic_in_the_check_time(start, length, grace, offset):
    end = start + length
    at = start + offset
    grade = domain.grade_check(start, end, at, grace)
    order = domain.TIMELINESS_ORDER
    assert order[grade] <= order[domain.grade_check(start, end, at + dt.timedelta(minutes=5), grace)]
    assert (grade == "on_time") == (at <= end)
    assert (grade == "missed") == (at > end + grace)


@given(st.lists(st.sampled_from(["on_time", "late", "missed"]), max_size=8))
def test_a_round_is_as_late_as_its_latest_point(grades):
    worst = domain.worst(grades)
    assert worst == ("missed" if not grades else max(grades, key=domain.TIMELINESS_ORDER.__getitem__))


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 6))
def test_plan_days(day, weekday):
    assert domain.runs_on("twice_daily", day) and domain.runs_on("daily", day)
    assert domain.runs_on("weekly", day, weekday=weekday) == (day.weekday() == weekday)
    assert domain.runs_on("workdays", day) == (day.weekday() < 5)
    assert domain.runs_on("workdays", day, workday=True) and not domain.runs_on("workdays", day, workday=False)
    assert domain.shifts("twice_daily") == (1, 2) and domain.shifts("weekly") == (1,)


@given(st.sampled_from(list(domain.VISIT_DAYS)), moments, st.one_of(st.none(), spans), spans, spans)
def test_lapse_grade_grows_with_time_and_resets_with_a_visit(colour, since, visited_after, a, b):
    last = since + visited_after if visited_after is not None else None
    base = last or since
    g1 = domain.lapse_grade(colour, last, since, base + a)
    g2 = domain.lapse_grade(colour, last, since, base + a + b)
    assert 0 <= g1 <= g2 <= 3
    due = domain.visit_due(colour, last, since)
    assert domain.lapse_grade(colour, last, since, due) == 0
    assert domain.lapse_grade(colour, due, since, due) == 0  # a visit now resets it
    assert domain.visit_due("red", last, since) < domain.visit_due("green", last, since)


def test_trouble_grades():
    assert [domain.trouble_grade(w) for w in ("well", "needs_help", "unwell", "not_seen")] == [0, 2, 3, 3]


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_percent_is_exact_and_rounds_half_up(part, whole):
    """The pages show core.indicators.percent_str with " %": the same text the app's own rounding gave
    (tenths of a percent, half up, from the exact fraction)."""
    from courtyard.safety.views._util import pct

    value = Fraction(part, whole)
    tenths = (value * 1000 + Fraction(1, 2)).__floor__()
    assert pct(value) == f"{tenths // 10}.{tenths % 10} %"
    assert abs(Fraction(pct(value).replace(" %", "")) - value * 100) <= Fraction(1, 20)
    assert pct(None) == "—" and pct(Fraction(1, 8)) == "12.5 %"
    assert pct(Fraction(2, 3)) == "66.7 %" and pct(Fraction(1, 3)) == "33.3 %"


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_quarters_cover_the_day_and_tile_the_year(day):
    from courtyard.safety.selectors import quarter_of

    start, end = quarter_of(day)
    assert start <= day <= end and start.day == 1 and start.month in (1, 4, 7, 10)
    assert quarter_of(end + dt.timedelta(days=1))[0] == end + dt.timedelta(days=1)
    assert 89 <= (end - start).days <= 91
