"""Exporting one school's academic year as a school bundle that ``import_bundle`` reads back.

Dates are written as ISO ``YYYY-MM-DD`` and flags as ``Y``/``N``. Rows are sorted (pupils by
UPN, marks by UPN, date and session), so exporting the same data twice gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from rollbook.policy.calendar import Session, academic_year_end, academic_year_start
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School

from . import calendar_csv, marks_csv, pupils_csv, school_toml
from .parse import FILE_NAMES
from .storage import current_marks

logger = logging.getLogger(__name__)

TYPE_ORDER = {kind: position for position, kind in enumerate(CalendarEntry.Kind.values)}
SESSION_ORDER = {session.value: session.offset for session in Session}


class ExportError(ValueError):
    """The export cannot be written: the folder is not empty, or the year does not exist."""


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    pupils: int
    marks: int
    calendar_entries: int
    warnings: tuple[str, ...]

    def summary(self) -> str:
        """Return a one-line summary with the counts and the number of warnings."""
        count = len(self.warnings)
        return (
            f"Exported school bundle to {self.folder}: {self.pupils} pupils, {self.marks} marks, "
            f"{self.calendar_entries} calendar entries; {count} warning{'s' if count != 1 else ''}"
        )


def export_bundle(school: School, year: int, path: Path, *, force: bool = False) -> ExportResult:
    """Write the school's academic year starting in ``year`` as a bundle into the folder ``path``.

    The folder is created when missing. Raises ``ExportError`` when the folder contains any file
    and ``force`` is false, or when the school has no such academic year. With ``force`` the
    four bundle files are replaced and other files in the folder are left alone.
    """
    academic_year = AcademicYear.objects.filter(school=school, start_year=year).first()
    if academic_year is None:
        years = ", ".join(str(y) for y in school.academic_years.values_list("start_year", flat=True)) or "none"
        raise ExportError(f"school {school.urn} has no academic year {year}; its years are: {years}")
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file, not a folder; give a folder to write the bundle into")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise ExportError(
            f"the folder {path} is not empty; choose an empty or new folder, or use --force "
            f"to replace {', '.join(FILE_NAMES)} in it"
        )

    pupils, placements, enrolments, warnings = _pupils_of_year(school, academic_year)
    upn_of = {pupil.pk: pupil.upn for pupil in pupils}
    marks = {key: mark for key, mark in current_marks(school, year).items() if key[0] in upn_of}
    mark_keys = sorted(marks, key=lambda key: (upn_of[key[0]], key[1], SESSION_ORDER[key[2]]))
    entries = sorted(academic_year.calendar_entries.all(), key=lambda e: (e.start_date, TYPE_ORDER[e.kind], e.label, e.end_date))

    contents = {
        school_toml.FILE_NAME: _school_text(school, academic_year),
        calendar_csv.FILE_NAME: _csv_text(calendar_csv.COLUMNS, (_calendar_cells(e) for e in entries)),
        pupils_csv.FILE_NAME: _csv_text(
            pupils_csv.COLUMNS,
            (_pupil_cells(p, placements[p.pk], enrolments[p.pk]) for p in pupils),
        ),
        marks_csv.FILE_NAME: _csv_text(marks_csv.COLUMNS, (_mark_cells(upn_of[key[0]], key, marks[key]) for key in mark_keys)),
    }
    _write_files(path, contents)

    logger.info("exported school %s year %s to %s: %s pupils, %s marks", school.urn, year, path, len(pupils), len(mark_keys))
    return ExportResult(folder=path, pupils=len(pupils), marks=len(mark_keys), calendar_entries=len(entries), warnings=tuple(warnings))


def _pupils_of_year(school: School, year: AcademicYear):
    """Return the pupils placed in the year (by UPN) with their placement and time on roll.

    A pupil's placement is the one that starts last, and the time on roll runs from the earliest
    admission to the latest leaving date among the enrolments that overlap the year.
    """
    first, last = academic_year_start(year.start_year), academic_year_end(year.start_year)
    placements: dict[int, Placement] = {}
    for placement in Placement.objects.filter(academic_year=year).order_by("start_date", "id"):
        placements[placement.pupil_id] = placement

    enrolments: dict[int, tuple[dt.date, dt.date | None]] = {}
    for enrolment in Enrolment.objects.filter(school=school, admission_date__lte=last).order_by("admission_date"):
        if enrolment.leaving_date is not None and enrolment.leaving_date < first:
            continue
        # NOTE: two stays in one year become one span, because a bundle row has one admission
        # and one leaving date. The days between the stays then count as on roll.
        known = enrolments.get(enrolment.pupil_id)
        if known is None:
            enrolments[enrolment.pupil_id] = (enrolment.admission_date, enrolment.leaving_date)
        else:
            leaving = None if known[1] is None or enrolment.leaving_date is None else max(known[1], enrolment.leaving_date)
            enrolments[enrolment.pupil_id] = (known[0], leaving)

    pupils = sorted(Pupil.objects.filter(pk__in=placements.keys()), key=lambda pupil: pupil.upn)
    warnings = []
    unenrolled = [pupil.upn for pupil in pupils if pupil.pk not in enrolments]
    if unenrolled:
        warnings.append(f"{len(unenrolled)} pupils placed in {year} have no enrolment in that year and were left out: {', '.join(unenrolled)}")
        pupils = [pupil for pupil in pupils if pupil.pk in enrolments]
    return pupils, placements, enrolments, warnings


def _school_text(school: School, year: AcademicYear) -> str:
    data = {
        "name": school.name,
        "urn": school.urn,
        "la_code": school.la_code,
        "policy": year.policy_name,
        "academic_year": year.start_year,
        "day": {key: f"{getattr(year, key):%H:%M}" for key in school_toml.DAY_KEYS},
    }
    return tomli_w.dumps(data)


def _csv_text(columns: tuple[str, ...], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _flag_text(value: bool | None) -> str:
    if value is None:
        return ""
    return "Y" if value else "N"


def _calendar_cells(entry: CalendarEntry) -> tuple[str, ...]:
    return (entry.kind, _date_text(entry.start_date), _date_text(entry.end_date), entry.label, entry.session, entry.year_groups)


def _pupil_cells(pupil: Pupil, placement: Placement, time_on_roll: tuple[dt.date, dt.date | None]) -> tuple[str, ...]:
    admission, leaving = time_on_roll
    return (
        pupil.upn,
        pupil.surname,
        pupil.forename,
        _date_text(pupil.date_of_birth),
        pupil.sex,
        placement.year_group,
        placement.class_name,
        _date_text(admission),
        _date_text(leaving),
        pupil.sen,
        *(_flag_text(getattr(pupil, column)) for column in pupils_csv.FLAG_COLUMNS),
        pupil.ethnicity,
    )


def _mark_cells(upn: str, key: tuple[int, dt.date, str], mark: tuple[str, int | None, str]) -> tuple[str, ...]:
    _, day, session = key
    code, minutes_late, comment = mark
    return (upn, _date_text(day), session, code, "" if minutes_late is None else str(minutes_late), comment)


def _write_files(folder: Path, contents: dict[str, str]) -> None:
    """Write every file under a temporary name first, then rename them into place."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = {}
    try:
        for name, text in contents.items():
            partial = folder / f".{name}.partial"
            partial.write_text(text, encoding="utf-8", newline="")
            temporary[name] = partial
        for name, partial in temporary.items():
            os.replace(partial, folder / name)
    finally:
        for partial in temporary.values():
            partial.unlink(missing_ok=True)
