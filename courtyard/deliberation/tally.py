"""Counting votes exactly (DLB-5). Pure functions: no database, no floats.

Legal basis
-----------
* 民法典 第278条: a joint decision needs participation of owners whose exclusive area is
  two thirds or more ("三分之二以上") of the total AND who are two thirds or more of all
  owners. Items 6–8 (raising/using maintenance funds, rebuilding/renovating buildings,
  changing the use of common parts or running business on them) need three quarters or
  more of the PARTICIPATING area AND of the participating owners; other items need more
  than half ("过半数") of both.
* 民法典 第1259条: "以上" includes the bound; "过半数" does not.
* 最高人民法院《关于审理建筑物区分所有权纠纷案件具体应用法律若干问题的解释》第8–9条:
  area is the exclusive area (register, else survey, else contract); headcount is one per
  exclusive part, except that the developer's unsold parts count as one owner and one
  buyer of several parts counts as one.

The caller supplies one `Elector` per voting key: co-owners of a dwelling share one key;
all dwellings of one buyer are one key carrying all their area; the developer's unsold
dwellings are one key. Abstentions participate but do not approve.

Non-voters following the majority (`follow_majority`) is a per-unit rule and off by
default. When on, it never counts toward participation: participation is checked on the
actual participants first; then non-voters join the side of the participants' majority
(by headcount, strictly more than half approving) for the approval counts, and the
approval base becomes the whole electorate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from courtyard.core.indicators import percent_text

YES, NO, ABSTAIN = "yes", "no", "abstain"
YES_NO_CHOICES = (YES, NO, ABSTAIN)


@dataclass(frozen=True)
class Threshold:
    """`share` of a base; `inclusive` means "以上" (≥), otherwise "过半数"-style (>)."""

    share: Fraction
    inclusive: bool

    def met(self, part: Fraction | int | Decimal, whole: Fraction | int | Decimal) -> bool:
        part, whole = Fraction(part), Fraction(whole)
        if whole == 0:
            return self.share == 0 and self.inclusive
        ratio = part / whole
        return ratio >= self.share if self.inclusive else ratio > self.share

    def describe(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.share.numerator}/{self.share.denominator}"


@dataclass(frozen=True)
class Rule:
    code: str
    participation: Threshold  # of the whole electorate
    approval: Threshold  # of the participants
    by_area: bool = True  # False: headcount only (electorates without exclusive area)


NONE = Threshold(Fraction(0), True)
RULES: dict[str, Rule] = {
    "art278_major": Rule("art278_major", Threshold(Fraction(2, 3), True), Threshold(Fraction(3, 4), True)),
    "art278_ordinary": Rule("art278_ordinary", Threshold(Fraction(2, 3), True), Threshold(Fraction(1, 2), False)),
    "simple_majority": Rule("simple_majority", NONE, Threshold(Fraction(1, 2), False)),
}


def custom_rule(participation: Fraction, approval: Fraction, *, participation_inclusive: bool = True,
                approval_inclusive: bool = True, by_area: bool = True) -> Rule:
    for f in (participation, approval):
        if not (0 <= f <= 1):
            raise ValueError("a threshold must lie between 0 and 1")
    return Rule("custom", Threshold(Fraction(participation), participation_inclusive),
                Threshold(Fraction(approval), approval_inclusive), by_area)


def get_rule(code: str, **custom) -> Rule:
    if code == "custom":
        return custom_rule(**custom)
    try:
        return RULES[code]
    except KeyError:
        raise ValueError(f"unknown rule {code!r}") from None


# --- the one rule builder (issue 8 item 8) -------------------------------------------------------------
# The app (services.vote_rule) and `manage.py tally` (tally_io) both turn a *rule spec* into a Rule here and
# nowhere else; the vote export writes the very spec the app counted with (services.rule_spec), so an
# exported vote re-tallies to the app's verdict for every electorate and rule, custom fractions included.
#
#   {"rule": "art278_major" | "art278_ordinary" | "simple_majority" | "custom",
#    "electorate": "owners" | "households" | "adults" | "representatives" | "committee",   (default owners)
#    "custom": {"participation": "2/3", "approval": "1/2", "approval_strict": false}}      (custom only)
#
# Only owners' votes weigh exclusive area (第278条); every other electorate counts heads only.
ELECTORATES = ("owners", "households", "adults", "representatives", "committee")
AREA_ELECTORATES = frozenset({"owners"})
CIVIL_CODE_RULES = ("art278_major", "art278_ordinary")
RULE_CODES = (*RULES, "custom")


def parse_fraction(value) -> Fraction:
    """"2/3", "0.5", "1" → an exact Fraction in [0, 1]; anything else is a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"a threshold must be a fraction such as 2/3, got {value!r}")
    try:
        f = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{value!r} is not a fraction such as 2/3") from None
    if not 0 <= f <= 1:
        raise ValueError(f"a threshold must lie between 0 and 1, got {value!r}")
    return f


def build_rule(code: str, *, electorate: str = "owners", participation="", approval="",
               approval_strict: bool = False) -> Rule:
    """The Rule a vote is counted by. Custom: participation defaults to 0 (≥), approval to 1/2 (≥ unless
    `approval_strict`, i.e. 过半数 style). Raises ValueError for anything it cannot build."""
    if electorate not in ELECTORATES:
        raise ValueError(f"unknown electorate {electorate!r} (expected one of {', '.join(ELECTORATES)})")
    by_area = electorate in AREA_ELECTORATES
    if code == "custom":
        if not isinstance(approval_strict, bool):
            raise ValueError("approval_strict must be true or false")
        return custom_rule(parse_fraction(participation or "0"), parse_fraction(approval or "1/2"),
                           approval_inclusive=not approval_strict, by_area=by_area)
    if code not in RULES:
        raise ValueError(f"unknown rule {code!r} (expected one of {', '.join(RULE_CODES)})")
    if code in CIVIL_CODE_RULES and not by_area:
        raise ValueError(f"rule {code} applies to votes of owners, not {electorate}")
    rule = RULES[code]
    return rule if by_area else Rule(rule.code, rule.participation, rule.approval, by_area=False)


def rule_from_spec(spec: Mapping) -> Rule:
    """build_rule() from the JSON spec above (the vote export / `manage.py tally` input)."""
    custom = spec.get("custom") or {}
    if not isinstance(custom, Mapping):
        raise ValueError("custom must be an object with participation, approval and approval_strict")
    return build_rule(spec.get("rule"), electorate=spec.get("electorate", "owners"),
                      participation=custom.get("participation", ""), approval=custom.get("approval", ""),
                      approval_strict=custom.get("approval_strict", False))


def count(electors: Iterable[Elector], ballots: Mapping, rule: Rule, *, options: Iterable[str] | None = None,
          follow_majority: bool = False):
    """The one counting entry point: yes/no ballots → Result; option ballots (`options` given) →
    {option: Result}. Non-voters follow the majority only in yes/no votes."""
    if options is None:
        return tally(electors, ballots, rule, follow_majority=follow_majority)
    return tally_options(electors, ballots, options, rule)


def contract_of(result) -> dict:
    """The JSON verdict of `count()` (what `manage.py tally` prints and the app stores, minus its labels)."""
    if isinstance(result, Result):
        return result.as_contract()
    return {"options": {o: r.as_contract() for o, r in result.items()}}


@dataclass(frozen=True)
class Elector:
    key: str
    area: Decimal = Decimal("0")


@dataclass(frozen=True)
class Count:
    area: Decimal
    heads: int


@dataclass(frozen=True)
class Result:
    rule: Rule
    total: Count
    participating: Count
    approving: Count
    approval_base: Count  # participating, or the whole electorate when non-voters follow the majority
    participation_area_met: bool
    participation_heads_met: bool
    approval_area_met: bool
    approval_heads_met: bool
    choices: dict[str, Count] = field(default_factory=dict)
    followed_majority: Count | None = None

    @property
    def participation_met(self) -> bool:
        return self.participation_area_met and self.participation_heads_met

    @property
    def approval_met(self) -> bool:
        return self.approval_area_met and self.approval_heads_met

    @property
    def passed(self) -> bool:
        return self.participation_met and self.approval_met

    def as_contract(self) -> dict:
        """The JSON shape of `manage.py tally` (issue 3, DLB-5)."""
        return {
            "total": {"area": str(self.total.area), "owners": self.total.heads},
            "participation": {"area": str(self.participating.area), "owners": self.participating.heads,
                              "area_met": self.participation_area_met, "owners_met": self.participation_heads_met},
            "approval": {"area": str(self.approving.area), "owners": self.approving.heads,
                         "area_met": self.approval_area_met, "owners_met": self.approval_heads_met},
            "passed": self.passed,
        }


def _sum(areas: Iterable[Decimal]) -> Decimal:
    total = Decimal("0.00")
    for a in areas:
        total += a
    return total


def tally(electors: Iterable[Elector], ballots: Mapping[str, str], rule: Rule, *,
          follow_majority: bool = False) -> Result:
    """Count yes/no/abstain ballots (key → choice) of an electorate.

    Raises ValueError for a ballot from a key outside the electorate or an unknown choice.
    """
    electorate = {e.key: e for e in electors}
    for key, choice in ballots.items():
        if key not in electorate:
            raise ValueError(f"ballot from {key!r}, who is not in the electorate")
        if choice not in YES_NO_CHOICES:
            raise ValueError(f"unknown choice {choice!r}")
    total = Count(_sum(e.area for e in electorate.values()), len(electorate))
    by_choice = {c: [electorate[k] for k, v in ballots.items() if v == c] for c in YES_NO_CHOICES}
    choices = {c: Count(_sum(e.area for e in es), len(es)) for c, es in by_choice.items()}
    part = Count(_sum(electorate[k].area for k in ballots), len(ballots))
    approving = choices[YES]
    base = part
    followed = None

    p_area = rule.participation.met(part.area, total.area) if rule.by_area else True
    p_heads = rule.participation.met(part.heads, total.heads)
    if follow_majority and p_area and p_heads and part.heads < total.heads:
        non_voters = [e for k, e in electorate.items() if k not in ballots]
        followed = Count(_sum(e.area for e in non_voters), len(non_voters))
        base = total
        if part.heads and Fraction(approving.heads, part.heads) > Fraction(1, 2):
            approving = Count(approving.area + followed.area, approving.heads + followed.heads)
    a_area = rule.approval.met(approving.area, base.area) if rule.by_area else True
    a_heads = rule.approval.met(approving.heads, base.heads)
    return Result(rule, total, part, approving, base, p_area, p_heads, a_area, a_heads, choices, followed)


def tally_options(electors: Iterable[Elector], ballots: Mapping[str, Iterable[str]], options: Iterable[str],
                  rule: Rule) -> dict[str, Result]:
    """Single or multiple choice: each option is approved by the ballots that chose it; the
    others (and blank ballots) participate without approving it."""
    electors = list(electors)
    out = {}
    for option in options:
        yes_no = {k: (YES if option in set(chosen) else NO) for k, chosen in ballots.items()}
        out[option] = tally(electors, yes_no, rule)
    return out


def fraction_of(part, whole) -> Fraction | None:
    whole = Fraction(whole)
    return Fraction(part) / whole if whole else None


def percent(part, whole, places: int = 2) -> str:
    """A display percentage, rounded half up from the exact fraction (display only)."""
    return percent_text(fraction_of(part, whole), places)
