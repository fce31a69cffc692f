"""Template helpers for the dashboards: range-keeping links and percentages."""

from django import template

register = template.Library()


@register.simple_tag
def range_query(selection, params=None, **extra) -> str:
    """Return the query string that keeps the page's range, with a scope's ``params`` and ``extra`` added."""
    values = dict(params or {})
    values.update(extra)
    return selection.query(**values)


@register.filter
def rate(value) -> str:
    """Format a percentage to one decimal place with a % sign, or an en dash without one."""
    return "–" if value is None else f"{value}%"


@register.simple_tag(takes_context=True)
def preset_query(context, preset) -> str:
    """Return the current query string with its range replaced by the named ``preset``."""
    params = context["request"].GET.copy()
    for key in ("from", "to", "preset"):
        params.pop(key, None)
    params["preset"] = preset.value
    return "?" + params.urlencode()


@register.filter
def get_item(mapping, key):
    """Return ``mapping[key]``, or an empty string when the key is missing."""
    return mapping.get(key, "")
