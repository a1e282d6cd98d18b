"""Extension points through which each app adds itself to the shared shells without
editing them. An app may define `courtyard/<app>/nav.py` with any of:

    CONSOLE_SECTION = _("Heading")                          # the app's group in the console menu
    CONSOLE_NAV = [(url_name, label, permission), ...]     # staff console menu
    RESIDENT_TILES = [(url_name, label, hint), ...]          # tiles on the resident home page
    PUBLIC_SECTIONS = [(key, template_name, context_fn), ...]  # sections of /u/<slug>/;
        # context_fn(unit) -> dict; key is one of "notices", "ledger", "results" (replacing
        # the placeholder) or a new key (appended).
    HOME_SECTIONS = [(template_name, context_fn), ...]   # sections of the resident home;
        # context_fn(user, home) -> dict or None (None: the section is left out).
"""

from __future__ import annotations

from functools import cache

from courtyard.core.extensions import app_modules


@cache
def _modules() -> list:
    return app_modules("nav")


def console_nav() -> list[tuple]:
    return [item for m in _modules() for item in getattr(m, "CONSOLE_NAV", [])]


def console_sections() -> list[tuple]:
    """[(heading, [(url_name, label, perm), …]), …] — one group per app, in APPS order."""
    return [(getattr(m, "CONSOLE_SECTION", ""), m.CONSOLE_NAV) for m in _modules() if getattr(m, "CONSOLE_NAV", None)]


def resident_tiles() -> list[tuple]:
    return [item for m in _modules() for item in getattr(m, "RESIDENT_TILES", [])]


def public_sections() -> list[tuple]:
    return [item for m in _modules() for item in getattr(m, "PUBLIC_SECTIONS", [])]


def home_sections() -> list[tuple]:
    return [item for m in _modules() for item in getattr(m, "HOME_SECTIONS", [])]
