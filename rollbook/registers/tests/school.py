"""Brackenfield Lower School, the small school of the register tests, as a plain module.

Its autumn term 2025 runs from 1 September to 19 December with a half-term break from 27 to 31
October. 1 September is an INSET day for everyone, and Reception has a planned closure on the
afternoon of 12 September. Class 3 Cedar has Ada, Ben and Cara (who left on 19 September);
class R Oak has Ruby. All names are invented. Other apps' tests import it from here, because
pytest refuses a conftest imported by another conftest when both folders are collected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from rollbook.registers.services import YearContext
from rollbook.schools.models import (
    AcademicYear,
    CalendarEntry,
    Enrolment,
    Membership,
    Placement,
    Pupil,
    School,
    StaffRole,
)

FIRST_DAY = dt.date(2025, 9, 1)
PASSWORD = "a-long-test-password"
AUTUMN_HALF_TERMS = (
    ("autumn-1", dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
    ("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
)


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


def build_school(half_terms: Sequence[tuple[str, dt.date, dt.date]] = AUTUMN_HALF_TERMS) -> Brackenfield:
    """Create the school with the given half-terms (the autumn term unless told otherwise)."""
    school = School.objects.create(name="Brackenfield Lower School", urn="900101", la_code="999")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, policy_name="school-2023",
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    for label, start, end in half_terms:
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


def make_user(username: str, school: School, role: StaffRole, first_name: str = "", last_name: str = "", email: str = ""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name, email=email,
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user
