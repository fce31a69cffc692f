"""Pages for leaders and governors: benchmarks, policy comparison, governors' report, SLT spreadsheet.

Every view finds the school through ``school_or_404`` and checks a permission from
``rollbook.web.access``. Pages that name pupils need ``SCHOOL_ANALYSIS``; the others show
figures only.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from rollbook.analysis.groups import DIMENSIONS
from rollbook.analysis.periods import Preset, preset_period
from rollbook.policy.calendar import academic_year_end
from rollbook.policy.rules import Rule
from rollbook.web import views as web_views
from rollbook.web.access import Permission, can, current_year, require, school_or_404
from rollbook.web.dashboard import rule_label

from .benchmarks import DEFAULT_SCHOOL_TYPE, WHOLE_YEAR, BenchmarkError, available_choices, compare
from .forms import BenchmarkForm, PolicyComparisonForm
from .governors import DEFAULT_CROSSING, REPORT_DIMENSIONS, build_report
from .policy_comparison import compare_policies
from .spreadsheet import SpreadsheetError, file_name, workbook_bytes

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
        logger.info("benchmarks of school %s not compared: %s", school.pk, error)
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


def _preset_period(school, today, preset_value: str | None):
    """Return the school's period for a preset name (default the year to date), or None without a year."""
    year = current_year(school, today)
    if year is None:
        return None, None
    calendar = year.calendar()
    on = min(max(today, calendar.start), calendar.end)
    try:
        preset = Preset(preset_value or Preset.YEAR_TO_DATE)
    except ValueError:
        preset = None
    if preset is None or preset is Preset.CUSTOM:
        return year, None
    return year, preset_period(preset, calendar, on)


@login_required
@require_GET
def governors_report(request, school_id: int):
    """Show the governors' report: figures only, with groups of fewer than 5 pupils suppressed."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_FIGURES)
    today = web_views.today()
    year, period = _preset_period(school, today, request.GET.get("period"))
    context = {
        "school": school,
        "presets": [p for p in Preset if p is not Preset.CUSTOM],
        "dimensions": [(key, DIMENSIONS[key].label) for key in REPORT_DIMENSIONS],
        "report": None,
        "benchmark": None,
    }
    if year is None:
        return render(request, "statistics/governors.html", context)
    if period is None:
        context["problem"] = f"period {request.GET.get('period')!r} is not one of: " + ", ".join(p.value for p in context["presets"])
        return render(request, "statistics/governors.html", context, status=400)

    crossing = (request.GET.get("rows") or DEFAULT_CROSSING[0], request.GET.get("columns") or DEFAULT_CROSSING[1])
    if crossing[0] not in REPORT_DIMENSIONS or crossing[1] not in REPORT_DIMENSIONS or crossing[0] == crossing[1]:
        context["problem"] = "choose two different groupings to cross from the lists"
        return render(request, "statistics/governors.html", context, status=400)

    context["report"] = build_report(school, period, crossing)
    context["crossing"] = crossing
    choices = available_choices(school)
    if year.start_year in choices.start_years and WHOLE_YEAR in choices.time_identifiers:
        school_type = DEFAULT_SCHOOL_TYPE if DEFAULT_SCHOOL_TYPE in choices.school_types else choices.school_types[0]
        try:
            context["benchmark"] = compare(school, year.start_year, WHOLE_YEAR, school_type, today)
        except BenchmarkError as error:
            logger.info("governors' report of school %s shows no benchmark: %s", school.pk, error)
            context["benchmark"] = None
    return render(request, "statistics/governors.html", context)


@login_required
@require_GET
def spreadsheet(request, school_id: int):
    """Send the SLT spreadsheet of the current academic year (or ``?year=``) as an XLSX download."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SCHOOL_ANALYSIS)
    today = web_views.today()
    year = current_year(school, today)
    if request.GET.get("year"):
        try:
            start_year = int(request.GET["year"])
        except ValueError:
            return HttpResponseBadRequest("year must be the academic year's first calendar year, such as 2025 for 2025/26")
    elif year is not None:
        start_year = year.start_year
    else:
        return HttpResponseBadRequest("the school has no academic year yet; import a school bundle first")

    try:
        content = workbook_bytes(school, start_year, today, at=timezone.now())
    except SpreadsheetError as error:
        logger.info("SLT spreadsheet of school %s not built: %s", school.pk, error)
        return HttpResponseBadRequest(str(error))
    logger.info("user %s downloaded the SLT spreadsheet of school %s for %s", request.user.pk, school.pk, start_year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(school, start_year, min(today, academic_year_end(start_year)))}"'
    return response
