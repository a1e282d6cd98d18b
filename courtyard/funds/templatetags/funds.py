from django import template

from courtyard.funds.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen):
    return _yuan(fen)


@register.filter
def role_label(code):
    from courtyard.core.access import ROLES

    role = ROLES.get(code)
    return role.label if role else code


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (per-criterion points), or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
