"""Importing a school bundle: validate every file first, then write everything in one transaction.

The import is idempotent: importing the same bundle again adds no mark revision and changes no
row. A changed mark gets a new revision that supersedes the old one, so history is kept. Marks
and pupils that the database has but the bundle lacks are left as they are and counted in a
warning.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rollbook.policy.calendar import academic_year_end, academic_year_start
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import Actor, MarkEntry, MarksRejected, YearContext, rebuild_sequences, record_marks
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School

from . import marks_csv
from .calendar_csv import CalendarRow
from .parse import Bundle, read_bundle
from .problems import BundleError, BundleProblem
from .pupils_csv import FLAG_COLUMNS, PupilRow
from .school_toml import SchoolSettings

logger = logging.getLogger(__name__)

IMPORT_ACTOR = Actor(name="bundle import", role="import")
PUPIL_FIELDS = ("surname", "forename", "date_of_birth", "sex")
# Optional columns of pupils.csv and the Pupil field each one fills; a column absent from the
# file leaves the stored value as it is.
OPTIONAL_PUPIL_FIELDS = ("sen", *FLAG_COLUMNS, "ethnicity")


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or for a dry run what it would do."""

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
            f"{verb} school bundle {self.folder.name} for school {self.urn} {year}: "
            f"{self.pupils} pupils ({self.pupils_created} new), {self.marks} marks, "
            f"{self.calendar_entries} calendar entries; {revisions}; {warnings}"
        )


def import_bundle(path: Path, *, dry_run: bool = False, at: dt.datetime | None = None) -> ImportResult:
    """Validate the bundle in ``path`` and, unless ``dry_run``, store it in one transaction.

    ``at`` is the time recorded on new mark revisions (default: now). Raises ``BundleError``
    listing every problem, in which case nothing was written.
    """
    bundle = read_bundle(path)
    settings = bundle.school
    if dry_run:
        existing = set(Pupil.objects.filter(school__urn=settings.urn).values_list("upn", flat=True))
        return _result(bundle, pupils_created=len(set(bundle.pupils.pupils) - existing), revisions_added=0, dry_run=True)

    at = at or timezone.now()
    reason = f"Imported from school bundle {path.resolve().name}"
    warnings = list(bundle.warnings)
    with transaction.atomic():
        school = _store_school(settings)
        year = _store_year(school, settings, warnings)
        _store_calendar(school, year, bundle.calendar_rows)
        pupils, created = _store_pupils(school, bundle)
        _store_enrolments(school, pupils, bundle)
        _store_placements(school, year, pupils, bundle)
        pupils = _load_pupils(school, bundle)
        warnings.extend(_left_alone_warnings(school, year, pupils, bundle))

        context = YearContext.load(year)
        entries = [
            MarkEntry(
                pupil=pupils[mark.upn],
                date=mark.date,
                session=mark.session,
                code=mark.code,
                minutes_late=mark.minutes_late,
                comment=mark.comment,
            )
            for mark in bundle.marks
        ]
        try:
            added = record_marks(context, entries, IMPORT_ACTOR, at=at, source=RevisionSource.IMPORT, reason=reason)
        except MarksRejected as error:
            raise BundleError(str(path), _rejected_problems(error, bundle), warnings) from error
        rebuild_sequences(context, list(pupils.values()))

    logger.info(
        "imported bundle %s for school %s year %s: %s pupils, %s marks, %s new revisions",
        path, settings.urn, settings.academic_year, len(pupils), len(entries), added,
    )
    return _result(bundle, pupils_created=created, revisions_added=added, dry_run=False, warnings=warnings)


def _result(bundle: Bundle, *, pupils_created: int, revisions_added: int, dry_run: bool, warnings=None) -> ImportResult:
    return ImportResult(
        folder=bundle.folder,
        urn=bundle.school.urn,
        academic_year=bundle.school.academic_year,
        pupils=len(bundle.pupils.pupils),
        pupils_created=pupils_created,
        marks=len(bundle.marks),
        revisions_added=revisions_added,
        calendar_entries=len(bundle.calendar_rows),
        warnings=tuple(bundle.warnings if warnings is None else warnings),
        dry_run=dry_run,
    )


def _store_school(settings: SchoolSettings) -> School:
    school, created = School.objects.get_or_create(
        urn=settings.urn, defaults={"name": settings.name, "la_code": settings.la_code}
    )
    if not created and (school.name, school.la_code) != (settings.name, settings.la_code):
        school.name, school.la_code = settings.name, settings.la_code
        school.save(update_fields=["name", "la_code"])
    return school


def _store_year(school: School, settings: SchoolSettings, warnings: list[str]) -> AcademicYear:
    day = settings.policy.day
    values = {
        "policy_name": settings.policy.name,
        "am_register": day.am_register,
        "am_close": day.am_close,
        "pm_register": day.pm_register,
        "pm_close": day.pm_close,
    }
    year, created = AcademicYear.objects.get_or_create(school=school, start_year=settings.academic_year, defaults=values)
    if created:
        return year
    changed = [name for name, value in values.items() if getattr(year, name) != value]
    if "policy_name" in changed:
        warnings.append(
            f"school.toml: the academic year {year} changed from policy {year.policy_name} to "
            f"{settings.policy.name}; marks stored earlier keep the code set they were recorded under"
        )
    if changed:
        for name in changed:
            setattr(year, name, values[name])
        year.save(update_fields=changed)
    return year


def _calendar_key(kind: str, start: dt.date, end: dt.date, label: str, session: str, year_groups: str) -> tuple:
    return (kind, start, end, label, session, year_groups)


def _store_calendar(school: School, year: AcademicYear, rows: tuple[CalendarRow, ...]) -> None:
    """Replace the year's calendar entries with the file's, unless they are already the same."""
    wanted = [
        _calendar_key(row.type.value, row.start, row.end, row.label, row.session.value if row.session else "", ";".join(row.year_groups))
        for row in rows
    ]
    stored = [
        _calendar_key(e.kind, e.start_date, e.end_date, e.label, e.session, e.year_groups)
        for e in year.calendar_entries.all()
    ]
    if sorted(wanted) == sorted(stored):
        return
    year.calendar_entries.all().delete()
    CalendarEntry.objects.bulk_create(
        CalendarEntry(
            school=school, academic_year=year, kind=kind, start_date=start, end_date=end,
            label=label, session=session, year_groups=year_groups,
        )
        for kind, start, end, label, session, year_groups in wanted
    )


def _pupil_values(row: PupilRow, columns: frozenset[str]) -> dict[str, object]:
    values = {name: getattr(row, name) for name in PUPIL_FIELDS}
    values.update({name: getattr(row, name) for name in OPTIONAL_PUPIL_FIELDS if name in columns})
    return values


def _store_pupils(school: School, bundle: Bundle) -> tuple[dict[str, Pupil], int]:
    """Create new pupils and update changed ones; return the pupils by UPN and how many are new."""
    columns = bundle.pupils.optional_columns
    stored = {pupil.upn: pupil for pupil in Pupil.objects.filter(school=school)}
    new, changed_pupils, changed_fields = [], [], set()
    for upn, row in bundle.pupils.pupils.items():
        values = _pupil_values(row, columns)
        pupil = stored.get(upn)
        if pupil is None:
            new.append(Pupil(school=school, upn=upn, **values))
            continue
        changed = [name for name, value in values.items() if getattr(pupil, name) != value]
        if changed:
            for name in changed:
                setattr(pupil, name, values[name])
            changed_pupils.append(pupil)
            changed_fields.update(changed)
    Pupil.objects.bulk_create(new, batch_size=1000)
    if changed_pupils:
        Pupil.objects.bulk_update(changed_pupils, sorted(changed_fields), batch_size=500)
    return {pupil.upn: pupil for pupil in Pupil.objects.filter(school=school)}, len(new)


def _store_enrolments(school: School, pupils: dict[str, Pupil], bundle: Bundle) -> None:
    """Make each pupil's enrolment match the file's admission and leaving dates.

    The first stored enrolment that overlaps the file's time on roll is updated to it, and
    other overlapping ones are deleted because they would contradict it. Enrolments that do
    not overlap (earlier stays at the school) are kept.
    """
    by_pupil: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(school=school).order_by("admission_date", "id"):
        by_pupil[enrolment.pupil_id].append(enrolment)

    new, changed, obsolete = [], [], []
    for upn, row in bundle.pupils.pupils.items():
        pupil = pupils[upn]
        overlapping = [e for e in by_pupil[pupil.pk] if _overlaps(e.admission_date, e.leaving_date, row.admission_date, row.leaving_date)]
        if not overlapping:
            new.append(Enrolment(school=school, pupil=pupil, admission_date=row.admission_date, leaving_date=row.leaving_date))
            continue
        kept, *others = overlapping
        obsolete.extend(e.pk for e in others)
        if (kept.admission_date, kept.leaving_date) != (row.admission_date, row.leaving_date):
            kept.admission_date, kept.leaving_date = row.admission_date, row.leaving_date
            changed.append(kept)
    if obsolete:
        Enrolment.objects.filter(pk__in=obsolete).delete()
    if changed:
        Enrolment.objects.bulk_update(changed, ["admission_date", "leaving_date"], batch_size=500)
    Enrolment.objects.bulk_create(new, batch_size=1000)


def _overlaps(start_a: dt.date, end_a: dt.date | None, start_b: dt.date, end_b: dt.date | None) -> bool:
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def _store_placements(school: School, year: AcademicYear, pupils: dict[str, Pupil], bundle: Bundle) -> None:
    """Give each pupil one placement for the year: the file's year group and class.

    The placement starts on the admission date or the first day of the year, whichever is
    later, and ends on a leaving date inside the year (open otherwise).
    """
    first, last = academic_year_start(year.start_year), academic_year_end(year.start_year)
    by_pupil: dict[int, list[Placement]] = defaultdict(list)
    for placement in Placement.objects.filter(academic_year=year):
        by_pupil[placement.pupil_id].append(placement)

    new, obsolete = [], []
    for upn, row in bundle.pupils.pupils.items():
        pupil = pupils[upn]
        end = row.leaving_date if row.leaving_date and row.leaving_date < last else None
        wanted = (row.year_group, row.class_name, max(row.admission_date, first), end)
        stored = by_pupil[pupil.pk]
        if [(p.year_group, p.class_name, p.start_date, p.end_date) for p in stored] == [wanted]:
            continue
        # NOTE: a pupil's mid-year moves between classes are replaced by the file's one placement.
        obsolete.extend(p.pk for p in stored)
        year_group, class_name, start, end = wanted
        new.append(Placement(school=school, pupil=pupil, academic_year=year, year_group=year_group,
                             class_name=class_name, start_date=start, end_date=end))
    if obsolete:
        Placement.objects.filter(pk__in=obsolete).delete()
    Placement.objects.bulk_create(new, batch_size=1000)


def _load_pupils(school: School, bundle: Bundle) -> dict[str, Pupil]:
    """Load the bundle's pupils with their enrolments and placements, which checking marks reads."""
    wanted = bundle.pupils.pupils
    pupils = Pupil.objects.filter(school=school).prefetch_related("enrolments", "placements")
    return {pupil.upn: pupil for pupil in pupils if pupil.upn in wanted}


def _left_alone_warnings(school: School, year: AcademicYear, pupils: dict[str, Pupil], bundle: Bundle) -> list[str]:
    """Count stored marks and placed pupils of the year that the bundle does not mention."""
    warnings = []
    upn_of = {pupil.pk: upn for upn, pupil in pupils.items()}
    in_file = {(mark.upn, mark.date, mark.session.value) for mark in bundle.marks}
    stored = (
        MarkRevision.objects.filter(
            school=school,
            date__gte=academic_year_start(year.start_year),
            date__lte=academic_year_end(year.start_year),
        )
        .values_list("pupil_id", "date", "session")
        .distinct()
    )
    missing = sum(1 for pupil_id, day, session in stored.iterator(chunk_size=5000) if (upn_of.get(pupil_id), day, session) not in in_file)
    if missing:
        warnings.append(
            f"{marks_csv.FILE_NAME}: {missing} stored mark{'s are' if missing != 1 else ' is'} not in the file; "
            f"they were left as they are"
        )

    placed = set(Placement.objects.filter(academic_year=year).values_list("pupil_id", flat=True))
    absent = len(placed - set(upn_of))
    if absent:
        warnings.append(
            f"pupils.csv: {absent} pupil{'s' if absent != 1 else ''} placed in {year} "
            f"{'are' if absent != 1 else 'is'} not in the file; they were left as they are"
        )
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
