"""Tests for the calendar.csv parser."""

import datetime as dt

import pytest

from rollbook.bundles.calendar_csv import EntryType, parse_calendar
from rollbook.policy.calendar import Session


def parse(bundle, academic_year=2025):
    warnings = []
    rows, calendar, problems = parse_calendar(bundle.path / "calendar.csv", academic_year, warnings)
    return rows, calendar, problems.items, warnings


def test_calendar_csv_valid(small_bundle):
    rows, calendar, problems, warnings = parse(small_bundle)

    assert problems == []
    assert warnings == []
    assert len(rows) == 9
    assert [h.label for h in calendar.half_terms] == ["autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2"]
    assert calendar.closed(dt.date(2025, 9, 1), Session.AM, "4")
    assert calendar.closed(dt.date(2025, 9, 5), Session.PM, "R")
    assert not calendar.closed(dt.date(2025, 9, 5), Session.AM, "R")
    assert not calendar.closed(dt.date(2025, 9, 5), Session.PM, "2")
    assert calendar.in_assessment_period(dt.date(2026, 6, 8))


def test_calendar_csv_closure_row_fields(small_bundle):
    rows, _, _, _ = parse(small_bundle)

    closure = next(r for r in rows if r.label == "Classroom move")

    assert closure.type is EntryType.CLOSURE
    assert closure.session is Session.PM
    assert closure.year_groups == ("R", "1")
    assert closure.line == 4


def test_calendar_csv_day_first_dates(small_bundle):
    small_bundle.replace("calendar.csv", "2026-04-13,2026-05-22", "13/04/2026,22/05/2026")

    rows, calendar, problems, _ = parse(small_bundle)

    assert problems == []
    summer_1 = next(h for h in calendar.half_terms if h.label == "summer-1")
    assert summer_1.start == dt.date(2026, 4, 13)
    assert summer_1.end == dt.date(2026, 5, 22)


def test_calendar_csv_invalid_date_line_and_column(small_bundle):
    line = small_bundle.replace("calendar.csv", "2025-11-03,2025-12-19", "2025-11-3,2025-12-19")

    _, calendar, problems, _ = parse(small_bundle)

    assert calendar is None
    assert [(p.line, p.column, p.value) for p in problems] == [(line, "start_date", "2025-11-3")]


def test_calendar_csv_unknown_type(small_bundle):
    line = small_bundle.replace("calendar.csv", "assessment,", "exam,")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "type", "exam")]
    assert "half_term, closure, assessment" in problems[0].message


def test_calendar_csv_unknown_half_term_label(small_bundle):
    line = small_bundle.replace("calendar.csv", "autumn-2", "autumn-3")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "label")]
    assert "autumn-1, autumn-2" in problems[0].message


def test_calendar_csv_end_before_start(small_bundle):
    line = small_bundle.replace("calendar.csv", "2025-09-05,2025-09-05", "2025-09-05,2025-09-04")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "end_date")]


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("half_term,2025-09-01,", "half_term,2025-08-31,", "start_date"),
        ("2026-07-20,summer-2", "2026-09-01,summer-2", "end_date"),
    ],
)
def test_calendar_csv_outside_academic_year(small_bundle, old, new, column):
    line = small_bundle.replace("calendar.csv", old, new)

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, column)]
    assert "outside the academic year 2025/26" in problems[0].message


def test_calendar_csv_year_edges_accepted(small_bundle):
    small_bundle.append("calendar.csv", "closure,2025-09-01,2025-09-01,First day,,")
    small_bundle.append("calendar.csv", "assessment,2026-08-31,2026-08-31,Last day,,")

    _, calendar, problems, _ = parse(small_bundle)

    assert problems == []
    assert calendar is not None


def test_calendar_csv_overlapping_half_terms(small_bundle):
    line = small_bundle.replace("calendar.csv", "half_term,2025-11-03", "half_term,2025-10-24")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "start_date")]
    assert "autumn-1" in problems[0].message
    assert "overlap" in problems[0].message


def test_calendar_csv_half_term_twice(small_bundle):
    line = small_bundle.append("calendar.csv", "half_term,2026-07-21,2026-07-22,summer-2,,")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "label")]
    assert "already on line 9" in problems[0].message


def test_calendar_csv_half_terms_out_of_order(small_bundle):
    small_bundle.replace("calendar.csv", "2026-05-22,summer-1", "2026-05-22,summer-2")
    line = small_bundle.replace("calendar.csv", "2026-07-20,summer-2", "2026-07-20,summer-1")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "label", "summer-1")]
    assert "order" in problems[0].message


def test_calendar_csv_closure_invalid_session_and_group(small_bundle):
    line = small_bundle.replace("calendar.csv", "PM,R;1", "Lunch,R;Y1")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "session"), (line, "year_groups")]
    assert "'Y1'" in problems[1].message


def test_calendar_csv_session_on_half_term_row(small_bundle):
    line = small_bundle.replace("calendar.csv", "autumn-2,,", "autumn-2,AM,")

    _, _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "session")]
    assert "closures only" in problems[0].message


def test_calendar_csv_year_groups_normalised(small_bundle):
    small_bundle.replace("calendar.csv", "PM,R;1", "pm, r ; 1 ;")

    rows, _, problems, _ = parse(small_bundle)

    closure = next(r for r in rows if r.label == "Classroom move")
    assert problems == []
    assert closure.session is Session.PM
    assert closure.year_groups == ("R", "1")


def test_calendar_csv_without_year_checks_rows_only(small_bundle):
    rows, calendar, problems, _ = parse(small_bundle, academic_year=None)

    assert problems == []
    assert len(rows) == 9
    assert calendar is None
