"""Every figure a dashboard prints equals the sum of ``rollbook report pupils`` rows over the same range.

The school is the hand-checked report scenario (rollbook/reports/tests/scenario.py): seven
pupils in five classes, with illness, unexplained absence, a leaver, a late joiner, a
Reception-only closure and a missing mark. The pages are read as HTML, not from their context.
"""

import io
import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from rollbook.analysis.figures import BANDS
from rollbook.policy.measures import at_or_above, percent
from rollbook.policy.tests.builders import D
from rollbook.reports.tests import scenario
from rollbook.schools.models import Membership, School, StaffRole

pytestmark = pytest.mark.django_db

RANGES = [
    ("2025-09-01", "2025-10-03"),  # everything the scenario marks
    ("2025-09-08", "2025-09-19"),  # two middle weeks, up to the leaver's last day
    ("2025-09-22", "2025-10-03"),  # after the leaver, with the joiner and the missing mark
]
CLASSES = {"2 Elm": "2", "1 Ash": "1", "R Oak": "R", "3 Yew": "3"}


@pytest.fixture
def client(tmp_path, monkeypatch):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())
    school = School.objects.get(urn="012345")
    user = get_user_model().objects.create_user(username="head", password="a-long-test-password")
    Membership.objects.create(school=school, user=user, role=StaffRole.SENIOR_LEADER)
    monkeypatch.setattr("rollbook.analysis.views.today", lambda: D(2025, 10, 3))
    client = Client()
    client.force_login(user)
    client.school = school
    return client


def report_rows(start: str, end: str) -> list[dict]:
    out = io.StringIO()
    call_command("report_pupils", "--from", start, "--to", end, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def expected(rows: list[dict]) -> dict[str, str]:
    """Return what a dashboard must print for these report rows, by the row label it prints them under."""
    possible = sum(r["possible_sessions"] for r in rows)
    attended = sum(r["attended_sessions"] for r in rows)
    authorised = sum(r["authorised_absences"] for r in rows)
    unauthorised = sum(r["unauthorised_absences"] for r in rows)
    figures = {
        "Possible sessions": str(possible),
        "Authorised absence": str(authorised),
        "Unauthorised absence": str(unauthorised),
        "Not yet marked": str(sum(r["missing_sessions"] for r in rows)),
        "Pupils": str(len(rows)),
        "Attendance": f"{percent(attended, possible)}%" if possible else "–",
        "Absence": f"{percent(authorised + unauthorised, possible)}%" if possible else "–",
        "Persistently absent pupils": str(sum(r["persistent_absence"] for r in rows)),
        "Severely absent pupils": str(sum(r["severe_absence"] for r in rows)),
    }
    for band in BANDS:
        members = 0
        for r in rows:
            a, p = r["attended_sessions"], r["possible_sessions"]
            if band.high is None:
                members += p > 0 and a == p
            else:
                members += bool(at_or_above(a, p, band.low)) and not at_or_above(a, p, band.high)
        figures[band.label] = str(members)
    return figures


def printed(html: str) -> dict[str, str]:
    """Return the figures a dashboard prints: each big figure and the first cell of each table row."""
    text = unescape(re.sub(r"<a [^>]*>|</a>", "", html))
    found = {}
    for label, value in re.findall(r"<dt>([^<]+)</dt>\s*<dd class=\"figure__value\">([^<]+)</dd>", text):
        found[label.strip()] = value.strip()
    for label, value in re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>", text):
        found.setdefault(label.strip(), value.strip())
    return found


def dashboard(client, name: str, *args, start: str, end: str) -> dict[str, str]:
    response = client.get(reverse(name, args=[client.school.pk, *args]), {"from": start, "to": end})
    assert response.status_code == 200
    return printed(response.content.decode())


@pytest.mark.parametrize("start,end", RANGES)
def test_school_dashboard_matches_report(client, start, end):
    rows = report_rows(start, end)
    shown = dashboard(client, "analysis:school", start=start, end=end)

    for label, value in expected(rows).items():
        assert shown[label] == value, label


@pytest.mark.parametrize("start,end", RANGES)
@pytest.mark.parametrize("class_name", CLASSES)
def test_class_dashboard_matches_report(client, start, end, class_name):
    upns = {upn for upn, _s, _y, name, *_rest in scenario.PUPILS.values() if name == class_name}
    rows = [r for r in report_rows(start, end) if r["upn"] in upns]
    if not rows:
        pytest.skip(f"no pupil of {class_name} on roll from {start} to {end}")
    shown = dashboard(client, "analysis:class", class_name, start=start, end=end)

    for label, value in expected(rows).items():
        assert shown[label] == value, label


@pytest.mark.parametrize("start,end", RANGES)
def test_year_group_dashboard_matches_report(client, start, end):
    upns = {upn for upn, _s, year_group, *_rest in scenario.PUPILS.values() if year_group == "2"}
    rows = [r for r in report_rows(start, end) if r["upn"] in upns]
    shown = dashboard(client, "analysis:year_group", "2", start=start, end=end)

    for label, value in expected(rows).items():
        assert shown[label] == value, label


def test_pupils_list_matches_report(client):
    start, end = RANGES[0]
    rows = {r["upn"]: r for r in report_rows(start, end)}
    response = client.get(reverse("analysis:pupils", args=[client.school.pk]), {"from": start, "to": end, "show": "all"})

    listed = response.context["rows"]
    assert {row.pupil.upn for row, _f in listed} == set(rows)
    for row, figures in listed:
        report = rows[row.pupil.upn]
        assert figures.possible == report["possible_sessions"], row.pupil.upn
        assert figures.attended == report["attended_sessions"], row.pupil.upn
        assert figures.authorised == report["authorised_absences"], row.pupil.upn
        assert figures.unauthorised == report["unauthorised_absences"], row.pupil.upn
        assert figures.missing == report["missing_sessions"], row.pupil.upn
        assert bool(figures.persistent_absentees) == report["persistent_absence"], row.pupil.upn


def test_figure_links_list_counted_pupils(client):
    start, end = RANGES[0]
    rows = report_rows(start, end)
    response = client.get(reverse("analysis:pupils", args=[client.school.pk]), {"from": start, "to": end, "show": "persistent"})

    listed = {row.pupil.upn for row, _f in response.context["rows"]}
    assert listed == {r["upn"] for r in rows if r["persistent_absence"]}
