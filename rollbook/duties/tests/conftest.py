"""A school whose pupils meet the local authority rules, for the duties tests.

Hollins Lower School, September 2025, 25 school days to Friday 3 October (today in these
tests). Ada Fenwick (3 Ash) is absent without a reason (O) for the first 20 school days and
present after. She meets the penalty threshold on day 5, the unauthorised absence alert on
day 10 and the removal ground on day 20. Ben Larkin (3 Ash) is ill (I) for the first 15 school days.
Cleo Marsh (3 Ash) is always present. Ada's parents both have parental responsibility; her
aunt does not. All names are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from rollbook.policy.calendar import Session
from rollbook.registers.services import Actor, MarkEntry
from rollbook.schools.models import Contact, Membership, Pupil, School, StaffRole
from rollbook.web.tests.conftest import make_pupil, make_school, record, school_days

TODAY = dt.date(2025, 10, 3)
AT = dt.datetime(2025, 10, 3, 11, 0, tzinfo=dt.timezone.utc)
PRESENT = {Session.AM: "/", Session.PM: "\\"}
LEAD = Actor(name="Nadia Quarry", role=StaffRole.ATTENDANCE_LEAD.value)


@dataclass
class Hollins:
    school: School
    ada: Pupil
    ben: Pupil
    cleo: Pupil
    mother: Contact
    father: Contact
    aunt: Contact


def build_hollins(policy_name: str = "school-2023") -> Hollins:
    school, year = make_school("Hollins Lower School", "900201")
    if policy_name != "school-2023":
        # The 2024 framework keeps every register open for the same time.
        year.policy_name = policy_name
        year.pm_close = dt.time(13, 40)
        year.save()
    ada = make_pupil(school, year, "A999241725101", "Ada", "Fenwick", "3 Ash")
    ben = make_pupil(school, year, "B999241725102", "Ben", "Larkin", "3 Ash")
    cleo = make_pupil(school, year, "C999241725103", "Cleo", "Marsh", "3 Ash")
    days = school_days(year, TODAY)
    entries = []
    for index, day in enumerate(days):
        for session in Session:
            entries.append(MarkEntry(ada, day, session, "O" if index < 20 else PRESENT[session]))
            entries.append(MarkEntry(ben, day, session, "I" if index < 15 else PRESENT[session]))
            entries.append(MarkEntry(cleo, day, session, PRESENT[session]))
    record(year, entries)
    mother = Contact.objects.create(
        school=school, pupil=ada, name="Rosa Fenwick", relationship="Mother", phone="01632 960 201",
        email="rosa@example.invalid", priority=1, parental_responsibility=True,
    )
    father = Contact.objects.create(
        school=school, pupil=ada, name="Idris Fenwick", relationship="Father", phone="01632 960 202",
        priority=2, parental_responsibility=True,
    )
    aunt = Contact.objects.create(
        school=school, pupil=ada, name="Maud Fenwick", relationship="Aunt", phone="01632 960 203", priority=3,
    )
    return Hollins(school=school, ada=ada, ben=ben, cleo=cleo, mother=mother, father=father, aunt=aunt)


@pytest.fixture
def hollins(db) -> Hollins:
    return build_hollins()


@pytest.fixture
def hollins_2024(db) -> Hollins:
    return build_hollins("england-2024")


def staff(school: School, username: str, role: StaffRole, first_name: str = "Nadia", last_name: str = "Quarry"):
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", first_name=first_name, last_name=last_name
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user


@pytest.fixture
def lead(hollins):
    return staff(hollins.school, "nadia", StaffRole.ATTENDANCE_LEAD)


@pytest.fixture
def lead_2024(hollins_2024):
    return staff(hollins_2024.school, "nadia", StaffRole.ATTENDANCE_LEAD)
