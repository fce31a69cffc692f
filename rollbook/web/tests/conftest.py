"""Two small schools and a persona for each role, shared by the page tests.

Larkspur Lower School has three pupils in September 2025. Mila Thornbury (3 Cedar) is always
present. Jonah Pellow (3 Cedar) misses the first 12 school days without a reason (O). Ruth
Aske (3 Maple) has no mark yet on the last day. Otterburn Lower School has one pupil. All names
are invented.

Personas: ``teacher`` teaches 3 Cedar and ``other_class_teacher`` 3 Maple. ``parent`` is linked
to Mila and ``other_parent`` to Ruth. ``other_school_teacher`` and ``other_school_administrator``
belong to Otterburn only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from rollbook.policy.calendar import Session
from rollbook.registers.models import RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks
from rollbook.schools.models import (
    AcademicYear,
    CalendarEntry,
    Enrolment,
    Membership,
    ParentLink,
    Placement,
    Pupil,
    School,
    StaffRole,
    TeachingAssignment,
)

MILA_UPN = "A999241725001"
JONAH_UPN = "B999241725002"
RUTH_UPN = "C999241725003"
FIRST_DAY = dt.date(2025, 9, 1)
LAST_DAY = dt.date(2025, 9, 26)  # the 20th school day, and "today" in the page tests
PRESENT = {Session.AM: "/", Session.PM: "\\"}


def make_school(name: str, urn: str) -> tuple[School, AcademicYear]:
    school = School.objects.create(name=name, urn=urn, la_code="999")
    year = AcademicYear.objects.create(
        school=school,
        start_year=2025,
        am_register=dt.time(8, 55),
        am_close=dt.time(9, 15),
        pm_register=dt.time(13, 20),
        pm_close=dt.time(13, 30),
    )
    CalendarEntry.objects.create(
        school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM,
        start_date=FIRST_DAY, end_date=dt.date(2025, 10, 24), label="autumn-1",
    )
    return school, year


def make_pupil(school: School, year: AcademicYear, upn: str, forename: str, surname: str, class_name: str) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, forename=forename, surname=surname,
        date_of_birth=dt.date(2017, 3, 14), sex="F",
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=FIRST_DAY)
    Placement.objects.create(
        school=school, pupil=pupil, academic_year=year, year_group="3",
        class_name=class_name, start_date=FIRST_DAY,
    )
    return pupil


def record(year: AcademicYear, entries: list[MarkEntry]) -> None:
    record_marks(
        YearContext.load(year), entries, Actor(name="Test register", role="teacher"),
        at=timezone.now(), source=RevisionSource.REGISTER,
    )


def school_days(year: AcademicYear, last: dt.date = LAST_DAY) -> list[dt.date]:
    return [day for day in year.calendar().school_days if day <= last]


@pytest.fixture(autouse=True)
def empty_cache():
    """Start each test with no failed sign-ins counted by an earlier one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def larkspur(db):
    school, year = make_school("Larkspur Lower School", "900001")
    mila = make_pupil(school, year, MILA_UPN, "Mila", "Thornbury", "3 Cedar")
    jonah = make_pupil(school, year, JONAH_UPN, "Jonah", "Pellow", "3 Cedar")
    ruth = make_pupil(school, year, RUTH_UPN, "Ruth", "Aske", "3 Maple")

    days = school_days(year)
    entries = []
    for index, day in enumerate(days):
        for session in Session:
            entries.append(MarkEntry(mila, day, session, PRESENT[session]))
            entries.append(MarkEntry(jonah, day, session, "O" if index < 12 else PRESENT[session]))
            if day != LAST_DAY:
                entries.append(MarkEntry(ruth, day, session, PRESENT[session]))
    record(year, entries)
    return school


@pytest.fixture
def otterburn(db):
    school, year = make_school("Otterburn Lower School", "900002")
    ezra = make_pupil(school, year, "D999241725004", "Ezra", "Quill", "4 Elm")
    record(year, [MarkEntry(ezra, day, s, PRESENT[s]) for day in school_days(year) for s in Session])
    return school


def make_user(username: str, *roles: tuple[School, StaffRole]):
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    for school, role in roles:
        Membership.objects.create(school=school, user=user, role=role)
    return user


def pupil_by_upn(upn: str) -> Pupil:
    return Pupil.objects.get(upn=upn)


def teach(user, school: School, class_name: str) -> None:
    year = AcademicYear.objects.get(school=school, start_year=2025)
    TeachingAssignment.objects.create(school=school, user=user, academic_year=year, class_name=class_name)


def link_parent(user, child: Pupil) -> None:
    ParentLink.objects.create(school=child.school, user=user, pupil=child)


@pytest.fixture
def mila(larkspur):
    return pupil_by_upn(MILA_UPN)


@pytest.fixture
def ruth(larkspur):
    return pupil_by_upn(RUTH_UPN)


@pytest.fixture
def office(larkspur):
    return make_user("office", (larkspur, StaffRole.OFFICE))


@pytest.fixture
def teacher(larkspur):
    user = make_user("cedar-teacher", (larkspur, StaffRole.TEACHER))
    teach(user, larkspur, "3 Cedar")
    return user


@pytest.fixture
def other_class_teacher(larkspur):
    user = make_user("maple-teacher", (larkspur, StaffRole.TEACHER))
    teach(user, larkspur, "3 Maple")
    return user


@pytest.fixture
def attendance_lead(larkspur):
    return make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD))


@pytest.fixture
def senior_leader(larkspur):
    return make_user("head", (larkspur, StaffRole.SENIOR_LEADER))


@pytest.fixture
def la_officer(larkspur):
    return make_user("la-officer", (larkspur, StaffRole.LA_OFFICER))


@pytest.fixture
def administrator(larkspur):
    return make_user("administrator", (larkspur, StaffRole.ADMINISTRATOR))


@pytest.fixture
def governor(larkspur):
    return make_user("governor", (larkspur, StaffRole.GOVERNOR))


@pytest.fixture
def parent(larkspur):
    user = make_user("parent", (larkspur, StaffRole.PARENT))
    link_parent(user, pupil_by_upn(MILA_UPN))
    return user


@pytest.fixture
def other_parent(larkspur):
    user = make_user("other-parent", (larkspur, StaffRole.PARENT))
    link_parent(user, pupil_by_upn(RUTH_UPN))
    return user


@pytest.fixture
def other_school_teacher(otterburn):
    return make_user("otterburn-teacher", (otterburn, StaffRole.TEACHER))


@pytest.fixture
def other_school_administrator(otterburn):
    return make_user("otterburn-administrator", (otterburn, StaffRole.ADMINISTRATOR))


@pytest.fixture
def frozen_today(monkeypatch):
    """Make the pages' today the last day of the fixture's marks."""
    monkeypatch.setattr("rollbook.web.views.today", lambda: LAST_DAY)
    return LAST_DAY
