"""Inline SVG icons for resident tiles and the tab bar (ADR 0012): no icon font, nothing fetched.
Each icon is a 24×24 stroke drawing in currentColor, so it follows the text colour and elderly mode's
contrast. Decorative: the label next to it is the accessible name."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Stroke paths on a 24×24 grid (drawn for this project).
PATHS: dict[str, str] = {
    "home": '<path d="M3 11 12 3l9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "household": '<circle cx="9" cy="8" r="3"/><circle cx="17" cy="9" r="2.5"/>'
                 '<path d="M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6"/><path d="M15 14.5c3 0 6 2 6 5.5"/>',
    "messages": '<path d="M4 5h16v11H9l-5 4z"/><path d="M8 9h8M8 12h5"/>',
    "me": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>',
    "topics": '<path d="M4 5h11v8H8l-4 3z"/><path d="M15 9h5v8l-3-2h-6v-2"/>',
    "votes": '<path d="M4 13h16v7H4z"/><path d="M8 13V4h8v9"/><path d="m10 8 1.5 1.5L14 7"/>',
    "documents": '<path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 12h7M9 16h7"/>',
    "ledger": '<path d="M4 5h16v14H4z"/><path d="M4 9h16M8 13h3M8 16h3M15 13h1M15 16h1"/>',
    "levy": '<circle cx="12" cy="12" r="8"/><path d="m9 7 3 4 3-4M8.5 12h7M8.5 15h7M12 11v7"/>',
    "grants": '<path d="M12 21V10"/><path d="M12 10c0-4 3-6 7-6 0 4-3 6-7 6z"/><path d="M12 13c0-3-2.5-5-6-5 0 3 2.5 5 6 5z"/>',
    "report": '<path d="M14.5 4.5a4 4 0 0 0-5 5L4 15l5 5 5.5-5.5a4 4 0 0 0 5-5L17 12l-5-5z"/>',
    "requests": '<path d="M8 4h8v3H8z"/><path d="M6 5H4v16h16V5h-2"/><path d="m8 13 2.5 2.5L16 10"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h10"/><circle cx="19" cy="18" r="1.5"/>',
    "needs": '<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>',
    "notice": '<path d="M4 10v4h3l6 5V5L7 10z"/><path d="M16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11"/>',
    "search": '<circle cx="11" cy="11" r="6"/><path d="m16 16 4 4"/>',
    "place": '<path d="M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12z"/><circle cx="12" cy="9" r="2.5"/>',
    "dot": '<circle cx="12" cy="12" r="4"/>',
}

# The resident tiles' url names → icon (apps add tiles through their nav.py).
TILE_ICONS: dict[str, str] = {
    "deliberation:topics": "topics", "deliberation:votes": "votes", "deliberation:documents": "documents",
    "deliberation:elections": "votes",
    "funds:my_ledger": "ledger", "funds:my_levy": "levy", "funds:my_bills": "levy", "funds:resident_grants": "grants",
    "servicedesk:new": "report", "servicedesk:mine": "requests", "servicedesk:menu": "menu",
    "servicedesk:resident_needs": "needs",
}


def svg(name: str, size: int = 24, css: str = "r-icon") -> str:
    paths = PATHS.get(name, PATHS["dot"])
    return format_html(
        '<svg class="{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">{}'
        "</svg>", css, size, size, mark_safe(paths))  # noqa: S308 - constant markup defined above
