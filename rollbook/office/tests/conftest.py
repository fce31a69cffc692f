"""Brackenfield Lower School (from the register tests) and helpers for the office tests.

The register tests' school has one class register per session and four invented pupils. The
office tests add a spring and summer half-term, so a clock change in March falls in the year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks
from rollbook.registers.tests.conftest import (  # noqa: F401 - fixtures used by name
    brackenfield,
    cedar_teacher,
    governor,
    make_user,
    office,
    other_school_office,
    parent,
)
from rollbook.schools.models import CalendarEntry, StaffRole

TEACHER = Actor(name="Ms Rivera", role="Class teacher")


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an aware Europe/London datetime, with whichever UTC offset is in force that day."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SCHOOL_TIME_ZONE)


@pytest.fixture
def school(brackenfield):
    """Brackenfield with the spring half-terms (5 January to 13 February, 23 February to 27 March 2026) and
    the first summer half-term (13 April to 22 May)."""
    for label, start, end in (
        ("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
        ("spring-2", dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
        ("summer-1", dt.date(2026, 4, 13), dt.date(2026, 5, 22)),
    ):
        CalendarEntry.objects.create(
            school=brackenfield.school, academic_year=brackenfield.year, kind=CalendarEntry.Kind.HALF_TERM,
            start_date=start, end_date=end, label=label,
        )
    return brackenfield


def mark_present(school, start: dt.date, end: dt.date, *, absent: tuple = ()) -> None:
    """Mark every pupil on roll present on each school day between two dates, except ``absent``.

    ``absent`` lists (pupil, date, session) to mark N instead, as a teacher would.
    """
    context = YearContext.load(school.year)
    absent_keys = {(pupil.pk, day, session) for pupil, day, session in absent}
    pupils = [school.ada, school.ben, school.cara, school.ruby]
    entries = []
    day = start
    while day <= end:
        if context.calendar.is_school_day(day):
            for pupil in pupils:
                enrolment = pupil.enrolments.first()
                if enrolment.leaving_date is not None and enrolment.leaving_date < day:
                    continue
                for session in Session:
                    if context.calendar.closed(day, session, "R" if pupil == school.ruby else "3"):
                        continue
                    code = "N" if (pupil.pk, day, session) in absent_keys else ("/" if session is Session.AM else "\\")
                    entries.append(MarkEntry(pupil, day, session, code))
        day += dt.timedelta(days=1)
    record_marks(context, entries, TEACHER, london(start, 9, 0), RevisionSource.REGISTER)


def current_code(pupil, day: dt.date, session: Session) -> str:
    revision = MarkRevision.objects.filter(pupil=pupil, date=day, session=session.value).order_by("recorded_at", "id").last()
    return revision.code if revision else ""


@pytest.fixture
def senior_leader(brackenfield):
    user = make_user("head", brackenfield.school, StaffRole.SENIOR_LEADER, "Helen", "Hartley")
    user.email = "head@brackenfield.example"
    user.save()
    return user


@pytest.fixture
def attendance_lead(brackenfield):
    user = make_user("lead", brackenfield.school, StaffRole.ATTENDANCE_LEAD, "Lewis", "Lowther")
    user.email = "attendance@brackenfield.example"
    user.save()
    return user
