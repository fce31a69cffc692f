"""Dashboard pages: school, year group, class, group and pupil views, patterns and pupils at risk.

Every page needs ``Permission.VIEW_FIGURES`` at the school. Pupils' names appear only to users
with ``Permission.VIEW_PUPILS``, and only for the pupils ``visible_pupils`` gives them (a
teacher: their classes); governors see figures without names. Another school is "not found".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rollbook.policy.codes import CODES_BY_BYTE
from rollbook.policy.measures import percent
from rollbook.policy.projection import METHOD, RECENT_SCHOOL_DAYS, project_year_end
from rollbook.schools.models import AcademicYear, School
from rollbook.web.access import (
    Permission,
    can,
    current_year,
    permissions_at,
    require,
    school_or_404,
    visible_pupils,
)

from . import charts
from .figures import RangeData, figures_of, load_range
from .groups import DIMENSIONS, PupilRow, UnknownDimensionError, cross, dimension, groups_of, pupil_table
from .pages import (
    SHOW_FILTERS,
    band_chart,
    band_table,
    breakdown,
    codes_by_category,
    session_rows,
    show_rows,
    week_chart,
    weeks_in_range,
)
from .patterns import SESSIONS, WEEKDAYS, code_use_by_month, lateness, weekday_session_rates, weekly_trend
from .selection import (
    NOT_RECORDED_SLUG,
    RangeForm,
    Scope,
    Selection,
    class_scope,
    group_scope,
    read_selection,
    school_scope,
    year_group_scope,
)

# Leaders' and governors' pages of the statistics app, linked from the dashboards' menu once
# that app is installed, each with the value of the permission it needs. A link whose URL or
# permission this installation does not have is left out.
OPTIONAL_LINKS = (
    ("statistics:governors", "Governors' report", "view_figures"),
    ("statistics:benchmarks", "Local and national figures", "view_figures"),
    ("statistics:policies", "Policy comparison", "view_figures"),
    ("statistics:spreadsheet", "SLT spreadsheet (XLSX)", "school_analysis"),
)


# Viewers without VIEW_PUPILS (governors) see no figures of a group of fewer pupils than this,
# so that no child can be picked out from a small group's figures.
SMALL_GROUP = 5


def today() -> dt.date:
    """Return today's date in Europe/London: the only place these pages read the clock."""
    return timezone.localdate()


@dataclass
class Page:
    """The starting point of every dashboard page: the school, the viewer's reach and the range."""

    request: object
    school: School
    year: AcademicYear | None
    form: RangeForm
    selection: Selection | None
    names: bool  # whether the viewer may see pupils' names

    def context(self, **extra) -> dict:
        return {
            "school": self.school,
            "year": self.year,
            "form": self.form,
            "selection": self.selection,
            "names": self.names,
            "extra_links": self.optional_links(),
            **extra,
        }


    def optional_links(self) -> list[tuple[str, str]]:
        """Return the (URL, label) of each page in ``OPTIONAL_LINKS`` that exists and the user may open."""
        links = []
        granted = permissions_at(self.request.user, self.school)
        for name, label, permission_value in OPTIONAL_LINKS:
            try:
                url = reverse(name, args=[self.school.pk])
                permission = Permission(permission_value)
            except (NoReverseMatch, ValueError):
                continue
            if permission in granted:
                links.append((url, label))
        return links


def _page(request, school_id: int) -> Page:
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_FIGURES)
    on = today()
    year = current_year(school, on)
    form = RangeForm(request.GET)
    selection = read_selection(form, year, on) if year is not None and form.is_valid() else None
    return Page(request, school, year, form, selection, can(request.user, school, Permission.VIEW_PUPILS))


def _unusable(page: Page, template: str):
    """Render the page without figures: no academic year yet (200) or an invalid range (400)."""
    status = 400 if page.year is not None else 200
    return render(page.request, template, page.context(), status=status)


def _visible_ids(page: Page) -> set[int]:
    if not page.names:
        return set()
    return set(visible_pupils(page.request.user, page.school, on=page.selection.today).values_list("pk", flat=True))


def _dashboard(request, school_id: int, scope_of, with_risk: bool = False):
    page = _page(request, school_id)
    if page.selection is None:
        return _unusable(page, "analysis/dashboard.html")
    period = page.selection.period
    data = load_range(page.school, period.start, period.end)
    table = pupil_table(data, with_risk=with_risk)
    scope: Scope = scope_of(table)
    rows = scope.rows(table)
    if scope.kind != "school" and not rows.any():
        raise Http404("No pupil of this school is in that group in the range.")
    if scope.kind != "school" and not page.names and rows.sum() < SMALL_GROUP:
        context = page.context(scope=scope, suppressed=True, small_group=SMALL_GROUP)
        return render(request, "analysis/dashboard.html", context)

    figures = figures_of(data.counts, data.policy, rows)
    codes = codes_by_category(data.policy)
    bands = band_table(figures)
    weeks = weeks_in_range(data, rows)
    chart = week_chart("weeks-chart", f"Weekly attendance: {scope.label}", weeks, figures.target_percent) if weeks else None
    sub_rows = []
    if scope.kind == "school":
        sub_rows = [("Year groups", "year_group", breakdown(data, table, rows, "year_group")),
                    ("Classes", "class", breakdown(data, table, rows, "class_name"))]
    elif scope.kind == "year_group":
        sub_rows = [("Classes", "class", breakdown(data, table, rows, "class_name"))]
    context = page.context(
        scope=scope,
        figures=figures,
        policy=data.policy,
        codes=codes,
        session_rows=session_rows(figures, codes),
        bands=bands,
        band_chart=band_chart("bands-chart", bands),
        weeks=weeks,
        week_chart=chart,
        sub_rows=sub_rows,
        suppress_below=0 if page.names else SMALL_GROUP,
        list_query=_scope_params(scope),
    )
    return render(request, "analysis/dashboard.html", context)


def _scope_params(scope: Scope) -> dict[str, str]:
    if scope.kind == "school":
        return {}
    if scope.kind == "group":
        return {"group": f"{scope.dimension.key}:{scope.slug}"}
    return {scope.kind: scope.key}


@login_required
def school_dashboard(request, school_id: int):
    """Show the whole school's figures over a range, with year groups and classes."""
    return _dashboard(request, school_id, lambda table: school_scope())


@login_required
def year_group_dashboard(request, school_id: int, year_group: str):
    """Show one year group's figures over a range, with its classes."""
    return _dashboard(request, school_id, lambda table: year_group_scope(year_group))


@login_required
def class_dashboard(request, school_id: int, class_name: str):
    """Show one class's figures over a range."""
    return _dashboard(request, school_id, lambda table: class_scope(class_name))


def _dimension_or_404(key: str):
    try:
        return dimension(key)
    except UnknownDimensionError:
        raise Http404(f"No grouping {key!r}.") from None


@login_required
def group_dashboard(request, school_id: int, dimension_key: str, group_key: str):
    """Show the figures of one group, such as pupils with free school meals."""
    chosen = _dimension_or_404(dimension_key)

    def scope_of(table):
        key = group_scope(chosen, group_key, group_key).key
        return group_scope(chosen, group_key, _group_label(table, chosen, key))

    return _dashboard(request, school_id, scope_of, with_risk=chosen.key == "risk")


def _group_label(table: list[PupilRow], chosen, key: str) -> str:
    for row in table:
        group = chosen.group_of(row)
        if group[0] == key:
            return group[1]
    return key


@login_required
def groups(request, school_id: int):
    """Show the figures of every group of one grouping, or of two groupings crossed."""
    page = _page(request, school_id)
    if page.selection is None:
        return _unusable(page, "analysis/groups.html")
    first = _dimension_or_404(request.GET.get("by") or "fsm")
    second_key = request.GET.get("cross") or ""
    second = _dimension_or_404(second_key) if second_key else None

    period = page.selection.period
    data = load_range(page.school, period.start, period.end)
    needs_risk = "risk" in (first.key, second.key if second else "")
    table = pupil_table(data, with_risk=needs_risk)
    suppress_below = 0 if page.names else SMALL_GROUP
    context = page.context(dimensions=DIMENSIONS.values(), first=first, second=second, policy=data.policy,
                           codes=codes_by_category(data.policy), suppress_below=suppress_below)
    if second is None:
        rows = [(group, figures_of(data.counts, data.policy, group.rows)) for group in groups_of(table, first)]
        context["group_rows"] = rows
        context["group_chart"] = charts.bar_chart(
            "groups-chart",
            f"Attendance by {first.label.lower()}",
            "Attendance of each group as a percentage of possible sessions; the same numbers are in the table that follows.",
            [_group_bar(group.label, f, suppress_below) for group, f in rows],
        )
    else:
        crossed = cross(data, table, first, second)
        context["crossed"] = crossed
        context["cross_rows"] = [
            (
                row,
                [
                    (crossed.cells.get((row.key, column.key)), _cross_query(page.selection, first, row.key, second, column.key))
                    for column in crossed.columns
                ],
                crossed.row_totals[row.key],
            )
            for row in crossed.rows
        ]
        context["column_totals"] = [crossed.column_totals[column.key] for column in crossed.columns]
    return render(request, "analysis/groups.html", context)


def _group_bar(label: str, figures, suppress_below: int) -> charts.Bar:
    if figures.pupils < suppress_below:
        return charts.Bar(label, 0, f"fewer than {suppress_below} pupils: not shown")
    if figures.attendance_rate is None:
        return charts.Bar(label, 0, "no sessions")
    return charts.Bar(label, float(figures.attendance_rate), f"{figures.attendance_rate}%")


def _group_from(value: str, table: list[PupilRow]) -> Scope:
    """Return the group scope a ``grouping:group`` parameter names, such as ``fsm:yes``; 404 for an unknown grouping."""
    dimension_key, _, slug = value.partition(":")
    chosen = _dimension_or_404(dimension_key)
    key = group_scope(chosen, slug, slug).key
    return group_scope(chosen, slug, _group_label(table, chosen, key))


def _list_scope(request, table: list[PupilRow]) -> Scope:
    """Return the scope named by the pupils list's query string (year_group, class or group)."""
    if request.GET.get("year_group"):
        return year_group_scope(request.GET["year_group"])
    if request.GET.get("class"):
        return class_scope(request.GET["class"])
    if request.GET.get("group"):
        return _group_from(request.GET["group"], table)
    return school_scope()


def _cross_query(selection: Selection, first, row_key: str, second, column_key: str) -> str:
    """Return the pupils list's query string for one cell of two crossed groupings."""
    row_slug = group_scope(first, row_key or NOT_RECORDED_SLUG, "").slug
    column_slug = group_scope(second, column_key or NOT_RECORDED_SLUG, "").slug
    return selection.query(group=f"{first.key}:{row_slug}", also=f"{second.key}:{column_slug}", show="all")


@login_required
def pupils(request, school_id: int):
    """List the pupils behind one figure of a dashboard, with each pupil's figures."""
    page = _page(request, school_id)
    require(request.user, page.school, Permission.VIEW_PUPILS)
    if page.selection is None:
        return _unusable(page, "analysis/pupils.html")
    show = request.GET.get("show") or "all"
    if show not in SHOW_FILTERS:
        page.form.add_error(None, f"show={show!r} is not a figure to list; use one of: {', '.join(SHOW_FILTERS)}")
        page.selection = None
        return render(request, "analysis/pupils.html", page.context(), status=400)

    period = page.selection.period
    data = load_range(page.school, period.start, period.end)
    groupings = request.GET.get("group", "") + request.GET.get("also", "")
    table = pupil_table(data, with_risk="risk" in groupings)
    scope = _list_scope(request, table)
    selected = scope.rows(table) & show_rows(data, show)
    also = _group_from(request.GET["also"], table) if request.GET.get("also") else None
    if also is not None:
        selected &= also.rows(table)
    visible = _visible_ids(page)
    rows = []
    hidden = 0
    for index in np.flatnonzero(selected):
        row = table[index]
        if row.pupil.pk not in visible:
            hidden += 1
            continue
        mask = np.zeros(len(table), dtype=bool)
        mask[index] = True
        rows.append((row, figures_of(data.counts, data.policy, mask)))
    rows.sort(key=lambda item: (item[0].pupil.surname, item[0].pupil.forename, item[0].pupil.upn))
    context = page.context(scope=scope, also=also, show=show, show_label=SHOW_FILTERS[show], rows=rows, hidden=hidden,
                           total=figures_of(data.counts, data.policy, selected), policy=data.policy,
                           codes=codes_by_category(data.policy))
    return render(request, "analysis/pupils.html", context)


@dataclass(frozen=True)
class SessionRow:
    day: dt.date
    session: str
    code: str
    meaning: str
    category: str


@login_required
def pupil(request, school_id: int, pupil_id: int):
    """Show one pupil's figures over a range and every session in it that was not a plain present mark."""
    page = _page(request, school_id)
    if page.selection is None:
        return _unusable(page, "analysis/pupil.html")
    reachable = visible_pupils(request.user, page.school, on=page.selection.today).filter(pk=pupil_id).first()
    if reachable is None:
        raise Http404("No such pupil.")

    period = page.selection.period
    data = load_range(page.school, period.start, period.end, only={reachable.pk})
    figures = figures_of(data.counts, data.policy) if data.counts.pupils else None
    sessions = []
    for marks in data.years:
        if not marks.upns:
            continue
        first, last = data.clip(marks)
        for day in marks.calendar.school_days:
            if not first <= day <= last:
                continue
            number = (day - marks.calendar.start).days
            if not marks.on_roll[0, number]:
                continue
            for offset, session in enumerate(("AM", "PM")):
                byte = int(marks.codes[0, 2 * number + offset])
                code = CODES_BY_BYTE.get(byte, "")
                if code in ("/", "\\"):
                    continue
                meaning = marks.code_set.codes[code].meaning if code in marks.code_set else "No mark yet"
                category = marks.code_set.codes[code].category.label if code in marks.code_set else "Missing"
                sessions.append(SessionRow(day, session, code or "–", meaning, category))
    context = page.context(pupil=reachable, figures=figures, sessions=sessions, policy=data.policy,
                           codes=codes_by_category(data.policy))
    return render(request, "analysis/pupil.html", context)


@login_required
def patterns(request, school_id: int):
    """Show the use of each code by month, attendance by day and session, weekly trends and lateness."""
    page = _page(request, school_id)
    if page.selection is None:
        return _unusable(page, "analysis/patterns.html")
    period = page.selection.period
    data = load_range(page.school, period.start, period.end)
    table = pupil_table(data, with_risk=False)

    use = code_use_by_month(data)
    cells = weekday_session_rates(data)
    grid = [[percent(cells[(d, s)].attended, cells[(d, s)].possible) for s in (0, 1)] for d in range(5)]
    trend = weekly_trend(page.school, period.end)
    late = lateness(data, table)
    series = [charts.Series(year, [week.rates[index] for week in trend.weeks]) for index, year in enumerate(trend.years)]
    context = page.context(
        policy=data.policy,
        codes=codes_by_category(data.policy),
        code_use=use,
        code_rows=list(zip(use.months, use.counts)),
        code_chart=charts.bar_chart(
            "codes-chart", "Sessions per code over the range",
            "Number of sessions marked with each code over the whole range; the table that follows gives them per month.",
            [charts.Bar(f"{code} {use.meanings[code]}"[:28], total, f"{total:,}") for code, total in zip(use.codes, use.totals)],
        ) if use.codes else None,
        heat_rows=[(WEEKDAYS[d], [(SESSIONS[s], cells[(d, s)], grid[d][s]) for s in (0, 1)]) for d in range(5)],
        heat_chart=charts.heatmap(
            "heat-chart", "Attendance by day of the week and session",
            "Attendance as a percentage of possible sessions for each weekday morning and afternoon; darker is higher; the same numbers are in the table that follows.",
            list(WEEKDAYS), list(SESSIONS), grid,
        ),
        trend=trend,
        trend_chart=charts.line_chart(
            "trend-chart", "Weekly attendance this year and in earlier years",
            "Whole-school attendance per school week, one line per academic year, weeks lined up by their number in the year; the same numbers are in the table that follows.",
            [f"Week {week.number}" for week in trend.weeks], series,
            data.policy.measures.target_attendance_percent if data.policy else None,
            sections=_half_term_starts(trend),
        ) if trend.weeks else None,
        late=late,
        late_classes=[
            (name, late.by_class[name], [late.by_class_and_weekday.get((name, d), (0, 0, 0)) for d in range(5)])
            for name in late.classes
        ],
        weekdays=WEEKDAYS,
        late_days=[(WEEKDAYS[d], late.by_weekday[d]) for d in range(5)],
    )
    return render(request, "analysis/patterns.html", context)


def _half_term_starts(trend) -> list[tuple[int, str]]:
    """Return the (week index, label) of the first week of each half-term in the trend."""
    starts, previous = [], None
    for index, week in enumerate(trend.weeks):
        if week.half_term and week.half_term != previous:
            starts.append((index, week.half_term))
        previous = week.half_term or previous
    return starts


@login_required
def at_risk(request, school_id: int):
    """List the pupils projected to become persistently absent by the year's end, with the method."""
    page = _page(request, school_id)
    if page.selection is None:
        return _unusable(page, "analysis/at_risk.html")
    as_of = min(page.selection.today, page.year.calendar().end)
    start = page.year.calendar().start
    data: RangeData = load_range(page.school, start, as_of)
    table = pupil_table(data, with_risk=False)
    marks = next((m for m in data.years if m.calendar.academic_year == page.year.start_year), None)
    projections = project_year_end(marks, as_of, data.policy) if marks is not None and data.policy else []
    row_of = {row.pupil.upn: row for row in table}
    likely = [(row_of[p.upn], p) for p in projections if p.likely_to_become_persistent]
    visible = _visible_ids(page)
    shown = [(row, p) for row, p in likely if row.pupil.pk in visible]
    shown.sort(key=lambda item: (item[1].projected_rate, item[0].pupil.surname, item[0].pupil.forename))
    by_year_group: dict[str, int] = {}
    for row, _projection in likely:
        by_year_group[row.year_group] = by_year_group.get(row.year_group, 0) + 1
    context = page.context(
        as_of=as_of, method=METHOD, recent_days=RECENT_SCHOOL_DAYS, likely=shown, likely_count=len(likely), hidden=len(likely) - len(shown),
        persistent_now=sum(1 for p in projections if p.persistent_now),
        by_year_group=sorted(by_year_group.items(), key=lambda item: item[0]),
        policy=data.policy, codes=codes_by_category(data.policy),
    )
    return render(request, "analysis/at_risk.html", context)
