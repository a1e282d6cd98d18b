"""Property tests of the election count (ORG-9): exact, order-free, never breaks a tie by chance."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.deliberation import tally as t
from courtyard.deliberation.election_count import Candidate, elect, from_result

NAMES = [f"候选人{i}" for i in range(8)]


@st.composite
def contests(draw):
    n = draw(st.integers(2, 8))
    seats = draw(st.integers(1, n - 1))
    voters = draw(st.integers(1, 30))
    ballots = [draw(st.lists(st.sampled_from(NAMES[:n]), max_size=seats, unique=True)) for _ in range(voters)]
    return NAMES[:n], seats, voters, ballots


def _count(names, ballots):
    return {x: sum(x in b for b in ballots) for x in names}


@given(contests())
@settings(max_examples=300, deadline=None)
def test_winners_are_the_majority_candidates_with_most_votes(contest):
    names, seats, voters, ballots = contest
    votes = _count(names, ballots)
    passed = {x: 2 * votes[x] > len(ballots) for x in names}
    out = elect([Candidate(x, votes[x], passed[x]) for x in names], seats)
    assert len(out.winners) + out.open_seats == seats
    assert len(out.winners) <= seats and not set(out.winners) & set(out.tied)
    assert all(passed[w] for w in out.winners)
    losers = [x for x in names if x not in out.winners]
    # Every winner has strictly more votes than every candidate not elected who had a majority.
    for w in out.winners:
        assert all(votes[w] > votes[x] for x in losers if passed[x])
    # Tied candidates share one count, and there are more of them than the seats left.
    if out.tied:
        assert len({votes[x] for x in out.tied}) == 1 and len(out.tied) > out.open_seats
    # A seat stays open only for a tie or for lack of majority candidates.
    if out.open_seats and not out.tied:
        assert sum(passed.values()) == len(out.winners)


@given(contests(), st.randoms())
@settings(max_examples=200, deadline=None)
def test_order_of_candidates_does_not_change_who_wins(contest, rnd):
    names, seats, _voters, ballots = contest
    votes = _count(names, ballots)
    cands = [Candidate(x, votes[x], 2 * votes[x] > len(ballots)) for x in names]
    a = elect(cands, seats)
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    b = elect(shuffled, seats)
    assert set(a.winners) == set(b.winners) and set(a.tied) == set(b.tied) and a.open_seats == b.open_seats


@given(contests())
@settings(max_examples=150, deadline=None)
def test_matches_the_vote_machinery_count(contest):
    """The outcome from the stored option result equals a direct count of the ballots."""
    names, seats, voters, ballots = contest
    electors = [t.Elector(f"p{i}") for i in range(voters)]
    rule = t.build_rule("custom", electorate="adults", participation="0", approval="1/2", approval_strict=True)
    result = {"options": {o: r.as_contract() for o, r in
                          t.count(electors, {f"p{i}": b for i, b in enumerate(ballots)}, rule, options=names).items()}}
    out = from_result(result, names, seats)
    votes = _count(names, ballots)
    direct = elect([Candidate(x, votes[x], 2 * votes[x] > len(ballots)) for x in names], seats)
    assert out == direct


def test_void_election_elects_nobody():
    assert elect([Candidate("甲", 9, True), Candidate("乙", 1, False)], 1, valid=False).winners == ()


@pytest.mark.parametrize("bad", [
    ([Candidate("甲", 1, True), Candidate("甲", 2, True)], 1),
    ([Candidate("甲", -1, True)], 1),
    ([Candidate("甲", 1, True)], 0),
])
def test_bad_input_is_refused(bad):
    with pytest.raises(ValueError):
        elect(*bad)


def test_random_large_contest_is_exact():
    rnd = random.Random(7)
    names = NAMES
    ballots = [rnd.sample(names, rnd.randint(0, 3)) for _ in range(1001)]
    votes = _count(names, ballots)
    out = elect([Candidate(x, votes[x], 2 * votes[x] > 1001) for x in names], 3)
    assert all(2 * votes[w] > 1001 for w in out.winners)
