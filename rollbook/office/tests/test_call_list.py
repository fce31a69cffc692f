"""Tests for the first-day call list: who is on it, the call log, and the list shrinking as reasons arrive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from rollbook.absences.services import record_report
from rollbook.office.calls import CallInvalid, call_list, log_call
from rollbook.office.models import CallAttempt, CallOutcome
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import MarkEntry, YearContext, record_marks
from rollbook.schools.models import Contact

from .conftest import TEACHER, current_code, london

AM = Session.AM
MONDAY = dt.date(2025, 9, 8)
AFTER_CLOSE = london(MONDAY, 9, 20)


@pytest.fixture
def morning(school):
    """Monday 8 September: Ada present, Ben marked N, Cara and Ruby unmarked (the register closed at 09:15)."""
    context = YearContext.load(school.year)
    record_marks(
        context, [MarkEntry(school.ada, MONDAY, AM, "/"), MarkEntry(school.ben, MONDAY, AM, "N")],
        TEACHER, london(MONDAY, 9, 0), RevisionSource.REGISTER,
    )
    for priority, (name, phone) in enumerate((("Bella Birchall", "01632 960 101"), ("Bob Birchall", ""), ("Gran Birchall", "01632 960 103")), 1):
        Contact.objects.create(school=school.school, pupil=school.ben, name=name, phone=phone, priority=priority, relationship="Parent")
    return school


def names(listing) -> list[str]:
    return [row.pupil.forename for row in listing.rows]


def test_call_list_has_absent_without_reason(morning):
    listing = call_list(morning.school, MONDAY, AM, AFTER_CLOSE)

    assert listing.register_closed
    assert names(listing) == ["Ben", "Cara", "Ruby"]  # 3 Cedar before R Oak


def test_call_list_before_close_has_n_only(morning):
    listing = call_list(morning.school, MONDAY, AM, london(MONDAY, 9, 10))

    assert not listing.register_closed
    assert names(listing) == ["Ben"]


def test_call_list_gives_two_contacts_by_priority(morning):
    row = call_list(morning.school, MONDAY, AM, AFTER_CLOSE).rows[0]

    assert [contact.name for contact in row.contacts] == ["Bella Birchall", "Bob Birchall"]
    assert row.missing_numbers == 1


def test_call_list_drops_reported_pupil(morning):
    record_report(
        morning.cara, start_date=MONDAY, end_date=MONDAY, reason="illness", channel="phone",
        reported_by="Father", received_at=london(MONDAY, 9, 25),
    )

    assert names(call_list(morning.school, MONDAY, AM, london(MONDAY, 9, 30))) == ["Ben", "Ruby"]


def test_call_list_drops_coded_pupil(morning):
    context = YearContext.load(morning.year)
    record_marks(context, [MarkEntry(morning.ben, MONDAY, AM, "I")], TEACHER, london(MONDAY, 9, 40), RevisionSource.AMENDMENT, reason="Mother phoned")

    assert names(call_list(morning.school, MONDAY, AM, london(MONDAY, 9, 45))) == ["Cara", "Ruby"]


def test_call_list_skips_closures_and_leavers(morning):
    friday = dt.date(2025, 9, 12)  # Reception is closed that afternoon
    leaver_day = dt.date(2025, 9, 22)  # Cara left on 19 September

    assert names(call_list(morning.school, friday, Session.PM, london(friday, 14, 0))) == ["Ada", "Ben", "Cara"]
    assert names(call_list(morning.school, leaver_day, AM, london(leaver_day, 10, 0))) == ["Ada", "Ben", "Ruby"]


def test_call_list_none_on_weekend(morning):
    assert call_list(morning.school, dt.date(2025, 9, 13), AM, london(dt.date(2025, 9, 13), 10, 0)) is None


def test_log_call_keeps_contact_as_dialled(morning, office):
    contact = Contact.objects.get(name="Bella Birchall")

    attempt = log_call(
        morning.ben, MONDAY, AM, outcome=CallOutcome.NO_ANSWER, contact=contact, user=office,
        made_by_name="Priya Patel", at=london(MONDAY, 9, 30),
    )
    contact.delete()

    attempt.refresh_from_db()
    assert (attempt.contact_name, attempt.phone, attempt.contact) == ("Bella Birchall", "01632 960 101", None)


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"outcome": "hung_up"}, "outcome", "outcome 'hung_up' is invalid"),
        ({"contact": None}, "contact", "the person called is missing"),
        ({"at": london(dt.date(2025, 9, 5), 16, 0)}, "date", "is after the call"),
    ],
)
def test_log_call_rejects_bad_input(morning, office, options, field, message):
    values = {"outcome": CallOutcome.NO_ANSWER, "contact": Contact.objects.get(name="Bella Birchall"), "at": AFTER_CLOSE}
    values.update(options)

    with pytest.raises(CallInvalid, match=message) as raised:
        log_call(morning.ben, MONDAY, AM, user=office, made_by_name="Priya Patel", **values)

    assert raised.value.field == field
    assert not CallAttempt.objects.exists()


def test_log_call_rejects_other_pupils_contact(morning, office):
    contact = Contact.objects.create(school=morning.school, pupil=morning.ada, name="Alan Ashdown", phone="01632 960 200")

    with pytest.raises(CallInvalid, match=f"contact {contact.pk} is not one of this pupil's contacts"):
        log_call(morning.ben, MONDAY, AM, outcome=CallOutcome.NO_ANSWER, contact=contact, user=office, made_by_name="P", at=AFTER_CLOSE)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def follow_up_url(school, pupil, name="office:follow_up"):
    return reverse(name, args=[school.school.pk, pupil.pk, MONDAY.isoformat(), "AM"])


@freeze_time(AFTER_CLOSE)
def test_page_lists_pupils_and_contacts(morning, office):
    response = signed_in(office).get(reverse("office:call_list", args=[morning.school.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "3 pupils</strong> to follow up" in text
    assert "Bella Birchall" in text
    assert 'href="tel:01632960101"' in text
    assert "1 number missing" in text
    assert "Ada Ashdown" not in text


@freeze_time(AFTER_CLOSE)
def test_rows_fragment_refreshes_alone(morning, office):
    response = signed_in(office).get(reverse("office:call_rows", args=[morning.school.pk]) + "?session=AM")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Ben Birchall" in response.content


@freeze_time(AFTER_CLOSE)
def test_page_rejects_unknown_session(morning, office):
    response = signed_in(office).get(reverse("office:call_list", args=[morning.school.pk]) + "?session=XX")

    assert response.status_code == 404


@freeze_time(AFTER_CLOSE)
def test_page_logs_a_call(morning, office):
    contact = Contact.objects.get(name="Bella Birchall")

    response = signed_in(office).post(follow_up_url(morning, morning.ben, "office:log_call"), {
        "contact": str(contact.pk), "outcome": CallOutcome.VOICEMAIL, "note": "Asked her to ring back",
    })

    assert response.status_code == 302
    attempt = CallAttempt.objects.get()
    assert (attempt.outcome, attempt.made_by, attempt.made_by_name, attempt.note) == (
        CallOutcome.VOICEMAIL, office, "Priya Patel", "Asked her to ring back",
    )


@freeze_time(AFTER_CLOSE)
def test_page_logs_other_person_called(morning, office):
    client = signed_in(office)
    url = follow_up_url(morning, morning.ben, "office:log_call")

    missing = client.post(url, {"contact": "other", "outcome": CallOutcome.NO_ANSWER})
    named = client.post(url, {"contact": "other", "other_contact": "Aunt, 01632 960 999", "outcome": CallOutcome.NO_ANSWER})

    assert missing.status_code == 400
    assert "Name the person called" in missing.content.decode()
    assert named.status_code == 302
    assert CallAttempt.objects.get().contact_name == "Aunt, 01632 960 999"


@freeze_time(AFTER_CLOSE)
def test_page_rejects_contact_of_other_pupil(morning, office):
    contact = Contact.objects.create(school=morning.school, pupil=morning.ada, name="Alan Ashdown", phone="01632 960 200")

    response = signed_in(office).post(follow_up_url(morning, morning.ben, "office:log_call"), {
        "contact": str(contact.pk), "outcome": CallOutcome.NO_ANSWER,
    })

    assert response.status_code == 400
    assert not CallAttempt.objects.exists()


@freeze_time(AFTER_CLOSE)
def test_page_codes_absence_in_one_step(morning, office):
    n_mark = MarkRevision.objects.get(pupil=morning.ben, date=MONDAY, session="AM")

    response = signed_in(office).post(follow_up_url(morning, morning.ben, "office:code_absence"), {
        "code": "I", "reason": "Mother phoned at 09:19: sickness bug", "loaded": n_mark.pk,
    })

    assert response.status_code == 302
    revision = MarkRevision.objects.filter(pupil=morning.ben, date=MONDAY, session="AM").last()
    assert (revision.code, revision.source, revision.reason, revision.recorded_by) == (
        "I", RevisionSource.AMENDMENT, "Mother phoned at 09:19: sickness bug", "Priya Patel",
    )
    assert names(call_list(morning.school, MONDAY, AM, AFTER_CLOSE)) == ["Cara", "Ruby"]


@freeze_time(AFTER_CLOSE)
def test_page_codes_unmarked_pupil(morning, office):
    response = signed_in(office).post(follow_up_url(morning, morning.cara, "office:code_absence"), {
        "code": "M", "reason": "Dentist, letter brought in", "loaded": "",
    })

    assert response.status_code == 302
    assert current_code(morning.cara, MONDAY, AM) == "M"


@freeze_time(AFTER_CLOSE)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "I", "reason": ""}, "This field is required"),
        ({"code": "N", "reason": "Still no reason"}, "Select a valid choice"),
        ({"code": "ZZ", "reason": "Unknown"}, "Select a valid choice"),
    ],
)
def test_page_rejects_bad_coding(morning, office, data, message):
    response = signed_in(office).post(follow_up_url(morning, morning.ben, "office:code_absence"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert current_code(morning.ben, MONDAY, AM) == "N"


@freeze_time(AFTER_CLOSE)
def test_page_reports_changed_mark(morning, office):
    n_mark = MarkRevision.objects.get(pupil=morning.ben, date=MONDAY, session="AM")
    context = YearContext.load(morning.year)
    record_marks(context, [MarkEntry(morning.ben, MONDAY, AM, "M")], TEACHER, london(MONDAY, 9, 19), RevisionSource.AMENDMENT, reason="Letter")

    response = signed_in(office).post(follow_up_url(morning, morning.ben, "office:code_absence"), {
        "code": "I", "reason": "Mother phoned", "loaded": n_mark.pk,
    })

    assert response.status_code == 400
    assert "someone changed these marks" in response.content.decode()
    assert current_code(morning.ben, MONDAY, AM) == "M"


@freeze_time(AFTER_CLOSE)
def test_teacher_cannot_code_from_list(morning, cedar_teacher):
    response = signed_in(cedar_teacher).post(follow_up_url(morning, morning.ben, "office:code_absence"), {
        "code": "I", "reason": "Mother phoned",
    })

    assert response.status_code == 403
    assert current_code(morning.ben, MONDAY, AM) == "N"


@freeze_time(AFTER_CLOSE)
def test_other_school_sees_nothing(morning, other_school_office):
    response = signed_in(other_school_office).get(reverse("office:call_list", args=[morning.school.pk]))

    assert response.status_code == 404


@freeze_time(AFTER_CLOSE)
def test_rows_link_report_form(morning, office):
    response = signed_in(office).get(reverse("office:call_rows", args=[morning.school.pk]))

    assert reverse("office:report_absence", args=[morning.school.pk, morning.ben.pk]) in response.content.decode()
