"""The benchmarks page: a school in Sandwell (LA 333) in 2022/23 beside the DfE's published figures.

Ash Grove has 10 pupils marked every school day of autumn-1 2022; one of them is ill (I) every
session. The published figures are the real excerpt, imported as it is.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from rollbook.schools.models import School, StaffRole
from rollbook.statistics.models import GeographicLevel
from rollbook.web.tests.conftest import make_user

from .conftest import add_pupil, client_as, make_year, mark_every_day

pytestmark = pytest.mark.django_db

EXCERPT = Path(__file__).resolve().parents[3] / "testdata" / "dfe-statistics" / "pupil-attendance-ytd-2022-23_excerpt.csv"
TODAY = dt.date(2023, 7, 21)


@pytest.fixture
def ash_grove(db, monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: TODAY)
    school = School.objects.create(name="Ash Grove Primary School", urn="900201", la_code="333")
    year = make_year(school, 2022, [(dt.date(2022, 9, 5), dt.date(2022, 10, 21), "autumn-1")])
    pupils = [add_pupil(school, year, number, year_group="5", fsm=False) for number in range(1, 11)]
    mark_every_day(year, pupils, dt.date(2022, 10, 21), absent={pupils[0].pk: "I"})
    call_command("import_dfe_statistics", str(EXCERPT), stdout=io.StringIO())
    return school


@pytest.fixture
def governor_client(ash_grove):
    return client_as(make_user("ash-governor", (ash_grove, StaffRole.GOVERNOR)))


def lines_of(response) -> dict[GeographicLevel, object]:
    return {line.level: line for line in response.context["comparison"].lines}


def test_benchmarks_all_schools(ash_grove, governor_client):
    response = governor_client.get(reverse("statistics:benchmarks", args=[ash_grove.pk]))

    comparison = response.context["comparison"]
    assert (comparison.start_year, comparison.time_identifier, comparison.school_type) == (2022, "Academic year", "Total")
    # 34 school days (19 September 2022 was a bank holiday), 10 pupils: 680 possible sessions, 68 absent.
    assert (comparison.school_rates.possible, comparison.school_rates.absent) == (680, 68)
    assert comparison.school_rates.absence_rate == Decimal("10.0")
    lines = lines_of(response)
    assert lines[GeographicLevel.LOCAL_AUTHORITY].rates is None
    assert "no Total row for LA 333" in lines[GeographicLevel.LOCAL_AUTHORITY].missing_reason
    region = lines[GeographicLevel.REGIONAL]
    assert region.area == "West Midlands"
    # Published 6.32%; the counts give 6.26%, and the difference is taken from the counts.
    assert region.rates.absence_rate == Decimal("6.3")
    assert region.published_differs
    assert region.absence_difference == Decimal("3.7")
    assert lines[GeographicLevel.NATIONAL].absence_difference == Decimal("3.7")
    text = response.content.decode()
    assert "3.7 points more absence" in text
    assert "published 6.3%, which its counts do not give" in text


def test_benchmarks_primary_schools(ash_grove, governor_client):
    response = governor_client.get(
        reverse("statistics:benchmarks", args=[ash_grove.pk]), {"year": "2022", "period": "Academic year", "school_type": "Primary"}
    )

    lines = lines_of(response)
    sandwell = lines[GeographicLevel.LOCAL_AUTHORITY]
    assert sandwell.area == "Sandwell"
    assert sandwell.rates.absence_rate == Decimal("5.4")
    assert not sandwell.published_differs
    # 10.0% against 5.366...%: 4.6 points, rounded from the exact difference.
    assert sandwell.absence_difference == Decimal("4.6")
    assert lines[GeographicLevel.REGIONAL].rates is None
    assert lines[GeographicLevel.NATIONAL].rates is None
    assert "Not available: the imported file has no Primary row for England." in response.content.decode()


def test_benchmarks_rejects_unknown_choice(ash_grove, governor_client):
    response = governor_client.get(reverse("statistics:benchmarks", args=[ash_grove.pk]), {"school_type": "Nursery"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_benchmarks_without_imported_figures(larkspur, governor, frozen_today):
    response = client_as(governor).get(reverse("statistics:benchmarks", args=[larkspur.pk]))

    assert response.status_code == 200
    assert "rollbook import dfe-statistics FILE" in response.content.decode()


def test_benchmarks_on_governors_report(ash_grove, governor_client):
    response = governor_client.get(reverse("statistics:governors", args=[ash_grove.pk]))

    benchmark = response.context["benchmark"]
    assert benchmark.school_type == "Total"
    assert "West Midlands (Region): 6.3% absence; the school is 3.7 points higher." in " ".join(response.content.decode().split())
