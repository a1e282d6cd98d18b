from django import template

from courtyard.funds.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen):
    return _yuan(fen)
