"""Tests for recording an absence report received by phone, e-mail or in person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from rollbook.absences.models import AbsenceReport

from .conftest import london

MONDAY = dt.date(2025, 9, 8)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_url(school, pupil) -> str:
    return reverse("office:report_absence", args=[school.school.pk, pupil.pk])


def valid(**changes) -> dict:
    data = {
        "reason": "illness", "start_date": "2025-09-08", "start_session": "AM", "end_date": "2025-09-09",
        "end_session": "PM", "channel": "phone", "reported_by": "Mother", "message": "Sickness bug",
    }
    data.update(changes)
    return data


@freeze_time(london(MONDAY, 8, 40))
def test_office_records_phoned_report(school, office):
    response = signed_in(office).post(report_url(school, school.ada), valid())

    assert response.status_code == 302
    assert response["Location"] == reverse("office:call_list", args=[school.school.pk])
    report = AbsenceReport.objects.get()
    assert (report.channel, report.reported_by, report.recorded_by, report.parent_user) == ("phone", "Mother", office, None)
    assert (report.start_date, report.end_date) == (MONDAY, dt.date(2025, 9, 9))


@freeze_time(london(MONDAY, 8, 40))
def test_report_returns_to_pupil_page(school, office):
    pupil_page = reverse("registers:pupil", args=[school.school.pk, school.ada.pk])

    response = signed_in(office).post(report_url(school, school.ada), valid(next=pupil_page))

    assert response["Location"] == pupil_page


@freeze_time(london(MONDAY, 8, 40))
def test_report_ignores_outside_next(school, office):
    response = signed_in(office).post(report_url(school, school.ada), valid(next="https://example.com/"))

    assert response["Location"] == reverse("office:call_list", args=[school.school.pk])


@freeze_time(london(MONDAY, 8, 40))
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_date": "2025-09-05"}, "is before today"),
        ({"end_date": "2025-09-07"}, "before it starts"),
        ({"channel": "online"}, "Select a valid choice"),
        ({"reported_by": ""}, "This field is required"),
        ({"start_date": "31/02/2025"}, "Enter a valid date"),
        ({"start_date": "2025-09-13", "end_date": "2025-09-14"}, "has no school day"),
    ],
)
def test_report_rejects_bad_input(school, office, changes, message):
    response = signed_in(office).post(report_url(school, school.ada), valid(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AbsenceReport.objects.exists()


@freeze_time(london(MONDAY, 8, 40))
def test_pupil_page_links_to_report(school, office, cedar_teacher):
    pupil_page = reverse("registers:pupil", args=[school.school.pk, school.ada.pk])

    office_page = signed_in(office).get(pupil_page).content.decode()
    teacher_page = signed_in(cedar_teacher).get(pupil_page).content.decode()

    assert report_url(school, school.ada) in office_page
    assert report_url(school, school.ada) not in teacher_page


@freeze_time(london(MONDAY, 9, 20))
def test_landing_page_links_office_pages(school, office, cedar_teacher):
    home = reverse("school_home", args=[school.school.pk])
    call_list = reverse("office:call_list", args=[school.school.pk])
    open_n = reverse("office:open_n", args=[school.school.pk])

    office_page = signed_in(office).get(home).content.decode()
    teacher_page = signed_in(cedar_teacher).get(home).content.decode()

    assert call_list in office_page
    assert open_n in office_page
    assert call_list not in teacher_page
    assert open_n not in teacher_page
