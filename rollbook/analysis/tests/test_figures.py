"""Dashboard figures against ``rollbook report pupils`` on the hand-checked report scenario."""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from rollbook.analysis.figures import BANDS, band_rows, figures_of, load_range
from rollbook.analysis.groups import DIMENSIONS, cross, groups_of, pupil_table
from rollbook.policy.tests.builders import D
from rollbook.reports.tests import scenario
from rollbook.schools.models import Pupil, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tmp_path):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())
    return School.objects.get(urn="012345")


def report_rows(start, end):
    out = io.StringIO()
    call_command("report_pupils", "--from", start.isoformat(), "--to", end.isoformat(), "--format", "json", stdout=out)
    return {row["upn"]: row for row in json.loads(out.getvalue())}


def test_figures_per_pupil_match_report(school):
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))
    rows = report_rows(D(2025, 9, 1), D(2025, 10, 3))

    assert [p.upn for p in data.counts.pupils] == list(rows)
    for index, pupil in enumerate(data.counts.pupils):
        mask = np.zeros(len(data.counts.pupils), dtype=bool)
        mask[index] = True
        figures = figures_of(data.counts, data.policy, mask)
        row = rows[pupil.upn]
        assert figures.possible == row["possible_sessions"], pupil.upn
        assert figures.attended == row["attended_sessions"], pupil.upn
        assert figures.authorised == row["authorised_absences"], pupil.upn
        assert figures.unauthorised == row["unauthorised_absences"], pupil.upn
        assert figures.missing == row["missing_sessions"], pupil.upn
        assert figures.persistent_absentees == int(row["persistent_absence"]), pupil.upn
        assert figures.severe_absentees == int(row["severe_absence"]), pupil.upn
        rate = figures.attendance_rate
        assert (None if rate is None else float(rate)) == row["attendance_rate"], pupil.upn


def test_school_figures_and_bands(school):
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))
    figures = figures_of(data.counts, data.policy)

    # Hand-checked totals: see rollbook/reports/tests/scenario.py.
    assert figures.pupils == 6
    assert figures.possible == 48 + 48 + 48 + 47 + 28 + 19
    assert figures.attended == 48 + 43 + 28 + 37 + 8 + 19
    assert figures.persistent_absentees == 4
    assert figures.severe_absentees == 1
    assert figures.target_percent == 97
    assert figures.meets_target is False
    # ADA and FAY 100%; BEA 89.6; CAL 58.3; DOT 78.7; EDD 28.6.
    assert figures.bands == {"100": 2, "97-99.9": 0, "95-96.9": 0, "90-94.9": 0, "50-89.9": 3, "below-50": 1}
    assert sum(figures.bands.values()) + figures.no_sessions == figures.pupils
    assert [b.key for b in BANDS] == list(figures.bands)


def test_band_rows_unknown_key_named(school):
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))

    with pytest.raises(KeyError, match="band '42' does not exist"):
        band_rows(data.counts, "42")


def test_year_group_groups_add_up(school):
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))
    table = pupil_table(data)
    groups = groups_of(table, DIMENSIONS["year_group"])

    assert [g.label for g in groups] == ["R", "Year 1", "Year 2", "Year 3"]
    assert [int(g.rows.sum()) for g in groups] == [1, 1, 3, 1]


def test_cross_fsm_by_year_group(school):
    Pupil.objects.filter(upn__in=[scenario.PUPILS["ADA"][0], scenario.PUPILS["CAL"][0]]).update(fsm=True)
    Pupil.objects.filter(upn=scenario.PUPILS["BEA"][0]).update(fsm=False)
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))
    crossed = cross(data, pupil_table(data), DIMENSIONS["fsm"], DIMENSIONS["year_group"])

    assert [g.key for g in crossed.rows] == ["yes", "no", ""]
    assert crossed.cells[("yes", "2")].possible == 48
    assert crossed.cells[("yes", "1")].attended == 28
    assert crossed.cells[("no", "2")].attended == 43
    assert ("no", "1") not in crossed.cells
    assert crossed.row_totals["yes"].possible == 96
    assert crossed.column_totals["2"].pupils == 3
    assert crossed.total.pupils == 6


@pytest.mark.parametrize("key", list(DIMENSIONS))
def test_groups_partition_school(school, key):
    Pupil.objects.filter(upn=scenario.PUPILS["ADA"][0]).update(fsm=True, ethnicity="WBRI", sen="K")
    data = load_range(school, D(2025, 9, 1), D(2025, 10, 3))
    table = pupil_table(data)
    groups = groups_of(table, DIMENSIONS[key])
    total = figures_of(data.counts, data.policy)

    assert sum(int(g.rows.sum()) for g in groups) == total.pupils
    assert sum(figures_of(data.counts, data.policy, g.rows).possible for g in groups) == total.possible
    assert (np.sum([g.rows for g in groups], axis=0) == 1).all()
