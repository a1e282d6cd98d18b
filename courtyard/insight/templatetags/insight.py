from django import template

from courtyard.core.indicators import percent_text

register = template.Library()


# An exact fraction as a percentage: 3/4 → "75.0 %".
register.filter("pct", percent_text)


@register.filter
def indicator_label(code: str) -> str:
    from courtyard.core.indicators import catalogue

    ind = catalogue().get(code)
    return str(ind.label) if ind else code
