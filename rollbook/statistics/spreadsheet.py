"""The SLT spreadsheet: one academic year's attendance as an XLSX workbook.

Sheets cover each half-term, each term and the year to date, by pupil, class, year group and
pupil group, and a last sheet states the definitions. Every figure comes from
``rollbook.analysis.figures`` over the same dates, so a pupil's row equals what
``rollbook report pupils --from --to`` prints for that range. Rates are stored as Rollbook
rounds them: one decimal place, half up, from session counts. They are shown with a percentage
format, and the session counts sit beside them.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import io
import logging
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from rollbook.analysis.figures import BANDS, Band, Figures, RangeData, band_flags, figures_of, load_range, narrow_range, persistent_flags, severe_flags
from rollbook.analysis.groups import DIMENSIONS, PupilRow, groups_of, pupil_table
from rollbook.policy.calendar import SchoolCalendar, Term
from rollbook.policy.codes import Category
from rollbook.policy.measures import percent
from rollbook.policy.settings import Policy
from rollbook.schools.models import AcademicYear, School

logger = logging.getLogger(__name__)


class PeriodKind(enum.StrEnum):
    HALF_TERM = "Half-terms"
    TERM = "Terms"
    YEAR_TO_DATE = "Year to date"


@dataclass(frozen=True)
class SheetPeriod:
    """A range of the workbook, both ends inclusive."""

    kind: PeriodKind
    label: str
    start: dt.date
    end: dt.date


# Light fills with dark text, so every band stays readable in print and on screen.
BAND_FILLS = {
    "100": "A9D08E",
    "97-99.9": "E2EFDA",
    "95-96.9": "FFF2CC",
    "90-94.9": "FCE4D6",
    "50-89.9": "F8CBAD",
    "below-50": "FF9B9B",
}
NO_SESSIONS = "No sessions"
HEADER_FILL = PatternFill("solid", fgColor="123F5A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
COUNT_FORMAT = "#,##0"

# The pupil groups of the "by group" sheets; classes and year groups have sheets of their own.
GROUP_DIMENSIONS = tuple(key for key in DIMENSIONS if key not in ("class", "year_group"))

# Pupil sheets name the period only, because its dates would add two cells to each of
# thousands of rows. The dates are on the other sheets and on the definitions sheet.
PUPIL_COLUMNS = (
    ("Period", 16), ("UPN", 15), ("Surname", 18), ("Forename", 16),
    ("Year group", 8), ("Class", 12), ("Possible sessions", 10), ("Attended", 10),
    ("Authorised absence", 10), ("Unauthorised absence", 12), ("No mark yet", 9),
    ("Attendance", 11), ("Absence", 10), ("Persistent absence", 11), ("Severe absence", 10), ("Band", 14),
)
FIGURE_COLUMNS = (
    ("Pupils", 8), ("Possible sessions", 11), ("Attended", 11), ("Authorised absence", 11),
    ("Unauthorised absence", 12), ("No mark yet", 9), ("Attendance", 11), ("Absence", 10),
    ("Persistently absent pupils", 12), ("Persistently absent share", 12), ("Severely absent pupils", 11),
    *((f"Band {band.label}", 11) for band in BANDS), (f"{NO_SESSIONS} (pupils)", 11), ("Meets target", 10),
)


class SpreadsheetError(ValueError):
    """A workbook that cannot be built, with the reason and the fix in the message."""


def band_of(attended: int, possible: int) -> Band | None:
    """Return the band of an attendance, judged on session counts; None without a possible session."""
    index = band_indexes(np.array([attended]), np.array([possible]))[0]
    return BANDS[index] if index >= 0 else None


def workbook_periods(calendar: SchoolCalendar, as_of: dt.date) -> list[SheetPeriod]:
    """Return the half-terms, terms and year to date of a year that have started by ``as_of``.

    Each range ends on ``as_of`` at the latest.
    """
    periods = []
    started = [h for h in calendar.half_terms if h.start <= as_of]
    for half_term in started:
        periods.append(SheetPeriod(PeriodKind.HALF_TERM, half_term.label, half_term.start, min(half_term.end, as_of)))
    for term in Term:
        in_term = [h for h in started if h.term is term]
        if in_term:
            periods.append(SheetPeriod(PeriodKind.TERM, term.value, in_term[0].start, min(in_term[-1].end, as_of)))
    periods.append(SheetPeriod(PeriodKind.YEAR_TO_DATE, "year to date", calendar.start, as_of))
    return periods


def _rate_value(rate: Decimal | None) -> float | None:
    return None if rate is None else float(rate / 100)


class _SheetWriter:
    """A write-only sheet with a styled, frozen and filtered header row."""

    def __init__(self, workbook: Workbook, title: str, columns: tuple[tuple[str, int], ...], frozen_columns: int):
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        self.rows = 0
        for index, (_name, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
        header = []
        for name, _width in columns:
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        self.sheet.append(header)
        self.styles: dict[tuple[str | None, str | None], StyleArray] = {}

    def cell(self, value, number_format: str | None = None, band: Band | None = None) -> WriteOnlyCell:
        """Return a cell with a number format and a band's fill, either optional."""
        cell = WriteOnlyCell(self.sheet, value=value)
        if number_format is None and band is None:
            return cell
        key = (number_format, band.key if band else None)
        style = self.styles.get(key)
        if style is None:
            if number_format:
                cell.number_format = number_format
            if band is not None:
                cell.fill = PatternFill("solid", fgColor=BAND_FILLS[band.key])
            self.styles[key] = copy.copy(cell._style)
            return cell
        # NOTE: this copies openpyxl's private style array (openpyxl 3.1), because the public
        # setters look each style up in the workbook's tables. Styling 100,000 cells took
        # 0.27 s this way and 0.89 s through the setters, on the machine in docs/benchmarks.md.
        cell._style = copy.copy(style)
        return cell

    def append(self, values: list) -> None:
        self.sheet.append(values)
        self.rows += 1

    def finish(self) -> None:
        """Filter on every column; call after the last row, because the range must cover it."""
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.rows + 1}"


def _period_cells(writer: _SheetWriter, period: SheetPeriod) -> list:
    return [period.label, writer.cell(period.start, DATE_FORMAT), writer.cell(period.end, DATE_FORMAT)]


def band_indexes(attended: np.ndarray, possible: np.ndarray) -> np.ndarray:
    """Return each pupil's index into ``BANDS``, or -1 without a possible session."""
    indexes = np.full(len(possible), -1, dtype=np.int64)
    for index, band in reversed(list(enumerate(BANDS))):
        indexes[band_flags(band, attended, possible)] = index
    return indexes


def _write_pupils(writer: _SheetWriter, period: SheetPeriod, data: RangeData, table: list[PupilRow]) -> None:
    counts = data.counts
    persistent = persistent_flags(counts, data.policy)
    severe = severe_flags(counts, data.policy)
    attended = counts.attended
    absent = counts.absent
    bands = band_indexes(attended, counts.possible)
    order = sorted(range(len(table)), key=lambda row: (table[row].pupil.surname, table[row].pupil.forename, table[row].pupil.upn))
    for row in order:
        pupil = table[row].pupil
        possible = int(counts.possible[row])
        band = BANDS[bands[row]] if bands[row] >= 0 else None
        writer.append([
            period.label,
            pupil.upn, pupil.surname, pupil.forename, table[row].year_group, table[row].class_name,
            # A pupil's counts stay below a thousand, so they need no number format.
            possible,
            int(attended[row]),
            int(counts.authorised[row]),
            int(counts.unauthorised[row]),
            int(counts.missing[row]),
            writer.cell(_rate_value(percent(int(attended[row]), possible)), PERCENT_FORMAT, band),
            writer.cell(_rate_value(percent(int(absent[row]), possible)), PERCENT_FORMAT),
            "yes" if persistent[row] else "no",
            "yes" if severe[row] else "no",
            writer.cell(band.label if band else NO_SESSIONS, band=band),
        ])


def _figure_cells(writer: _SheetWriter, figures: Figures) -> list:
    band = band_of(figures.attended, figures.possible)
    meets_target = {None: "", True: "yes", False: "no"}[figures.meets_target]
    return [
        writer.cell(figures.pupils, COUNT_FORMAT),
        writer.cell(figures.possible, COUNT_FORMAT),
        writer.cell(figures.attended, COUNT_FORMAT),
        writer.cell(figures.authorised, COUNT_FORMAT),
        writer.cell(figures.unauthorised, COUNT_FORMAT),
        writer.cell(figures.missing, COUNT_FORMAT),
        writer.cell(_rate_value(figures.attendance_rate), PERCENT_FORMAT, band),
        writer.cell(_rate_value(figures.absence_rate), PERCENT_FORMAT),
        writer.cell(figures.persistent_absentees, COUNT_FORMAT),
        writer.cell(_rate_value(percent(figures.persistent_absentees, figures.pupils)), PERCENT_FORMAT),
        writer.cell(figures.severe_absentees, COUNT_FORMAT),
        *(writer.cell(figures.bands[b.key], COUNT_FORMAT) for b in BANDS),
        writer.cell(figures.no_sessions, COUNT_FORMAT),
        meets_target,
    ]


def _write_dimension(writer: _SheetWriter, period: SheetPeriod, data: RangeData, table: list[PupilRow], key: str, *, named: bool) -> None:
    dimension = DIMENSIONS[key]
    for group in groups_of(table, dimension):
        prefix = [dimension.label] if named else []
        writer.append([*_period_cells(writer, period), *prefix, group.label, *_figure_cells(writer, figures_of(data.counts, data.policy, group.rows))])


def _write_whole_school(writer: _SheetWriter, period: SheetPeriod, data: RangeData, *, named: bool) -> None:
    prefix = ["Whole school"] if named else []
    writer.append([*_period_cells(writer, period), *prefix, "Whole school", *_figure_cells(writer, figures_of(data.counts, data.policy))])


def _write_definitions(
    workbook: Workbook, school: School, year: AcademicYear, policy: Policy, as_of: dt.date, at: dt.datetime, periods: list[SheetPeriod]
) -> None:
    sheet = workbook.create_sheet("Definitions")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110
    code_set = policy.code_set

    def codes(category: Category) -> str:
        return " ".join(code_set.codes_in(category))

    measures = policy.measures
    rows = [
        ("School", f"{school.name} (URN {school.urn})"),
        ("Academic year", f"{year}: marks up to and including {as_of:%d/%m/%Y}"),
        ("Made", f"{timezone.localtime(at):%d/%m/%Y %H:%M} (Europe/London) under the policy {policy.name}: {policy.title}"),
        ("Possible sessions", "Sessions of school days on which the pupil was on roll and had a mark whose category is present, "
                              "approved educational activity, authorised or unauthorised absence. Closed sessions and codes that "
                              "are not possible sessions do not count."),
        ("Attended (present)", f"Codes {codes(Category.PRESENT)}."),
        ("Attended (approved educational activity)", f"Codes {codes(Category.APPROVED_EDUCATIONAL_ACTIVITY)}."),
        ("Authorised absence", f"Codes {codes(Category.AUTHORISED)}."),
        ("Unauthorised absence", f"Codes {codes(Category.UNAUTHORISED)}."),
        ("Not a possible session", f"Codes {codes(Category.NOT_POSSIBLE)}."),
        ("No mark yet", "Possible sessions without a mark. They are counted apart and left out of every other figure."),
        ("Attendance", "Attended sessions as a share of possible sessions, rounded half up to one decimal place from the "
                       "session counts, never from rounded figures."),
        ("Absence", "Authorised and unauthorised absence sessions as a share of possible sessions, rounded the same way."),
        ("Persistent absence (PA)", f"Absence of {measures.persistent_absence_percent}% or more of possible sessions over the "
                                    "period, tested on session counts: 20 absent of 200 is PA, 20 absent of 201 is not."),
        ("Severe absence (SA)", f"Absence of {measures.severe_absence_percent}% or more of possible sessions over the period."),
        ("Bands", "Attendance bands, tested on session counts: " + "; ".join(b.label for b in BANDS)
                  + f". Pupils without a possible session are in \"{NO_SESSIONS}\"."),
        ("Target", f"The school's target is {measures.target_attendance_percent}% attendance; \"Meets target\" tests it on session counts."),
        ("Periods", "Half-terms and terms come from the school's calendar; each ends on the date above at the latest. "
                    "A pupil is listed in a period when on roll for at least one day of it."),
        ("Class and year group", "The pupil's placement on the period's last day, else the last one that started before it."),
        ("Groups", "Each grouping sorts every pupil into one group, with \"Not recorded\" kept apart, so the groups of a "
                   "grouping add up to the whole school."),
    ]
    title = WriteOnlyCell(sheet, value="Definitions")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([])
    for term, meaning in rows:
        term_cell = WriteOnlyCell(sheet, value=term)
        term_cell.font = Font(bold=True)
        term_cell.alignment = Alignment(wrap_text=True, vertical="top")
        meaning_cell = WriteOnlyCell(sheet, value=meaning)
        meaning_cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([term_cell, meaning_cell])

    sheet.append([])
    heading = WriteOnlyCell(sheet, value="Periods")
    heading.font = Font(bold=True)
    sheet.append([heading])
    for period in periods:
        sheet.append([period.label, f"{period.kind}: {period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}"])


def build_workbook(school: School, start_year: int, today: dt.date, *, at: dt.datetime) -> Workbook:
    """Build the workbook of the school's academic year ``start_year`` with marks up to ``today``.

    Raises ``SpreadsheetError`` when the school has no such year or it has not started by ``today``.
    """
    year = AcademicYear.objects.filter(school=school, start_year=start_year).first()
    if year is None:
        raise SpreadsheetError(f"the school has no academic year {start_year}/{(start_year + 1) % 100:02d}; choose a year it has marks for")
    calendar = year.calendar()
    if today < calendar.start:
        raise SpreadsheetError(f"the academic year {year} starts on {calendar.start}, after {today}; choose an earlier year")
    as_of = min(today, calendar.end)

    workbook = Workbook(write_only=True)
    sheets: dict[tuple[PeriodKind, str], _SheetWriter] = {}
    for kind in PeriodKind:
        sheets[(kind, "pupil")] = _SheetWriter(workbook, f"{kind} by pupil", PUPIL_COLUMNS, 4)
        sheets[(kind, "class")] = _SheetWriter(workbook, f"{kind} by class", (("Period", 16), ("From", 11), ("To", 11), ("Class", 14), *FIGURE_COLUMNS), 4)
        sheets[(kind, "year_group")] = _SheetWriter(workbook, f"{kind} by year group", (("Period", 16), ("From", 11), ("To", 11), ("Year group", 14), *FIGURE_COLUMNS), 4)
        sheets[(kind, "group")] = _SheetWriter(
            workbook, f"{kind} by group", (("Period", 16), ("From", 11), ("To", 11), ("Grouping", 22), ("Group", 30), *FIGURE_COLUMNS), 5
        )

    policy = year.policy()
    # The year is read once; each period's figures are narrowed from it.
    whole_year = load_range(school, calendar.start, as_of)
    periods = workbook_periods(calendar, as_of)
    for period in periods:
        data = narrow_range(whole_year, period.start, period.end)
        table = pupil_table(data)
        policy = data.policy or policy
        _write_pupils(sheets[(period.kind, "pupil")], period, data, table)
        for key in ("class", "year_group"):
            _write_dimension(sheets[(period.kind, key)], period, data, table, key, named=False)
            _write_whole_school(sheets[(period.kind, key)], period, data, named=False)
        for key in GROUP_DIMENSIONS:
            _write_dimension(sheets[(period.kind, "group")], period, data, table, key, named=True)
        _write_whole_school(sheets[(period.kind, "group")], period, data, named=True)

    for writer in sheets.values():
        writer.finish()
    _write_definitions(workbook, school, year, policy, as_of, at, periods)
    return workbook


def workbook_bytes(school: School, start_year: int, today: dt.date, *, at: dt.datetime) -> bytes:
    """Return the workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    build_workbook(school, start_year, today, at=at).save(buffer)
    logger.info("built the SLT spreadsheet of school %s for %s (%s bytes)", school.pk, start_year, buffer.tell())
    return buffer.getvalue()


def file_name(school: School, start_year: int, as_of: dt.date) -> str:
    return f"attendance-{school.urn}-{start_year}-{(start_year + 1) % 100:02d}-to-{as_of.isoformat()}.xlsx"
