"""Tests for the duty pages: the overview, a notification's form and export, a removal review, penalty notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from rollbook.duties.models import LaNotification, PenaltyNotice, RemovalReview
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.schools.models import Enrolment, StaffRole

from .conftest import TODAY, staff

NOW = dt.datetime.combine(TODAY, dt.time(11, 0), tzinfo=SCHOOL_TIME_ZONE)


@pytest.fixture
def client(lead, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = Client()
    client.force_login(lead)
    return client


def test_index_lists_what_is_due(client, hollins):
    text = client.get(reverse("duties:index", args=[hollins.school.pk])).content.decode()

    assert "Prepare notification for Ada Fenwick" in text
    assert "Prepare notification for Ben Larkin" in text
    assert "Open a review for Ada Fenwick" in text
    assert "Penalty thresholds met" in text


def test_index_hides_penalties_from_la_officer(hollins, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = Client()
    client.force_login(staff(hollins.school, "officer", StaffRole.LA_OFFICER))

    text = client.get(reverse("duties:index", args=[hollins.school.pk])).content.decode()

    assert "Penalty thresholds met" not in text
    assert "Prepare notification for" not in text  # the officer sees, the school prepares


def test_prepare_show_and_send_notification(client, hollins):
    prepare = reverse("duties:prepare_notification", args=[hollins.school.pk, hollins.ada.pk, "unauthorised_block"])

    response = client.post(prepare)
    notification = LaNotification.objects.get()
    assert response.url == reverse("duties:notification", args=[hollins.school.pk, notification.pk])

    page = client.get(response.url).content.decode()
    assert "A999241725101" in page
    assert "Not sent yet." in page

    csv_response = client.get(reverse("duties:notification_csv", args=[hollins.school.pk, notification.pk]))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "A999241725101" in csv_response.content.decode()

    sent = client.post(response.url, {"sent_to": "Attendance team, secure e-mail"})
    assert sent.status_code == 302
    notification.refresh_from_db()
    assert notification.sent_by_name == "Nadia Quarry"
    index = client.get(reverse("duties:index", args=[hollins.school.pk])).content.decode()
    assert "Prepare notification for Ada Fenwick" not in index


def test_long_health_form_shows_rule(client, hollins):
    response = client.post(
        reverse("duties:long_health_absence", args=[hollins.school.pk, hollins.cleo.pk]),
        {"first_day": "2025-10-06", "expected_last_day": "2025-10-10", "reason": "Surgery"},
    )

    assert response.status_code == 400
    assert "The expected absence is 5 school days" in response.content.decode()


def test_health_pupil_chooser_redirects(client, hollins):
    response = client.get(reverse("duties:index", args=[hollins.school.pk]), {"health_pupil": hollins.cleo.pk})

    assert response.url == reverse("duties:long_health_absence", args=[hollins.school.pk, hollins.cleo.pk])


def test_removal_review_through_pages(client, hollins):
    school = hollins.school.pk
    opened = client.post(reverse("duties:open_removal", args=[school, hollins.ada.pk]))
    review = RemovalReview.objects.get()
    assert opened.url == reverse("duties:removal", args=[school, review.pk])

    for party in ("school", "local_authority"):
        logged = client.post(
            opened.url,
            {"made_by": party, "made_on": "2025-10-02", "method": "Home visit", "contacted": "Rosa Fenwick", "outcome": "No one home"},
        )
        assert logged.status_code == 302

    refused = client.post(
        reverse("duties:decide_removal", args=[school, review.pk]),
        {"decision": "remove", "ground": "continuous_absence", "reason": ""},
    )
    assert refused.status_code == 400
    assert "illness or another unavoidable cause" in refused.content.decode()
    assert Enrolment.objects.get(pupil=hollins.ada).leaving_date is None

    decided = client.post(
        reverse("duties:decide_removal", args=[school, review.pk]),
        {"decision": "remove", "ground": "continuous_absence", "reason": "", "no_unavoidable_cause": "on"},
    )
    assert decided.status_code == 302
    assert Enrolment.objects.get(pupil=hollins.ada).leaving_date == TODAY
    page = client.get(opened.url).content.decode()
    assert "Deletion return" in page
    csv_text = client.get(reverse("duties:deletion_return_csv", args=[school, review.pk])).content.decode()
    assert "03/10/2025" in csv_text
    client.post(reverse("duties:deletion_return_sent", args=[school, review.pk]), {"confirm": "sent"})
    review.refresh_from_db()
    assert review.return_sent_by_name == "Nadia Quarry"


def test_ground_outside_policy_not_offered(client, hollins):
    review = RemovalReview.objects.create(school=hollins.school, pupil=hollins.cleo, opened_by_name="x", opened_at=NOW)

    response = client.post(
        reverse("duties:decide_removal", args=[hollins.school.pk, review.pk]),
        {"decision": "remove", "ground": "died", "reason": "Sadly died"},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_issue_and_pay_notice_through_pages(client, hollins):
    school = hollins.school.pk
    page = client.get(reverse("duties:penalties", args=[school, hollins.ada.pk])).content.decode()
    assert "Consider a penalty notice" in page
    assert "Maud Fenwick" not in page  # no parental responsibility

    issued = client.post(
        reverse("duties:penalties", args=[school, hollins.ada.pk]),
        {"contacts": [hollins.mother.pk, hollins.father.pk], "issued_on": "2025-10-01"},
    )
    assert issued.status_code == 302
    notice = PenaltyNotice.objects.get(contact=hollins.mother)

    late = client.post(
        reverse("duties:notice", args=[school, notice.pk]), {"action": "payment", "payment-paid_on": "2025-10-03"}
    )
    assert late.status_code == 302
    notice.refresh_from_db()
    assert notice.amount_paid_pence == 6000

    pack = client.get(reverse("duties:evidence_pack", args=[school, hollins.ada.pk]))
    assert pack["Content-Type"] == "application/pdf"


def test_refer_too_early_shows_error(client, hollins):
    issued = client.post(
        reverse("duties:penalties", args=[hollins.school.pk, hollins.ada.pk]),
        {"contacts": [hollins.mother.pk], "issued_on": "2025-10-01"},
    )
    assert issued.status_code == 302
    notice = PenaltyNotice.objects.get()

    response = client.post(reverse("duties:notice", args=[hollins.school.pk, notice.pk]), {"action": "refer", "refer-note": ""})

    assert response.status_code == 400
    assert "refer it for prosecution only after that day" in response.content.decode()
