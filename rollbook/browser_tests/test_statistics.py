"""The SLT spreadsheet download, the governors' report and the policy comparison, in Chromium.

Hazelwood's six pupils are present at every session up to 25 September 2025; the pages' today
is 26 September, whose registers are not taken yet.
"""

from __future__ import annotations

import openpyxl
import pytest

from rollbook.schools.models import StaffRole

from .conftest import make_person
from .support import assert_accessible, log_in, tab_to


@pytest.fixture
def governor_user(hazelwood):
    return make_person(hazelwood, "governor", StaffRole.GOVERNOR, "Priya", "Lindqvist")


def test_spreadsheet_download(browser_page, office_user, frozen_landing_day, tmp_path):
    log_in(browser_page, "office")
    link = browser_page.get_by_role("link", name="Download the SLT spreadsheet (XLSX)")

    with browser_page.expect_download() as download_info:
        link.click()

    download = download_info.value
    assert download.suggested_filename.startswith("attendance-")
    assert download.suggested_filename.endswith("-2025-26-to-2025-09-26.xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook["Year to date by pupil"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    header = [cell.value for cell in workbook["Year to date by pupil"][1]]
    ada = next(row for row in rows if row[header.index("Surname")] == "Fenwick")
    # 19 school days marked before the 26th, whose two sessions have no mark yet.
    assert ada[header.index("Possible sessions")] == 38
    assert ada[header.index("Attendance")] == 1
    assert ada[header.index("No mark yet")] == 2


def test_spreadsheet_link_by_keyboard(browser_page, office_user, frozen_landing_day):
    log_in(browser_page, "office")
    link = browser_page.get_by_role("link", name="Download the SLT spreadsheet (XLSX)")

    tab_to(browser_page, link)
    with browser_page.expect_download() as download_info:
        browser_page.keyboard.press("Enter")

    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_teacher_has_no_spreadsheet_link(browser_page, rowan_teacher, frozen_landing_day):
    log_in(browser_page, "rowan-teacher")

    assert browser_page.get_by_role("link", name="Download the SLT spreadsheet (XLSX)").count() == 0
    assert browser_page.get_by_role("link", name="Governors' report").is_visible()


def test_governors_report_accessible_and_printable(browser_page, governor_user, frozen_landing_day):
    log_in(browser_page, "governor")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Governors' report").click()

    assert browser_page.get_by_role("heading", level=1).inner_text() == "Governors' attendance report"
    text = browser_page.locator("main").inner_text()
    assert "Fenwick" not in text
    # The six pupils are all in Year 5, so the year group table has one group of 6.
    assert "Year 5\t6\t100.0%" in text
    assert_accessible(browser_page)

    browser_page.emulate_media(media="print")
    assert not browser_page.locator("form").first.is_visible()
    assert browser_page.get_by_role("heading", name="Whole school").is_visible()


def test_policy_comparison_accessible(browser_page, office_user, frozen_landing_day):
    log_in(browser_page, "office")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Compare attendance policies").click()

    browser_page.get_by_label("Compare with").select_option("draft")
    browser_page.get_by_label("Draft policy (TOML)").fill('name = "draft"\ntitle = "Draft"\ncode_set = "national-2006"\n')
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Compare").click()

    alert = browser_page.get_by_role("alert").inner_text()
    assert "Draft policy (TOML): draft policy: table [day] is missing" in alert
    assert "as of" not in alert
    assert_accessible(browser_page)

    browser_page.get_by_label("Compare with").select_option("england-2024")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Compare").click()
    assert browser_page.get_by_role("table", name="Under").count() >= 1
    assert_accessible(browser_page)
