"""Pure rules of the points economy (property-tested in tests/test_domain.py)."""

from __future__ import annotations

from fractions import Fraction


def capped(points: int, *, earned_today: int, earned_month: int, daily_cap: int, monthly_cap: int) -> int:
    """How many of `points` may still be credited given what this act already earned today and this
    month (0 caps mean no cap). Never negative, never more than asked."""
    allowed = points
    if daily_cap:
        allowed = min(allowed, daily_cap - earned_today)
    if monthly_cap:
        allowed = min(allowed, monthly_cap - earned_month)
    return max(0, allowed)


def rate(part: int, whole: int) -> Fraction | None:
    """An exact ratio (None when there is nothing to divide by)."""
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None) -> str:
    """A ratio as a whole percentage, rounded half up ("85 %" style numbers without floats)."""
    if value is None:
        return "—"
    scaled = value * 100
    return str((scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator))
