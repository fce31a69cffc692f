"""The letter and local authority duty screens in Chromium: an absence notification sent, and axe-core's check of each screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.duties.models import LaNotification, RemovalReview
from rollbook.duties.tests.conftest import TODAY, build_hollins
from rollbook.schools.models import StaffRole

from .conftest import make_person
from .support import assert_accessible, log_in


@pytest.fixture
def hollins_lead(transactional_db):
    hollins = build_hollins()
    make_person(hollins.school, "hollins-lead", StaffRole.ATTENDANCE_LEAD, "Nadia", "Quarry")
    return hollins


def test_lead_sends_la_notification(browser_page, hollins_lead, school_clock):
    page = browser_page
    school_clock(TODAY, dt.time(11, 0))
    log_in(page, "hollins-lead")

    page.goto(reverse("duties:index", args=[hollins_lead.school.pk]))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare notification for Ada Fenwick").click()

    assert page.get_by_text("Not sent yet.").is_visible()
    assert "UPN: A999241725101" in page.get_by_label("Ready to copy").input_value()
    assert_accessible(page)
    page.get_by_label("Sent to").fill("Attendance team, secure e-mail")
    with page.expect_navigation():
        page.get_by_role("button", name="Record as sent").click()

    assert page.get_by_text("The notification is recorded as sent.").is_visible()
    notification = LaNotification.objects.get(pupil=hollins_lead.ada)
    assert notification.sent_to == "Attendance team, secure e-mail"


# (screen, the page's URL from the school and its pupils)
SCREENS = [
    ("letter templates", lambda h: reverse("letters:templates", args=[h.school.pk])),
    ("print letters", lambda h: reverse("letters:batch", args=[h.school.pk])),
    ("attendance certificates", lambda h: reverse("letters:recognition", args=[h.school.pk])),
    ("individual target", lambda h: reverse("letters:attendance_target", args=[h.school.pk, h.ben.pk])),
    ("pupil's letters", lambda h: reverse("letters:pupil", args=[h.school.pk, h.ada.pk])),
    ("write a letter", lambda h: reverse("letters:write", args=[h.school.pk, h.ada.pk, "trigger_2"])),
    ("long health absence", lambda h: reverse("duties:long_health_absence", args=[h.school.pk, h.cleo.pk])),
    ("penalty notices", lambda h: reverse("duties:penalties", args=[h.school.pk, h.ada.pk])),
    ("removal review", lambda h: reverse("duties:removal", args=[h.school.pk, RemovalReview.objects.get().pk])),
]


@pytest.mark.parametrize(("screen", "url"), SCREENS, ids=[row[0] for row in SCREENS])
def test_duty_screens_accessible(browser_page, hollins_lead, school_clock, screen, url):
    RemovalReview.objects.create(
        school=hollins_lead.school, pupil=hollins_lead.ada, opened_by_name="Nadia Quarry",
        opened_at=dt.datetime(2025, 10, 3, 10, 0, tzinfo=dt.timezone.utc),
    )
    school_clock(TODAY, dt.time(11, 0))
    log_in(browser_page, "hollins-lead")

    response = browser_page.goto(url(hollins_lead))

    assert response.status < 400, f"{screen}: status {response.status}"
    assert_accessible(browser_page)
