"""The funds' indicator (INS-1, INS-6): the self-funding ratio, (residents' own money + donations
and other social funds) ÷ all income, to the end of the period — the same figure the public ledger
shows (`selectors.self_funding_ratio`), summed over the ledger instead of the running totals."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction as F

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import STOCK, Indicator, Period, Scope, Targets, Thresholds

from .choices import GOVERNMENT_BASES, Kind
from .models import LedgerEntry


def self_funding_ratio(scope: Scope, period: Period) -> tuple[int, int]:
    """Income net of corrections booked before the period ends: not from the government ÷ all, in fen."""
    income = LedgerEntry.objects.filter(booked_on__lt=period.end, **scope.lookup(
        "account__community__path", "account__unit_id")).filter(
        Q(kind=Kind.INCOME) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.INCOME))
    by_basis: dict[str, int] = defaultdict(int)
    for row in income.values("basis", "reverses__basis").annotate(s=Sum("amount_fen")):
        by_basis[row["reverses__basis"] or row["basis"]] += row["s"]
    total = sum(by_basis.values())
    gov = sum(v for k, v in by_basis.items() if k in GOVERNMENT_BASES)
    return total - gov, total


INDICATORS = [
    Indicator(
        code="self_funding_ratio", app="funds", label=_("Self-funding ratio"),
        formula=_("(residents' own money + donations) ÷ all funds"),
        numerator=_("income raised by residents and society (levies, fees, donations, revenue shares), in fen"),
        denominator=_("all income, government subsidies and grants included, in fen"),
        source=_("Funds: the public ledger (net of corrections)"), compute=self_funding_ratio, period=STOCK, money=True,
        targets=Targets(None, F(40, 100), F(50, 100)), thresholds=Thresholds(F(40, 100), F(30, 100)),
        references="003 §3.2, §3.3, §3.4, §8.2",
    ),
]
