"""Pure money arithmetic: integer fen, exact ratios, apportionment. No floats anywhere.

Rounding rule for levies (stated once, used everywhere):
  * total = sum of exact shares (area m² × rate fen/m²), rounded half-up to whole fen;
  * each dwelling first gets the floor of its exact share; the fen left over go one each to
    the dwellings with the largest remainders (ties: the earlier dwelling in the given order).
  So the parts always add up to the total, and no part differs from its exact share by 1 fen or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def yuan(fen: int | None) -> str:
    """12345 -> '123.45'; -5 -> '-0.05'. Integer arithmetic only."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{part:02d}"


def yuan_rate(fen_per_unit) -> str:
    """A rate in fen (Decimal, e.g. 150.50 fen per m²) -> yuan with 2 to 4 decimals: '1.505'; '1.50'."""
    if fen_per_unit is None:
        return ""
    value = (Decimal(str(fen_per_unit)) / 100).quantize(Decimal("0.0001"))
    text = f"{value:,.4f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def parse_yuan(text) -> int:
    """'123.45' / '123' / Decimal -> fen. Refuses more than 2 decimals."""
    value = Decimal(str(text).replace(",", "").strip())
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError("amounts have at most two decimals")
    return int(fen)


def round_half_up(value: Fraction) -> int:
    # floor(value + 1/2) for positives; symmetric for negatives.
    if value >= 0:
        return int((value + Fraction(1, 2)).__floor__())
    return -int((-value + Fraction(1, 2)).__floor__())


def apportion(total: int, weights: Sequence[Fraction | Decimal | int]) -> list[int]:
    """Split `total` fen in proportion to `weights` by largest remainder. Parts sum to `total`."""
    weights = [Fraction(w) for w in weights]
    if total < 0:
        return [-p for p in apportion(-total, weights)]
    wsum = sum(weights, Fraction(0))
    if not weights:
        return []
    if wsum == 0:
        raise ValueError("weights sum to zero")
    exact = [total * w / wsum for w in weights]
    parts = [int(e.__floor__()) for e in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def levy_parts(rate_fen_per_m2: int | Decimal, areas: Sequence[Decimal]) -> tuple[int, list[int]]:
    """(total, parts) for a levy of `rate_fen_per_m2` on each area, by the rule in the module doc."""
    rate = Fraction(Decimal(rate_fen_per_m2))
    exact = [rate * Fraction(Decimal(a)) for a in areas]
    total = round_half_up(sum(exact, Fraction(0)))
    if total == 0 or not areas:
        return total, [0] * len(areas)
    return total, apportion(total, exact)


def ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None, places: int = 1) -> str:
    """Fraction -> '42.9 %' (half-up), exact decimal arithmetic."""
    if value is None:
        return "—"
    scaled = Decimal(value.numerator) * 100 / Decimal(value.denominator)
    q = Decimal(1).scaleb(-places)
    return f"{scaled.quantize(q, rounding=ROUND_HALF_UP)} %"
