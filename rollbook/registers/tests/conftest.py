"""A small school for the register tests: two classes, a closure, a leaver and staff.

Brackenfield Lower School's autumn term 2025 runs from 1 September to 19 December with a
half-term break from 27 to 31 October. 1 September is an INSET day for everyone; Reception
has a planned closure on the afternoon of 12 September. Class 3 Cedar has three pupils, one
of whom left on 19 September; class R Oak has one pupil. All names are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from rollbook.policy.calendar import Session
from rollbook.registers import known
from rollbook.registers.services import Actor, YearContext
from rollbook.schools.models import (
    AcademicYear,
    CalendarEntry,
    Enrolment,
    Membership,
    Placement,
    Pupil,
    School,
    StaffRole,
    TeachingAssignment,
)

FIRST_DAY = dt.date(2025, 9, 1)
MONDAY = dt.date(2025, 9, 8)
LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time, in force until 26 October 2025
TEACHER = Actor(name="Ms Rivera", role="Class teacher")
OFFICE = Actor(name="Mr Patel", role="Office staff")
PASSWORD = "a-long-test-password"


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an aware datetime for a wall-clock time in September or early October 2025."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@dataclass
class Brackenfield:
    school: School
    year: AcademicYear
    ada: Pupil
    ben: Pupil
    cara: Pupil  # left on 19 September
    ruby: Pupil  # Reception

    @property
    def context(self) -> YearContext:
        return YearContext.load(self.year)


def add_pupil(school, year, upn, forename, surname, year_group, class_name, left=None) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, forename=forename, surname=surname, date_of_birth=dt.date(2017, 5, 2), sex="M",
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=FIRST_DAY, leaving_date=left)
    Placement.objects.create(
        school=school, pupil=pupil, academic_year=year, year_group=year_group, class_name=class_name,
        start_date=FIRST_DAY, end_date=left,
    )
    return pupil


@pytest.fixture
def brackenfield(db) -> Brackenfield:
    school = School.objects.create(name="Brackenfield Lower School", urn="900101", la_code="999")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, policy_name="school-2023",
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    for label, start, end in (
        ("autumn-1", dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
        ("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
    ):
        CalendarEntry.objects.create(
            school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=start, end_date=end, label=label,
        )
    CalendarEntry.objects.create(
        school=school, academic_year=year, kind=CalendarEntry.Kind.CLOSURE, start_date=FIRST_DAY, end_date=FIRST_DAY,
        label="INSET day",
    )
    CalendarEntry.objects.create(
        school=school, academic_year=year, kind=CalendarEntry.Kind.CLOSURE, start_date=dt.date(2025, 9, 12),
        end_date=dt.date(2025, 9, 12), session="PM", year_groups="R", label="Reception closure",
    )
    return Brackenfield(
        school=school,
        year=year,
        ada=add_pupil(school, year, "A999251100001", "Ada", "Ashdown", "3", "3 Cedar"),
        ben=add_pupil(school, year, "B999251100002", "Ben", "Birchall", "3", "3 Cedar"),
        cara=add_pupil(school, year, "C999251100003", "Cara", "Coldwell", "3", "3 Cedar", left=dt.date(2025, 9, 19)),
        ruby=add_pupil(school, year, "D999251100004", "Ruby", "Dunmore", "R", "R Oak"),
    )


def make_user(username: str, school: School, role: StaffRole, first_name: str = "", last_name: str = ""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user


@pytest.fixture
def cedar_teacher(brackenfield):
    user = make_user("cedar-teacher", brackenfield.school, StaffRole.TEACHER, "Rosa", "Rivera")
    TeachingAssignment.objects.create(school=brackenfield.school, user=user, academic_year=brackenfield.year, class_name="3 Cedar")
    return user


@pytest.fixture
def oak_teacher(brackenfield):
    user = make_user("oak-teacher", brackenfield.school, StaffRole.TEACHER, "Omar", "Okoye")
    TeachingAssignment.objects.create(school=brackenfield.school, user=user, academic_year=brackenfield.year, class_name="R Oak")
    return user


@pytest.fixture
def office(brackenfield):
    return make_user("office", brackenfield.school, StaffRole.OFFICE, "Priya", "Patel")


@pytest.fixture
def parent(brackenfield):
    return make_user("parent", brackenfield.school, StaffRole.PARENT)


@pytest.fixture
def governor(brackenfield):
    return make_user("governor", brackenfield.school, StaffRole.GOVERNOR)


@pytest.fixture
def other_school_office(db):
    school = School.objects.create(name="Elsewhere Lower School", urn="900199", la_code="999")
    return make_user("elsewhere-office", school, StaffRole.OFFICE)


@pytest.fixture
def leave_for_ben(brackenfield, monkeypatch):
    """A source that knows Ben has granted leave (code C) on Monday morning only."""

    def granted_leave(school_id, pupil_ids, day, session):
        if school_id == brackenfield.school.pk and day == MONDAY and session is Session.AM and brackenfield.ben.pk in pupil_ids:
            return {brackenfield.ben.pk: known.KnownAbsence("Leave of absence granted", "C")}
        return {}

    monkeypatch.setattr(known, "_sources", [*known._sources, granted_leave])
