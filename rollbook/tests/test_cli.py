"""The installed ``rollbook`` console command, run as a separate process on a SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rollbook.cli import translate
from rollbook.reports.tests import scenario

ROLLBOOK = Path(sys.executable).parent / "rollbook"


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROLLBOOK), *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ROLLBOOK_", "DATABASE_URL", "DJANGO_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    return env


def test_translate_two_word_commands():
    assert translate(["import", "bundle", "x"]) == ["import_bundle", "x"]
    assert translate(["report", "actions", "--as-of", "2026-01-05"]) == ["report_actions", "--as-of", "2026-01-05"]
    assert translate(["migrate", "--noinput"]) == ["migrate", "--noinput"]


def test_translate_unknown_two_word_command():
    with pytest.raises(SystemExit) as exit_info:
        translate(["report", "teachers"])
    assert exit_info.value.code == 2


def test_cli_import_report_export_without_configuration(tmp_path, environment):
    bundle = scenario.write_bundle(tmp_path / "bundle")

    assert run("migrate", "--noinput", env=environment).returncode == 0
    imported = run("import", "bundle", str(bundle), env=environment)
    assert imported.returncode == 0, imported.stderr
    reported = run("report", "pupils", "--from", "2025-09-01", "--to", "2025-10-03", "--format", "json", env=environment)
    assert reported.returncode == 0, reported.stderr
    rows = {row["upn"]: row for row in json.loads(reported.stdout)}
    exported = run("export", "bundle", str(tmp_path / "out"), env=environment)

    assert rows[scenario.PUPILS["BEA"][0]]["attendance_rate"] == 89.6
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "marks.csv").read_text(encoding="utf-8").count("\n") == (bundle / "marks.csv").read_text(encoding="utf-8").count("\n")


def test_cli_reports_bad_option_on_stderr(environment):
    assert run("migrate", "--noinput", env=environment).returncode == 0

    result = run("report", "actions", "--as-of", "yesterday", env=environment)

    assert result.returncode == 1
    assert "--as-of 'yesterday' is not a date" in result.stderr


def test_cli_group_word_lists_its_commands(environment):
    result = run("import", "--help", env=environment)

    assert result.returncode == 0
    assert "import bundle, import term-dates" in result.stdout


def test_cli_help_lists_rollbook_commands(environment):
    result = run("--help", env=environment)

    assert "rollbook report pupils" in result.stdout
    assert "migrate" in result.stdout


def test_cli_database_without_tables(environment):
    result = run("report", "pupils", "--from", "2025-09-01", "--to", "2025-09-30", env=environment)

    assert result.returncode == 1
    assert "has no Rollbook tables yet" in result.stderr
    assert "run: rollbook migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unreachable_database(environment):
    environment["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/rb_lead_nowhere"

    result = run("report", "pupils", "--from", "2025-09-01", "--to", "2025-09-30", env=environment)

    assert result.returncode == 1
    assert "check DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
