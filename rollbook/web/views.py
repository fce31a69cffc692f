"""Rollbook's pages: the landing page of each school a user belongs to."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from rollbook.requests.parent_views import parent_home
from rollbook.schools.models import School

from .access import Audience, Permission, audience_for, can, roles_at, schools_of
from .dashboard import build_dashboard


def today() -> dt.date:
    """Return today's date in Europe/London: the only place these pages read the clock."""
    return timezone.localdate()


@login_required
def home(request):
    """Show the user's school, or a list to choose from when they belong to several."""
    schools = schools_of(request.user)
    if not schools:
        return render(request, "web/no_school.html")
    if len(schools) > 1:
        return render(request, "web/choose_school.html", {"schools": schools})
    return _school_page(request, schools[0])


@login_required
def school_home(request, school_id: int):
    """Show one of the user's schools; any other school is "not found", so its existence is not revealed."""
    school = get_object_or_404(School.objects.filter(memberships__user=request.user).distinct(), pk=school_id)
    return _school_page(request, school)


def _school_page(request, school: School):
    audience = audience_for(roles_at(request.user, school))
    if audience is Audience.PARENT:
        return parent_home(request, school, today())

    dashboard = build_dashboard(school, today(), with_pupils=audience is Audience.STAFF)
    links = {
        "registers": can(request.user, school, Permission.TAKE_REGISTER),
        "missing_registers": can(request.user, school, Permission.MISSING_REGISTERS),
        "missing_contacts": can(request.user, school, Permission.VIEW_CONTACTS),
        "casework": can(request.user, school, Permission.MANAGE_CASEWORK),
        "incidents": can(request.user, school, Permission.RECORD_INCIDENTS),
        "call_list": can(request.user, school, Permission.CALL_LIST),
        "open_n": can(request.user, school, Permission.VIEW_OPEN_N),
        "requests": can(request.user, school, Permission.VIEW_REQUESTS),
    }
    context = {"school": school, "dashboard": dashboard, "audience": audience.value, "links": links}
    return render(request, "web/home.html", context)
