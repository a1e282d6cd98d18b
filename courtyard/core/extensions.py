"""How apps plug into shared places without editing them: each app may ship an optional
module with a known name (`permissions`, `nav`, `demo`), and the shared code collects them."""

from __future__ import annotations

import importlib
from types import ModuleType

APPS = ("org", "deliberation", "servicedesk", "projects", "funds", "participation", "insight", "safety")


def app_modules(name: str, apps: tuple[str, ...] = APPS) -> list[ModuleType]:
    """`courtyard.<app>.<name>` for every app that has one, in APPS order.

    A missing module is skipped; an import error inside an existing module is raised.
    """
    found = []
    for app in apps:
        dotted = f"courtyard.{app}.{name}"
        try:
            found.append(importlib.import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found
