"""A live server, a fresh Chromium page for each test, and one small school with its people.

Hazelwood Primary School has class 5 Rowan (five pupils) and class 5 Alder (one pupil) in
autumn 2025. Every pupil is present at every session up to the day before ``REGISTER_DAY``,
whose registers are not taken yet. All names are invented.

Personas (each with ``PASSWORD``): ``rowan_teacher`` teaches 5 Rowan, ``office_user`` works in
the school office, and ``parent_user`` is linked to Ada Fenwick (5 Rowan) only.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from playwright.sync_api import Route, sync_playwright

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

from .support import CHROMIUM, CHROMIUM_ARGS, PASSWORD, missing_chromium_message

REGISTER_DAY = dt.date(2025, 9, 26)  # a Friday in the first half-term
FIRST_DAY = dt.date(2025, 9, 1)
ROWAN = "5 Rowan"
ALDER = "5 Alder"
ROWAN_PUPILS = (
    ("K999250000101", "Ada", "Fenwick"),
    ("K999250000102", "Bram", "Ottley"),
    ("K999250000103", "Cleo", "Marwood"),
    ("K999250000104", "Dev", "Saltash"),
    ("K999250000105", "Esme", "Tranter"),
)
ALDER_PUPILS = (("K999250000201", "Finn", "Yarrow"),)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LONDON = ZoneInfo("Europe/London")


def london(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LONDON)


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch, tmp_path):
    """Yield a Playwright page in a new headless Chromium whose base URL is the live server.

    Requests to any host other than the loopback are aborted, and the test fails if the page
    made one: the pages must work with no outside host reachable.
    """
    if not CHROMIUM.exists():
        pytest.fail(missing_chromium_message(), pytrace=False)

    # Playwright's synchronous API runs an event loop in this thread, and Django raises
    # SynchronousOnlyOperation for ORM calls under a running loop unless this variable is set.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Chromium keeps its connections to the live server open, and a server thread holding a
    # persistent database connection after the last test stops the test database being dropped.
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)

    outside_requests: list[str] = []

    def keep_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=list(CHROMIUM_ARGS),
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        context.route("**/*", keep_local)
        page = context.pages[0] if context.pages else context.new_page()
        try:
            yield page
        finally:
            context.close()
            # The test's ORM calls ran inside Playwright's event loop, where Django opens
            # connections apart from the thread's own. They are closed here, before the loop stops.
            connections.close_all()

    assert not outside_requests, f"the pages requested outside hosts: {outside_requests}"


def _make_pupil(school: School, year: AcademicYear, upn: str, forename: str, surname: str, class_name: str) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, forename=forename, surname=surname, date_of_birth=dt.date(2015, 5, 9), sex="F"
    )
    Enrolment.objects.create(school=school, pupil=pupil, admission_date=FIRST_DAY)
    Placement.objects.create(
        school=school, pupil=pupil, academic_year=year, year_group="5", class_name=class_name, start_date=FIRST_DAY
    )
    return pupil


@pytest.fixture
def hazelwood(transactional_db) -> School:
    school = School.objects.create(name="Hazelwood Primary School", urn="900101", la_code="999")
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
    pupils = [_make_pupil(school, year, *row, ROWAN) for row in ROWAN_PUPILS]
    pupils += [_make_pupil(school, year, *row, ALDER) for row in ALDER_PUPILS]

    context = YearContext.load(year)
    present = {Session.AM: "/", Session.PM: "\\"}
    teacher = Actor(name="Earlier registers", role="teacher")
    for day in context.calendar.school_days:
        if day >= REGISTER_DAY:
            break
        # Each day's marks are recorded that afternoon, so they come before anything a test records.
        entries = [MarkEntry(p, day, s, present[s]) for p in pupils for s in Session]
        record_marks(context, entries, teacher, at=london(day, dt.time(13, 25)), source=RevisionSource.REGISTER)
    return school


def make_person(school: School, username: str, role: StaffRole, first_name: str, last_name: str):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    Membership.objects.create(school=school, user=user, role=role)
    return user


def pupil_by_name(forename: str) -> Pupil:
    return Pupil.objects.get(forename=forename)


@pytest.fixture
def rowan_teacher(hazelwood):
    user = make_person(hazelwood, "rowan-teacher", StaffRole.TEACHER, "Imogen", "Hartley")
    year = AcademicYear.objects.get(school=hazelwood, start_year=2025)
    TeachingAssignment.objects.create(school=hazelwood, user=user, academic_year=year, class_name=ROWAN)
    return user


@pytest.fixture
def office_user(hazelwood):
    return make_person(hazelwood, "office", StaffRole.OFFICE, "Dara", "Quennell")


@pytest.fixture
def parent_user(hazelwood):
    user = make_person(hazelwood, "fenwick-parent", StaffRole.PARENT, "Lorna", "Fenwick")
    ParentLink.objects.create(school=hazelwood, user=user, pupil=pupil_by_name("Ada"))
    return user


@pytest.fixture
def school_clock(monkeypatch):
    """Return a function that sets the clock the pages read to a Europe/London wall-clock time.

    The clock keeps running from the moment set. It replaces ``django.utils.timezone.now``,
    which the register views call, in this process and so in the live server's threads.
    """
    real_now = timezone.now

    def set_clock(day: dt.date, time: dt.time) -> None:
        offset = london(day, time) - real_now()
        monkeypatch.setattr("django.utils.timezone.now", lambda: real_now() + offset)

    return set_clock


@pytest.fixture
def frozen_landing_day(monkeypatch):
    """Make the landing page's today ``REGISTER_DAY`` (the live server runs in this process, so the patch applies there)."""
    monkeypatch.setattr("rollbook.web.views.today", lambda: REGISTER_DAY)
    return REGISTER_DAY
