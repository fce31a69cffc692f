"""Tests for the import_bundle command, which ``rollbook import bundle DIR`` runs."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from rollbook.registers.models import MarkRevision
from rollbook.schools.models import Pupil, School


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_bundle", *[str(a) for a in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.django_db
def test_import_bundle_summary(small_bundle):
    stdout, stderr = run(small_bundle.path)

    assert stdout == (
        "Imported school bundle small for school 012345 2025/26: 7 pupils (7 new), 120 marks, "
        "9 calendar entries; 120 new mark revisions; 0 warnings\n"
    )
    assert stderr == ""


@pytest.mark.django_db
def test_import_bundle_warnings_on_stderr(small_bundle):
    header, *rows = small_bundle.text("pupils.csv").splitlines()
    small_bundle.write("pupils.csv", "\n".join([f"{header},notes", *(f"{row},none" for row in rows)]) + "\n")

    stdout, stderr = run(small_bundle.path)

    assert "1 warning\n" in stdout
    assert stderr.startswith("warning: pupils.csv: unknown column 'notes'")


@pytest.mark.django_db
def test_import_bundle_lists_every_error(small_bundle):
    date_line = small_bundle.replace("pupils.csv", "2017-05-02", "05/2017")
    code_line = small_bundle.replace("marks.csv", "M080250000003,2025-09-10,PM,\\,,", "M080250000003,2025-09-10,PM,F,,")

    with pytest.raises(CommandError) as error:
        run(small_bundle.path)

    message = str(error.value)
    assert "has 2 errors; nothing was imported" in message
    assert f"pupils.csv, line {date_line}, column date_of_birth: '05/2017' is not a date" in message
    assert f"marks.csv, line {code_line}, column code: code 'F' is not in the code set national-2006" in message
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_import_bundle_dry_run(small_bundle):
    stdout, _ = run(small_bundle.path, "--dry-run")

    assert stdout.startswith("Checked school bundle small")
    assert "nothing written (dry run)" in stdout
    assert School.objects.count() == 0
    assert Pupil.objects.count() == 0
    assert MarkRevision.objects.count() == 0


@pytest.mark.django_db
def test_import_bundle_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "nowhere")


@pytest.mark.django_db
def test_import_bundle_file_not_folder(small_bundle):
    with pytest.raises(CommandError, match="is not a folder"):
        run(small_bundle.path / "school.toml")


@pytest.mark.django_db
def test_import_bundle_current_folder(small_bundle, monkeypatch):
    monkeypatch.chdir(small_bundle.path)

    stdout, _ = run(".")

    assert stdout.startswith("Imported school bundle small for school 012345")


@pytest.mark.django_db
def test_import_bundle_missing_files(tmp_path):
    (tmp_path / "empty").mkdir()

    with pytest.raises(CommandError) as error:
        run(tmp_path / "empty")

    for name in ("school.toml", "calendar.csv", "pupils.csv", "marks.csv"):
        assert f"{name}: the file is missing" in str(error.value)


def rollbook(tmp_path, *args):
    """Run the ``rollbook`` program on a SQLite database of its own in ``tmp_path``."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "ROLLBOOK_SECRET_KEY")}
    env.update(ROLLBOOK_DATA_DIR=str(tmp_path / "data"), ROLLBOOK_LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "rollbook", *[str(a) for a in args]],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_import_bundle_program_exit_status(small_bundle, tmp_path):
    assert rollbook(tmp_path, "migrate", "--no-input", "-v", "0").returncode == 0
    line = small_bundle.replace("marks.csv", "B080250000004,2025-09-11,AM,N,,", "B080250000004,2025-09-11,AM,N,-5,")

    rejected = rollbook(tmp_path, "import", "bundle", small_bundle.path)

    assert rejected.returncode == 1
    assert rejected.stdout == ""
    assert f"marks.csv, line {line}, column minutes_late: '-5' is not a whole number" in rejected.stderr

    small_bundle.replace("marks.csv", "B080250000004,2025-09-11,AM,N,-5,", "B080250000004,2025-09-11,AM,N,,")
    imported = rollbook(tmp_path, "import", "bundle", small_bundle.path)

    assert imported.returncode == 0, imported.stderr
    assert "7 pupils (7 new), 120 marks" in imported.stdout
