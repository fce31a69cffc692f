"""Signing in and the school landing page, in Chromium, with the keyboard and the axe-core check."""

from .support import assert_accessible, log_in, tab_to


def test_login_page_accessible(browser_page, hazelwood):
    browser_page.goto("/login/")

    assert_accessible(browser_page)


def test_login_error_page_accessible(browser_page, rowan_teacher):
    browser_page.goto("/login/")
    browser_page.get_by_label("Username").fill("rowan-teacher")
    browser_page.get_by_label("Password").fill("not-the-password")
    with browser_page.expect_navigation():
        browser_page.get_by_label("Password").press("Enter")

    assert browser_page.get_by_role("alert").is_visible()
    assert_accessible(browser_page)


def test_login_keyboard_only(browser_page, rowan_teacher, frozen_landing_day):
    browser_page.goto("/login/")

    tab_to(browser_page, browser_page.get_by_label("Username"))
    browser_page.keyboard.type("rowan-teacher")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.type("a-long-test-password")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")

    assert browser_page.get_by_role("heading", level=1).inner_text() == "Hazelwood Primary School"


def test_landing_page_teacher_accessible(browser_page, rowan_teacher, frozen_landing_day):
    log_in(browser_page, "rowan-teacher")

    assert browser_page.get_by_role("heading", level=1).inner_text() == "Hazelwood Primary School"
    assert_accessible(browser_page)


def test_landing_page_office_accessible(browser_page, office_user, frozen_landing_day):
    log_in(browser_page, "office")

    assert_accessible(browser_page)


def test_landing_page_parent_accessible(browser_page, parent_user, frozen_landing_day):
    log_in(browser_page, "fenwick-parent")

    assert_accessible(browser_page)
