"""Pure rules of the points economy (property-tested in tests/test_domain.py)."""

from __future__ import annotations

from courtyard.core.indicators import ratio


def capped(points: int, *, earned_today: int, earned_month: int, daily_cap: int, monthly_cap: int) -> int:
    """How many of `points` may still be credited given what this act already earned today and this
    month (0 caps mean no cap). Never negative, never more than asked."""
    allowed = points
    if daily_cap:
        allowed = min(allowed, daily_cap - earned_today)
    if monthly_cap:
        allowed = min(allowed, monthly_cap - earned_month)
    return max(0, allowed)


# An exact ratio (None when there is nothing to divide by): the one the indicators use.
rate = ratio


def yuan(fen: int) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 62740000 → "627,400.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def wan(fen: int) -> str:
    """Integer fen in 万元 (ten-thousand yuan), two decimals rounded half up: 62740000 → "62.74"."""
    hundredths = (abs(fen) + 5_000) // 10_000
    return f"{'-' if fen < 0 else ''}{hundredths // 100}.{hundredths % 100:02d}"


def parse_yuan(text: str) -> int:
    """"1,234.5" → 123450 fen. Raises ValueError on anything but a plain amount with at most 2 decimals."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2 or amount > Decimal(10) ** 10:
        raise ValueError(text)
    return int(amount * 100)
