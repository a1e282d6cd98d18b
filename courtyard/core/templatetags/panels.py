from django import template

from courtyard.core.panels import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def app_panels(context, subject: str, obj):
    """Other apps' panels about `obj` (courtyard/core/panels.py)."""
    request = context.get("request")
    return panels(request, subject, obj) if request is not None else ""
