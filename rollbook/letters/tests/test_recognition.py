"""Tests for attendance certificates: who earns one, individual targets, and printing them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from rollbook.letters import recognition, services
from rollbook.letters.models import AttendanceTarget, DeliveryMethod, Letter
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.recognition import RecognitionReason

from .conftest import LETTER_DAY, SENDER
from .pdf_text import pdf_words

AT = dt.datetime(2025, 9, 29, 10, 0, tzinfo=dt.timezone.utc)


def set_target(hazel, percent: int) -> AttendanceTarget:
    return AttendanceTarget.objects.create(
        school=hazel.school, pupil=hazel, percent=percent, reason="Weekly hospital visits", set_by_name="Priya", set_at=AT
    )


def test_no_certificate_below_school_target(hazel):
    # Hazel attended 80% of sessions to 26 September.
    (candidate,) = recognition.candidates([hazel], LETTER_DAY)

    assert str(candidate.attendance) == "80.0"
    assert candidate.reason is None


@pytest.mark.parametrize(("percent", "expected"), [(80, RecognitionReason.INDIVIDUAL_TARGET), (81, None)])
def test_individual_target_boundary(hazel, percent, expected):
    set_target(hazel, percent)

    (candidate,) = recognition.candidates([hazel], LETTER_DAY)

    assert candidate.reason == expected


def test_certificate_names_individual_target(hazel, lead):
    set_target(hazel, 80)
    chosen = recognition.candidates([hazel], LETTER_DAY)

    printed = recognition.print_certificates(chosen, on=LETTER_DAY, at=AT, user=lead, sender=SENDER)

    text = " ".join(pdf_words(printed.pdf))
    assert "for reaching an individual attendance target" in text
    assert "This met Hazel's individual target of 80%." in text
    assert Letter.objects.get().method == DeliveryMethod.PRINT


def test_certificate_refused_without_reason(hazel, lead):
    chosen = recognition.candidates([hazel], LETTER_DAY)

    with pytest.raises(services.LetterError, match="pupil H999241725010 has 80% attendance, which earns no certificate"):
        recognition.print_certificates(chosen, on=LETTER_DAY, at=AT, user=lead, sender=SENDER)
    assert Letter.objects.count() == 0


def test_target_page_sets_and_removes(hazel, lead, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: dt.datetime.combine(LETTER_DAY, dt.time(10, 0), tzinfo=SCHOOL_TIME_ZONE)
    )
    client = Client()
    client.force_login(lead)
    url = reverse("letters:attendance_target", args=[hazel.school.pk, hazel.pk])

    missing_reason = client.post(url, {"percent": "80", "reason": ""})
    assert missing_reason.status_code == 400
    assert "Give the reason for an individual target." in missing_reason.content.decode()

    assert client.post(url, {"percent": "80", "reason": "Weekly hospital visits"}).status_code == 302
    assert AttendanceTarget.objects.get(pupil=hazel).percent == 80
    page = client.get(reverse("letters:recognition", args=[hazel.school.pk])).content.decode()
    assert "Brightwater, Hazel: 80.0% (individual target 80%)" in page

    assert client.post(url, {"percent": "", "reason": ""}).status_code == 302
    assert not AttendanceTarget.objects.filter(pupil=hazel).exists()
