from django import template

from courtyard.core.indicators import percent_str

register = template.Library()


@register.filter
def pct(value) -> str:
    """An exact fraction as a percentage: 3/4 → "75.0 %"."""
    return "—" if value is None else f"{percent_str(value)} %"


@register.filter
def indicator_label(code: str) -> str:
    from courtyard.core.indicators import catalogue

    ind = catalogue().get(code)
    return str(ind.label) if ind else code
