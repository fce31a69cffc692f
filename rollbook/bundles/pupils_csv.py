"""The parser for ``pupils.csv``: one row per pupil on roll during the academic year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rollbook.policy.calendar import YEAR_GROUPS, academic_year_end, academic_year_start
from rollbook.policy.upn import upn_problem
from rollbook.schools.ethnicity import MAIN_ETHNICITY_CODES

from .problems import ProblemList
from .values import CsvRow, CsvTable, parse_date, parse_flag, parse_sen, read_csv

FILE_NAME = "pupils.csv"
REQUIRED_COLUMNS = ("upn", "surname", "forename", "date_of_birth", "sex", "year_group", "class", "admission_date")
FLAG_COLUMNS = ("fsm", "pupil_premium", "looked_after", "child_in_need", "young_carer", "eal")
OPTIONAL_COLUMNS = ("leaving_date", "sen", *FLAG_COLUMNS, "ethnicity")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)

NAME_MAX_LENGTH = 100
CLASS_MAX_LENGTH = 50


@dataclass(frozen=True)
class PupilRow:
    """One valid row of ``pupils.csv``. Flags are None and ``sen``/``ethnicity`` empty when not recorded."""

    line: int
    upn: str
    surname: str
    forename: str
    date_of_birth: dt.date
    sex: str
    year_group: str
    class_name: str
    admission_date: dt.date
    leaving_date: dt.date | None
    sen: str
    fsm: bool | None
    pupil_premium: bool | None
    looked_after: bool | None
    child_in_need: bool | None
    young_carer: bool | None
    eal: bool | None
    ethnicity: str

    def on_roll(self, day: dt.date) -> bool:
        """Return whether the pupil is on roll on ``day`` (admission and leaving dates inclusive)."""
        return self.admission_date <= day and (self.leaving_date is None or day <= self.leaving_date)


@dataclass(frozen=True)
class PupilsFile:
    """The valid rows by UPN, every UPN the file lists (valid or not) and its optional columns."""

    pupils: dict[str, PupilRow]
    listed_upns: frozenset[str]
    optional_columns: frozenset[str]


def parse_pupils(path: Path, academic_year: int | None, warnings: list[str]) -> tuple[PupilsFile, ProblemList]:
    """Read and validate ``pupils.csv`` for the academic year starting in ``academic_year``."""
    problems = ProblemList(FILE_NAME)
    table = read_csv(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, problems, warnings)
    if table is None:
        return PupilsFile({}, frozenset(), frozenset()), problems

    pupils: dict[str, PupilRow] = {}
    first_line_of: dict[str, int] = {}
    for row in table.rows:
        upn = row.cells[table.columns["upn"]]
        if upn in first_line_of:
            problems.add(row.line, "upn", upn, f"UPN {upn} is already on line {first_line_of[upn]}; list each pupil once")
            continue
        if upn:
            first_line_of[upn] = row.line
        parsed = _parse_row(row, table, academic_year, problems)
        if parsed is not None:
            pupils[upn] = parsed

    optional = frozenset(column for column in OPTIONAL_COLUMNS if table.has(column))
    return PupilsFile(pupils, frozenset(first_line_of), optional), problems


class _RowReader:
    """Reads the cells of one row, reporting each invalid value with its line and column."""

    def __init__(self, row: CsvRow, table: CsvTable, problems: ProblemList):
        self.row = row
        self.table = table
        self.problems = problems
        self.valid = True

    def text(self, column: str) -> str:
        position = self.table.columns.get(column)
        return "" if position is None else self.row.cells[position]

    def fail(self, column: str, value: str, message: str) -> None:
        self.problems.add(self.row.line, column, value, message)
        self.valid = False

    def required(self, column: str, max_length: int | None = None) -> str:
        value = self.text(column)
        if not value:
            self.fail(column, value, f"{column} is empty; it is required for every pupil")
        elif max_length is not None and len(value) > max_length:
            self.fail(column, value, f"{column} has {len(value)} characters; shorten it to {max_length} or fewer")
        return value

    def date(self, column: str, required: bool) -> dt.date | None:
        value = self.text(column)
        if not value:
            if required:
                self.fail(column, value, f"{column} is empty; it is required for every pupil")
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(column, value, str(error))
            return None

    def parsed(self, column: str, parser):
        value = self.text(column)
        try:
            return parser(value)
        except ValueError as error:
            self.fail(column, value, str(error))
            return None


def _parse_row(row: CsvRow, table: CsvTable, academic_year: int | None, problems: ProblemList) -> PupilRow | None:
    cells = _RowReader(row, table, problems)

    upn = cells.required("upn")
    if upn and (problem := upn_problem(upn)):
        cells.fail("upn", upn, problem)
    surname = cells.required("surname", NAME_MAX_LENGTH)
    forename = cells.required("forename", NAME_MAX_LENGTH)
    class_name = cells.required("class", CLASS_MAX_LENGTH)

    sex = cells.text("sex").upper()
    if sex not in ("F", "M"):
        cells.fail("sex", cells.text("sex"), f"sex {cells.text('sex')!r} is invalid; write F or M")
    year_group = cells.text("year_group").upper()
    if year_group not in YEAR_GROUPS:
        cells.fail("year_group", cells.text("year_group"), f"year group {cells.text('year_group')!r} is invalid; use one of: {' '.join(YEAR_GROUPS)}")

    date_of_birth = cells.date("date_of_birth", required=True)
    admission_date = cells.date("admission_date", required=True)
    leaving_date = cells.date("leaving_date", required=False)
    _check_dates(cells, date_of_birth, admission_date, leaving_date, academic_year)

    sen = cells.parsed("sen", parse_sen)
    flags = {column: cells.parsed(column, parse_flag) for column in FLAG_COLUMNS}
    ethnicity = cells.text("ethnicity").upper()
    if ethnicity and ethnicity not in MAIN_ETHNICITY_CODES:
        cells.fail(
            "ethnicity",
            cells.text("ethnicity"),
            f"ethnicity {cells.text('ethnicity')!r} is not a DfE main ethnicity code; use one of "
            f"{' '.join(MAIN_ETHNICITY_CODES)}, or leave it empty",
        )

    if not cells.valid:
        return None
    return PupilRow(
        line=row.line,
        upn=upn,
        surname=surname,
        forename=forename,
        date_of_birth=date_of_birth,
        sex=sex,
        year_group=year_group,
        class_name=class_name,
        admission_date=admission_date,
        leaving_date=leaving_date,
        sen=sen,
        ethnicity=ethnicity,
        **flags,
    )


def _check_dates(
    cells: _RowReader,
    date_of_birth: dt.date | None,
    admission_date: dt.date | None,
    leaving_date: dt.date | None,
    academic_year: int | None,
) -> None:
    if date_of_birth and admission_date and date_of_birth >= admission_date:
        cells.fail("date_of_birth", cells.text("date_of_birth"), f"date of birth {date_of_birth} is not before the admission date {admission_date}; check both dates")
    if admission_date and leaving_date and leaving_date < admission_date:
        cells.fail("leaving_date", cells.text("leaving_date"), f"leaving date {leaving_date} is before the admission date {admission_date}; both dates are inclusive")
    if academic_year is None or admission_date is None:
        return
    first, last = academic_year_start(academic_year), academic_year_end(academic_year)
    year_name = f"{academic_year}/{(academic_year + 1) % 100:02d}"
    if admission_date > last:
        cells.fail("admission_date", cells.text("admission_date"), f"admission date {admission_date} is after the academic year {year_name} ends on {last}; leave the pupil out of this year's bundle")
    if leaving_date and leaving_date < first:
        cells.fail("leaving_date", cells.text("leaving_date"), f"leaving date {leaving_date} is before the academic year {year_name} starts on {first}; leave the pupil out of this year's bundle")
