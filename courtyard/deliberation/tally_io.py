"""The JSON contract of `manage.py tally` and of the vote export (issue 3, DLB-5)."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from .tally import YES_NO_CHOICES, Elector, get_rule, tally

CONTRACT_RULES = ("art278_major", "art278_ordinary")
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
    """Parse and validate; returns (rule, electors, ballots)."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise TallyInputError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise TallyInputError("the input must be a JSON object with rule, dwellings and ballots")
    rule_code = data.get("rule")
    if rule_code not in CONTRACT_RULES:
        raise TallyInputError(f"unknown rule {rule_code!r} (expected one of {', '.join(CONTRACT_RULES)})")
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
    votes: dict[str, str] = {}
    for i, b in enumerate(ballots):
        if not isinstance(b, dict):
            raise TallyInputError(f"ballots[{i}] must be an object")
        owner, choice = b.get("owner"), b.get("choice")
        if not isinstance(owner, (str, int)) or isinstance(owner, bool) or str(owner) not in areas:
            raise TallyInputError(f"ballots[{i}]: unknown owner {owner!r}")
        if str(owner) in votes:
            raise TallyInputError(f"ballots[{i}]: owner {owner!r} has two ballots")
        if choice not in YES_NO_CHOICES:
            raise TallyInputError(f"ballots[{i}]: unknown choice {choice!r} (expected yes, no or abstain)")
        votes[str(owner)] = choice
    electors = [Elector(k, a) for k, a in areas.items()]
    return get_rule(rule_code), electors, votes


def run_contract(text: str) -> dict:
    rule, electors, ballots = parse_contract(text)
    return tally(electors, ballots, rule).as_contract()
