from django import template

from courtyard.web.icons import svg

register = template.Library()


@register.simple_tag
def icon(name: str, size: int = 24, css: str = "r-icon"):
    """{% icon "votes" %} → an inline SVG drawn in the current text colour."""
    return svg(name, size, css)
