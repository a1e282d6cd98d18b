"""The satisfaction score (INS-1, seed 003 §3.4: 0–100) as the insight engine reads it: answers on
satisfaction scales of the survey responses read on 100 points (很不满意 0 … 非常满意 100) —
hand-computed cases and a property test against the definition."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.core.indicators import GREEN, RED, YEAR1, YEAR5, YEARS2_3, YELLOW, Period, Reading, Scope, catalogue
from courtyard.org.tests import factories as org
from courtyard.projects import services
from courtyard.projects.indicators import POINT_SCORE, satisfaction
from courtyard.projects.models import Response

from .factories import actor, people

SATISFIED = ["很不满意", "不太满意", "一般", "比较满意", "非常满意"]


@pytest.fixture
def who(tree):
    return people(tree)


def _unit(tree) -> Scope:
    return Scope("unit", tree.unit.pk, tree.unit.name, tree.community_a.path, unit_id=tree.unit.pk)


def _survey(tree, who):
    by = actor(who.staff)
    s = services.create_survey(by=by, unit=tree.unit, title="院落自治工作满意度调查", per="resident")
    qs = {
        "overall": services.add_question(by=by, survey=s, kind="scale", text="您对院落自治工作总体是否满意？",
                                         options=SATISFIED),
        "matrix": services.add_question(by=by, survey=s, kind="matrix", text="您对以下方面的满意程度",
                                        options=SATISFIED, rows=["议事协商", "环境卫生"]),
        "urgency": services.add_question(by=by, survey=s, kind="scale", text="排水改造迫切吗？",
                                         options=["很不迫切", "不太迫切", "一般", "比较迫切", "非常迫切"]),
        "plain": services.add_question(by=by, survey=s, kind="scale", text="打几分？"),  # labels 1–5
        "upside": services.add_question(by=by, survey=s, kind="scale", text="（倒序量表）",
                                        options=list(reversed(SATISFIED))),
    }
    return services.set_state(by=by, survey=s, state="open"), qs


def _respondents(tree, n):
    return [org.person(tree.community_a, f"居民{i}", home=tree.dwellings_unit[i % len(tree.dwellings_unit)])
            for i in range(n)]


def _answer(who, survey, person, answers):
    return services.submit_response(by=actor(who.grid), survey=survey, answers=answers, channel="paper", person=person)


def test_score_is_the_mean_of_answers_on_100_points(tree, who):
    s, q = _survey(tree, who)
    a, b, c = _respondents(tree, 3)
    # a: overall 非常满意 (100), matrix 比较满意 (75) and 一般 (50); the other scales do not count.
    _answer(who, s, a, {q["overall"].pk: [4], q["matrix"].pk: {0: 3, 1: 2}, q["urgency"].pk: [0], q["plain"].pk: [0],
                        q["upside"].pk: [0]})
    # b: overall 不太满意 (25); the matrix left out.
    _answer(who, s, b, {q["overall"].pk: [1]})
    # c: only the urgency scale: nothing on satisfaction.
    _answer(who, s, c, {q["urgency"].pk: [4]})
    month = Period.containing(timezone.localdate())
    assert POINT_SCORE == 25
    assert satisfaction(_unit(tree), month) == (100 + 75 + 50 + 25, 4)
    reading = catalogue()["satisfaction"].reading(_unit(tree), month)
    assert reading.value == Fraction(250, 4) and reading.shown == "62.5"
    assert reading.as_dict()["value"] == "62.5000"
    community = Scope("community", tree.community_a.pk, "", tree.community_a.path)
    assert satisfaction(community, month) == (250, 4)
    assert satisfaction(Scope("community", tree.community_b.pk, "", tree.community_b.path), month) == (0, 0)
    # Responses count in the period they were recorded in.
    Response.objects.filter(person=b).update(created_at=timezone.now() - dt.timedelta(days=62))
    assert satisfaction(_unit(tree), month) == (225, 3)
    assert satisfaction(_unit(tree), Period.containing(timezone.localdate() - dt.timedelta(days=62))) == (25, 1)


def test_one_query_whatever_the_number_of_answers(tree, who, django_assert_num_queries):
    s, q = _survey(tree, who)
    month = Period.containing(timezone.localdate())
    people = _respondents(tree, 6)
    for chunk in (people[:1], people[1:]):
        for person in chunk:
            _answer(who, s, person, {q["overall"].pk: [3], q["matrix"].pk: {0: 4, 1: 2}})
        with django_assert_num_queries(1):
            satisfaction(_unit(tree), month)
    assert satisfaction(_unit(tree), month) == (6 * (75 + 100 + 50), 18)


def test_staged_targets_colour_the_score():
    """Seed 003: 75 in the first year (§3.3, §8.1), 90 from the second (§3.2, §8.2, §3.4)."""
    ind = catalogue()["satisfaction"]
    assert ind.score and (ind.targets.year1, ind.targets.years2_3, ind.targets.year5) == (75, 90, 90)
    assert Reading(ind, 300, 4, YEAR1).colour == GREEN  # 75 meets the first year's target
    assert Reading(ind, 300, 4, YEARS2_3).colour == YELLOW  # …not the second's (90)
    assert Reading(ind, 299, 4, YEAR5).colour == RED  # 74.75: more than 15 points short of 90
    assert Reading(ind, 240, 4, YEAR1).colour == YELLOW  # 60: 15 points short of 75
    assert Reading(ind, 239, 4, YEAR1).colour == RED


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.one_of(st.none(), st.integers(0, 4)),
                          st.integers(0, 4)), min_size=1, max_size=5))
def test_property_matches_the_definition(tree, who, rows):
    """For any answers: the score is 25 × Σ points on the satisfaction scales ÷ their number, lies in
    0–100, and the other scales never move it."""
    with transaction.atomic():
        s, q = _survey(tree, who)
        points = []
        for person, (overall, row0, urgency) in zip(_respondents(tree, len(rows)), rows, strict=True):
            answers = {q["urgency"].pk: [urgency], q["upside"].pk: [urgency]}
            if overall is not None:
                answers[q["overall"].pk] = [overall]
                points.append(overall)
            if row0 is not None:
                answers[q["matrix"].pk] = {0: row0}
                points.append(row0)
            _answer(who, s, person, answers)
        num, den = satisfaction(_unit(tree), Period.containing(timezone.localdate()))
        transaction.set_rollback(True)
    assert (num, den) == (25 * sum(points), len(points))
    if den:
        assert 0 <= Fraction(num, den) <= 100
