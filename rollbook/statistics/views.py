"""Pages for leaders and governors: benchmarks, policy comparison, governors' report, SLT spreadsheet.

Every view finds the school through ``school_or_404`` and checks a permission from
``rollbook.web.access``. Pages that name pupils need ``SCHOOL_ANALYSIS``; the others show
figures only.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from rollbook.policy.rules import Rule
from rollbook.web import views as web_views
from rollbook.web.access import Permission, can, require, school_or_404
from rollbook.web.dashboard import rule_label

from .benchmarks import DEFAULT_SCHOOL_TYPE, WHOLE_YEAR, BenchmarkError, available_choices, compare
from .forms import BenchmarkForm, PolicyComparisonForm
from .policy_comparison import compare_policies

logger = logging.getLogger(__name__)


@login_required
@require_GET
def benchmarks(request, school_id: int):
    """Show the school's absence beside its LA's, its region's and England's published figures."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_FIGURES)
    choices = available_choices(school)
    context = {"school": school, "choices": choices, "comparison": None, "problem": ""}
    if not choices.start_years:
        return render(request, "statistics/benchmarks.html", context)

    data = request.GET.copy() if request.GET else {}
    data.setdefault("year", str(choices.start_years[0]))
    data.setdefault("period", WHOLE_YEAR if WHOLE_YEAR in choices.time_identifiers else choices.time_identifiers[0])
    data.setdefault("school_type", DEFAULT_SCHOOL_TYPE if DEFAULT_SCHOOL_TYPE in choices.school_types else choices.school_types[0])
    form = BenchmarkForm(data, choices)
    context["form"] = form
    if not form.is_valid():
        return render(request, "statistics/benchmarks.html", context, status=400)

    try:
        context["comparison"] = compare(
            school, form.cleaned_data["year"], form.cleaned_data["period"], form.cleaned_data["school_type"], web_views.today()
        )
    except BenchmarkError as error:
        context["problem"] = str(error)
    return render(request, "statistics/benchmarks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_comparison(request, school_id: int):
    """Show which pupils would meet which rule under the school's policy and another one.

    Staff with ``SCHOOL_ANALYSIS`` see pupils and the evidence; everyone else with
    ``VIEW_FIGURES`` (governors among them) sees the numbers of pupils only. A draft policy
    is posted, because it can be long; nothing is stored either way.
    """
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_FIGURES)
    with_names = can(request.user, school, Permission.SCHOOL_ANALYSIS)
    today = web_views.today()

    if request.method == "POST":
        form = PolicyComparisonForm(request.POST, request.FILES)
    elif request.GET:
        form = PolicyComparisonForm(request.GET)
    else:
        form = PolicyComparisonForm(initial={"as_of": today, "policy": "england-2024"})

    context = {"school": school, "form": form, "comparison": None, "with_names": with_names}
    if form.is_bound and form.is_valid():
        comparison = compare_policies(school, form.cleaned_data["as_of"], form.chosen_policy())
        if comparison is None:
            form.add_error("as_of", "The school has no academic year containing this date; choose a date in a year it has marks for.")
        else:
            labels = {rule: rule_label(rule, comparison.current_policy) for rule in Rule}
            context["comparison"] = comparison
            context["counts"] = [(count, labels[count.rule]) for count in comparison.counts()]
            context["rows"] = [(row, labels[row.rule]) for row in comparison.rows] if with_names else None
    return render(request, "statistics/policy_comparison.html", context)
