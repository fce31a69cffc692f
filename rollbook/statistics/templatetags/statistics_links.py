"""Links from the landing page to the leaders' and governors' pages the user may open."""

from django import template

from rollbook.web.access import Permission, permissions_at

register = template.Library()


@register.inclusion_tag("statistics/_links.html", takes_context=True)
def statistics_links(context, school):
    granted = permissions_at(context["request"].user, school)
    return {
        "school": school,
        "figures": Permission.VIEW_FIGURES in granted,
        "spreadsheet": Permission.SCHOOL_ANALYSIS in granted,
    }
