"""Fixtures for the office tests: Brackenfield Lower School (see ``school.py``), its staff and helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks
from rollbook.schools.models import School, StaffRole, TeachingAssignment

from .school import build_school, make_user

TEACHER = Actor(name="Ms Rivera", role="Class teacher")


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an aware Europe/London datetime, with whichever UTC offset is in force that day."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SCHOOL_TIME_ZONE)


@pytest.fixture
def school(db):
    return build_school()


@pytest.fixture
def office(school):
    return make_user("office", school.school, StaffRole.OFFICE, "Priya", "Patel")


@pytest.fixture
def cedar_teacher(school):
    user = make_user("cedar-teacher", school.school, StaffRole.TEACHER, "Rosa", "Rivera")
    TeachingAssignment.objects.create(school=school.school, user=user, academic_year=school.year, class_name="3 Cedar")
    return user


@pytest.fixture
def other_school_office(db):
    elsewhere = School.objects.create(name="Elsewhere Lower School", urn="900199", la_code="999")
    return make_user("elsewhere-office", elsewhere, StaffRole.OFFICE)


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
def senior_leader(school):
    return make_user("head", school.school, StaffRole.SENIOR_LEADER, "Helen", "Hartley", "head@brackenfield.example")


@pytest.fixture
def attendance_lead(school):
    return make_user("lead", school.school, StaffRole.ATTENDANCE_LEAD, "Lewis", "Lowther", "attendance@brackenfield.example")
