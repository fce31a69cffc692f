"""Brackenfield Lower School, built for the office and job tests without importing another app's conftest.

It is the register tests' small school: autumn term 2025 from 1 September to 19 December with
half-term from 27 to 31 October, an INSET day on 1 September, and a Reception closure on the
afternoon of 12 September. Class 3 Cedar has Ada, Ben and Cara (who left on 19 September);
class R Oak has Ruby. ``build_school`` adds the spring half-terms (5 January to 13 February and
23 February to 27 March 2026) and the first summer half-term (13 April to 22 May), so both clock
changes fall inside the year. All names are invented. (pytest refuses a conftest imported by
another conftest when both directories are collected, so this is a plain module.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Membership, Placement, Pupil, School, StaffRole

FIRST_DAY = dt.date(2025, 9, 1)
PASSWORD = "a-long-test-password"
HALF_TERMS = (
    ("autumn-1", dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
    ("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
    ("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
    ("spring-2", dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
    ("summer-1", dt.date(2026, 4, 13), dt.date(2026, 5, 22)),
)


@dataclass
class SmallSchool:
    school: School
    year: AcademicYear
    ada: Pupil
    ben: Pupil
    cara: Pupil  # left on 19 September
    ruby: Pupil  # Reception


def _add_pupil(school, year, upn, forename, surname, year_group, class_name, left=None) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, forename=forename, surname=surname, date_of_birth=dt.date(2017, 5, 2), sex="M",
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=FIRST_DAY, leaving_date=left)
    Placement.objects.create(
        school=school, pupil=pupil, academic_year=year, year_group=year_group, class_name=class_name,
        start_date=FIRST_DAY, end_date=left,
    )
    return pupil


def build_school() -> SmallSchool:
    school = School.objects.create(name="Brackenfield Lower School", urn="900101", la_code="999")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, policy_name="school-2023",
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    for label, start, end in HALF_TERMS:
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
    return SmallSchool(
        school=school,
        year=year,
        ada=_add_pupil(school, year, "A999251100001", "Ada", "Ashdown", "3", "3 Cedar"),
        ben=_add_pupil(school, year, "B999251100002", "Ben", "Birchall", "3", "3 Cedar"),
        cara=_add_pupil(school, year, "C999251100003", "Cara", "Coldwell", "3", "3 Cedar", left=dt.date(2025, 9, 19)),
        ruby=_add_pupil(school, year, "D999251100004", "Ruby", "Dunmore", "R", "R Oak"),
    )


def make_user(username: str, school: School, role: StaffRole, first_name: str = "", last_name: str = "", email: str = ""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name, email=email,
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user
