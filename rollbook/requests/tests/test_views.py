"""The parent and staff pages, driven through Django's test client at 10:00 on Friday 26 September 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rollbook.absences.models import AbsenceReport
from rollbook.policy.calendar import Session
from rollbook.policy.requests import RequestKind
from rollbook.registers.known import known_absences
from rollbook.registers.models import MarkRevision
from rollbook.registers.services import Actor
from rollbook.schools.models import CalendarEntry

from ..decisions import decide
from ..letters import default_template
from ..models import AbsenceRequest, LetterPurpose, LetterTemplate, LunchtimeSigning, Status
from ..services import RequestDetails, submit_request
from .conftest import london

TODAY = dt.date(2025, 9, 26)


@pytest.fixture
def clock(monkeypatch):
    def set_clock(hour: int, minute: int = 0, day: dt.date = TODAY):
        monkeypatch.setattr("django.utils.timezone.now", lambda: london(day, hour, minute))
    set_clock(10)
    return set_clock


def test_parent_child_page_shows_words(client, parent, mila, clock):
    client.force_login(parent)
    response = client.get(reverse("parents:child", args=[mila.school_id, mila.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Present (AM) (/)" in text
    assert "Present (PM) (\\)" in text
    assert "40 sessions attended of 40" in text


def test_parent_reports_absence_prefills_register(client, parent, mila, clock):
    client.force_login(parent)
    url = reverse("parents:report_absence", args=[mila.school_id, mila.pk])
    response = client.post(url, {
        "start_date": "2025-09-29", "start_session": "AM", "end_date": "2025-09-30", "end_session": "PM",
        "reason": "illness", "message": "A temperature",
    })
    assert response.status_code == 302
    report = AbsenceReport.objects.get()
    assert report.parent_user == parent
    assert report.channel == "online"
    known = known_absences(mila.school_id, [mila.pk], dt.date(2025, 9, 29), Session.AM)[mila.pk]
    assert known[0].code == "N"
    assert "illness" in known[0].label


def test_parent_report_past_day_rejected(client, parent, mila, clock):
    client.force_login(parent)
    url = reverse("parents:report_absence", args=[mila.school_id, mila.pk])
    response = client.post(url, {
        "start_date": "2025-09-25", "start_session": "AM", "end_date": "2025-09-25", "end_session": "PM", "reason": "illness",
    })
    assert response.status_code == 400
    assert "is before today" in response.content.decode()
    assert AbsenceReport.objects.count() == 0


def test_parent_request_with_bad_dates_rejected(client, parent, mila, clock):
    client.force_login(parent)
    url = reverse("parents:new_request", args=[mila.school_id, mila.pk, "religious"])
    response = client.post(url, {
        "reason": "Festival", "first_day": "2025-10-10", "first_session": "AM", "last_day": "2025-10-10",
        "last_session": "PM", "religious_body": "Vale Gurdwara", "days_set_apart": "10/10/2025, 31/02/2025",
    })
    assert response.status_code == 400
    assert "&#x27;31/02/2025&#x27; is not a date" in response.content.decode()
    assert AbsenceRequest.objects.count() == 0


def test_parent_request_unknown_kind_not_found(client, parent, mila, clock):
    client.force_login(parent)
    response = client.get(reverse("parents:new_request", args=[mila.school_id, mila.pk, "sabbatical"]))
    assert response.status_code == 404


def test_parent_leave_request_then_refused(client, parent, senior_leader, mila, clock):
    client.force_login(parent)
    response = client.post(reverse("parents:new_request", args=[mila.school_id, mila.pk, "leave"]), {
        "reason": "Beach holiday", "first_day": "2025-10-06", "first_session": "AM", "last_day": "2025-10-08",
        "last_session": "PM", "family_holiday": "on",
    })
    assert response.status_code == 302
    absence_request = AbsenceRequest.objects.get()
    assert absence_request.family_holiday is True

    client.force_login(senior_leader)
    detail = reverse("requests:detail", args=[mila.school_id, absence_request.pk])
    page = client.get(detail).content.decode()
    assert "Refuses:</strong> The request for leave of absence was made on Fri 26 September 2025, 10 calendar days" in page
    granted = client.post(detail, {"decision": "grant", "reasons": "", "exceptional_circumstances": ""})
    assert granted.status_code == 400
    refused = client.post(detail, {"decision": "refuse", "reasons": "", "exceptional_circumstances": ""})
    assert refused.status_code == 302
    absence_request.refresh_from_db()
    assert absence_request.status == Status.REFUSED
    assert absence_request.decided_by == senior_leader

    client.force_login(parent)
    page = client.get(reverse("parents:request", args=[mila.school_id, mila.pk, absence_request.pk])).content.decode()
    assert "Refused" in page
    assert "10 calendar days before its first day" in page
    letter = client.get(reverse("parents:letter", args=[mila.school_id, mila.pk, absence_request.pk]))
    assert letter["Content-Type"] == "application/pdf"


def test_office_cannot_decide(client, office, mila, clock):
    absence_request = submit_request(mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch"), at=london(TODAY), submitted_by_name="Ana")
    client.force_login(office)
    response = client.post(reverse("requests:detail", args=[mila.school_id, absence_request.pk]), {"decision": "grant"})
    assert response.status_code == 403
    absence_request.refresh_from_db()
    assert absence_request.status == Status.PENDING


def test_lunchtime_overdue_flagged(client, senior_leader, mila, clock):
    submit_request(mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch"), at=london(dt.date(2025, 9, 18)),
                   submitted_by_name="Ana")
    client.force_login(senior_leader)
    page = client.get(reverse("requests:list", args=[mila.school_id])).content.decode()
    assert "Thu 25 Sep 2025" in page
    assert "Overdue" in page


def test_staff_downloads_both_letter_formats(client, senior_leader, mila, clock):
    absence_request = submit_request(mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch"), at=london(TODAY), submitted_by_name="Ana")
    letter = decide(absence_request, grant=True, actor=Actor("Gwen Harrow", "senior_leader"), at=london(TODAY, 11))
    client.force_login(senior_leader)
    for file_format, start in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("requests:letter", args=[mila.school_id, absence_request.pk, letter.pk, file_format]))
        assert response.status_code == 200
        assert response.content.startswith(start)
    missing = client.get(reverse("requests:letter", args=[mila.school_id, absence_request.pk, letter.pk, "odt"]))
    assert missing.status_code == 404


def test_assessment_period_added_and_checked(client, senior_leader, mila, clock):
    client.force_login(senior_leader)
    url = reverse("requests:assessments", args=[mila.school_id])
    outside = client.post(url, {"label": "Tests", "start_date": "2026-09-10", "end_date": "2026-09-11"})
    assert outside.status_code == 400
    assert "is not inside the academic year" in outside.content.decode()
    reversed_dates = client.post(url, {"label": "Tests", "start_date": "2025-10-11", "end_date": "2025-10-10"})
    assert reversed_dates.status_code == 400
    added = client.post(url, {"label": "Phonics check", "start_date": "2025-10-13", "end_date": "2025-10-14"})
    assert added.status_code == 302
    assert CalendarEntry.objects.filter(kind=CalendarEntry.Kind.ASSESSMENT, label="Phonics check").count() == 1


def test_letter_template_upload(client, senior_leader, mila, clock):
    client.force_login(senior_leader)
    url = reverse("requests:letter_templates", args=[mila.school_id])
    bad = client.post(url, {"purpose": "grant", "template": SimpleUploadedFile("x.docx", b"not a docx")})
    assert bad.status_code == 400
    assert LetterTemplate.objects.count() == 0
    good = client.post(url, {"purpose": "grant", "template": SimpleUploadedFile("ours.docx", default_template(LetterPurpose.GRANT))})
    assert good.status_code == 302
    assert LetterTemplate.objects.get().uploaded_by_name == "head"
    download = client.get(reverse("requests:letter_template_file", args=[mila.school_id, "grant"]))
    assert download.content == default_template(LetterPurpose.GRANT)


def test_lunchtime_sign_out_too_early(client, office, senior_leader, mila, clock):
    absence_request = submit_request(mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch"), at=london(TODAY), submitted_by_name="Ana")
    decide(absence_request, grant=True, actor=Actor("Gwen Harrow", "senior_leader"), at=london(TODAY, 10))
    client.force_login(office)
    url = reverse("requests:lunchtime", args=[mila.school_id])
    clock(12, 5)
    early = client.post(url, {"action": "out", "request_id": absence_request.pk})
    assert early.status_code == 400
    assert "Signing out at 12:05 is too early" in early.content.decode()
    clock(12, 15)
    assert client.post(url, {"action": "out", "request_id": absence_request.pk}).status_code == 302
    signing = LunchtimeSigning.objects.get()
    clock(13, 10)
    assert client.post(url, {"action": "in", "signing_id": signing.pk}).status_code == 302
    signing.refresh_from_db()
    assert signing.late_return is True
    assert "Late" in client.get(url).content.decode()


def test_refused_taken_amended_from_page(client, office, jonah):
    # Jonah's first 12 school days are O; leave asked for on 1 September for 2 to 3 September is
    # refused. The clock is left running, so the amendment comes after the fixture's marks.
    absence_request = submit_request(
        jonah, RequestDetails(kind=RequestKind.LEAVE, reason="Holiday", first_day=dt.date(2025, 9, 2), last_day=dt.date(2025, 9, 3)),
        at=london(dt.date(2025, 9, 1), 8), submitted_by_name="Rhys Pellow",
    )
    decide(absence_request, grant=False, actor=Actor("Gwen Harrow", "senior_leader"), at=london(dt.date(2025, 9, 1), 9))
    client.force_login(office)
    url = reverse("requests:refused_taken", args=[jonah.school_id])
    page = client.get(url).content.decode()
    assert page.count("Amend to G</button>") == 4
    revision = MarkRevision.objects.filter(pupil=jonah, date=dt.date(2025, 9, 2), session="AM").latest("recorded_at", "id")
    response = client.post(url, {
        "request_id": absence_request.pk, "day": "2025-09-02", "session": "AM", "loaded": revision.pk, "reason": "Holiday taken",
    })
    assert response.status_code == 302
    latest = MarkRevision.objects.filter(pupil=jonah, date=dt.date(2025, 9, 2), session="AM").latest("recorded_at", "id")
    assert (latest.code, latest.reason, latest.role) == ("G", "Holiday taken", "office")
    assert client.get(url).content.decode().count("Amend to G</button>") == 3


def test_parent_sees_lunchtime_reply_date(client, parent, mila, clock):
    absence_request = submit_request(
        mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch"), at=london(TODAY), submitted_by_name="Ana",
        submitted_by=parent,
    )
    client.force_login(parent)
    page = client.get(reverse("parents:request", args=[mila.school_id, mila.pk, absence_request.pk])).content.decode()
    assert "Reply due by</dt><dd>Friday 3 October 2025" in page
