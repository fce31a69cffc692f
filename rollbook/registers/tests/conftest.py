"""A small school for the register tests: two classes, a closure, a leaver and staff.

Brackenfield Lower School's autumn term 2025 runs from 1 September to 19 December with a
half-term break from 27 to 31 October. 1 September is an INSET day for everyone; Reception
has a planned closure on the afternoon of 12 September. Class 3 Cedar has three pupils, one
of whom left on 19 September; class R Oak has one pupil. All names are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.policy.calendar import Session
from rollbook.registers import known
from rollbook.registers.services import Actor
from rollbook.schools.models import School, StaffRole, TeachingAssignment

from .school import FIRST_DAY, PASSWORD, Brackenfield, add_pupil, build_school, make_user  # noqa: F401 - used by tests

MONDAY = dt.date(2025, 9, 8)
LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time, in force until 26 October 2025
TEACHER = Actor(name="Ms Rivera", role="Class teacher")
OFFICE = Actor(name="Mr Patel", role="Office staff")


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an aware datetime for a wall-clock time in September or early October 2025."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def brackenfield(db) -> Brackenfield:
    return build_school()


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
