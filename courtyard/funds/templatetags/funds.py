from django import template
from django.utils.html import format_html

from courtyard.funds.money import yuan as _yuan
from courtyard.funds.money import yuan_rate as _yuan_rate

register = template.Library()


@register.filter
def yuan(fen):
    return _yuan(fen)


@register.filter
def money(value):
    """An amount for a phone screen: fen (int) -> '1,122,752.05' in a span that never wraps mid-number and
    uses tabular figures (resident.css `.money`). A string that is already formatted is wrapped as it is."""
    if value is None or value == "":
        return ""
    text = _yuan(value) if isinstance(value, int) else str(value)
    return format_html('<span class="money">{}</span>', text)


@register.filter
def yuan_rate(fen_per_unit):
    """A levy standard stored in fen per m² shown in yuan per m² (150 -> '1.50')."""
    return _yuan_rate(fen_per_unit)


@register.filter
def role_label(code):
    from courtyard.core.access import ROLES

    role = ROLES.get(code)
    return role.label if role else code


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (per-criterion points), or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
