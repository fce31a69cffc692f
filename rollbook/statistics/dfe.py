"""Reading the DfE's published pupil attendance statistics (CSV) and storing them.

The file has one row per area (England, a region or a local authority), school type and period,
with sessions per attendance code, their totals and percentages. Rollbook checks the count
identities the DfE's figures obey, recomputes every rate from the counts, and compares each
published percentage with its counts: on "Total" rows the published figure can differ by up
to about 0.1 points, so it is reported and never used. An import stores every row or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import GeographicLevel, PublishedAttendance

logger = logging.getLogger(__name__)

# Markers the DfE writes in place of a value: not applicable, not available, withheld.
MARKERS = frozenset({".", "z", "x"})

TEXT_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "school_type",
)

# Stored totals: model field -> column.
TOTAL_COLUMNS = {
    "possible_sessions": "possible_sessions",
    "attended_sessions": "overall_attendance",
    "approved_educational_activity": "approved_educational_activity",
    "authorised_absences": "authorised_absence",
    "unauthorised_absences": "unauthorised_absence",
    "late_sessions": "late_sessions",
}
OVERALL_ABSENCE_COLUMN = "overall_absence"

# Sessions per attendance code: code -> column.
CODE_COLUMNS = {
    "/": "reason_present_am",
    "\\": "reason_present_pm",
    "L": "reason_l_present_late_before_registers_closed",
    "I": "reason_i_authorised_illness",
    "M": "reason_m_authorised_medical_dental",
    "R": "reason_r_authorised_religious_observance",
    "S": "reason_s_authorised_study_leave",
    "T": "reason_t_authorised_grt_absence",
    "H": "reason_h_authorised_holiday",
    "E": "reason_e_authorised_excluded",
    "C": "reason_c_authorised_other",
    "B": "reason_b_aea_education_off_site",
    "D": "reason_d_aea_dual_registration",
    "J": "reason_j_aea_interview",
    "P": "reason_p_aea_approved_sporting_activity",
    "V": "reason_v_aea_educational_visit_trip",
    "W": "reason_w_aea_work_experience",
    "G": "reason_g_unauthorised_holiday",
    "U": "reason_u_unauthorised_late_after_registers_closed",
    "O": "reason_o_other_unauthorised",
    "N": "reason_n_no_reason_yet",
}

# Published percentages: model field -> (column, the stored count it is a share of, in words).
PERCENT_COLUMNS = {
    "published_attendance_percent": ("attendance_perc", "attended_sessions", "attendance"),
    "published_absence_percent": ("overall_absence_perc", "absent_sessions", "overall absence"),
    "published_authorised_percent": ("authorised_absence_perc", "authorised_absences", "authorised absence"),
    "published_unauthorised_percent": ("unauthorised_absence_perc", "unauthorised_absences", "unauthorised absence"),
}

REQUIRED_COLUMNS = (
    *TEXT_COLUMNS,
    *TOTAL_COLUMNS.values(),
    OVERALL_ABSENCE_COLUMN,
    *CODE_COLUMNS.values(),
    "enrolments",
    *(column for column, _count, _words in PERCENT_COLUMNS.values()),
)

# The periods Rollbook can compare with a school's own figures.
TIME_IDENTIFIERS = ("Academic year", "Autumn term", "Spring term", "Summer term", "Autumn and spring term")

# Differences between a published percentage and its counts smaller than this are rounding
# noise in the published figure (points of a percentage).
DISCREPANCY_POINTS = 0.01

MAX_ERRORS_SHOWN = 20


class DfeImportError(ValueError):
    """A DfE statistics file that cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, path: Path, errors: list[str]):
        self.path = path
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        lines = [f"{path}: nothing was imported, because of {len(errors)} problem{'s' if len(errors) != 1 else ''}:"]
        lines += [f"  {error}" for error in shown]
        if more:
            lines.append(f"  ... and {more} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Discrepancy:
    """A published percentage that differs from the share its own counts give."""

    line: int
    area: str
    school_type: str
    measure: str
    published: float
    from_counts: float

    @property
    def points(self) -> float:
        return self.published - self.from_counts

    def describe(self) -> str:
        return (
            f"line {self.line} ({self.area}, {self.school_type}): published {self.measure} "
            f"{self.published:.2f}% but its counts give {self.from_counts:.2f}% "
            f"({self.points:+.2f} points); Rollbook uses the counts"
        )


@dataclass
class ImportResult:
    rows: list[PublishedAttendance] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    replaced: int = 0

    def count_at(self, level: GeographicLevel) -> int:
        return sum(1 for row in self.rows if row.geographic_level == level)


def _count(raw: str, column: str, line: int, errors: list[str]) -> int | None:
    value = raw.strip()
    if value in MARKERS:
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(f"line {line}, column {column}: {raw!r} is not a number or one of the markers . z x")
        return None
    if not math.isfinite(number) or number < 0 or number != int(number):
        errors.append(f"line {line}, column {column}: {raw!r} is not a whole number of sessions")
        return None
    return int(number)


def _decimal(raw: str, column: str, line: int, errors: list[str]) -> float | None:
    value = raw.strip()
    if value in MARKERS or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(f"line {line}, column {column}: {raw!r} is not a number or one of the markers . z x")
        return None
    if not math.isfinite(number):
        errors.append(f"line {line}, column {column}: {raw!r} is not a finite number")
        return None
    return number


def _text(raw: str) -> str:
    value = raw.strip()
    return "" if value in MARKERS else value


def _start_year(time_period: str, line: int, errors: list[str]) -> int | None:
    """Return 2022 for the academic year ``202223``, or None after recording an error."""
    if len(time_period) == 6 and time_period.isdigit():
        first, second = int(time_period[:4]), int(time_period[4:])
        if (first + 1) % 100 == second:
            return first
    errors.append(f"line {line}, column time_period: {time_period!r} is not an academic year such as 202223")
    return None


def _check_identities(values: dict[str, int | None], codes: dict[str, int | None], line: int, errors: list[str]) -> None:
    """Record an error for each count identity of the DfE's figures that the row breaks.

    An identity is checked only when every count in it is published.
    """
    identities = (
        ("possible_sessions = overall_attendance + overall_absence", values["possible_sessions"],
         (values["attended_sessions"], values["overall_absence"])),
        ("overall_absence = authorised_absence + unauthorised_absence", values["overall_absence"],
         (values["authorised_absences"], values["unauthorised_absences"])),
        ("overall_attendance = present AM + present PM + L + approved_educational_activity", values["attended_sessions"],
         (codes["/"], codes["\\"], codes["L"], values["approved_educational_activity"])),
        ("approved_educational_activity = B + J + P + V + W", values["approved_educational_activity"],
         tuple(codes[code] for code in "BJPVW")),
        ("unauthorised_absence = G + N + O + U", values["unauthorised_absences"], tuple(codes[code] for code in "GNOU")),
        ("late_sessions = L + U", values["late_sessions"], (codes["L"], codes["U"])),
    )
    for words, total, parts in identities:
        if total is None or any(part is None for part in parts):
            continue
        if total != sum(parts):
            errors.append(f"line {line}: the counts break {words} ({total} is not {sum(parts)}); check the file is unedited")


def _discrepancies(row: PublishedAttendance, line: int) -> list[Discrepancy]:
    found = []
    for field_name, (_column, count_name, words) in PERCENT_COLUMNS.items():
        published = getattr(row, field_name)
        count = getattr(row, count_name)
        if published is None or count is None or not row.possible_sessions:
            continue
        from_counts = 100 * count / row.possible_sessions
        if abs(published - from_counts) >= DISCREPANCY_POINTS:
            found.append(Discrepancy(line, row.area_name, row.school_type, words, published, from_counts))
    return found


def parse_row(record: dict[str, str], line: int, errors: list[str], *, source: str, at: dt.datetime) -> PublishedAttendance | None:
    """Build one unsaved row from a CSV record, recording every problem in ``errors``."""
    count_before = len(errors)
    text = {column: _text(record[column]) for column in TEXT_COLUMNS}

    level = text["geographic_level"]
    if level not in GeographicLevel.values:
        errors.append(
            f"line {line}, column geographic_level: {level!r} is not supported; "
            f"use one of: {', '.join(GeographicLevel.values)}"
        )
    if text["time_identifier"] not in TIME_IDENTIFIERS:
        errors.append(
            f"line {line}, column time_identifier: {text['time_identifier']!r} is not a period Rollbook compares; "
            f"use one of: {', '.join(TIME_IDENTIFIERS)}"
        )
    if not text["school_type"]:
        errors.append(f"line {line}, column school_type is empty; every row needs a school type such as Primary or Total")
    if level == GeographicLevel.LOCAL_AUTHORITY and not text["new_la_code"]:
        errors.append(f"line {line}, column new_la_code is empty on a local authority row")
    if level == GeographicLevel.REGIONAL and not text["region_code"]:
        errors.append(f"line {line}, column region_code is empty on a regional row")
    start_year = _start_year(text["time_period"], line, errors)

    values = {name: _count(record[column], column, line, errors) for name, column in TOTAL_COLUMNS.items()}
    values["overall_absence"] = _count(record[OVERALL_ABSENCE_COLUMN], OVERALL_ABSENCE_COLUMN, line, errors)
    codes = {code: _count(record[column], column, line, errors) for code, column in CODE_COLUMNS.items()}
    published = {name: _decimal(record[column], column, line, errors) for name, (column, _c, _w) in PERCENT_COLUMNS.items()}
    enrolments = _decimal(record["enrolments"], "enrolments", line, errors)
    if len(errors) > count_before:
        return None

    _check_identities(values, codes, line, errors)
    if len(errors) > count_before:
        return None

    values.pop("overall_absence")
    return PublishedAttendance(
        time_period=text["time_period"],
        start_year=start_year,
        time_identifier=text["time_identifier"],
        geographic_level=level,
        region_code=text["region_code"],
        region_name=text["region_name"],
        la_code=text["old_la_code"],
        new_la_code=text["new_la_code"],
        la_name=text["la_name"],
        school_type=text["school_type"],
        code_sessions=codes,
        enrolments=enrolments,
        source_file=source,
        source_line=line,
        imported_at=at,
        **values,
        **published,
    )


def read_file(path: Path, *, at: dt.datetime) -> ImportResult:
    """Parse and check a whole file without storing anything; raise ``DfeImportError`` on any problem."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise DfeImportError(path, [f"the file cannot be read ({error.strerror})"]) from None

    errors: list[str] = []
    result = ImportResult()
    seen: dict[tuple, int] = {}
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise DfeImportError(
                path,
                [
                    f"the header lacks {len(missing)} column{'s' if len(missing) != 1 else ''} of the DfE pupil "
                    f"attendance statistics: {', '.join(missing)}; download the file again from the DfE's "
                    "explore education statistics service"
                ],
            )
        for record in reader:
            line = reader.line_num
            if None in record or any(value is None for value in record.values()):
                errors.append(f"line {line}: has {len(header)} columns expected but a different number found")
                continue
            row = parse_row(record, line, errors, source=path.name, at=at)
            if row is None:
                continue
            key = (row.time_period, row.time_identifier, row.geographic_level, row.region_code, row.new_la_code, row.school_type)
            if key in seen:
                errors.append(f"line {line}: repeats the area, school type and period of line {seen[key]}")
                continue
            seen[key] = line
            result.rows.append(row)
            result.discrepancies += _discrepancies(row, line)

    if not result.rows and not errors:
        errors.append("the file has a header but no rows")
    if errors:
        raise DfeImportError(path, errors)
    return result


def import_file(path: Path, *, at: dt.datetime) -> ImportResult:
    """Store every row of a DfE attendance statistics file, or none when any row is invalid.

    A row for an area, school type and period already stored replaces the stored one.
    """
    result = read_file(path, at=at)
    with transaction.atomic():
        for row in result.rows:
            deleted, _ = PublishedAttendance.objects.filter(
                time_period=row.time_period,
                time_identifier=row.time_identifier,
                geographic_level=row.geographic_level,
                region_code=row.region_code,
                new_la_code=row.new_la_code,
                school_type=row.school_type,
            ).delete()
            result.replaced += deleted
        PublishedAttendance.objects.bulk_create(result.rows)
    logger.info(
        "imported %s DfE statistics rows from %s (%s replaced, %s published percentages differ from counts)",
        len(result.rows), path.name, result.replaced, len(result.discrepancies),
    )
    return result
