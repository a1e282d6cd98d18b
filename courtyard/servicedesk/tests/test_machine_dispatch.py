"""The pure state table and the pure dispatch scoring (with Hypothesis properties)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtyard.servicedesk import dispatch as d
from courtyard.servicedesk import machine
from courtyard.servicedesk.choices import State


def test_every_target_is_a_state_and_every_source_too():
    for action, (sources, target) in machine.TRANSITIONS.items():
        assert sources, action
        assert sources <= set(State.values)
        assert target is None or target in State.values


def test_happy_path_is_allowed_in_order():
    state = State.SUBMITTED
    for action in ["accept", "dispatch", "start", "resolve", "confirm", "close"]:
        state = machine.target(action, state)
    assert state == State.CLOSED


def test_final_states_only_reopen_from_closed():
    assert machine.actions_from(State.CLOSED) == ["reopen"]
    assert machine.actions_from(State.MERGED) == []
    assert machine.actions_from(State.REFERRED) == []


def test_not_allowed_raises():
    with pytest.raises(machine.TransitionError):
        machine.target("resolve", State.SUBMITTED)
    assert machine.target("resume", State.WAITING, before_wait=State.ACCEPTED) == State.ACCEPTED


candidates = st.builds(
    d.Candidate, key=st.text(min_size=1, max_size=6), label=st.just("x"),
    kind=st.sampled_from(["worker", "vendor", "department"]), location=st.integers(0, 2), category=st.booleans(),
    contract=st.booleans(), contract_onsite_hours=st.none() | st.integers(1, 96), open_load=st.integers(0, 60),
    capacity=st.none() | st.integers(1, 40),
)


@given(candidates, st.integers(1, 30))
def test_more_open_work_never_raises_the_score(c, extra):
    from dataclasses import replace

    assert d.score(replace(c, open_load=c.open_load + extra)).score <= d.score(c).score


@given(candidates)
def test_being_the_buildings_worker_never_lowers_the_score(c):
    from dataclasses import replace

    assert d.score(replace(c, location=2)).score >= d.score(c).score
    assert d.score(replace(c, category=True)).score >= d.score(c).score


@given(candidates)
def test_score_is_the_sum_of_its_reasons(c):
    s = d.score(c, needed_onsite_hours=48)
    assert s.score == sum(p for _r, p in s.reasons)


@given(st.lists(candidates, max_size=8, unique_by=lambda c: c.key), st.randoms())
def test_rank_does_not_depend_on_input_order(cs, rnd):
    shuffled = list(cs)
    rnd.shuffle(shuffled)
    assert [s.candidate.key for s in d.rank(cs)] == [s.candidate.key for s in d.rank(shuffled)]
    scores = [s.score for s in d.rank(cs)]
    assert scores == sorted(scores, reverse=True)


def test_the_buildings_microgrid_worker_beats_a_busy_vendor():
    worker = d.Candidate("user:1", "Wang", "worker", location=2, category=True, open_load=2)
    vendor = d.Candidate("partner:1", "Fixit", "vendor", category=True, contract=True, contract_onsite_hours=48,
                         open_load=10, capacity=10)
    ranked = d.rank([vendor, worker], needed_onsite_hours=48)
    assert ranked[0].candidate.key == "user:1"
    assert ("capacity", -d.AT_CAPACITY) in ranked[1].reasons
