"""The indicator interface (INS-1, INS-6): what an indicator is, the periods and scopes it is
measured over, its staged targets and its red/yellow/green thresholds. Pure: no app imports.

Each app declares its own indicators in `courtyard/<app>/indicators.py`:

    INDICATORS = [Indicator(code=..., compute=fn, ...), ...]   # fn(scope, period) -> (numerator, denominator)
    ACTS = [Act(code, label, people=fn), ...]                  # fn(scope, period) -> person ids who took part

and `catalogue()` / `acts()` collect them (courtyard.core.extensions.app_modules("indicators")).
Values are exact fractions; the numerator and the denominator travel with every value so a page
can always show what a percentage was made of. See docs/insight.md and docs/adr/0023.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from .extensions import app_modules

# Direction: is a higher value better ("up") or a lower one ("down")?
UP, DOWN = "up", "down"
# How the period is read: acts within the period ("flow") or everything up to its end ("stock").
FLOW, STOCK = "flow", "stock"
# Colours of a reading.
GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
COLOURS = (GREEN, YELLOW, RED, GREY)
# Staged targets (seed 003 §3.3, §8.2): the first year, years two and three, the fifth year on.
YEAR1, YEARS2_3, YEAR5 = "year1", "years2_3", "year5"
STAGES = (YEAR1, YEARS2_3, YEAR5)

MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)
_PERIOD_RE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})|Q(?P<q>[1-4])))?$")


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year; `end` is exclusive."""

    start: dt.date
    end: dt.date
    kind: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """"2026-11" (a month), "2026-Q4" (a quarter) or "2026" (a year)."""
        m = _PERIOD_RE.match((text or "").strip())
        if not m:
            raise BadPeriod(text)
        year = int(m["y"])
        if not 2000 <= year <= 2100:
            raise BadPeriod(text)
        if m["m"]:
            month = int(m["m"])
            if not 1 <= month <= 12:
                raise BadPeriod(text)
            return cls.month(year, month)
        if m["q"]:
            return cls.quarter(year, int(m["q"]))
        return cls.year(year)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        return cls(start, start + dt.timedelta(days=calendar.monthrange(year, month)[1]), MONTH)

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return cls(start, end, QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), YEAR)

    @classmethod
    def containing(cls, day: dt.date, kind: str = MONTH) -> Period:
        if kind == MONTH:
            return cls.month(day.year, day.month)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == YEAR:
            return cls.year(day.year)
        raise BadPeriod(kind)

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> Period:
        return Period.containing(self.end, self.kind)

    def back(self, n: int) -> list[Period]:
        """This period and the n-1 before it, oldest first."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware instants in the site's time zone, [start, end)."""
        from django.utils import timezone

        tz = timezone.get_default_timezone()
        return (dt.datetime.combine(self.start, dt.time(), tzinfo=tz), dt.datetime.combine(self.end, dt.time(), tzinfo=tz))

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Scope:
    """A node of the place tree an indicator is measured at: a self-governance unit (`unit_id` set,
    `path` its community's path) or a place (community, subdistrict, district; `path` its own)."""

    kind: str
    pk: int
    name: str
    path: str
    unit_id: int | None = None
    started: dt.date | None = None  # when self-governance began here (picks the staged target)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    def lookup(self, path_field: str = "path", unit_field: str = "unit_id") -> dict[str, Any]:
        """Filter keywords selecting the rows of this scope, given the model's path and unit fields."""
        if self.unit_id is not None:
            return {unit_field: self.unit_id}
        return {f"{path_field}__startswith": self.path}


@dataclass(frozen=True)
class Targets:
    year1: Fraction | None = None
    years2_3: Fraction | None = None
    year5: Fraction | None = None

    def for_stage(self, stage: str) -> Fraction | None:
        return {YEAR1: self.year1, YEARS2_3: self.years2_3, YEAR5: self.year5}[stage]


@dataclass(frozen=True)
class Thresholds:
    """Where yellow and red begin. For an "up" indicator a value below `yellow` is yellow and
    below `red` is red; for a "down" indicator a value above them is."""

    yellow: Fraction
    red: Fraction


Compute = Callable[[Scope, Period], tuple[int, int]]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any  # lazy translated text
    formula: Any
    numerator: Any
    denominator: Any
    source: Any
    compute: Compute
    thresholds: Thresholds
    targets: Targets = field(default_factory=Targets)
    direction: str = UP
    period: str = FLOW
    app: str = ""
    score: bool = False  # a 0–100 score (an average), not a ratio shown as a percentage
    money: bool = False  # numerator and denominator are amounts in fen (shown in yuan)
    references: str = ""  # seed sections, e.g. "003 §3.4"

    def reading(self, scope: Scope, period: Period) -> Reading:
        num, den = self.compute(scope, period)
        return Reading(self, int(num), int(den), stage_for(scope.started, period))


def programme_start() -> dt.date | None:
    """The configured start of the programme (`COURTYARD_PROGRAMME_START`, "YYYY-MM-DD"), if any: the
    stage of a unit with no start date of its own, or of a place with no unit yet, counts from it."""
    from django.conf import settings

    value = getattr(settings, "COURTYARD_PROGRAMME_START", None)
    if isinstance(value, str):
        return dt.date.fromisoformat(value) if value.strip() else None
    return value


def stage_for(started: dt.date | None, period: Period) -> str:
    """The target stage a period falls in: months since self-governance began — the unit's start
    date, else the configured programme start; neither known: year 5 (the final targets)."""
    if started is None:
        started = programme_start()
    if started is None:
        return YEAR5
    months = (period.start.year - started.year) * 12 + period.start.month - started.month
    if months < 12:
        return YEAR1
    if months < 36:
        return YEARS2_3
    return YEAR5


def limits(indicator: Indicator, target: Fraction | None) -> tuple[Fraction, Fraction]:
    """Where yellow and red begin for a reading (ADR 0032). With a staged target: yellow as soon as
    the value misses the target, red when it misses it by more than the indicator's own band (the
    distance between its fixed yellow and red thresholds). Without a target for the stage: the fixed
    thresholds."""
    t = indicator.thresholds
    if target is None:
        return t.yellow, t.red
    band = abs(t.yellow - t.red)
    return target, (target - band if indicator.direction == UP else target + band)


def colour(indicator: Indicator, value: Fraction | None, target: Fraction | None = None) -> str:
    """Green when the value meets the stage's target (or, with no target, the yellow threshold)."""
    if value is None:
        return GREY
    yellow, red = limits(indicator, target)
    if indicator.direction == UP:
        return RED if value < red else YELLOW if value < yellow else GREEN
    return RED if value > red else YELLOW if value > yellow else GREEN


def ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def decimal_str(value: Fraction | None, places: int = 4) -> str | None:
    """An exact fraction as a decimal string, rounded half up: 5/8 → "0.6250"."""
    if value is None:
        return None
    q = Decimal(1).scaleb(-places)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, rounding=ROUND_HALF_UP))


def percent_str(value: Fraction | None, places: int = 1) -> str:
    """62.5 for 5/8; "—" for no value."""
    if value is None:
        return "—"
    return decimal_str(value * 100, places) or "—"


def percent_text(value: Fraction | None, places: int = 1) -> str:
    """"62.5 %" for 5/8 (exact, half up); "—" for no value. The one way pages show a share."""
    if value is None:
        return "—"
    return f"{percent_str(value, places)} %"


def yuan(fen: int) -> str:
    """12345 fen → "¥123.45" (exact, integer arithmetic)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    numerator: int
    denominator: int
    stage: str = YEAR5

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def value(self) -> Fraction | None:
        return ratio(self.numerator, self.denominator)

    @property
    def target(self) -> Fraction | None:
        return self.indicator.targets.for_stage(self.stage)

    @property
    def colour(self) -> str:
        return colour(self.indicator, self.value, self.target)

    @property
    def shown(self) -> str:
        """The value as people read it: "62.5 %" for a ratio, "86.0" for a score."""
        if self.value is None:
            return "—"
        return decimal_str(self.value, 1) if self.indicator.score else percent_text(self.value)

    @property
    def numerator_shown(self) -> str:
        return yuan(self.numerator) if self.indicator.money else str(self.numerator)

    @property
    def denominator_shown(self) -> str:
        return yuan(self.denominator) if self.indicator.money else str(self.denominator)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": decimal_str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": decimal_str(self.target),
            "colour": self.colour,
        }


@dataclass(frozen=True)
class Act:
    """A kind of taking part that counts a household as participating (a vote cast, a topic raised,
    a request filed…): `people(scope, period)` returns the ids of the persons who did it (a queryset
    of `org.Person` ids or any iterable)."""

    code: str
    label: Any
    people: Callable[[Scope, Period], Any]


@cache
def _modules() -> tuple:
    return tuple(app_modules("indicators"))


def catalogue() -> dict[str, Indicator]:
    """Every app's indicators by code, in app order. Two apps may not declare the same code."""
    out: dict[str, Indicator] = {}
    for module in _modules():
        for ind in getattr(module, "INDICATORS", []):
            if ind.code in out:
                raise ValueError(f"indicator {ind.code} declared twice")
            out[ind.code] = ind
    return out


def acts() -> list[Act]:
    return [a for module in _modules() for a in getattr(module, "ACTS", [])]
