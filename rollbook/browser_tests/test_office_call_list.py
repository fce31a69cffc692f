"""The office clears the first-day call list: calls logged, one reason coded, one report recorded."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from rollbook.absences.models import AbsenceReport
from rollbook.office.models import CallAttempt
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks
from rollbook.schools.models import AcademicYear, Contact

from .conftest import REGISTER_DAY, london, pupil_by_name
from .support import assert_accessible, log_in


def take_morning_register(school) -> None:
    """Mark everyone present on ``REGISTER_DAY`` morning except Bram (N) and Cleo (no mark)."""
    context = YearContext.load(AcademicYear.objects.get(school=school, start_year=2025))
    entries = [
        MarkEntry(pupil_by_name(name), REGISTER_DAY, Session.AM, "N" if name == "Bram" else "/")
        for name in ("Ada", "Bram", "Dev", "Esme", "Finn")
    ]
    record_marks(context, entries, Actor("Imogen Hartley", "teacher"), london(REGISTER_DAY, dt.time(9, 0)), RevisionSource.REGISTER)
    bram, cleo = pupil_by_name("Bram"), pupil_by_name("Cleo")
    Contact.objects.create(school=school, pupil=bram, name="Owen Ottley", relationship="Father", phone="01632 960 301", priority=1)
    Contact.objects.create(school=school, pupil=bram, name="Rhea Ottley", relationship="Mother", phone="01632 960 302", priority=2)
    Contact.objects.create(school=school, pupil=cleo, name="Mina Marwood", relationship="Mother", phone="01632 960 401", priority=1)


def test_office_clears_call_list(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    take_morning_register(hazelwood)
    school_clock(REGISTER_DAY, dt.time(9, 20))
    log_in(page, "office")

    page.goto(reverse("office:call_list", args=[hazelwood.pk]))
    assert_accessible(page)
    rows = page.locator("#call-list tbody tr")
    assert rows.count() == 2
    # By class, then surname.
    assert rows.nth(0).locator("th").inner_text() == "Cleo Marwood"
    assert "1 number missing" in rows.nth(0).inner_text()
    assert rows.nth(1).locator("th").inner_text() == "Bram Ottley"
    assert "Owen Ottley (Father): 01632 960 301" in rows.nth(1).inner_text()
    assert "Rhea Ottley (Mother): 01632 960 302" in rows.nth(1).inner_text()

    # Bram: the first contact does not answer, the second gives a reason, which becomes I.
    with page.expect_navigation():
        page.get_by_role("link", name="Follow up Bram Ottley").click()
    assert_accessible(page)
    page.get_by_label("Who was called").select_option(label="Owen Ottley (Father), 01632 960 301")
    page.get_by_label("Outcome").select_option(label="No answer")
    with page.expect_navigation():
        page.get_by_role("button", name="Log the call").click()
    page.get_by_label("Who was called").select_option(label="Rhea Ottley (Mother), 01632 960 302")
    page.get_by_label("Outcome").select_option(label="Spoke to the contact: reason given")
    page.get_by_label("Note").fill("High temperature overnight")
    with page.expect_navigation():
        page.get_by_role("button", name="Log the call").click()
    calls = page.locator("table tbody tr")
    assert calls.count() == 2
    assert "No answer" in calls.nth(0).inner_text()
    assert "High temperature overnight" in calls.nth(1).inner_text()
    assert_accessible(page)

    page.get_by_label("Code for the reason given").select_option("I")
    page.get_by_label("Reason for the change").fill("Mother phoned back at 09:20: high temperature")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the code").click()
    assert page.get_by_role("status").first.inner_text().startswith("Done: Bram Ottley: AM on 26 September coded I.")
    assert page.locator("#call-list tbody tr").count() == 1

    # Cleo: her mother phones in, and the office records the report on her behalf.
    with page.expect_navigation():
        page.get_by_role("link", name="Follow up Cleo Marwood").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Record an absence report for this and later days").click()
    assert_accessible(page)
    page.get_by_label("Reason").select_option("medical")
    page.get_by_label("Received by").select_option("phone")
    page.get_by_label("Reported by").fill("Mother, Mina Marwood")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the report").click()

    assert page.locator("#call-list tbody tr").count() == 0
    assert "Every absent pupil has a reason recorded" in page.locator("#call-list").inner_text()
    assert_accessible(page)

    bram_mark = MarkRevision.objects.filter(pupil=pupil_by_name("Bram"), date=REGISTER_DAY, session="AM").latest("id")
    assert (bram_mark.code, bram_mark.source, bram_mark.recorded_by) == ("I", RevisionSource.AMENDMENT, "Dara Quennell")
    assert [attempt.outcome for attempt in CallAttempt.objects.order_by("pk")] == ["no_answer", "reason_given"]
    report = AbsenceReport.objects.get()
    assert (report.pupil, report.channel, report.recorded_by) == (pupil_by_name("Cleo"), "phone", office_user)


def test_call_list_refreshes_as_reasons_arrive(browser_page, hazelwood, office_user, school_clock):
    page = browser_page
    take_morning_register(hazelwood)
    school_clock(REGISTER_DAY, dt.time(9, 20))
    log_in(page, "office")
    page.goto(reverse("office:call_list", args=[hazelwood.pk]))
    assert page.locator("#call-list tbody tr").count() == 2

    # Bram's father reports online while the list is open; the next refresh drops him.
    AbsenceReport.objects.create(
        school=hazelwood, pupil=pupil_by_name("Bram"), start_date=REGISTER_DAY, end_date=REGISTER_DAY,
        reason="illness", channel="online", reported_by="Father", received_at=london(REGISTER_DAY, dt.time(9, 21)),
    )
    page.evaluate(
        "htmx.ajax('GET', document.querySelector('#call-list').getAttribute('hx-get'), "
        "{target: '#call-list', swap: 'innerHTML'})"
    )
    page.locator("#call-list tbody tr").nth(1).wait_for(state="detached")

    assert page.locator("#call-list tbody tr").count() == 1
    assert "1 pupil</strong>" in page.locator("#call-list").inner_html()
    assert page.locator("#call-list tbody th").inner_text() == "Cleo Marwood"
