"""The JSON contract of `manage.py tally` and of the vote export (issue 3, DLB-5; issue 8 item 8).

    {"rule": ..., "electorate": ..., "custom": {...}          the rule spec (tally.build_rule, the app's builder)
     "follow_majority": false,                                  yes/no votes: non-voters follow the majority
     "options": ["A", "B"],                                     option votes only; ballots then carry "choices"
     "dwellings": [{"id", "area", "owner"}],
     "ballots": [{"owner", "choice": "yes"|"no"|"abstain"}] or [{"owner", "choices": ["A"]}]}

Only "rule", "dwellings" and "ballots" are required; the rest defaults to an owners' yes/no vote.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from .tally import RULE_CODES, YES_NO_CHOICES, Elector, contract_of, count, rule_from_spec

CONTRACT_RULES = RULE_CODES
_AREA = re.compile(r"^\d+(\.\d+)?$")


class TallyInputError(ValueError):
    pass


def _area(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise TallyInputError(f"{where}: area must be a decimal number, got {value!r}")
    text = str(value).strip()
    if text.startswith("-"):
        raise TallyInputError(f"{where}: area is negative ({text})")
    if not _AREA.match(text):
        raise TallyInputError(f"{where}: malformed area {value!r}")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already guards
        raise TallyInputError(f"{where}: malformed area {value!r}") from None


def parse_contract(text: str):
    """Parse and validate; returns (rule, electors, ballots, keyword arguments of tally.count)."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise TallyInputError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise TallyInputError("the input must be a JSON object with rule, dwellings and ballots")
    rule_code = data.get("rule")
    if rule_code not in CONTRACT_RULES:
        raise TallyInputError(f"unknown rule {rule_code!r} (expected one of {', '.join(CONTRACT_RULES)})")
    try:
        rule = rule_from_spec(data)
    except ValueError as exc:
        raise TallyInputError(str(exc)) from None
    follow = data.get("follow_majority", False)
    if not isinstance(follow, bool):
        raise TallyInputError("follow_majority must be true or false")
    options = data.get("options")
    if options is not None:
        if (not isinstance(options, list) or len(options) < 2
                or any(not isinstance(o, str) or not o for o in options) or len(set(options)) != len(options)):
            raise TallyInputError("options must be a list of at least two distinct non-empty strings")
        if follow:
            raise TallyInputError("non-voters follow the majority only in yes/no votes")
    dwellings, ballots = data.get("dwellings"), data.get("ballots")
    if not isinstance(dwellings, list) or not isinstance(ballots, list):
        raise TallyInputError("dwellings and ballots must be lists")
    areas: dict[str, Decimal] = {}
    seen_ids: set[str] = set()
    for i, d in enumerate(dwellings):
        if not isinstance(d, dict):
            raise TallyInputError(f"dwellings[{i}] must be an object")
        did, owner = d.get("id"), d.get("owner")
        where = f"dwelling {did!r}" if did is not None else f"dwellings[{i}]"
        if not isinstance(did, (str, int)) or isinstance(did, bool) or str(did) == "":
            raise TallyInputError(f"dwellings[{i}]: missing id")
        if str(did) in seen_ids:
            raise TallyInputError(f"{where}: listed twice")
        seen_ids.add(str(did))
        if not isinstance(owner, (str, int)) or isinstance(owner, bool) or str(owner) == "":
            raise TallyInputError(f"{where}: missing owner")
        area = _area(d.get("area"), where)
        areas[str(owner)] = areas.get(str(owner), Decimal("0")) + area
    votes: dict[str, object] = {}
    for i, b in enumerate(ballots):
        if not isinstance(b, dict):
            raise TallyInputError(f"ballots[{i}] must be an object")
        owner = b.get("owner")
        if not isinstance(owner, (str, int)) or isinstance(owner, bool) or str(owner) not in areas:
            raise TallyInputError(f"ballots[{i}]: unknown owner {owner!r}")
        if str(owner) in votes:
            raise TallyInputError(f"ballots[{i}]: owner {owner!r} has two ballots")
        if options is None:
            choice = b.get("choice")
            if choice not in YES_NO_CHOICES:
                raise TallyInputError(f"ballots[{i}]: unknown choice {choice!r} (expected yes, no or abstain)")
        else:
            choice = b.get("choices")
            if (not isinstance(choice, list) or len(set(map(str, choice))) != len(choice)
                    or any(c not in options for c in choice)):
                raise TallyInputError(f"ballots[{i}]: choices must be distinct options of this vote")
        votes[str(owner)] = choice
    electors = [Elector(k, a) for k, a in areas.items()]
    return rule, electors, votes, {"options": options, "follow_majority": follow}


def run_contract(text: str) -> dict:
    rule, electors, ballots, how = parse_contract(text)
    return contract_of(count(electors, ballots, rule, **how))
