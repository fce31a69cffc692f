"""A class teacher takes the morning register in Chromium with the keyboard alone."""

import datetime as dt

from django.urls import reverse

from rollbook.registers.models import MarkRevision, RegisterSubmission, RevisionSource

from .conftest import REGISTER_DAY, ROWAN, pupil_by_name
from .support import assert_accessible, log_in, tab_to


def mark_of(forename: str) -> MarkRevision:
    return MarkRevision.objects.filter(pupil=pupil_by_name(forename), date=REGISTER_DAY, session="AM").latest("id")


def test_take_register_keyboard_only(browser_page, hazelwood, rowan_teacher, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 2))
    log_in(page, "rowan-teacher")
    page.goto(reverse("registers:list", args=[hazelwood.pk]))

    register_link = page.get_by_role("link", name=f"Take AM register for {ROWAN}")
    tab_to(page, register_link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"{ROWAN}: AM register")

    # Pupils are listed by surname: Fenwick, Marwood, Ottley, Saltash, Tranter.
    tab_to(page, page.locator("fieldset", has_text="Fenwick"))
    page.keyboard.press("p")  # Fenwick present, and the focus moves to Marwood
    page.keyboard.press("l")  # Marwood late: the focus moves to the arrival time
    page.keyboard.type("09:07")
    tab_to(page, page.locator("fieldset", has_text="Ottley"))
    page.keyboard.press("n")  # Ottley N, and the focus moves to Saltash
    page.keyboard.press("p")  # Saltash present
    page.keyboard.press("a")  # everyone still unmarked (Tranter) present
    tab_to(page, page.get_by_role("button", name="Save register", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("alert").count() == 0
    assert_accessible(page)
    assert mark_of("Ada").code == "/"
    assert (mark_of("Cleo").code, mark_of("Cleo").minutes_late) == ("L", 12)
    assert mark_of("Bram").code == "N"
    assert mark_of("Dev").code == "/"
    assert mark_of("Esme").code == "/"
    assert mark_of("Esme").source == RevisionSource.REGISTER
    assert mark_of("Esme").recorded_by == "Imogen Hartley"
    assert RegisterSubmission.objects.filter(class_name=ROWAN, date=REGISTER_DAY, session="AM").count() == 1


def test_take_register_teacher_sees_own_codes_only(browser_page, hazelwood, rowan_teacher, school_clock):
    page = browser_page
    school_clock(REGISTER_DAY, dt.time(9, 2))
    log_in(page, "rowan-teacher")
    page.goto(reverse("registers:take", args=[hazelwood.pk, REGISTER_DAY.isoformat(), "AM", ROWAN]))

    row = page.locator("fieldset", has_text="Fenwick")
    offered = row.locator("input[type=radio]").evaluate_all("radios => radios.map(radio => radio.value)")
    assert set(offered) <= {"/", "L", "N", ""}
    assert row.locator("select").count() == 0
