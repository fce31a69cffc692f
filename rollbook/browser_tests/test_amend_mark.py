"""The office amends a closed register's mark with a reason, and the mark's history shows it."""

import datetime as dt

from django.urls import reverse

from rollbook.registers.models import MarkRevision, RevisionSource

from .conftest import REGISTER_DAY, pupil_by_name
from .support import assert_accessible, log_in

EARLIER_DAY = REGISTER_DAY - dt.timedelta(days=1)
REASON = "Medical appointment letter received from home"


def test_amend_mark_reason_shown_in_history(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    ada = pupil_by_name("Ada")
    school_clock(REGISTER_DAY, dt.time(10, 30))
    log_in(page, "office")
    page.goto(reverse("registers:amend", args=[hazelwood.pk, ada.pk, EARLIER_DAY.isoformat(), "AM"]))
    assert_accessible(page)

    page.get_by_label("New code").select_option("M")
    page.get_by_label("Reason for the change").fill(REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the amendment").click()

    assert "/history/" in page.url
    assert_accessible(page)
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    original = rows.nth(0).locator("td").all_inner_texts()
    amendment = rows.nth(1).locator("td").all_inner_texts()
    assert original[1:] == ["/", "", "Original entry", "Earlier registers", "teacher", ""]
    assert amendment[1:] == ["M", "", "Amendment", "Dara Quennell", "office", REASON]
    assert amendment[0].startswith("10:30:")
    assert amendment[0].endswith(", 26 Sep 2025")

    revision = MarkRevision.objects.filter(pupil=ada, date=EARLIER_DAY, session="AM").latest("id")
    assert revision.source == RevisionSource.AMENDMENT
    assert revision.supersedes is not None
    assert revision.supersedes.code == "/"


def test_amend_mark_without_reason_rejected(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    ada = pupil_by_name("Ada")
    school_clock(REGISTER_DAY, dt.time(10, 30))
    log_in(page, "office")
    page.goto(reverse("registers:amend", args=[hazelwood.pk, ada.pk, EARLIER_DAY.isoformat(), "AM"]))

    page.get_by_label("New code").select_option("M")
    page.get_by_label("Reason for the change").evaluate("field => field.removeAttribute('required')")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the amendment").click()

    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    assert MarkRevision.objects.filter(pupil=ada, date=EARLIER_DAY, session="AM").count() == 1
