"""The SLT spreadsheet, read back with openpyxl and checked against ``rollbook report pupils``.

The school is the hand-checked report scenario (Hazel Lane, marks from 2 September to 3
October 2025), with the workbook made on 7 November, so autumn-2 has started and its sessions
have no mark yet.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rollbook.analysis.figures import load_range, narrow_range
from rollbook.reports.tests import scenario
from rollbook.schools.models import School
from rollbook.statistics.spreadsheet import BAND_FILLS, PUPIL_COLUMNS, build_workbook

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 11, 7)
ADA, BEA, CAL = (scenario.PUPILS[name][0] for name in ("ADA", "BEA", "CAL"))
PERIODS = {
    # sheet prefix: (period label, from, to)
    "Half-terms": [("autumn-1", "2025-09-01", "2025-10-24"), ("autumn-2", "2025-11-03", "2025-11-07")],
    "Terms": [("autumn", "2025-09-01", "2025-11-07")],
    "Year to date": [("year to date", "2025-09-01", "2025-11-07")],
}


@pytest.fixture
def school(tmp_path):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())
    return School.objects.get()


@pytest.fixture
def workbook(school, tmp_path):
    path = tmp_path / "slt.xlsx"
    call_command("report_spreadsheet", "--as-of", AS_OF.isoformat(), "--output", str(path), stdout=io.StringIO())
    return openpyxl.load_workbook(path)


def report_pupils(start: str, end: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("report_pupils", "--from", start, "--to", end, "--format", "json", stdout=out)
    return {row["upn"]: row for row in json.loads(out.getvalue())}


def sheet_rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_spreadsheet_has_every_sheet(workbook):
    expected = [f"{kind} by {what}" for kind in PERIODS for what in ("pupil", "class", "year group", "group")]

    assert workbook.sheetnames == [*expected, "Definitions"]


@pytest.mark.parametrize("kind", PERIODS)
def test_spreadsheet_pupils_equal_report_pupils(workbook, kind):
    rows = sheet_rows(workbook[f"{kind} by pupil"])
    classes = {(row["Period"], row["From"].date().isoformat(), row["To"].date().isoformat()) for row in sheet_rows(workbook[f"{kind} by class"])}
    assert classes == set(PERIODS[kind])

    for label, start, end in PERIODS[kind]:
        in_period = {row["UPN"]: row for row in rows if row["Period"] == label}
        report = report_pupils(start, end)
        assert set(in_period) == set(report)
        for upn, expected in report.items():
            row = in_period[upn]
            assert row["Possible sessions"] == expected["possible_sessions"]
            assert row["Attended"] == expected["attended_sessions"]
            assert row["Authorised absence"] == expected["authorised_absences"]
            assert row["Unauthorised absence"] == expected["unauthorised_absences"]
            assert row["No mark yet"] == expected["missing_sessions"]
            assert row["Persistent absence"] == ("yes" if expected["persistent_absence"] else "no")
            assert row["Severe absence"] == ("yes" if expected["severe_absence"] else "no")
            if expected["attendance_rate"] is None:
                assert row["Attendance"] is None
            else:
                assert Decimal(str(row["Attendance"])) * 100 == Decimal(str(expected["attendance_rate"]))


def test_spreadsheet_hand_checked_values(workbook):
    rows = {(row["Period"], row["UPN"]): row for row in sheet_rows(workbook["Half-terms by pupil"])}

    # BEA: ill for 5 sessions of 48 in autumn-1; 15 school days after 3 October have no mark.
    bea = rows[("autumn-1", BEA)]
    assert (bea["Possible sessions"], bea["Attended"], bea["Authorised absence"], bea["No mark yet"]) == (48, 43, 5, 30)
    assert bea["Attendance"] == pytest.approx(0.896)
    assert bea["Band"] == "50% to 89.9%"
    # Nothing is marked in autumn-2 yet.
    ada = rows[("autumn-2", ADA)]
    assert (ada["Possible sessions"], ada["No mark yet"], ada["Attendance"], ada["Band"]) == (0, 10, None, "No sessions")


def test_spreadsheet_formats(workbook):
    sheet = workbook["Half-terms by pupil"]
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2])}

    assert header == [name for name, _width in PUPIL_COLUMNS]
    assert sheet.freeze_panes == "E2"
    assert sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet["A1"].font.bold
    assert first["Attendance"].number_format == "0.0%"
    assert first["Absence"].number_format == "0.0%"
    assert workbook["Terms by class"]["B2"].number_format == "DD/MM/YYYY"
    assert workbook["Terms by class"]["F2"].number_format == "#,##0"
    assert workbook["Terms by class"].freeze_panes == "E2"
    assert workbook["Year to date by group"].freeze_panes == "F2"


def test_spreadsheet_bands_coloured(workbook):
    sheet = workbook["Half-terms by pupil"]
    header = [cell.value for cell in sheet[1]]
    band_column = header.index("Band")
    rate_column = header.index("Attendance")
    colours = {}
    for row in sheet.iter_rows(min_row=2):
        colours.setdefault(row[band_column].value, set()).add(row[band_column].fill.fgColor.rgb)
        assert row[rate_column].fill.fgColor.rgb == row[band_column].fill.fgColor.rgb

    assert colours["100%"] == {"00" + BAND_FILLS["100"]}
    assert colours["50% to 89.9%"] == {"00" + BAND_FILLS["50-89.9"]}
    assert colours["No sessions"] == {"00000000"}


def test_spreadsheet_whole_school_rows_add_up(workbook):
    pupils = sheet_rows(workbook["Year to date by pupil"])
    for name in ("Year to date by class", "Year to date by year group"):
        rows = sheet_rows(workbook[name])
        column = "Class" if "class" in name else "Year group"
        groups = [row for row in rows if row[column] != "Whole school"]
        whole = next(row for row in rows if row[column] == "Whole school")
        for figure in ("Pupils", "Possible sessions", "Attended", "Authorised absence", "Unauthorised absence", "No mark yet"):
            assert sum(row[figure] for row in groups) == whole[figure]
        assert whole["Pupils"] == len(pupils)
        assert whole["Possible sessions"] == sum(row["Possible sessions"] for row in pupils)


def test_spreadsheet_groups_cover_every_pupil(workbook):
    rows = sheet_rows(workbook["Terms by group"])
    sex = [row for row in rows if row["Grouping"] == "Sex"]

    assert [row["Group"] for row in sex] == ["Female"]
    # All seven were on roll for part of the autumn term: EDD left in it and GUS joined in it.
    assert sex[0]["Pupils"] == 7
    assert {row["Grouping"] for row in rows} >= {"Sex", "Free school meals", "Risk of persistent absence", "Whole school"}


def test_spreadsheet_definitions(workbook):
    text = "\n".join(str(value) for row in workbook["Definitions"].iter_rows(values_only=True) for value in row if value)

    assert "Hazel Lane Lower School (URN 012345)" in text
    assert "marks up to and including 07/11/2025" in text
    assert "Codes B J P V W" in text
    assert "Codes G N O U" in text
    assert "20 absent of 200 is PA" in text
    assert "97% attendance" in text
    assert "Half-terms: 03/11/2025 to 07/11/2025" in text


def test_spreadsheet_command_rejects_other_suffix(school, tmp_path):
    with pytest.raises(CommandError, match="must end in .xlsx"):
        call_command("report_spreadsheet", "--as-of", AS_OF.isoformat(), "--output", str(tmp_path / "slt.csv"))


def test_spreadsheet_command_rejects_year_without_data(school, tmp_path):
    with pytest.raises(CommandError, match="no academic year 2024/25"):
        call_command("report_spreadsheet", "--year", "2024", "--as-of", AS_OF.isoformat(), "--output", str(tmp_path / "slt.xlsx"))


def test_spreadsheet_before_year_starts(school):
    with pytest.raises(ValueError, match="starts on 2025-09-01, after 2025-08-20"):
        build_workbook(school, 2025, dt.date(2025, 8, 20), at=timezone.now())


@pytest.mark.parametrize(("start", "end"), [("2025-09-01", "2025-10-24"), ("2025-09-22", "2025-10-06"), ("2025-11-03", "2025-11-07")])
def test_narrow_range_equals_load_range(school, start, end):
    start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    whole = load_range(school, dt.date(2025, 9, 1), AS_OF)

    narrowed = narrow_range(whole, start, end)
    loaded = load_range(school, start, end)

    assert [pupil.upn for pupil in narrowed.counts.pupils] == [pupil.upn for pupil in loaded.counts.pupils]
    for name in ("possible", "present", "approved_activity", "authorised", "unauthorised", "missing"):
        assert getattr(narrowed.counts, name).tolist() == getattr(loaded.counts, name).tolist(), name
    assert narrowed.years[0].upns == loaded.years[0].upns


def test_narrow_range_rejects_outside_range(school):
    whole = load_range(school, dt.date(2025, 9, 1), AS_OF)

    with pytest.raises(ValueError, match="is not a range within one academic year"):
        narrow_range(whole, dt.date(2025, 8, 30), dt.date(2025, 9, 5))
