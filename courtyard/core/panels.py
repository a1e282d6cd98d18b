"""Panels: what one app shows on another app's page, without either importing the other (ADR 0021's
independent siblings). An app may ship `panels.py` with

    PANELS = {"servicedesk.request": [request_panel]}   # subject -> callables(request, obj) -> HTML

and the page that owns the subject renders them with `{% load panels %}{% app_panels "servicedesk.request" req %}`.
A panel checks its own permissions and returns "" when it has nothing for this person."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from .extensions import app_modules


def panels(request, subject: str, obj) -> SafeString:
    parts = []
    for module in app_modules("panels"):
        for panel in getattr(module, "PANELS", {}).get(subject, ()):
            html = panel(request, obj)
            if html:
                parts.append(str(html))
    return mark_safe("".join(parts))  # noqa: S308 - each panel returns rendered, escaped HTML
