"""Number formats for Rollbook's pages."""

from django import template

register = template.Library()


@register.filter
def thousands(value: int) -> str:
    """Format a whole number with a comma between thousands, as in 117,080."""
    return f"{value:,}"
