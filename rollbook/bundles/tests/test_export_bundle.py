"""Tests for the export_bundle command, which ``rollbook export bundle DIR`` runs."""

import datetime as dt
import io
import shutil
import tomllib

import pytest
from django.core.management import CommandError, call_command

from rollbook.bundles.importer import import_bundle
from rollbook.schools.models import AcademicYear

from .helpers import BundleFolder

pytestmark = pytest.mark.django_db

AT = dt.datetime(2025, 9, 15, 16, 0, tzinfo=dt.UTC)


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_bundle", *[str(a) for a in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def second_school(small_bundle, tmp_path) -> None:
    other = BundleFolder(tmp_path / "other")
    shutil.copytree(small_bundle.path, other.path)
    other.replace("school.toml", 'urn = "012345"', 'urn = "654321"')
    other.replace("school.toml", 'name = "Elmtree Lower School"', 'name = "Birchfield Lower School"')
    import_bundle(other.path, at=AT)


def test_export_bundle_summary(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    stdout, stderr = run(tmp_path / "out")

    assert stdout == f"Exported school bundle to {tmp_path / 'out'}: 7 pupils, 120 marks, 9 calendar entries; 0 warnings\n"
    assert stderr == ""


def test_export_bundle_needs_school_when_several(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    second_school(small_bundle, tmp_path)

    with pytest.raises(CommandError, match="contains several schools \\(012345, 654321\\); choose one with --school URN"):
        run(tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_export_bundle_school_option(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    second_school(small_bundle, tmp_path)

    run(tmp_path / "out", "--school", "654321")

    exported = tomllib.loads((tmp_path / "out" / "school.toml").read_text(encoding="utf-8"))
    assert (exported["urn"], exported["name"]) == ("654321", "Birchfield Lower School")


def test_export_bundle_unknown_school(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    with pytest.raises(CommandError, match="no school has URN '999999'; the schools in the database are: 012345"):
        run(tmp_path / "out", "--school", "999999")


def test_export_bundle_no_school(tmp_path):
    with pytest.raises(CommandError, match="contains no school"):
        run(tmp_path / "out")


def test_export_bundle_latest_year_by_default(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    year = AcademicYear.objects.get()
    AcademicYear.objects.create(
        school=year.school, start_year=2024, policy_name="school-2023",
        am_register=year.am_register, am_close=year.am_close, pm_register=year.pm_register, pm_close=year.pm_close,
    )

    run(tmp_path / "latest")
    run(tmp_path / "earlier", "--year", "2024")

    assert tomllib.loads((tmp_path / "latest" / "school.toml").read_text(encoding="utf-8"))["academic_year"] == 2025
    assert tomllib.loads((tmp_path / "earlier" / "school.toml").read_text(encoding="utf-8"))["academic_year"] == 2024
    assert (tmp_path / "earlier" / "marks.csv").read_text(encoding="utf-8") == "upn,date,session,code,minutes_late,comment\n"


def test_export_bundle_unknown_year(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)

    with pytest.raises(CommandError, match="no academic year 2030"):
        run(tmp_path / "out", "--year", "2030")


def test_export_bundle_non_empty_folder(small_bundle, tmp_path):
    import_bundle(small_bundle.path, at=AT)
    run(tmp_path / "out")

    with pytest.raises(CommandError, match="not empty; choose an empty or new folder, or use --force"):
        run(tmp_path / "out")

    stdout, _ = run(tmp_path / "out", "--force")
    assert stdout.startswith("Exported school bundle")
