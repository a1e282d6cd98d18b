"""Who is elected (ORG-9). Pure functions over exact integers: no database, no floats.

The ballot of a contested committee election (差额选举) chooses up to `seats` candidates. The vote
machinery counts it as an option vote (`tally.tally_options`): for each candidate, how many ballots
chose them, whether participation was met and whether they had the votes of **more than half** of the
participants (过半数, 民法典 第1259条: the bound itself is not enough).

    elect(candidates, seats)

* Nobody is elected when participation was not met (the election is void).
* A candidate needs more than half of the participants' ballots ("passed").
* Among those, the most votes win, up to `seats`.
* A tie at the last seat is never broken by order, name or chance: all tied candidates are set aside
  and those seats stay open for a run-off (另行选举). So are seats nobody reached a majority for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    name: str
    votes: int
    passed: bool  # more than half of the participants chose them (and participation was met)


@dataclass(frozen=True)
class Outcome:
    seats: int
    valid: bool  # participation met
    winners: tuple[str, ...]  # in order of votes, then as listed
    tied: tuple[str, ...]  # tied at the last seat(s): a run-off decides
    open_seats: int  # seats not filled (ties or no majority)

    def as_json(self) -> dict:
        return {"seats": self.seats, "valid": self.valid, "winners": list(self.winners), "tied": list(self.tied),
                "open_seats": self.open_seats}


def elect(candidates: Iterable[Candidate], seats: int, *, valid: bool = True) -> Outcome:
    if seats < 1:
        raise ValueError("an election fills at least one seat")
    candidates = list(candidates)
    names = [x.name for x in candidates]
    if len(set(names)) != len(names):
        raise ValueError("two candidates share a ballot name")
    if any(x.votes < 0 for x in candidates):
        raise ValueError("a vote count cannot be negative")
    if not valid:
        return Outcome(seats, False, (), (), seats)
    eligible = sorted((x for x in candidates if x.passed), key=lambda x: -x.votes)  # stable: list order
    if len(eligible) <= seats:
        winners = tuple(x.name for x in eligible)
        return Outcome(seats, True, winners, (), seats - len(winners))
    boundary = eligible[seats - 1].votes
    if eligible[seats].votes < boundary:
        winners = tuple(x.name for x in eligible[:seats])
        return Outcome(seats, True, winners, (), 0)
    winners = tuple(x.name for x in eligible if x.votes > boundary)
    tied = tuple(x.name for x in eligible if x.votes == boundary)
    return Outcome(seats, True, winners, tied, seats - len(winners))


def from_result(result: dict, options: list[str], seats: int) -> Outcome:
    """The outcome of a closed option vote (`Vote.result` as the vote machinery stores it)."""
    per = result.get("options", {})
    valid = bool(per) and all(
        r["participation"]["owners_met"] and r["participation"]["area_met"] for r in per.values())
    return elect([Candidate(o, int(per[o]["approval"]["owners"]), bool(per[o]["passed"])) for o in options],
                 seats, valid=valid)
