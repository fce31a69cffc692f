"""Tests for the import_term_dates command, which ``rollbook import term-dates FILE`` runs."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rollbook.tests.data import SHEFFIELD_TERM_DATES
from rollbook.bundles.importer import import_bundle
from rollbook.schools.models import AcademicYear, CalendarEntry, School

from .helpers import ics

pytestmark = pytest.mark.django_db

SHEFFIELD = SHEFFIELD_TERM_DATES
AT = dt.datetime(2025, 9, 15, 16, 0, tzinfo=dt.UTC)
D = dt.date


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_term_dates", *[str(a) for a in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def half_terms(year=2025):
    entries = CalendarEntry.objects.filter(academic_year__start_year=year, kind=CalendarEntry.Kind.HALF_TERM)
    return [(e.label, e.start_date, e.end_date) for e in entries.order_by("start_date")]


def new_school(urn="012345"):
    return School.objects.create(name="Elmtree Lower School", urn=urn, la_code="080")


def test_import_term_dates_creates_year(tmp_path):
    new_school()

    stdout, stderr = run(SHEFFIELD, "--year", "2026")

    year = AcademicYear.objects.get()
    assert (year.start_year, year.policy_name) == (2026, "school-2023")
    assert (year.am_register, year.am_close, year.pm_register, year.pm_close) == (dt.time(8, 55), dt.time(9, 15), dt.time(13, 20), dt.time(13, 30))
    assert half_terms(2026) == [
        ("autumn-1", D(2026, 9, 1), D(2026, 10, 23)),
        ("autumn-2", D(2026, 11, 2), D(2026, 12, 18)),
        ("spring-1", D(2027, 1, 4), D(2027, 2, 12)),
        ("spring-2", D(2027, 2, 22), D(2027, 3, 25)),
        ("summer-1", D(2027, 4, 12), D(2027, 5, 28)),
        ("summer-2", D(2027, 6, 7), D(2027, 7, 21)),
    ]
    assert stdout.splitlines()[0] == "autumn-1: Tue 2026-09-01 to Fri 2026-10-23"
    assert stdout.splitlines()[-1].startswith("Replaced 0 half-term entries of school 012345 2026/27 (new academic year, policy school-2023) with 6")
    assert stderr == ""


def test_import_term_dates_policy_for_new_year():
    new_school()

    run(SHEFFIELD, "--year", "2027", "--policy", "england-2024")

    year = AcademicYear.objects.get()
    assert (year.policy_name, year.pm_close) == ("england-2024", dt.time(13, 40))
    assert len(half_terms(2027)) == 6


def test_import_term_dates_keeps_closures_and_assessments(small_bundle):
    small_bundle.replace("calendar.csv", "2025-10-24,autumn-1", "2025-10-23,autumn-1")
    import_bundle(small_bundle.path, at=AT)

    stdout, _ = run(SHEFFIELD, "--year", "2025")

    assert ("autumn-1", D(2025, 9, 1), D(2025, 10, 24)) in half_terms()
    assert len(half_terms()) == 6
    assert CalendarEntry.objects.filter(kind=CalendarEntry.Kind.CLOSURE).count() == 2
    assert CalendarEntry.objects.filter(kind=CalendarEntry.Kind.ASSESSMENT).count() == 1
    assert "Replaced 6 half-term entries of school 012345 2025/26 with 6" in stdout


def test_import_term_dates_same_dates_unchanged(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    ids = list(CalendarEntry.objects.order_by("pk").values_list("pk", flat=True))

    stdout, _ = run(SHEFFIELD, "--year", "2025")

    assert "already match; nothing changed" in stdout
    assert list(CalendarEntry.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_import_term_dates_dry_run():
    new_school()

    stdout, _ = run(SHEFFIELD, "--year", "2025", "--dry-run")

    assert "summer-2: Mon 2026-06-01 to Mon 2026-07-20" in stdout
    assert "Would replace 0 half-term entries" in stdout
    assert AcademicYear.objects.count() == 0
    assert CalendarEntry.objects.count() == 0


def test_import_term_dates_crlf_copy(tmp_path):
    new_school()
    copy = tmp_path / "holidays-crlf.ics"
    copy.write_bytes(SHEFFIELD.read_bytes().replace(b"\n", b"\r\n"))

    run(copy, "--year", "2025")

    assert half_terms()[-1] == ("summer-2", D(2026, 6, 1), D(2026, 7, 20))


def test_import_term_dates_other_policy_rejected(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    with pytest.raises(CommandError, match="already uses policy school-2023 in 2025/26"):
        run(SHEFFIELD, "--year", "2025", "--policy", "england-2024")


def test_import_term_dates_unknown_policy():
    new_school()

    with pytest.raises(CommandError, match="invalid choice: 'school-2020'"):
        run(SHEFFIELD, "--year", "2025", "--policy", "school-2020")


def test_import_term_dates_year_not_covered():
    new_school()

    with pytest.raises(CommandError, match="no holiday in July 2029"):
        run(SHEFFIELD, "--year", "2028")

    assert AcademicYear.objects.count() == 0


def test_import_term_dates_school_choice():
    new_school()
    new_school("654321")

    with pytest.raises(CommandError, match="choose one with --school URN"):
        run(SHEFFIELD, "--year", "2025")

    run(SHEFFIELD, "--year", "2025", "--school", "654321")
    assert AcademicYear.objects.get().school.urn == "654321"


def test_import_term_dates_missing_file(tmp_path):
    new_school()

    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "none.ics", "--year", "2025")


def test_import_term_dates_refuses_stranding_marks(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    # Term starts a week later, so the 55 marks of 1 to 5 September (10 + 10 + 12 + 12 + 11)
    # fall on days that are no longer school days.
    late_start = [
        (D(2025, 8, 1), D(2025, 9, 7), "Summer holiday"),
        (D(2025, 10, 25), D(2025, 11, 2), "Half-term"),
        (D(2025, 12, 20), D(2026, 1, 4), "Christmas holiday"),
        (D(2026, 2, 14), D(2026, 2, 22), "Half-term"),
        (D(2026, 3, 28), D(2026, 4, 12), "Easter holiday"),
        (D(2026, 5, 23), D(2026, 5, 31), "Half-term"),
        (D(2026, 7, 21), D(2026, 8, 31), "Summer holiday"),
    ]
    path = tmp_path / "late.ics"
    path.write_bytes(ics(late_start))

    before = half_terms()

    with pytest.raises(CommandError) as error:
        run(path, "--year", "2025")

    assert "55 stored marks would fall on days that are no longer school days" in str(error.value)
    assert "and 45 more" in str(error.value)
    assert half_terms() == before


def test_import_term_dates_day_off_in_term_warned(tmp_path):
    new_school()
    holidays = [
        (D(2025, 8, 1), D(2025, 8, 31), "Summer holiday"),
        (D(2025, 10, 10), D(2025, 10, 10), "Local holiday"),
        (D(2025, 10, 25), D(2025, 11, 2), "Half-term"),
        (D(2025, 12, 20), D(2026, 1, 4), "Christmas holiday"),
        (D(2026, 2, 14), D(2026, 2, 22), "Half-term"),
        (D(2026, 3, 28), D(2026, 4, 12), "Easter holiday"),
        (D(2026, 5, 23), D(2026, 5, 31), "Half-term"),
        (D(2026, 7, 21), D(2026, 8, 31), "Summer holiday"),
    ]
    path = tmp_path / "la.ics"
    path.write_bytes(ics(holidays))

    _, stderr = run(path, "--year", "2025")

    assert "warning: line 11: 'Local holiday' (2025-10-10 to 2025-10-10) falls inside a half-term" in stderr
    assert len(half_terms()) == 6
