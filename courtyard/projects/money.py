"""Yuan typed by people ↔ integer fen stored (no floats)."""

from __future__ import annotations

import re

_YUAN = re.compile(r"^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$")


def parse_yuan(text: str) -> int:
    """"1,234.5" → 123450. Raises ValueError on anything else (negative, 3 decimals, letters)."""
    m = _YUAN.match((text or "").replace(",", "").replace("，", ""))
    if not m:
        raise ValueError(text)
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


def yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
