"""Late arrivals in Chromium: an arrival time after the register closes gives U with minutes late."""

import datetime as dt

from django.urls import reverse

from rollbook.registers.models import MarkRevision, RevisionSource, SigningEvent

from .conftest import REGISTER_DAY, ROWAN, pupil_by_name
from .support import assert_accessible, log_in


def morning_mark(forename: str) -> MarkRevision:
    return MarkRevision.objects.filter(pupil=pupil_by_name(forename), date=REGISTER_DAY, session="AM").latest("id")


def test_late_arrival_after_close_register_gives_u(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 50))
    log_in(page, "office")
    page.goto(reverse("registers:take", args=[hazelwood.pk, REGISTER_DAY.isoformat(), "AM", ROWAN]))

    page.get_by_label("Arrived at", exact=False).nth(1).fill("09:41")  # Marwood, the second row
    page.get_by_label("Reason for the change").fill("Arrived with a parent after the register closed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save register", exact=True).click()

    assert page.get_by_role("alert").count() == 0
    mark = morning_mark("Cleo")
    assert mark.code == "U"
    assert mark.minutes_late == 46
    assert mark.source == RevisionSource.AMENDMENT
    assert mark.reason == "Arrived with a parent after the register closed"


def test_late_arrival_before_close_register_gives_l(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 10))
    log_in(page, "office")
    page.goto(reverse("registers:take", args=[hazelwood.pk, REGISTER_DAY.isoformat(), "AM", ROWAN]))

    page.get_by_label("Arrived at", exact=False).nth(1).fill("09:15")
    with page.expect_navigation():
        page.get_by_role("button", name="Save register", exact=True).click()

    mark = morning_mark("Cleo")
    assert mark.code == "L"
    assert mark.minutes_late == 20
    assert mark.source == RevisionSource.REGISTER


def test_late_arrival_signing_book_gives_u(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(10, 5))
    log_in(page, "office")
    page.goto(reverse("registers:signing_book", args=[hazelwood.pk]))
    assert_accessible(page)

    page.get_by_label("Pupil").select_option(label="Marwood, Cleo")
    page.get_by_label("Signed in").check()
    page.get_by_label("Time (24-hour, HH:MM)").fill("10:02")
    page.get_by_label("Reason").fill("Dental appointment")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in or out").click()

    assert page.get_by_role("alert").count() == 0
    assert_accessible(page)
    mark = morning_mark("Cleo")
    assert mark.code == "U"
    assert mark.minutes_late == 67
    assert SigningEvent.objects.filter(pupil=pupil_by_name("Cleo"), revision=mark).exists()
