"""The attendance dashboards in Chromium: navigation, drill-down, charts, print, tablet and axe-core.

Hazelwood's six pupils are present at every session up to 25 September 2025, the day before
``REGISTER_DAY``, which is the dashboards' today here.
"""

from __future__ import annotations

import pytest

from .conftest import REGISTER_DAY
from .support import assert_accessible, log_in, tab_to

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def dashboard_day(monkeypatch, frozen_landing_day):
    """Make the dashboards' today ``REGISTER_DAY`` as well as the landing page's."""
    monkeypatch.setattr("rollbook.analysis.views.today", lambda: REGISTER_DAY)
    return REGISTER_DAY


def open_dashboard(page, username: str) -> None:
    log_in(page, username)
    with page.expect_navigation():
        page.get_by_role("link", name="Attendance dashboards").click()


def test_dashboard_from_landing_page(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")

    assert browser_page.get_by_role("heading", level=1).inner_text() == "Attendance: Whole school"
    assert browser_page.locator(".figure--main .figure__value").inner_text() == "100.0%"
    assert browser_page.get_by_role("img", name="Pupils by attendance band").is_visible()
    assert_accessible(browser_page)


def test_figure_links_to_pupils_and_sessions(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")

    with browser_page.expect_navigation():
        browser_page.get_by_role("row", name="Pupils").get_by_role("link").click()
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Pupils: on roll in the range"
    assert browser_page.get_by_role("link", name="Finn Yarrow").is_visible()
    assert_accessible(browser_page)

    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Finn Yarrow").click()
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Finn Yarrow"
    # Today's registers are not taken yet, so both of today's sessions are listed as unmarked.
    sessions = browser_page.get_by_role("table", name="2 sessions not marked / or \\, in date order")
    assert sessions.get_by_role("row", name="Fri 26 Sep 2025 AM").is_visible()
    assert sessions.get_by_text("No mark yet").count() == 2
    assert_accessible(browser_page)


def test_class_and_custom_range(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="5 Rowan").click()

    browser_page.get_by_label("From (YYYY-MM-DD)").fill("2025-09-08")
    browser_page.get_by_label("To (YYYY-MM-DD)").fill("2025-09-12")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Show this range").click()

    assert browser_page.get_by_role("heading", level=1).inner_text() == "Attendance: Class 5 Rowan"
    # Five pupils, five days, two sessions each.
    assert browser_page.get_by_role("row", name="Possible sessions").get_by_role("cell").first.inner_text() == "50"
    assert_accessible(browser_page)


def test_range_error_accessible(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")
    browser_page.get_by_label("From (YYYY-MM-DD)").fill("2025-09-12")
    browser_page.get_by_label("To (YYYY-MM-DD)").fill("2025-09-08")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Show this range").click()

    assert "is before the from date" in browser_page.get_by_role("alert").inner_text()
    assert_accessible(browser_page)


def test_groups_crossed_with_keyboard(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Groups", exact=True).click()

    browser_page.get_by_label("Group by").select_option("sex")
    browser_page.get_by_label("Crossed with").select_option("class")
    browser_page.get_by_label("Crossed with").focus()
    tab_to(browser_page, browser_page.get_by_role("button", name="Show groups"), max_presses=1)
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")

    assert browser_page.get_by_role("table", name="Attendance of sex by class").is_visible()
    assert_accessible(browser_page)


def test_patterns_and_at_risk_accessible(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Patterns").click()

    assert browser_page.get_by_role("img", name="Attendance by day of the week and session").is_visible()
    assert browser_page.get_by_role("table", name="Attendance by day of the week and session").is_visible()
    assert_accessible(browser_page)

    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Pupils at risk").click()
    assert browser_page.get_by_role("heading", name="How the projection works").is_visible()
    assert_accessible(browser_page)


def test_dashboard_fits_tablet(browser_page, office_user, dashboard_day):
    browser_page.set_viewport_size(TABLET)
    open_dashboard(browser_page, "office")

    overflow = browser_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    chart = browser_page.get_by_role("img", name="Pupils by attendance band").bounding_box()
    assert chart["width"] <= TABLET["width"]
    assert_accessible(browser_page)


def test_dashboard_print_layout(browser_page, office_user, dashboard_day):
    open_dashboard(browser_page, "office")
    browser_page.emulate_media(media="print")

    assert not browser_page.get_by_role("navigation", name="Attendance analysis").is_visible()
    assert not browser_page.get_by_role("button", name="Show this range").is_visible()
    assert browser_page.get_by_role("img", name="Pupils by attendance band").is_visible()
    assert browser_page.get_by_role("table", name="Pupils by attendance band (target 97%)").is_visible()


def test_teacher_lists_own_class_only(browser_page, rowan_teacher, dashboard_day):
    open_dashboard(browser_page, "rowan-teacher")
    with browser_page.expect_navigation():
        browser_page.get_by_role("row", name="Pupils").get_by_role("link").click()

    assert browser_page.get_by_role("link", name="Ada Fenwick").is_visible()
    assert browser_page.get_by_role("link", name="Finn Yarrow").count() == 0
    assert "1 of these pupil is not in your classes" in browser_page.get_by_role("status").inner_text()
    assert_accessible(browser_page)


def test_governor_sees_figures_without_names(browser_page, hazelwood, dashboard_day):
    from rollbook.schools.models import StaffRole

    from .conftest import make_person

    make_person(hazelwood, "governor", StaffRole.GOVERNOR, "Petra", "Lowell")
    open_dashboard(browser_page, "governor")

    assert browser_page.locator(".figure--main .figure__value").inner_text() == "100.0%"
    assert browser_page.get_by_role("link", name="Finn Yarrow").count() == 0
    assert "Fewer than 5 pupils: not shown" in browser_page.get_by_role("table", name="Classes: attendance over the range").inner_text()
    assert_accessible(browser_page)


# Every dashboard page, opened directly by the office (paths below /schools/<id>/analysis/).
PAGES = [
    "",
    "?preset=half-term",
    "year-groups/5/",
    "classes/5 Alder/",
    "groups/",
    "groups/?by=ethnicity&cross=year_group",
    "groups/sex/F/",
    "groups/fsm/not-recorded/",
    "pupils/?show=persistent",
    "pupils/?show=band-100&class=5 Rowan",
    "patterns/",
    "at-risk/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_dashboard_page_accessible(browser_page, office_user, dashboard_day, path):
    log_in(browser_page, "office")
    school_id = office_user.memberships.get().school_id
    response = browser_page.goto(f"/schools/{school_id}/analysis/{path}")

    assert response.status == 200
    assert browser_page.get_by_role("heading", level=1).is_visible()
    assert_accessible(browser_page)
