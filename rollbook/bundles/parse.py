"""Reading a whole school bundle: four files, each checked by its own parser, then against each other.

``read_bundle`` touches no database. It returns a ``Bundle`` only when every file is valid and
raises ``BundleError`` with every problem otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rollbook.policy.calendar import SchoolCalendar

from . import calendar_csv, marks_csv, pupils_csv, school_toml
from .calendar_csv import CalendarRow, parse_calendar
from .marks_csv import MarkContext, MarkRow, parse_marks
from .problems import BundleError, BundleProblem, ProblemList
from .pupils_csv import PupilsFile, parse_pupils
from .school_toml import SchoolSettings, parse_school

FILE_NAMES = (school_toml.FILE_NAME, calendar_csv.FILE_NAME, pupils_csv.FILE_NAME, marks_csv.FILE_NAME)


@dataclass(frozen=True)
class Bundle:
    """A valid school bundle, with the warnings found while reading it."""

    folder: Path
    school: SchoolSettings
    calendar_rows: tuple[CalendarRow, ...]
    calendar: SchoolCalendar
    pupils: PupilsFile
    marks: tuple[MarkRow, ...]
    warnings: tuple[str, ...]


def read_bundle(folder: Path) -> Bundle:
    """Read and validate the bundle in ``folder``; raise ``BundleError`` listing every problem."""
    warnings: list[str] = []
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        problem = BundleProblem(str(folder), None, None, None, f"the bundle folder {state}; give the folder that contains school.toml")
        raise BundleError(str(folder), [problem])

    school, school_problems = parse_school(folder / school_toml.FILE_NAME, warnings)
    year = school.academic_year if school else None
    calendar_rows, calendar, calendar_problems = parse_calendar(folder / calendar_csv.FILE_NAME, year, warnings)
    pupils, pupil_problems = parse_pupils(folder / pupils_csv.FILE_NAME, year, warnings)
    context = MarkContext(
        academic_year=year,
        policy=school.policy if school else None,
        calendar=calendar,
        pupils=pupils,
    )
    pupils_unreadable = bool(pupil_problems.items) and not pupils.listed_upns
    if pupils_unreadable and (folder / marks_csv.FILE_NAME).is_file():
        # Without the pupils every mark row would be reported as an unknown UPN.
        marks, mark_problems = (), ProblemList(marks_csv.FILE_NAME)
        mark_problems.add(None, None, None, f"not checked, because {pupils_csv.FILE_NAME} could not be read; fix it first")
    else:
        marks, mark_problems = parse_marks(folder / marks_csv.FILE_NAME, context, warnings)

    problems = [*school_problems.items, *calendar_problems.items, *pupil_problems.items, *mark_problems.items]
    if problems or school is None or calendar is None:
        raise BundleError(str(folder), problems, warnings)
    return Bundle(
        folder=folder,
        school=school,
        calendar_rows=calendar_rows,
        calendar=calendar,
        pupils=pupils,
        marks=marks,
        warnings=tuple(warnings),
    )
