"""The parser for ``calendar.csv``: half-terms, planned closures and assessment periods."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from rollbook.policy.calendar import (
    HALF_TERM_LABELS,
    YEAR_GROUPS,
    AssessmentPeriod,
    CalendarError,
    Closure,
    HalfTerm,
    SchoolCalendar,
    Session,
    academic_year_end,
    academic_year_start,
)

from .problems import ProblemList
from .values import CsvRow, CsvTable, parse_date, read_csv

FILE_NAME = "calendar.csv"
REQUIRED_COLUMNS = ("type", "start_date", "end_date", "label")
OPTIONAL_COLUMNS = ("session", "year_groups")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
LABEL_MAX_LENGTH = 100


class EntryType(enum.StrEnum):
    """The ``type`` of a calendar row; the values match ``CalendarEntry.Kind``."""

    HALF_TERM = "half_term"
    CLOSURE = "closure"
    ASSESSMENT = "assessment"


@dataclass(frozen=True)
class CalendarRow:
    """One valid row of ``calendar.csv``. ``session`` None means both sessions."""

    line: int
    type: EntryType
    start: dt.date
    end: dt.date
    label: str
    session: Session | None
    year_groups: tuple[str, ...]


def parse_calendar(
    path: Path, academic_year: int | None, warnings: list[str]
) -> tuple[tuple[CalendarRow, ...], SchoolCalendar | None, ProblemList]:
    """Read and validate ``calendar.csv`` for the academic year starting in ``academic_year``.

    Returns the rows and the calendar they describe. The calendar is None when any row is
    invalid, or when ``school.toml`` is invalid and so the year is unknown.
    """
    problems = ProblemList(FILE_NAME)
    table = read_csv(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, problems, warnings)
    if table is None:
        return (), None, problems

    rows = []
    for row in table.rows:
        parsed = _parse_row(row, table, academic_year, problems)
        if parsed is not None:
            rows.append(parsed)
    _check_half_terms([row for row in rows if row.type is EntryType.HALF_TERM], problems)
    if problems or academic_year is None:
        return tuple(rows), None, problems

    try:
        calendar = SchoolCalendar(
            academic_year=academic_year,
            half_terms=tuple(HalfTerm(r.label, r.start, r.end) for r in rows if r.type is EntryType.HALF_TERM),
            closures=tuple(
                Closure(r.start, r.end, r.session, frozenset(r.year_groups), r.label)
                for r in rows
                if r.type is EntryType.CLOSURE
            ),
            assessments=tuple(AssessmentPeriod(r.start, r.end, r.label) for r in rows if r.type is EntryType.ASSESSMENT),
        )
    except CalendarError as error:
        problems.add(None, None, None, f"{error}; correct the calendar rows")
        return tuple(rows), None, problems
    return tuple(rows), calendar, problems


def _cell(row: CsvRow, table: CsvTable, column: str) -> str:
    position = table.columns.get(column)
    return "" if position is None else row.cells[position]


def _parse_row(row: CsvRow, table: CsvTable, academic_year: int | None, problems: ProblemList) -> CalendarRow | None:
    count = len(problems)
    line = row.line

    type_text = _cell(row, table, "type")
    try:
        entry_type = EntryType(type_text.lower())
    except ValueError:
        entry_type = None
        problems.add(line, "type", type_text, f"type {type_text!r} is invalid; use one of: {', '.join(t.value for t in EntryType)}")

    dates = {}
    for column in ("start_date", "end_date"):
        text = _cell(row, table, column)
        if not text:
            problems.add(line, column, text, f"{column} is empty; {column.replace('_', ' ')} is required")
            continue
        try:
            dates[column] = parse_date(text)
        except ValueError as error:
            problems.add(line, column, text, str(error))
    start, end = dates.get("start_date"), dates.get("end_date")
    if start and end and end < start:
        problems.add(line, "end_date", _cell(row, table, "end_date"), f"end_date {end} is before start_date {start}; both dates are inclusive")
    if academic_year is not None:
        first, last = academic_year_start(academic_year), academic_year_end(academic_year)
        for column, day in dates.items():
            if not first <= day <= last:
                problems.add(
                    line,
                    column,
                    _cell(row, table, column),
                    f"{day} is outside the academic year {academic_year}/{(academic_year + 1) % 100:02d} "
                    f"({first} to {last}) that school.toml sets",
                )

    label = _cell(row, table, "label")
    if len(label) > LABEL_MAX_LENGTH:
        problems.add(line, "label", label, f"the label has {len(label)} characters; shorten it to {LABEL_MAX_LENGTH} or fewer")
    if entry_type is EntryType.HALF_TERM and label not in HALF_TERM_LABELS:
        problems.add(line, "label", label, f"half-term label {label!r} is invalid; use one of: {', '.join(HALF_TERM_LABELS)}")

    session_text = _cell(row, table, "session")
    groups_text = _cell(row, table, "year_groups")
    session, year_groups = None, ()
    if entry_type is EntryType.CLOSURE:
        session = _parse_session(session_text, line, problems)
        year_groups = _parse_year_groups(groups_text, line, problems)
    elif entry_type is not None:
        for column, text in (("session", session_text), ("year_groups", groups_text)):
            if text:
                problems.add(line, column, text, f"{column} applies to closures only; leave it empty on rows of type {entry_type.value}")

    if len(problems) > count or entry_type is None or start is None or end is None:
        return None
    return CalendarRow(line, entry_type, start, end, label, session, year_groups)


def _parse_session(text: str, line: int, problems: ProblemList) -> Session | None:
    if not text:
        return None
    try:
        return Session(text.upper())
    except ValueError:
        problems.add(line, "session", text, f"session {text!r} is invalid; write AM, PM, or leave it empty for both sessions")
        return None


def _parse_year_groups(text: str, line: int, problems: ProblemList) -> tuple[str, ...]:
    groups: list[str] = []
    for part in text.split(";"):
        group = part.strip().upper()
        if not group:
            continue
        if group not in YEAR_GROUPS:
            problems.add(
                line,
                "year_groups",
                text,
                f"year group {part.strip()!r} is invalid; use ;-separated year groups from {' '.join(YEAR_GROUPS)}, "
                f"or leave it empty for the whole school",
            )
        elif group not in groups:
            groups.append(group)
    return tuple(groups)


def _check_half_terms(rows: list[CalendarRow], problems: ProblemList) -> None:
    first_line_of: dict[str, int] = {}
    for row in rows:
        if row.label in first_line_of:
            problems.add(row.line, "label", row.label, f"half-term {row.label} is already on line {first_line_of[row.label]}; keep one row per half-term")
        else:
            first_line_of[row.label] = row.line
    if len(first_line_of) != len(rows):
        return

    ordered = sorted(rows, key=lambda row: row.start)
    for earlier, later in zip(ordered, ordered[1:]):
        if later.start <= earlier.end:
            problems.add(
                later.line,
                "start_date",
                later.start.isoformat(),
                f"half-term {later.label} starts on {later.start}, before half-term {earlier.label} "
                f"(line {earlier.line}) ends on {earlier.end}; half-terms must not overlap",
            )
        elif HALF_TERM_LABELS.index(later.label) < HALF_TERM_LABELS.index(earlier.label):
            problems.add(
                later.line,
                "label",
                later.label,
                f"half-term {later.label} starts after {earlier.label} (line {earlier.line}); "
                f"half-terms run in the order {', '.join(HALF_TERM_LABELS)}",
            )
