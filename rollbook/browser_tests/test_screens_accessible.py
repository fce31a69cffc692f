"""Every screen of the register flow, and the contact pages, pass axe-core's WCAG 2.2 A and AA rules."""

import datetime as dt

import pytest
from django.urls import reverse

from .conftest import REGISTER_DAY, ROWAN, pupil_by_name
from .support import assert_accessible, log_in

EARLIER = (REGISTER_DAY - dt.timedelta(days=1)).isoformat()
TODAY = REGISTER_DAY.isoformat()


def take_url(school_id: int) -> str:
    return reverse("registers:take", args=[school_id, TODAY, "AM", ROWAN])


# (screen, who signs in, the time the pages' clock shows, the page's URL)
SCREENS = [
    ("register list, teacher", "rowan-teacher", dt.time(9, 0), lambda school, ada: reverse("registers:list", args=[school])),
    ("register list, office", "office", dt.time(9, 0), lambda school, ada: reverse("registers:list", args=[school])),
    ("register, open", "rowan-teacher", dt.time(9, 0), lambda school, ada: take_url(school)),
    ("register, closed", "office", dt.time(9, 50), lambda school, ada: take_url(school)),
    ("register as it stood", "office", dt.time(9, 50),
     lambda school, ada: reverse("registers:take", args=[school, EARLIER, "AM", ROWAN]) + f"?at={TODAY}T09:00"),
    ("missing registers board", "office", dt.time(9, 5), lambda school, ada: reverse("registers:missing", args=[school])),
    ("pupil record", "office", dt.time(10, 0), lambda school, ada: reverse("registers:pupil", args=[school, ada])),
    ("pupil record as it stood", "office", dt.time(10, 0),
     lambda school, ada: reverse("registers:pupil", args=[school, ada]) + f"?at={EARLIER}T09:00"),
    ("mark history", "office", dt.time(10, 0),
     lambda school, ada: reverse("registers:mark_history", args=[school, ada, EARLIER, "AM"])),
    ("amend a mark", "office", dt.time(10, 0), lambda school, ada: reverse("registers:amend", args=[school, ada, EARLIER, "AM"])),
    ("signing book", "office", dt.time(10, 0), lambda school, ada: reverse("registers:signing_book", args=[school])),
    ("pupil's contacts", "office", dt.time(10, 0), lambda school, ada: reverse("contacts:pupil", args=[school, ada])),
    ("pupils short of contacts", "office", dt.time(10, 0), lambda school, ada: reverse("contacts:missing", args=[school])),
    ("parent's child record", "fenwick-parent", dt.time(15, 0),
     lambda school, ada: reverse("registers:pupil", args=[school, ada])),
]


@pytest.mark.parametrize(("screen", "username", "time", "url"), SCREENS, ids=[row[0] for row in SCREENS])
def test_screens_accessible(
    browser_page, hazelwood, rowan_teacher, office_user, parent_user, school_clock, screen, username, time, url
):
    school_clock(REGISTER_DAY, time)
    log_in(browser_page, username)

    response = browser_page.goto(url(hazelwood.pk, pupil_by_name("Ada").pk))

    assert response.status < 400, f"{screen}: status {response.status}"
    assert_accessible(browser_page)


def test_screens_accessible_invalid_moment(browser_page, hazelwood, office_user, school_clock):
    school_clock(REGISTER_DAY, dt.time(10, 0))
    log_in(browser_page, "office")

    response = browser_page.goto(reverse("registers:pupil", args=[hazelwood.pk, pupil_by_name("Ada").pk]) + "?at=soon")

    assert response.status == 400
    assert browser_page.get_by_role("alert").is_visible()
    assert_accessible(browser_page)


def test_screens_accessible_register_errors(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 50))
    log_in(page, "office")
    page.goto(take_url(hazelwood.pk))

    page.get_by_label("Arrived at", exact=False).first.fill("09:40")
    page.get_by_label("Reason for the change").evaluate("field => field.removeAttribute('required')")
    with page.expect_navigation():
        page.get_by_role("button", name="Save register", exact=True).click()

    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


def test_screens_accessible_board_after_refresh(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 5))
    log_in(page, "office")
    # Playwright's fake timers let the board's 15-second poll run without waiting for it.
    page.clock.install()
    page.goto(reverse("registers:missing", args=[hazelwood.pk]))

    with page.expect_response(lambda response: "/missing/rows/" in response.url):
        page.clock.fast_forward("00:16")

    assert page.locator("#board table").is_visible()
    assert_accessible(page)
