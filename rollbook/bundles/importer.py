"""Importing a school bundle: validate every file first, then write everything in one transaction.

The import is idempotent: importing the same bundle again adds no mark revision and changes no
row. A changed mark gets a new revision that supersedes the old one, so history is kept. Marks
and pupils that the database has but the bundle lacks are left as they are and counted in a
warning.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rollbook.registers.models import RevisionSource
from rollbook.registers.services import (
    Actor,
    MarkEntry,
    MarksRejected,
    YearContext,
    rebuild_sequences,
    record_marks,
    stored_mark_problems,
)
from rollbook.schools.models import AcademicYear, Placement, Pupil

from . import marks_csv, pupils_csv
from .parse import Bundle, read_bundle
from .problems import BundleError, BundleProblem
from .storage import (
    StoredMarks,
    current_marks,
    load_pupils,
    store_calendar,
    store_enrolments,
    store_placements,
    store_pupils,
    store_school,
    store_year,
)

logger = logging.getLogger(__name__)

IMPORT_ACTOR = Actor(name="bundle import", role="import")

@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import, or for a dry run the outcome it would have."""

    folder: Path
    urn: str
    academic_year: int
    pupils: int
    pupils_created: int
    marks: int
    revisions_added: int
    calendar_entries: int
    warnings: tuple[str, ...]
    dry_run: bool

    def summary(self) -> str:
        """Return a one-line summary with the counts and the number of warnings."""
        year = f"{self.academic_year}/{(self.academic_year + 1) % 100:02d}"
        verb = "Checked" if self.dry_run else "Imported"
        revisions = "nothing written (dry run)" if self.dry_run else f"{self.revisions_added} new mark revisions"
        warnings = f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}"
        return (
            f"{verb} school bundle {self.folder.resolve().name} for school {self.urn} {year}: "
            f"{self.pupils} pupils ({self.pupils_created} new), {self.marks} marks, "
            f"{self.calendar_entries} calendar entries; {revisions}; {warnings}"
        )


def import_bundle(path: Path, *, dry_run: bool = False, at: dt.datetime | None = None) -> ImportResult:
    """Validate the bundle in ``path`` and, unless ``dry_run``, store it in one transaction.

    ``at`` is the time recorded on new mark revisions (default: now). Raises ``BundleError``
    listing every problem, in which case nothing was written.
    """
    bundle = read_bundle(path)
    if dry_run:
        existing = set(Pupil.objects.filter(school__urn=bundle.school.urn).values_list("upn", flat=True))
        return _result(bundle, len(set(bundle.pupils.pupils) - existing), 0, bundle.warnings, dry_run=True)

    at = at or timezone.now()
    warnings = list(bundle.warnings)
    with transaction.atomic():
        policy_before = (
            AcademicYear.objects.filter(school__urn=bundle.school.urn, start_year=bundle.school.academic_year)
            .values_list("policy_name", flat=True)
            .first()
        )
        school = store_school(bundle.school)
        year = store_year(school, bundle.school, warnings)
        calendar_changed = store_calendar(school, year, bundle.calendar_rows)
        pupils, created = store_pupils(school, bundle)
        moved = store_enrolments(school, pupils, bundle) | store_placements(school, year, pupils, bundle)
        pupils = load_pupils(school, bundle)

        stored = current_marks(school, year.start_year)
        warnings.extend(_left_alone_warnings(year, pupils, bundle, stored))
        context = YearContext.load(year)
        entries = _changed_entries(pupils, bundle, stored)
        reason = f"Imported from school bundle {path.resolve().name}"
        try:
            added = record_marks(context, entries, IMPORT_ACTOR, at=at, source=RevisionSource.IMPORT, reason=reason)
        except MarksRejected as error:
            raise BundleError(str(path), _rejected_problems(error, bundle), warnings) from error

        # Closures are laid over the sequences of every pupil whose calendar, enrolment or
        # placement changed; record_marks has already written the sequences of changed marks.
        relaid = list(pupils.values()) if calendar_changed else [p for p in pupils.values() if p.pk in moved]
        if relaid:
            rebuild_sequences(context, relaid)

        recheck_year = bool(stored) and (calendar_changed or policy_before != year.policy_name)
        stranded = _stranded_marks(school, year, pupils, moved, recheck_year=recheck_year, year_had_marks=bool(stored))
        if stranded:
            raise BundleError(str(path), stranded, warnings)

    logger.info(
        "imported bundle %s for school %s year %s: %s pupils, %s marks, %s new revisions",
        path, school.urn, year.start_year, len(pupils), len(bundle.marks), added,
    )
    return _result(bundle, created, added, warnings, dry_run=False)


def _stranded_marks(
    school, year: AcademicYear, pupils: dict[str, Pupil], moved: set[int], *, recheck_year: bool, year_had_marks: bool
) -> list[BundleProblem]:
    """Return a problem for every stored mark the bundle's changes would leave invalid.

    This year's marks are checked again when its calendar or policy changed. A pupil whose time
    on roll or class changed has their marks checked in every year the school has.
    """
    problems = []
    for other in AcademicYear.objects.filter(school=school).order_by("start_year"):
        if other.pk == year.pk and not year_had_marks:
            # Every mark of this year was checked on its way in by this import.
            continue
        if other.pk == year.pk and recheck_year:
            subjects = list(pupils.values())
        else:
            subjects = [pupil for pupil in pupils.values() if pupil.pk in moved]
        if not subjects:
            continue
        for message in stored_mark_problems(other, subjects):
            problems.append(
                BundleProblem(
                    file="marks already stored", line=None, column=None, value=None,
                    message=f"{message}. Marks are never deleted: correct the bundle, or amend the mark first",
                )
            )
    return problems


def _result(bundle: Bundle, pupils_created: int, revisions_added: int, warnings, *, dry_run: bool) -> ImportResult:
    return ImportResult(
        folder=bundle.folder,
        urn=bundle.school.urn,
        academic_year=bundle.school.academic_year,
        pupils=len(bundle.pupils.pupils),
        pupils_created=pupils_created,
        marks=len(bundle.marks),
        revisions_added=revisions_added,
        calendar_entries=len(bundle.calendar_rows),
        warnings=tuple(warnings),
        dry_run=dry_run,
    )


def _changed_entries(pupils: dict[str, Pupil], bundle: Bundle, stored: StoredMarks) -> list[MarkEntry]:
    """Return the bundle's marks that differ from the stored ones, as entries to record."""
    entries = []
    for mark in bundle.marks:
        pupil = pupils[mark.upn]
        if stored.get((pupil.pk, mark.date, mark.session.value)) == (mark.code, mark.minutes_late, mark.comment):
            continue
        entries.append(
            MarkEntry(
                pupil=pupil,
                date=mark.date,
                session=mark.session,
                code=mark.code,
                minutes_late=mark.minutes_late,
                comment=mark.comment,
            )
        )
    return entries


def _left_alone_warnings(year: AcademicYear, pupils: dict[str, Pupil], bundle: Bundle, stored: StoredMarks) -> list[str]:
    """Count the stored marks and placed pupils of the year that the bundle does not mention."""
    warnings = []
    upn_of = {pupil.pk: upn for upn, pupil in pupils.items()}
    in_file = {(mark.upn, mark.date, mark.session.value) for mark in bundle.marks}
    missing = sum(1 for pupil_id, day, session in stored if (upn_of.get(pupil_id), day, session) not in in_file)
    if missing:
        noun = "mark" if missing == 1 else "marks"
        warnings.append(f"{marks_csv.FILE_NAME}: the file lacks {missing} stored {noun} of {year}, left unchanged")

    placed = set(Placement.objects.filter(academic_year=year).values_list("pupil_id", flat=True))
    absent = len(placed - set(upn_of))
    if absent:
        noun = "pupil" if absent == 1 else "pupils"
        warnings.append(f"{pupils_csv.FILE_NAME}: the file lacks {absent} {noun} placed in {year}, left unchanged")
    return warnings


def _rejected_problems(error: MarksRejected, bundle: Bundle) -> list[BundleProblem]:
    """Turn marks that the register service rejected into problems that name their line."""
    line_of = {(mark.upn, mark.date, mark.session): mark.line for mark in bundle.marks}
    return [
        BundleProblem(
            marks_csv.FILE_NAME,
            line_of.get((problem.entry.pupil.upn, problem.entry.date, problem.entry.session)),
            None,
            problem.entry.code,
            problem.message,
        )
        for problem in error.problems
    ]
