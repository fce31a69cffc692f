"""Tests for the marks.csv parser, checked against the small bundle's policy, calendar and pupils."""

import datetime as dt

import pytest

from rollbook.bundles.calendar_csv import parse_calendar
from rollbook.bundles.marks_csv import MarkContext, parse_marks
from rollbook.bundles.pupils_csv import parse_pupils
from rollbook.bundles.school_toml import parse_school
from rollbook.policy.calendar import Session

# A pupil of Year 2 on roll all year, and a school day with no closure.
UPN = "M080250000003"
SCHOOL_DAY = "2025-09-09"


def parse(bundle, policy_name=None):
    if policy_name:
        bundle.replace("school.toml", 'policy = "school-2023"', f'policy = "{policy_name}"')
        bundle.replace("school.toml", 'pm_close = "13:30"', 'pm_close = "13:40"')
    warnings = []
    school, school_problems = parse_school(bundle.path / "school.toml", warnings)
    assert school_problems.items == []
    _, calendar, _ = parse_calendar(bundle.path / "calendar.csv", school.academic_year, warnings)
    pupils, _ = parse_pupils(bundle.path / "pupils.csv", school.academic_year, warnings)
    context = MarkContext(academic_year=school.academic_year, policy=school.policy, calendar=calendar, pupils=pupils)
    marks, problems = parse_marks(bundle.path / "marks.csv", context, warnings)
    return marks, problems.items, warnings


def set_code(bundle, upn, day, session, code, minutes="", comment="") -> int:
    """Change the code of an existing row and return its line."""
    text = bundle.text("marks.csv")
    prefix = f"{upn},{day},{session},"
    start = text.index(prefix)
    end = text.index("\n", start)
    bundle.write("marks.csv", text[:start] + f"{prefix}{code},{minutes},{comment}" + text[end:])
    return text[:start].count("\n") + 1


def test_marks_csv_valid(small_bundle):
    marks, problems, warnings = parse(small_bundle)

    assert problems == []
    assert warnings == []
    assert len(marks) == 120


def test_marks_csv_values(small_bundle):
    marks, _, _ = parse(small_bundle)
    by_key = {(m.upn, m.date, m.session): m for m in marks}

    late = by_key[("J080250000001", dt.date(2025, 9, 3), Session.AM)]
    trip = by_key[("E080250000006", dt.date(2025, 9, 12), Session.AM)]
    day_first = by_key[("M08025000009A", dt.date(2025, 9, 12), Session.PM)]

    assert (late.code, late.minutes_late, late.comment) == ("L", 5, "")
    assert trip.comment == 'Trip to the "Science Museum"'
    assert day_first.code == "\\"


def test_marks_csv_code_not_in_set(small_bundle):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "PM", "F")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "code", "F")]
    assert "national-2006" in problems[0].message


def test_marks_csv_code_of_other_set_under_2023(small_bundle):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "PM", "Y1")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.value) for p in problems] == [(line, "Y1")]
    assert "code set national-2006 of policy school-2023" in problems[0].message
    assert "belongs to the code set national-2024" in problems[0].message


@pytest.mark.parametrize("code", ["H", "J", "Y"])
def test_marks_csv_historic_code_under_2024(small_bundle, code):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "PM", code)

    _, problems, _ = parse(small_bundle, policy_name="england-2024")

    assert [(p.line, p.value) for p in problems] == [(line, code)]
    assert "code set national-2024 of policy england-2024" in problems[0].message
    assert "national-2006" in problems[0].message


def test_marks_csv_new_code_under_2024(small_bundle):
    set_code(small_bundle, UPN, SCHOOL_DAY, "PM", "C1")

    _, problems, _ = parse(small_bundle, policy_name="england-2024")

    assert problems == []


def test_marks_csv_empty_code(small_bundle):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "PM", "")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "code")]


def test_marks_csv_closure_without_hash(small_bundle):
    line = set_code(small_bundle, "B080250000004", "2025-09-01", "AM", "/")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "code", "/")]
    assert "'#'" in problems[0].message


def test_marks_csv_hash_without_closure(small_bundle):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "AM", "#")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "code", "#")]
    assert "add the closure" in problems[0].message


def test_marks_csv_closure_for_other_year_groups(small_bundle):
    # The PM closure on 5 September covers Reception and Year 1 only.
    line = set_code(small_bundle, UPN, "2025-09-05", "PM", "#")
    set_code(small_bundle, "Y080250000002", "2025-09-05", "PM", "#")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.value) for p in problems] == [(line, "#")]
    assert "year group 2" in problems[0].message


def test_marks_csv_closure_session_only(small_bundle):
    line = set_code(small_bundle, "Y080250000002", "2025-09-05", "AM", "#")

    _, problems, _ = parse(small_bundle)

    assert [p.line for p in problems] == [line]


def test_marks_csv_duplicate_session(small_bundle):
    first = small_bundle.line_of("marks.csv", f"{UPN},{SCHOOL_DAY},AM")
    line = small_bundle.append("marks.csv", f"{UPN},09/09/2025,am,/,,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "session")]
    assert f"on line {first}" in problems[0].message


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2025-09-06", "Saturday"),
        ("2025-10-27", "outside the half-terms"),
        ("2025-12-25", "bank holiday"),
        ("2026-05-04", "bank holiday (May Day)"),
    ],
)
def test_marks_csv_not_a_school_day(small_bundle, day, reason):
    line = small_bundle.append("marks.csv", f"{UPN},{day},AM,/,,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "date", day)]
    assert reason in problems[0].message


def test_marks_csv_outside_academic_year(small_bundle):
    line = small_bundle.append("marks.csv", f"{UPN},2025-08-29,AM,/,,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "date")]
    assert "outside the academic year" in problems[0].message


def test_marks_csv_invalid_date(small_bundle):
    line = small_bundle.replace("marks.csv", f"{UPN},{SCHOOL_DAY},AM", f"{UPN},9/9/2025,AM")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "date", "9/9/2025")]


@pytest.mark.parametrize(
    ("upn", "day", "valid"),
    [
        ("E080250000006", "2025-09-05", False),  # admitted 2025-09-08
        ("E080250000006", "2025-09-08", True),
        ("Q080250000005", "2025-09-10", True),  # left 2025-09-10
        ("Q080250000005", "2025-09-11", False),
    ],
)
def test_marks_csv_time_on_roll_edges(small_bundle, upn, day, valid):
    small_bundle.write("marks.csv", f"upn,date,session,code\n{upn},{day},AM,/\n")

    _, problems, _ = parse(small_bundle)

    assert (problems == []) is valid
    if not valid:
        assert "not on roll" in problems[0].message


def test_marks_csv_unknown_upn(small_bundle):
    line = small_bundle.append("marks.csv", f"A000000000000,{SCHOOL_DAY},AM,/,,")

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "upn", "A000000000000")]
    assert "not in pupils.csv" in problems[0].message


def test_marks_csv_pupil_row_invalid_not_repeated(small_bundle):
    # A pupil whose own row is invalid is listed, so their marks give no second error.
    small_bundle.replace("pupils.csv", "M080250000003,Smith-Jones,Zoë,2018-11-30", "M080250000003,Smith-Jones,Zoë,30/11/18")

    _, problems, _ = parse(small_bundle)

    assert problems == []


@pytest.mark.parametrize(("minutes", "valid"), [("0", True), ("45", True), ("-1", False), ("2.5", False), ("ten", False)])
def test_marks_csv_minutes_late(small_bundle, minutes, valid):
    line = set_code(small_bundle, UPN, SCHOOL_DAY, "AM", "L", minutes=minutes)

    _, problems, _ = parse(small_bundle)

    assert (problems == []) is valid
    if not valid:
        assert [(p.line, p.column, p.value) for p in problems] == [(line, "minutes_late", minutes)]


def test_marks_csv_every_problem_reported(small_bundle):
    small_bundle.append("marks.csv", "A000000000000,2025-9-9,XM,F,-5,")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["upn", "date", "session", "code", "minutes_late"]


def test_marks_csv_without_optional_columns(small_bundle):
    small_bundle.write("marks.csv", f"upn,date,session,code\n{UPN},{SCHOOL_DAY},AM,/\n")

    marks, problems, _ = parse(small_bundle)

    assert problems == []
    assert (marks[0].minutes_late, marks[0].comment) == (None, "")
