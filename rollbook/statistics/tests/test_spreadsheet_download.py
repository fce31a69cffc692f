"""The spreadsheet download: the same workbook as the command, for staff who may see pupils' names."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: dt.date(2025, 11, 7))


def test_download_is_a_workbook(hazel_lane, leader_client, today):
    response = leader_client.get(reverse("statistics:spreadsheet", args=[hazel_lane.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="attendance-012345-2025-26-to-2025-11-07.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Half-terms by pupil"
    assert workbook["Year to date by pupil"].max_row == 8


def test_download_rejects_bad_year(hazel_lane, leader_client, today):
    url = reverse("statistics:spreadsheet", args=[hazel_lane.pk])

    assert leader_client.get(url, {"year": "last"}).status_code == 400
    response = leader_client.get(url, {"year": "2019"})
    assert response.status_code == 400
    assert b"no academic year 2019/20" in response.content


def test_download_link_on_landing_page(hazel_lane, leader_client, governor_client, today):
    link = reverse("statistics:spreadsheet", args=[hazel_lane.pk])

    assert link in leader_client.get(reverse("school_home", args=[hazel_lane.pk])).content.decode()
    governor_page = governor_client.get(reverse("school_home", args=[hazel_lane.pk])).content.decode()
    assert link not in governor_page
    assert reverse("statistics:governors", args=[hazel_lane.pk]) in governor_page
