import io
import json

import pytest
from django.core.management import CommandError, call_command

from . import scenario

pytestmark = pytest.mark.django_db

ADA, BEA, CAL, DOT, EDD, FAY, GUS = (scenario.PUPILS[name][0] for name in ("ADA", "BEA", "CAL", "DOT", "EDD", "FAY", "GUS"))


@pytest.fixture
def school(tmp_path):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report_pupils", *args, stdout=out)
    return out.getvalue()


def report_json(start: str, end: str) -> dict[str, dict]:
    rows = json.loads(report("--from", start, "--to", end, "--format", "json"))
    assert [row["upn"] for row in rows] == sorted(row["upn"] for row in rows)
    return {row["upn"]: row for row in rows}


def figures(possible, attended, authorised, unauthorised, rate, persistent, severe):
    return {
        "possible_sessions": possible,
        "attended_sessions": attended,
        "authorised_absences": authorised,
        "unauthorised_absences": unauthorised,
        "attendance_rate": rate,
        "persistent_absence": persistent,
        "severe_absence": severe,
    }


def contract_keys(row: dict) -> dict:
    return {key: row[key] for key in figures(0, 0, 0, 0, 0, 0, 0)}


def test_report_pupils_hand_checked_figures(school):
    rows = report_json("2025-09-01", "2025-10-03")

    assert set(rows) == {ADA, BEA, CAL, DOT, EDD, FAY}
    assert contract_keys(rows[ADA]) == figures(48, 48, 0, 0, 100.0, False, False)
    # 5 of 48 sessions ill: 10.4% absence, 43/48 = 89.58% shown as 89.6.
    assert contract_keys(rows[BEA]) == figures(48, 43, 5, 0, 89.6, True, False)
    assert contract_keys(rows[CAL]) == figures(48, 28, 0, 20, 58.3, True, False)
    # The Reception-only closure on 26 September PM is not a possible session.
    assert contract_keys(rows[DOT]) == figures(47, 37, 0, 10, 78.7, True, False)
    # On roll 14 school days until leaving on 19 September.
    assert contract_keys(rows[EDD]) == figures(28, 8, 0, 20, 28.6, True, True)
    assert contract_keys(rows[FAY]) == figures(19, 19, 0, 0, 100.0, False, False)


def test_report_pupils_counts_missing_marks_apart(school):
    rows = report_json("2025-09-01", "2025-10-03")

    assert rows[FAY]["missing_sessions"] == 1
    assert rows[ADA]["missing_sessions"] == 0


def test_report_pupils_pupil_without_possible_session(school):
    rows = report_json("2025-10-06", "2025-10-06")

    assert contract_keys(rows[GUS]) == figures(0, 0, 0, 0, None, False, False)
    assert rows[GUS]["missing_sessions"] == 2


def test_report_pupils_range_without_school_day(school):
    rows = report_json("2025-09-06", "2025-09-07")

    assert set(rows) == {ADA, BEA, CAL, DOT, EDD}
    assert all(row["possible_sessions"] == 0 and row["attendance_rate"] is None for row in rows.values())


def test_report_pupils_leaver_outside_range(school):
    rows = report_json("2025-09-20", "2025-10-03")

    assert EDD not in rows
    assert rows[BEA]["possible_sessions"] == 20


def test_report_pupils_persistent_absence_boundary(school):
    # BEA is ill on 4 September AM only within these ranges.
    exactly = report_json("2025-09-04", "2025-09-10")[BEA]
    below = report_json("2025-09-04", "2025-09-11")[BEA]

    assert (exactly["possible_sessions"], exactly["authorised_absences"]) == (10, 1)
    assert exactly["attendance_rate"] == 90.0
    assert exactly["persistent_absence"] is True
    assert (below["possible_sessions"], below["attendance_rate"]) == (12, 91.7)
    assert below["persistent_absence"] is False


def test_report_pupils_table_says_figures_incomplete(school):
    text = report("--from", "2025-09-01", "--to", "2025-10-03")

    assert "Figures are incomplete: 1 possible session between" in text
    assert ADA in text


def test_report_pupils_json_is_readable(school):
    text = report("--from", "2025-09-01", "--to", "2025-09-01", "--format", "json")

    assert text.startswith('[\n  {\n    "upn": ')
    assert "\n\n" not in text


def test_report_pupils_csv(school):
    lines = report("--from", "2025-09-01", "--to", "2025-10-03", "--format", "csv").splitlines()

    assert lines[0].startswith("upn,possible_sessions,attended_sessions")
    assert len(lines) == 7


def test_report_pupils_rejects_bad_date(school):
    with pytest.raises(CommandError, match="--from '01/09/2025' is not a date"):
        report("--from", "01/09/2025", "--to", "2025-10-03")


def test_report_pupils_rejects_reversed_range(school):
    with pytest.raises(CommandError, match="before --from"):
        report("--from", "2025-10-03", "--to", "2025-09-01")


def test_report_pupils_without_school():
    with pytest.raises(CommandError, match="holds no school"):
        report("--from", "2025-09-01", "--to", "2025-10-03")
