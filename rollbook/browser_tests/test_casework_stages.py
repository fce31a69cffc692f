"""The attendance lead takes a pupil from stage 1, through the monitoring period, to the improved letter."""

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.casework.models import CaseStatus, CorrespondenceEntry, TriggerCase
from rollbook.casework.tests.conftest import STAGE_1_DAY, REVIEW_DAY, make_fernhill
from rollbook.letters.models import Letter
from rollbook.schools.models import Contact

from .support import assert_accessible, log_in


@pytest.fixture
def fernhill_school(transactional_db):
    fernhill = make_fernhill()
    Contact.objects.create(school=fernhill.school, pupil=fernhill.ivy, name="Rhea Marsh", relationship="Mother",
                           phone="01632 960 111", email="rhea@home.example", parental_responsibility=True)
    return fernhill


def set_today(monkeypatch, school_clock, day: dt.date) -> None:
    monkeypatch.setattr("rollbook.web.views.today", lambda: day)
    school_clock(day, dt.time(10, 0))


def test_stage_1_to_improved_letter(browser_page, fernhill_school, monkeypatch, school_clock):
    page, fernhill = browser_page, fernhill_school
    set_today(monkeypatch, school_clock, STAGE_1_DAY)
    log_in(page, "lead")

    page.goto(reverse("casework:actions", args=[fernhill.school.pk]))
    assert_accessible(page)
    stage_1_row = page.locator("section[aria-labelledby='section-due'] tr[data-rule='trigger-stage-1']")
    assert "is below the autumn threshold of 90%" in stage_1_row.inner_text()
    with page.expect_navigation():
        stage_1_row.get_by_role("link", name="Ivy Marsh").click()

    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start stage 1").click()
    assert "Stage 1 started." in page.get_by_role("status").inner_text()
    assert page.get_by_text("Monday 10 November 2025").is_visible()
    assert page.get_by_text("Nadia Brook (Class teacher)").first.is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Write letter 1").click()
    assert page.get_by_label("Review date").input_value() == "2025-11-10"
    page.get_by_label("How to send it").select_option("email")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Write the letter").click()
    assert "e-mailed to Rhea Marsh" in page.get_by_role("status").inner_text()

    # Ivy attends every session of the four monitored weeks.
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 11, 7))
    set_today(monkeypatch, school_clock, REVIEW_DAY)
    log_in(page, "lead")  # weeks later: the earlier session has expired
    page.goto(reverse("casework:pupil", args=[fernhill.school.pk, fernhill.ivy.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name="Review stage 1").click()
    assert_accessible(page)
    assert page.get_by_text(
        "Attendance over the monitoring period 100.0% (40 of 40 sessions) is at or above the autumn threshold of 90%"
    ).is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the review").click()

    assert page.get_by_text("The improved-attendance letter is due.").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Write the improved-attendance letter").click()
    page.get_by_label("How to send it").select_option("email")
    with page.expect_navigation():
        page.get_by_role("button", name="Write the letter").click()
    assert_accessible(page)

    case = TriggerCase.objects.get(pupil=fernhill.ivy)
    letters = {letter.kind: letter for letter in Letter.objects.filter(pupil=fernhill.ivy)}
    assert case.status == CaseStatus.IMPROVED
    assert set(letters) == {"trigger_1", "improved"}
    assert case.improved_letter_reference == f"letter:{letters['improved'].pk}"
    assert case.steps.get().letter_reference == f"letter:{letters['trigger_1'].pk}"
    log = page.locator("table", has=page.get_by_text("Every letter, call, meeting and decision"))
    assert "Improved attendance e-mailed to Rhea Marsh" in log.inner_text()
    assert "Attendance letter 1 (stage 1) e-mailed to Rhea Marsh" in log.inner_text()
    assert CorrespondenceEntry.objects.filter(pupil=fernhill.ivy, kind="letter").count() == 2


def test_missing_child_incident_steps(browser_page, fernhill_school, monkeypatch, school_clock):
    page, fernhill = browser_page, fernhill_school
    set_today(monkeypatch, school_clock, STAGE_1_DAY)
    log_in(page, "head")

    page.goto(reverse("casework:open_incident", args=[fernhill.school.pk, fernhill.ivy.pk]))
    assert_accessible(page)
    page.get_by_label("Kind of incident").select_option("missing-child")
    page.get_by_label("Circumstances").fill("Not in class after lunch; last seen by the climbing frame")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the incident").click()

    assert page.get_by_text("Rhea Marsh (Mother): 01632 960 111").is_visible()
    assert_accessible(page)
    page.get_by_label("Policy step completed").select_option("search-toilets")
    page.get_by_label("Where was searched").fill("All toilets")
    page.get_by_label("Outcome", exact=True).fill("Not found")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the step").click()

    assert_accessible(page)
    steps = page.locator("table", has=page.get_by_text("Every step, in order")).locator("tbody tr")
    assert steps.count() == 1
    assert steps.nth(0).locator("td").all_inner_texts()[1:] == ["Grace Lund", "All toilets", "–", "Not found"]
    assert page.get_by_text("Done: Search all toilets").is_visible()
