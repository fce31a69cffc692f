"""Attendance patterns of a school over a range: codes over time, day and session, weeks, lateness.

Sessions are selected as every other figure selects them (``rollbook.policy.breakdown``):
school days in the range on which the pupil is on roll. Late minutes are kept only on mark
revisions, so lateness reads the current revision of each late session for its minutes.
"""

from __future__ import annotations

import calendar as month_names
import datetime as dt
from dataclasses import dataclass

import numpy as np

from rollbook.policy.breakdown import SessionTotals, by_week, by_weekday_and_session, code_use, range_slots
from rollbook.policy.calendar import academic_year_of
from rollbook.policy.codes import CODE_BYTES
from rollbook.policy.measures import percent
from rollbook.registers.models import MarkRevision
from rollbook.schools.models import AcademicYear, School

from .figures import RangeData, load_range
from .groups import PupilRow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SESSIONS = ("AM", "PM")
LATE_CODES = ("L", "U")


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        months.append((max(first, start), min(following - dt.timedelta(days=1), end)))
        first = following
    return months


@dataclass(frozen=True)
class CodeUse:
    """Sessions per code per calendar month; ``codes`` in code-set order, months in order."""

    months: list[str]
    codes: list[str]
    meanings: dict[str, str]
    counts: list[list[int]]  # counts[month][code]
    totals: list[int]  # per code over the whole range


def code_use_by_month(data: RangeData, rows: np.ndarray | None = None) -> CodeUse:
    """Count the sessions of each code in each calendar month of the range."""
    by_month: list[dict[str, int]] = []
    labels = []
    for first, last in _months(data.start, data.end):
        month: dict[str, int] = {}
        for marks in data.years:
            if last < marks.calendar.start or first > marks.calendar.end:
                continue
            for code, count in code_use(marks, first, last, rows).items():
                month[code] = month.get(code, 0) + count
        by_month.append(month)
        labels.append(f"{month_names.month_abbr[first.month]} {first.year}")

    code_set = data.policy.code_set if data.policy else None
    used = {code for month in by_month for code in month}
    order = list(code_set.codes) if code_set else sorted(CODE_BYTES)
    codes = [code for code in order if code in used] + sorted(used - set(order))
    meanings = {code: code_set.codes[code].meaning if code_set and code in code_set else "" for code in codes}
    counts = [[month.get(code, 0) for code in codes] for month in by_month]
    totals = [sum(month[index] for month in counts) for index in range(len(codes))]
    return CodeUse(months=labels, codes=codes, meanings=meanings, counts=counts, totals=totals)


def weekday_session_rates(data: RangeData, rows: np.ndarray | None = None) -> dict[tuple[int, int], SessionTotals]:
    """Add up attended and possible sessions per (weekday, session) over every year of the range."""
    cells = {(weekday, session): SessionTotals(0, 0) for weekday in range(5) for session in (0, 1)}
    for marks in data.years:
        first, last = data.clip(marks)
        for key, totals in by_weekday_and_session(marks, first, last, rows).items():
            cells[key] = SessionTotals(cells[key].attended + totals.attended, cells[key].possible + totals.possible)
    return cells


@dataclass(frozen=True)
class WeekRow:
    """One school week of the year: its number, Monday, half-term and each year's attendance."""

    number: int
    monday: dt.date
    half_term: str
    rates: list  # one Decimal or None per year in ``WeeklyTrend.years``, newest first


@dataclass(frozen=True)
class WeeklyTrend:
    years: list[str]
    weeks: list[WeekRow]


def _weekly_rates(marks, end: dt.date) -> list[tuple[dt.date, SessionTotals]]:
    return list(by_week(marks, marks.calendar.start, min(end, marks.calendar.end)).items())


def weekly_trend(school: School, as_of: dt.date, earlier_years: int = 2) -> WeeklyTrend:
    """Return whole-school attendance per school week of the year up to ``as_of``, beside earlier years.

    Weeks of different years are lined up by their number within the year (the first week
    with a school day is week 1). Earlier years cover the same number of weeks, complete.
    """
    current = list(
        AcademicYear.objects.filter(school=school, start_year__lte=academic_year_of(as_of)).order_by("-start_year")[: earlier_years + 1]
    )
    if not current:
        return WeeklyTrend(years=[], weeks=[])

    columns = []
    latest_calendar = current[0].calendar()
    for index, year in enumerate(current):
        calendar = year.calendar()
        end = min(as_of, calendar.end) if index == 0 else calendar.end
        data = load_range(school, calendar.start, end)
        marks = next(m for m in data.years if m.calendar.academic_year == year.start_year)
        columns.append(_weekly_rates(marks, end))

    weeks = []
    for number, (monday, _totals) in enumerate(columns[0], start=1):
        half_term = latest_calendar.half_term_of(monday) or latest_calendar.half_term_of(monday + dt.timedelta(days=4))
        rates = []
        for column in columns:
            if number <= len(column):
                totals = column[number - 1][1]
                rates.append(percent(totals.attended, totals.possible))
            else:
                rates.append(None)
        weeks.append(WeekRow(number=number, monday=monday, half_term=half_term.label if half_term else "", rates=rates))
    return WeeklyTrend(years=[str(year) for year in current], weeks=weeks)


@dataclass(frozen=True)
class Lateness:
    """Late sessions (codes L and U) with their recorded minutes, per class and per weekday."""

    classes: list[str]
    by_class: dict[str, tuple[int, int, int]]  # class: (late sessions, minutes, sessions without minutes)
    by_weekday: dict[int, tuple[int, int, int]]
    by_class_and_weekday: dict[tuple[str, int], tuple[int, int, int]]
    total: tuple[int, int, int]


def lateness(data: RangeData, table: list[PupilRow]) -> Lateness:
    """Count late sessions in the range by the pupil's class at the range's end and by weekday.

    Minutes come from the current revision of each late session; a late mark entered without
    minutes is counted in the third figure of each cell.
    """
    late_bytes = np.array([CODE_BYTES[code] for code in LATE_CODES])
    found: list[tuple[int, dt.date, str]] = []
    for marks in data.years:
        first, last = data.clip(marks)
        selected = range_slots(marks, first, last)
        pupil_rows, columns = np.nonzero(np.isin(selected.codes, late_bytes))
        for row, column in zip(pupil_rows.tolist(), columns.tolist()):
            day = marks.calendar.start + dt.timedelta(days=int(selected.days[column // 2]))
            found.append((row, day, SESSIONS[column % 2]))

    minutes: dict[tuple[int, dt.date, str], int | None] = {}
    if found:
        ids = {data.counts.pupils[row].pk: row for row, _, _ in found}
        revisions = (
            MarkRevision.objects.filter(
                school=data.school, pupil_id__in=list(ids), date__gte=data.start, date__lte=data.end,
                code__in=LATE_CODES, superseded_by__isnull=True,
            )
            .values_list("pupil_id", "date", "session", "minutes_late")
        )
        minutes = {(ids[pupil_id], day, session): late for pupil_id, day, session, late in revisions}

    by_class: dict[str, list[int]] = {}
    by_weekday = {weekday: [0, 0, 0] for weekday in range(5)}
    by_class_and_weekday: dict[tuple[str, int], list[int]] = {}
    total = [0, 0, 0]
    for key in found:
        row, day, _session = key
        late = minutes.get(key)
        class_name = table[row].class_name or "No class"
        cells = (
            by_class.setdefault(class_name, [0, 0, 0]),
            by_weekday[day.weekday()],
            by_class_and_weekday.setdefault((class_name, day.weekday()), [0, 0, 0]),
            total,
        )
        for cell in cells:
            cell[0] += 1
            if late is None:
                cell[2] += 1
            else:
                cell[1] += late
    classes = sorted(by_class)
    return Lateness(
        classes=classes,
        by_class={name: tuple(by_class[name]) for name in classes},
        by_weekday={weekday: tuple(cell) for weekday, cell in by_weekday.items()},
        by_class_and_weekday={key: tuple(cell) for key, cell in by_class_and_weekday.items()},
        total=tuple(total),
    )
