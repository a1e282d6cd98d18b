"""Computing indicators: every indicator of the catalogue at a scope for a period, exactly."""

from __future__ import annotations

from courtyard.core.indicators import Period, Reading, Scope, catalogue


def readings(scope: Scope, period: Period, codes: list[str] | None = None) -> list[Reading]:
    cat = catalogue()
    chosen = codes if codes is not None else list(cat)
    return [cat[code].reading(scope, period) for code in chosen]
