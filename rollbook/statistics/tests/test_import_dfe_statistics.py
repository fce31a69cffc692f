"""``rollbook import dfe-statistics``: the DfE's published attendance statistics, read from the real excerpt."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rollbook.statistics.models import GeographicLevel, PublishedAttendance

pytestmark = pytest.mark.django_db

EXCERPT = Path(__file__).resolve().parents[3] / "testdata" / "dfe-statistics" / "pupil-attendance-ytd-2022-23_excerpt.csv"


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_dfe_statistics", str(path), stdout=out)
    return out.getvalue()


def read_excerpt() -> tuple[list[str], list[dict[str, str]]]:
    with EXCERPT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_copy(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row[key] for key in header})
    return path


def test_import_stores_every_level():
    output = run_import(EXCERPT)

    assert PublishedAttendance.objects.count() == 19
    assert PublishedAttendance.objects.filter(geographic_level=GeographicLevel.NATIONAL).count() == 2
    assert PublishedAttendance.objects.filter(geographic_level=GeographicLevel.REGIONAL).count() == 10
    assert PublishedAttendance.objects.filter(geographic_level=GeographicLevel.LOCAL_AUTHORITY).count() == 7
    assert "Imported 19 rows" in output


def test_import_keeps_counts_and_codes():
    run_import(EXCERPT)
    sandwell = PublishedAttendance.objects.get(la_name="Sandwell")

    assert (sandwell.start_year, sandwell.time_identifier, sandwell.school_type) == (2022, "Academic year", "Primary")
    assert (sandwell.la_code, sandwell.new_la_code, sandwell.region_code) == ("333", "E08000028", "E12000005")
    assert sandwell.possible_sessions == 1456221
    assert sandwell.attended_sessions == 1378076
    assert sandwell.authorised_absences == 49530
    assert sandwell.unauthorised_absences == 28615
    assert sandwell.code_sessions["I"] == 42273
    assert sandwell.code_sessions["N"] == 2144
    assert sandwell.code_sessions["U"] == 2277
    assert sandwell.enrolments == pytest.approx(25853.5517241379)


def test_import_rates_come_from_counts():
    run_import(EXCERPT)
    north_east = PublishedAttendance.objects.get(geographic_level=GeographicLevel.REGIONAL, region_name="North East", school_type="Total")

    # Published overall absence is 6.73%; the row's own counts give 6.81%.
    assert north_east.published_absence_percent == pytest.approx(6.73098393700347)
    assert north_east.absence_rate == Decimal("6.8")
    assert north_east.attendance_rate == Decimal("93.2")


def test_import_reports_total_row_discrepancies():
    output = run_import(EXCERPT)

    assert "line 14 (Yorkshire and The Humber, Total): published overall absence 6.66% but its counts give 6.76%" in output
    assert "line 11 (England, Total): published attendance 93.64% but its counts give 93.66%" in output
    # Rows of a single school type publish percentages that match their counts.
    for name in ("Sandwell", "Bristol, City of", "Newham", "Westminster", "Norfolk", "Portsmouth", "Hartlepool"):
        assert f"({name}, " not in output
    assert "(England, Special)" not in output


def test_import_missing_columns_named(tmp_path):
    header, rows = read_excerpt()
    kept = [column for column in header if column not in ("possible_sessions", "reason_n_no_reason_yet", "school_type")]

    with pytest.raises(CommandError) as raised:
        run_import(write_copy(tmp_path / "odd.csv", kept, rows))

    message = str(raised.value)
    assert "nothing was imported" in message
    assert "lacks 3 columns" in message
    assert "school_type, possible_sessions, reason_n_no_reason_yet" in message
    assert PublishedAttendance.objects.count() == 0


def test_import_broken_identity_stores_nothing(tmp_path):
    run_import(EXCERPT)
    before = list(PublishedAttendance.objects.values_list("pk", "possible_sessions"))
    header, rows = read_excerpt()
    rows[3]["reason_o_other_unauthorised"] = str(int(rows[3]["reason_o_other_unauthorised"]) + 1)
    rows[5]["possible_sessions"] = "many"

    with pytest.raises(CommandError) as raised:
        run_import(write_copy(tmp_path / "edited.csv", header, rows))

    message = str(raised.value)
    assert "because of 2 problems" in message
    assert "line 5: the counts break unauthorised_absence = G + N + O + U" in message
    assert "line 7, column possible_sessions: 'many' is not a number" in message
    assert list(PublishedAttendance.objects.values_list("pk", "possible_sessions")) == before


def test_import_markers_store_no_value(tmp_path):
    header, rows = read_excerpt()
    rows[0]["reason_n_no_reason_yet"] = "x"
    rows[0]["unauthorised_absence"] = "z"
    rows[1]["overall_absence_perc"] = "."

    run_import(write_copy(tmp_path / "withheld.csv", header, rows))

    sandwell = PublishedAttendance.objects.get(la_name="Sandwell")
    assert sandwell.code_sessions["N"] is None
    assert sandwell.unauthorised_absences is None
    assert sandwell.absence_rate is None
    assert sandwell.attendance_rate == Decimal("94.6")
    assert PublishedAttendance.objects.get(la_name="Bristol, City of").published_absence_percent is None


def test_import_rejects_unknown_level(tmp_path):
    header, rows = read_excerpt()
    rows[2]["geographic_level"] = "School"

    with pytest.raises(CommandError, match="line 4, column geographic_level: 'School' is not supported"):
        run_import(write_copy(tmp_path / "school-level.csv", header, rows))
    assert PublishedAttendance.objects.count() == 0


def test_import_rejects_repeated_row(tmp_path):
    header, rows = read_excerpt()

    with pytest.raises(CommandError, match="line 21: repeats the area, school type and period of line 2"):
        run_import(write_copy(tmp_path / "twice.csv", header, [*rows, rows[0]]))


def test_import_again_replaces_rows():
    run_import(EXCERPT)
    output = run_import(EXCERPT)

    assert PublishedAttendance.objects.count() == 19
    assert "19 earlier rows replaced" in output


def test_import_missing_file(tmp_path):
    with pytest.raises(CommandError, match="the file cannot be read"):
        run_import(tmp_path / "absent.csv")
