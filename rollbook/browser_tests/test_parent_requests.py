"""A parent reports an absence that the teacher's register then shows, and asks for leave that the
headteacher refuses with its reason, all in Chromium."""

import datetime as dt

from django.urls import reverse

from rollbook.requests.models import AbsenceRequest, Status
from rollbook.schools.models import StaffRole

from .conftest import REGISTER_DAY, ROWAN, make_person, pupil_by_name
from .support import assert_accessible, log_in


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_parent_report_prefills_register(browser_page, hazelwood, parent_user, rowan_teacher, school_clock):
    page = browser_page
    ada = pupil_by_name("Ada")
    school_clock(REGISTER_DAY, dt.time(7, 45))
    log_in(page, "fenwick-parent")
    page.goto(reverse("home"))
    page.get_by_role("link", name="Report an absence for Ada").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Report an absence for Ada Fenwick"
    assert_accessible(page)
    page.get_by_label("Reason").select_option("illness")
    page.get_by_label("Message to the school (optional)").fill("A high temperature overnight.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    assert "The school has your report of Ada's absence." in page.get_by_role("status").inner_text()
    sign_out(page)

    school_clock(REGISTER_DAY, dt.time(9, 2))
    log_in(page, "rowan-teacher")
    page.goto(reverse("registers:take", args=[hazelwood.pk, REGISTER_DAY.isoformat(), "AM", ROWAN]))
    row = page.locator("fieldset", has_text="Fenwick")
    assert "Reported absence (online, by the parent): illness; not yet coded" in row.inner_text()
    assert row.locator("input[type=radio][value='N']").is_checked()
    other = page.locator("fieldset", has_text="Ottley")
    assert "Reported absence" not in other.inner_text()
    assert not other.locator("input[type=radio][value='N']").is_checked()
    assert_accessible(page)
    assert ada.absence_reports.count() == 1


def test_leave_request_refused_with_reason(browser_page, hazelwood, parent_user, school_clock):
    page = browser_page
    make_person(hazelwood, "head", StaffRole.SENIOR_LEADER, "Gwen", "Harrow")
    ada = pupil_by_name("Ada")
    first_day = REGISTER_DAY + dt.timedelta(days=10)  # Monday 6 October: only 10 days' notice
    school_clock(REGISTER_DAY, dt.time(18, 0))
    log_in(page, "fenwick-parent")
    page.goto(reverse("parents:child", args=[hazelwood.pk, ada.pk]))
    page.get_by_role("link", name="Leave of absence").click()
    assert_accessible(page)
    page.get_by_label("Reason for the request").fill("A week in Cornwall with cousins")
    page.get_by_label("First day").fill(first_day.isoformat())
    page.get_by_label("Last day").fill((first_day + dt.timedelta(days=2)).isoformat())
    page.get_by_label("This leave is for a family holiday").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the request").click()
    assert page.locator("#status").inner_text() == "Awaiting a decision"
    sign_out(page)

    log_in(page, "head")
    page.goto(reverse("requests:list", args=[hazelwood.pk]))
    absence_request = AbsenceRequest.objects.get(pupil=ada)
    page.get_by_role("link", name=f"Leave of absence {absence_request.pk}").click()
    findings = page.locator(".findings").inner_text()
    assert "10 calendar days before its first day" in findings
    assert "family holiday" in findings
    assert_accessible(page)
    page.get_by_label("Refuse").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision and make the letter").click()
    assert page.locator("#status").inner_text() == "Refused"
    assert "the policy requires at least 14 days' notice" in page.locator("#reasons").inner_text()
    sign_out(page)

    log_in(page, "fenwick-parent")
    page.goto(reverse("parents:request", args=[hazelwood.pk, ada.pk, absence_request.pk]))
    assert page.locator("#status").inner_text() == "Refused"
    assert "the policy requires at least 14 days' notice" in page.locator("#reasons").inner_text()
    assert page.get_by_role("link", name="Download the school's letter (PDF)").count() == 1
    assert_accessible(page)
    absence_request.refresh_from_db()
    assert absence_request.status == Status.REFUSED
    assert absence_request.decided_by_name == "Gwen Harrow"
