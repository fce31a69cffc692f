"""Fernhill Lower School, for the casework tests, and the register tests' school reused.

Fernhill's 2025/26 runs autumn-1 1 September to 24 October 2025, autumn-2 3 November to
19 December, spring-1 5 January to 13 February 2026. Class 2 Ash has Ivy Marsh, who misses
4 of the first 20 school days without a reason (80% attendance, below the autumn threshold
of 90% from the 10th school day), and Leo Hart, always present. Marks run to Wednesday
1 October 2025 unless a test adds more. Staff have e-mail addresses so that what they are
told can be checked. All names are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session
from rollbook.registers.models import RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks
from rollbook.registers.tests.conftest import brackenfield  # noqa: F401 - a fixture
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

STAGE_1_DAY = dt.date(2025, 10, 1)  # a Wednesday: monitoring runs 6 October to 7 November
REVIEW_DAY = dt.date(2025, 11, 10)
PRESENT = {Session.AM: "/", Session.PM: "\\"}


def london(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SCHOOL_TIME_ZONE)


@dataclass
class Fernhill:
    school: School
    year: AcademicYear
    ivy: Pupil
    leo: Pupil
    lead: object
    teacher: object
    la_officer: object
    head: object

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return [day for day in self.year.calendar().school_days if start <= day <= end]

    def mark(self, pupil: Pupil, start: dt.date, end: dt.date, code: str = "") -> None:
        """Record ``code`` (default: present) on both sessions of each school day from ``start`` to ``end``."""
        entries = [
            MarkEntry(pupil, day, session, code or PRESENT[session])
            for day in self.school_days(start, end)
            for session in Session
        ]
        record_marks(YearContext.load(self.year), entries, Actor(name="Test register", role="teacher"),
                     at=london(end, 16), source=RevisionSource.REGISTER)


def make_user(username: str, school: School, role: StaffRole, first: str, last: str):
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", first_name=first, last_name=last,
        email=f"{username}@fernhill.example",
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user


def add_pupil(school: School, year: AcademicYear, upn: str, forename: str, surname: str) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, forename=forename, surname=surname, date_of_birth=dt.date(2018, 2, 3), sex="F",
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=dt.date(2025, 9, 1))
    Placement.objects.create(school=school, pupil=pupil, academic_year=year, year_group="2", class_name="2 Ash",
                             start_date=dt.date(2025, 9, 1))
    return pupil


def make_fernhill(policy_name: str = "school-2023") -> Fernhill:
    school = School.objects.create(name="Fernhill Lower School", urn="900301", la_code="999")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, policy_name=policy_name,
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 40),
    )
    for label, start, end in (
        ("autumn-1", dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
        ("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
        ("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
    ):
        CalendarEntry.objects.create(school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM,
                                     start_date=start, end_date=end, label=label)
    ivy = add_pupil(school, year, "F999251200001", "Ivy", "Marsh")
    leo = add_pupil(school, year, "F999251200002", "Leo", "Hart")
    teacher = make_user("ash-teacher", school, StaffRole.TEACHER, "Nadia", "Brook")
    TeachingAssignment.objects.create(school=school, user=teacher, academic_year=year, class_name="2 Ash")
    fernhill = Fernhill(
        school=school, year=year, ivy=ivy, leo=leo,
        lead=make_user("lead", school, StaffRole.ATTENDANCE_LEAD, "Helen", "Okafor"),
        teacher=teacher,
        la_officer=make_user("la-officer", school, StaffRole.LA_OFFICER, "Sam", "Reyes"),
        head=make_user("head", school, StaffRole.SENIOR_LEADER, "Grace", "Lund"),
    )
    days = fernhill.school_days(dt.date(2025, 9, 1), STAGE_1_DAY)
    fernhill.mark(leo, days[0], days[-1])
    fernhill.mark(ivy, days[0], days[3], "O")
    fernhill.mark(ivy, days[4], days[-1])
    return fernhill


@pytest.fixture
def fernhill(db) -> Fernhill:
    return make_fernhill()


@pytest.fixture(params=["school-2023", "england-2024"])
def fernhill_any_policy(request, db) -> Fernhill:
    return make_fernhill(request.param)
