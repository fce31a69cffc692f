"""The parser for ``marks.csv``: one register mark per row for a pupil, date and session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rollbook.policy.calendar import SchoolCalendar, Session, academic_year_end, academic_year_start
from rollbook.policy.codes import available_code_sets, load_code_set
from rollbook.policy.settings import Policy

from .pupils_csv import PupilsFile
from .problems import ProblemList
from .values import parse_date, parse_minutes, read_csv

FILE_NAME = "marks.csv"
REQUIRED_COLUMNS = ("upn", "date", "session", "code")
OPTIONAL_COLUMNS = ("minutes_late", "comment")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
CLOSURE_CODE = "#"
SESSIONS = {session.value: session for session in Session}


@dataclass(frozen=True, slots=True)
class MarkRow:
    """One valid row of ``marks.csv``."""

    line: int
    upn: str
    date: dt.date
    session: Session
    code: str
    minutes_late: int | None
    comment: str


@dataclass(frozen=True)
class MarkContext:
    """The parts of the other files that checking a mark reads. A part is None when its file is invalid."""

    academic_year: int | None
    policy: Policy | None
    calendar: SchoolCalendar | None
    pupils: PupilsFile


def parse_marks(path: Path, context: MarkContext, warnings: list[str]) -> tuple[tuple[MarkRow, ...], ProblemList]:
    """Read and validate ``marks.csv`` against the school's policy, calendar and pupils.

    Checks that depend on another file are skipped while that file is invalid, so each
    problem is reported once, in the file where it sits.
    """
    problems = ProblemList(FILE_NAME)
    table = read_csv(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, problems, warnings)
    if table is None:
        return (), problems

    checker = _MarkChecker(context, problems)
    at_upn, at_date, at_session, at_code = (table.columns[c] for c in REQUIRED_COLUMNS)
    at_minutes = table.columns.get("minutes_late")
    at_comment = table.columns.get("comment")
    first_line_of: dict[tuple[str, dt.date, Session], int] = {}

    marks = []
    for row in table.rows:
        cells, line = row.cells, row.line
        count = len(problems)

        upn = checker.upn(line, cells[at_upn])
        day = checker.date(line, cells[at_date])
        session = checker.session(line, cells[at_session])
        code = checker.code(line, cells[at_code])
        minutes_late = checker.minutes(line, cells[at_minutes]) if at_minutes is not None else None
        comment = cells[at_comment] if at_comment is not None else ""

        pupil = context.pupils.pupils.get(upn) if upn else None
        if day is not None and pupil is not None and not pupil.on_roll(day):
            leaving = f" to {pupil.leaving_date}" if pupil.leaving_date else " with no leaving date"
            problems.add(
                line, "date", cells[at_date],
                f"pupil {upn} is not on roll on {day} (on roll from {pupil.admission_date}{leaving} in pupils.csv "
                f"line {pupil.line}); remove the mark or correct the pupil's dates",
            )
        if day is not None and session is not None and code is not None and pupil is not None:
            checker.closure(line, day, session, code, pupil.year_group)
        if upn and day is not None and session is not None:
            key = (upn, day, session)
            if key in first_line_of:
                problems.add(
                    line, "session", cells[at_session],
                    f"pupil {upn} already has a mark for {day} {session} on line {first_line_of[key]}; keep one row per pupil and session",
                )
            else:
                first_line_of[key] = line

        if len(problems) == count:
            marks.append(MarkRow(line, upn, day, session, code, minutes_late, comment))
    return tuple(marks), problems


class _MarkChecker:
    """Checks the cells of a mark row; each method reports its problem and returns None when invalid."""

    def __init__(self, context: MarkContext, problems: ProblemList):
        self.context = context
        self.problems = problems
        self.code_messages: dict[str, str | None] = {}
        self.day_messages: dict[dt.date, str | None] = {}
        # Whether a closure covers a session for a year group, by (date, session, year group).
        self.closed_sessions: dict[tuple[dt.date, Session, str], bool] = {}
        year = context.academic_year
        self.year_bounds = (academic_year_start(year), academic_year_end(year)) if year is not None else None

    def upn(self, line: int, text: str) -> str | None:
        if not text:
            self.problems.add(line, "upn", text, "upn is empty; write the pupil's UPN as listed in pupils.csv")
            return None
        if text not in self.context.pupils.listed_upns:
            self.problems.add(line, "upn", text, f"UPN {text} is not in pupils.csv; add the pupil to pupils.csv or remove the mark")
            return None
        return text

    def date(self, line: int, text: str) -> dt.date | None:
        try:
            day = parse_date(text)
        except ValueError as error:
            self.problems.add(line, "date", text, str(error))
            return None
        if day not in self.day_messages:
            self.day_messages[day] = self._day_message(day)
        if message := self.day_messages[day]:
            self.problems.add(line, "date", text, message)
            return None
        return day

    def _day_message(self, day: dt.date) -> str | None:
        if self.year_bounds is None:
            return None
        first, last = self.year_bounds
        if not first <= day <= last:
            return f"{day} is outside the academic year {first} to {last} that school.toml sets; remove the mark or import it with its own year's bundle"
        calendar = self.context.calendar
        if calendar is None or calendar.is_school_day(day):
            return None
        if day.weekday() >= 5:
            reason = f"a {day:%A}"
        elif day in calendar.bank_holidays:
            reason = f"a bank holiday ({calendar.bank_holidays[day]})"
        else:
            reason = "outside the half-terms in calendar.csv"
        return f"{day} is not a school day: it is {reason}, so it has no register; remove the mark or correct calendar.csv"

    def session(self, line: int, text: str) -> Session | None:
        session = SESSIONS.get(text.upper())
        if session is None:
            self.problems.add(line, "session", text, f"session {text!r} is invalid; write AM or PM")
        return session

    def code(self, line: int, text: str) -> str | None:
        policy = self.context.policy
        if not text:
            self.problems.add(line, "code", text, "code is empty; write an attendance code, or leave the row out when there is no mark yet")
            return None
        if policy is None:
            return text
        if text not in self.code_messages:
            self.code_messages[text] = self._code_message(text, policy)
        if message := self.code_messages[text]:
            self.problems.add(line, "code", text, message)
            return None
        return text

    @staticmethod
    def _code_message(code: str, policy: Policy) -> str | None:
        code_set = policy.code_set
        if code in code_set:
            return None
        other_sets = [name for name in available_code_sets() if name != code_set.name and code in load_code_set(name)]
        origin = f" (it belongs to the code set {', '.join(other_sets)}, which policy {policy.name} does not use)" if other_sets else ""
        return (
            f"code {code!r} is not in the code set {code_set.name} of policy {policy.name}{origin}; "
            f"use one of: {' '.join(code_set.codes)}"
        )

    def minutes(self, line: int, text: str) -> int | None:
        try:
            return parse_minutes(text)
        except ValueError as error:
            self.problems.add(line, "minutes_late", text, str(error))
            return None

    def closure(self, line: int, day: dt.date, session: Session, code: str, year_group: str) -> None:
        calendar = self.context.calendar
        if calendar is None:
            return
        key = (day, session, year_group)
        if key not in self.closed_sessions:
            self.closed_sessions[key] = calendar.closed(day, session, year_group)
        closed = self.closed_sessions[key]
        if closed and code != CLOSURE_CODE:
            self.problems.add(
                line, "code", code,
                f"a planned closure in calendar.csv covers {day} {session} for year group {year_group}, "
                f"so the code must be '#', not {code!r}; change the code or the closure",
            )
        elif not closed and code == CLOSURE_CODE:
            self.problems.add(
                line, "code", code,
                f"'#' is only for sessions a planned closure covers, and no closure in calendar.csv covers "
                f"{day} {session} for year group {year_group}; add the closure to calendar.csv or use another code",
            )
