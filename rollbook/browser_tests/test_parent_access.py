"""A parent in Chromium can open their own child's marks but not another child's pages."""

import datetime as dt

from django.urls import reverse

from .conftest import REGISTER_DAY, pupil_by_name
from .support import assert_accessible, log_in


def test_parent_access_own_child_shown(browser_page, hazelwood, parent_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(15, 0))
    log_in(page, "fenwick-parent")

    response = page.goto(reverse("registers:pupil", args=[hazelwood.pk, pupil_by_name("Ada").pk]))

    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Fenwick"
    assert_accessible(page)


def test_parent_access_other_child_not_found(browser_page, hazelwood, parent_user, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(15, 0))
    log_in(page, "fenwick-parent")
    bram = pupil_by_name("Bram")
    earlier = (REGISTER_DAY - dt.timedelta(days=1)).isoformat()

    pages = [
        reverse("registers:pupil", args=[hazelwood.pk, bram.pk]),
        reverse("registers:mark_history", args=[hazelwood.pk, bram.pk, earlier, "AM"]),
        reverse("registers:amend", args=[hazelwood.pk, bram.pk, earlier, "AM"]),
        reverse("contacts:pupil", args=[hazelwood.pk, bram.pk]),
    ]
    for url in pages:
        response = page.goto(url)
        assert response.status in (403, 404), f"{url} returned {response.status}"
        assert "Bram" not in page.content(), f"{url} shows the other child's name"
