"""A pupil's attendance this academic year, counted the way the reports count it."""

from __future__ import annotations

import datetime as dt

from rollbook.policy.calendar import SchoolCalendar, academic_year_of
from rollbook.policy.measures import count_sessions
from rollbook.policy.requests import YearToDate
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Pupil


def academic_year_on(pupil: Pupil, day: dt.date) -> AcademicYear | None:
    """Return the pupil's school's academic year containing ``day``, or None when it is not set up."""
    return AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(day)).first()


def year_to_date(pupil: Pupil, year: AcademicYear, through: dt.date) -> YearToDate:
    """Count the pupil's sessions from the start of ``year`` to the end of ``through`` (inclusive).

    The counts come from the stored mark sequence, as every report's do: a session without a
    mark is not a possible session yet.
    """
    marks = load_year_marks(year, [pupil])
    counts = count_sessions(marks, marks.calendar.start, min(through, marks.calendar.end))
    return YearToDate(
        possible=int(counts.possible[0]),
        attended=int(counts.attended[0]),
        authorised=int(counts.authorised[0]),
        unauthorised=int(counts.unauthorised[0]),
    )


def school_days_between(calendar: SchoolCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the calendar's school days from ``first`` to ``last``, both inclusive."""
    return [day for day in calendar.school_days if first <= day <= last]


def requested_days(request) -> list[dt.date]:
    """Return the school days a dated request covers, or [] for lunchtime leave."""
    if request.first_day is None:
        return []
    year = AcademicYear.objects.get(school_id=request.school_id, start_year=academic_year_of(request.first_day))
    return school_days_between(year.calendar(), request.first_day, request.last_day)
