"""The governors' report page: figures without names, and no group of fewer than 5 pupils shown.

Rowan Primary has 24 pupils in autumn-1 2025: by free school meals and year group, 3 (FSM,
Year 3), 6 (FSM, Year 4), 7 (no FSM, Year 3) and 8 (no FSM, Year 4). Two pupils are male and
the rest female; one pupil has no FSM record.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.schools.models import School, StaffRole
from rollbook.statistics.suppression import Shown
from rollbook.web.tests.conftest import make_user

from .conftest import add_pupil, client_as, make_year, mark_every_day

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 10, 10)
FEWER, WITHHELD = "Fewer than 5 pupils", "Withheld, so a smaller group cannot be worked out"


@pytest.fixture
def rowan(db, monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: TODAY)
    school = School.objects.create(name="Rowan Primary School", urn="900101", la_code="823")
    year = make_year(school, 2025, [(dt.date(2025, 9, 1), dt.date(2025, 10, 24), "autumn-1")])
    layout = [("3", True, 3), ("4", True, 6), ("3", False, 7), ("4", False, 8)]
    pupils = []
    for year_group, fsm, count in layout:
        for _ in range(count):
            number = len(pupils) + 1
            pupils.append(add_pupil(school, year, number, year_group=year_group, fsm=fsm, sex="M" if number in (5, 20) else "F"))
    pupils[-1].fsm = None
    pupils[-1].save()
    # The first pupil misses every session with illness, the rest attend.
    mark_every_day(year, pupils, TODAY, absent={pupils[0].pk: "I"})
    return school, pupils


def report_for(school, client, **params):
    return client.get(reverse("statistics:governors", args=[school.pk]), params)


@pytest.fixture
def governor_client(rowan):
    return client_as(make_user("rowan-governor", (rowan[0], StaffRole.GOVERNOR)))


def test_governors_report_has_no_names(rowan, governor_client):
    school, pupils = rowan

    response = report_for(school, governor_client)

    text = response.content.decode()
    assert response.status_code == 200
    for pupil in pupils:
        assert pupil.surname not in text
        assert pupil.forename not in text
        assert pupil.upn not in text


def test_governors_report_crossed_suppression(rowan, governor_client):
    school, _pupils = rowan

    response = report_for(school, governor_client, rows="fsm", columns="year_group")

    crossed = response.context["report"].crossed
    shown = {cell.label: cell.shown for row in crossed.cells for cell in row}
    # FSM x Year 3 has 3 pupils and "not recorded" x Year 4 has 1 (the pupil whose record was cleared).
    assert shown["Free school meals, Year 3"] is Shown.FEWER_THAN_5
    assert shown["Not recorded, Year 4"] is Shown.FEWER_THAN_5
    hidden = [label for label, state in shown.items() if state.hidden]
    for total, row in crossed.body:
        row_hidden = sum(cell.hidden for cell in row) + total.hidden
        assert row_hidden != 1, f"row {total.label} hides only one member"
    for index, column_total in enumerate(crossed.column_totals):
        column_hidden = sum(row[index].hidden for row in crossed.cells) + column_total.hidden
        assert column_hidden != 1, f"column {column_total.label} hides only one member"
    assert len(hidden) >= 4
    assert shown["Not recorded, Year 3"] is Shown.SHOWN
    for row in crossed.cells:
        for cell in row:
            if cell.hidden:
                assert cell.figures is None


def test_governors_report_one_way_tables(rowan, governor_client):
    school, _pupils = rowan

    response = report_for(school, governor_client, rows="fsm", columns="year_group")

    tables = {table.dimension.key: table for table in response.context["report"].groups}
    sex = {cell.label: cell.shown for cell in tables["sex"].rows}
    assert sex == {"Female": Shown.WITHHELD, "Male": Shown.FEWER_THAN_5}
    fsm = {cell.label: cell.shown for cell in tables["fsm"].rows}
    # The "not recorded" group has one pupil; the next smallest group is withheld with it.
    assert fsm["Not recorded"] is Shown.FEWER_THAN_5
    assert fsm["Free school meals"] is Shown.WITHHELD
    assert fsm["No free school meals"] is Shown.SHOWN
    text = response.content.decode()
    assert FEWER in text
    assert WITHHELD in text


def test_governors_report_whole_school(rowan, governor_client):
    school, _pupils = rowan

    response = report_for(school, governor_client)

    whole = response.context["report"].school
    assert whole.figures.pupils == 24
    # 30 school days to 10 October; one pupil absent for all 60 sessions of 1,440: 95.8% attendance.
    assert whole.figures.possible == 1440
    assert str(whole.figures.attendance_rate) == "95.8"
    bands = {band.label: band.shown for band in response.context["report"].bands}
    assert bands["100%"] is Shown.WITHHELD
    assert bands["Below 50%"] is Shown.FEWER_THAN_5
    text = response.content.decode()
    assert "Persistently absent pupils" in text
    assert "Fewer than 5" in text


def test_governors_report_tiny_school(larkspur, governor, frozen_today):
    response = report_for(larkspur, client_as(governor))

    assert "fewer than 5 pupils on roll in this period" in response.content.decode()
    assert "Thornbury" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "fortnight"}, "period &#x27;fortnight&#x27; is not one of"),
        ({"rows": "fsm", "columns": "fsm"}, "choose two different groupings"),
        ({"rows": "class"}, "choose two different groupings"),
    ],
)
def test_governors_report_rejects_bad_choice(rowan, governor_client, params, message):
    response = report_for(rowan[0], governor_client, **params)

    assert response.status_code == 400
    assert message in response.content.decode()
