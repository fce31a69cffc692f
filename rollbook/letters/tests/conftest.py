"""A school with one pupil whose attendance has slipped, for the letter tests.

Hazel Brightwater (3 Wren) at Fernhill Lower School, September 2025: present on 16 of the
first 20 school days, ill (I) on two days and absent without a reason (O) on two. Her mother
Saoirse has parental responsibility and an e-mail address, her father Kwame has it without
one, and her grandmother is an emergency contact only. All names are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rollbook.policy.calendar import Session
from rollbook.registers.services import Actor, MarkEntry
from rollbook.schools.models import Contact, Membership, StaffRole
from rollbook.web.tests.conftest import make_pupil, make_school, record, school_days

LAST_DAY = dt.date(2025, 9, 26)
LETTER_DAY = dt.date(2025, 9, 29)
HAZEL_UPN = "H999241725010"
SENDER = Actor(name="Priya Castell", role=StaffRole.ATTENDANCE_LEAD.value)
PRESENT = {Session.AM: "/", Session.PM: "\\"}


@pytest.fixture
def fernhill(db):
    school, year = make_school("Fernhill Lower School", "900101")
    hazel = make_pupil(school, year, HAZEL_UPN, "Hazel", "Brightwater", "3 Wren")
    days = school_days(year, LAST_DAY)
    absent = {days[3]: "I", days[4]: "I", days[10]: "O", days[11]: "O"}
    record(year, [MarkEntry(hazel, day, s, absent.get(day, PRESENT[s])) for day in days for s in Session])
    Contact.objects.create(
        school=school, pupil=hazel, name="Saoirse Brightwater", relationship="Mother", phone="01632 960 101",
        email="saoirse@example.invalid", priority=1, parental_responsibility=True,
    )
    Contact.objects.create(
        school=school, pupil=hazel, name="Kwame Brightwater", relationship="Father", phone="01632 960 102",
        priority=2, parental_responsibility=True,
    )
    Contact.objects.create(
        school=school, pupil=hazel, name="Edith Marsh", relationship="Grandmother", phone="01632 960 103",
        priority=3, parental_responsibility=False,
    )
    return school


@pytest.fixture
def hazel(fernhill):
    return fernhill.pupils.get(upn=HAZEL_UPN)


@pytest.fixture
def lead(fernhill):
    user = get_user_model().objects.create_user(
        username="priya", password="a-long-test-password", first_name="Priya", last_name="Castell"
    )
    Membership.objects.create(school=fernhill, user=user, role=StaffRole.ATTENDANCE_LEAD)
    return user
