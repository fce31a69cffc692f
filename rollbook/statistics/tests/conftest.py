"""Schools and users shared by the statistics page tests. All names are invented."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from rollbook.policy.calendar import Session
from rollbook.registers.services import MarkEntry
from rollbook.reports.tests import scenario
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School, StaffRole
from rollbook.web.tests.conftest import frozen_today, governor, larkspur, make_user, record  # noqa: F401 (fixtures)

PRESENT = {Session.AM: "/", Session.PM: "\\"}


@pytest.fixture
def hazel_lane(db, tmp_path):
    """The hand-checked report scenario: seven pupils, marks from 2 September to 3 October 2025."""
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())
    return School.objects.get(urn="012345")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader_client(hazel_lane):
    return client_as(make_user("hazel-head", (hazel_lane, StaffRole.SENIOR_LEADER)))


@pytest.fixture
def governor_client(hazel_lane):
    return client_as(make_user("hazel-governor", (hazel_lane, StaffRole.GOVERNOR)))


def make_year(school: School, start_year: int, half_terms: list[tuple[dt.date, dt.date, str]]) -> AcademicYear:
    year = AcademicYear.objects.create(
        school=school, start_year=start_year, am_register=dt.time(8, 55), am_close=dt.time(9, 15),
        pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    for start, end, label in half_terms:
        CalendarEntry.objects.create(
            school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=start, end_date=end, label=label
        )
    return year


def add_pupil(school: School, year: AcademicYear, number: int, *, year_group: str, fsm: bool | None, sex: str = "F") -> Pupil:
    """Add a pupil on roll from the year's first day, placed in class ``<year_group> Oak``."""
    first_day = year.calendar().start
    pupil = Pupil.objects.create(
        school=school, upn=f"H{school.urn}{number:06d}", forename=f"Forename{number}", surname=f"Surname{number:03d}",
        date_of_birth=dt.date(year.start_year - 8, 5, 1), sex=sex, fsm=fsm,
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=first_day)
    Placement.objects.create(
        school=school, pupil=pupil, academic_year=year, year_group=year_group, class_name=f"{year_group} Oak", start_date=first_day
    )
    return pupil


def mark_every_day(year: AcademicYear, pupils: list[Pupil], last: dt.date, absent: dict[int, str] | None = None) -> None:
    """Mark every pupil present on each school day up to ``last``; ``absent`` maps a pupil id to a code for all days."""
    absent = absent or {}
    days = [day for day in year.calendar().school_days if day <= last]
    entries = [
        MarkEntry(pupil, day, session, absent.get(pupil.pk, PRESENT[session]))
        for pupil in pupils for day in days for session in Session
    ]
    record(year, entries)
