"""Pure arithmetic of survey results and consent rates: exact fractions, no floats, no database.

A percentage is shown rounded half up from the exact Fraction by the shared
`courtyard.core.indicators.percent_str`, so 60/65 reads "92.3" and 41/44 "93.2" whatever the
platform's float rounding does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


def share(part: int, whole: int) -> Fraction | None:
    """part / whole as a Fraction; None when nobody is counted (0 / 0 is no rate, not 0 %)."""
    if whole < 0 or part < 0 or part > whole:
        raise ValueError("0 <= part <= whole")
    return Fraction(part, whole) if whole else None


@dataclass(frozen=True)
class Row:
    """One respondent's answer to one question (or matrix row): the chosen option indexes, and the
    respondent's groups (dimension → group key)."""

    choices: tuple[int, ...]
    groups: Mapping[str, str]


def option_counts(rows: Iterable[Row], n_options: int) -> tuple[list[int], int]:
    """How many respondents chose each option, and how many answered at all."""
    counts = [0] * n_options
    answered = 0
    for r in rows:
        chosen = {c for c in r.choices if 0 <= c < n_options}
        if chosen:
            answered += 1
        for c in chosen:
            counts[c] += 1
    return counts, answered


def crosstab(rows: Sequence[Row], n_options: int, dimension: str) -> dict[str, tuple[list[int], int]]:
    """Per group of `dimension`: option counts and respondents answering. The groups partition the
    rows, so the groups' counts add up to the overall counts."""
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r.groups.get(dimension, ""), []).append(r)
    return {key: option_counts(group, n_options) for key, group in out.items()}


def top_box(counts: Sequence[int], top: int = 2) -> int:
    """Respondents choosing one of the last `top` points of a scale (e.g. "very" + "fairly" urgent)."""
    return sum(counts[-top:]) if top else 0


# ---------------------------------------------------------------- consent
@dataclass(frozen=True)
class Household:
    dwelling_id: int
    building: str
    area_hundredths: int  # m² × 100, exact
    answer: str  # "yes", "no", "undecided" or "" (not visited yet)


@dataclass(frozen=True)
class ConsentRates:
    households: int
    yes: int
    no: int
    undecided: int
    not_visited: int
    area_total: int
    area_yes: int

    @property
    def by_households(self) -> Fraction | None:
        return share(self.yes, self.households)

    @property
    def by_area(self) -> Fraction | None:
        return share(self.area_yes, self.area_total)

    def meets(self, target: Fraction) -> bool:
        """Both rates reach the target (the Civil Code counts owners and area alike)."""
        h, a = self.by_households, self.by_area
        return h is not None and h >= target and (a is None or a >= target)


def consent_rates(households: Iterable[Household]) -> ConsentRates:
    n = yes = no = undecided = missing = area = area_yes = 0
    for h in households:
        n += 1
        area += h.area_hundredths
        if h.answer == "yes":
            yes += 1
            area_yes += h.area_hundredths
        elif h.answer == "no":
            no += 1
        elif h.answer == "undecided":
            undecided += 1
        else:
            missing += 1
    return ConsentRates(n, yes, no, undecided, missing, area, area_yes)


def to_visit(households: Iterable[Household]) -> dict[str, list[int]]:
    """Dwellings still to visit (no answer yet, or undecided), by building, in the order given."""
    out: dict[str, list[int]] = {}
    for h in households:
        if h.answer in ("", "undecided"):
            out.setdefault(h.building, []).append(h.dwelling_id)
    return out
