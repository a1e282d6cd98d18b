"""Pure money arithmetic: integer fen, exact ratios, apportionment. No floats anywhere.

Rounding rule for levies (stated once, used everywhere):
  * total = sum of exact shares (area m² × rate fen/m²), rounded half-up to whole fen;
  * each dwelling first gets the floor of its exact share; the fen left over go one each to
    the dwellings with the largest remainders (ties: the earlier dwelling in the given order).
  So the parts always add up to the total, and no part differs from its exact share by 1 fen or more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from courtyard.core.indicators import percent_text
from courtyard.core.indicators import ratio as core_ratio

_PLAIN_AMOUNT = re.compile(r"[-+]?[0-9]{1,16}(\.[0-9]{1,2})?")


def yuan(fen: int | None) -> str:
    """12345 -> '123.45'; -5 -> '-0.05'. Integer arithmetic only."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{part:02d}"


# The largest amount anyone may type: 1 000 000 000 000 yuan. Far inside the database's integer range
# (2**63 fen), so no typed amount, however long, reaches an overflow.
MAX_FEN = 100_000_000_000_000


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
    """'123.45' / '123' / Decimal -> fen. Refuses more than 2 decimals, exponents, NaN, infinities and
    amounts beyond MAX_FEN (ValueError)."""
    raw = unicodedata.normalize("NFKC", str(text)).replace(",", "").strip()  # full-width digits from an IME
    if not _PLAIN_AMOUNT.fullmatch(raw):
        raise ValueError("an amount is digits with an optional point and at most two decimals")
    value = Decimal(raw)
    fen = value * 100
    if abs(fen) > MAX_FEN:
        raise ValueError("amount out of range")
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


# Exact shares and how pages show them: the one pair of helpers in core (half up, "42.9 %").
ratio = core_ratio
percent = percent_text
