"""Storing a validated bundle's school, year, calendar, pupils, enrolments and placements.

Each ``store_`` function compares the stored rows with the bundle first and writes only what
differs, so importing the same bundle twice changes nothing. They run inside the import's
transaction. ``current_marks`` reads a year's marks for both the importer and the exporter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rollbook.policy.calendar import academic_year_end, academic_year_start
from rollbook.registers.models import MarkRevision
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School

from .calendar_csv import CalendarRow
from .parse import Bundle
from .pupils_csv import FLAG_COLUMNS, PupilRow
from .school_toml import SchoolSettings

PUPIL_FIELDS = ("surname", "forename", "date_of_birth", "sex")
# Optional columns of pupils.csv, each named as the Pupil field it fills. A column absent from
# the file leaves the stored value as it is.
OPTIONAL_PUPIL_FIELDS = ("sen", *FLAG_COLUMNS, "ethnicity")

# A session's current mark as (code, minutes late, comment), by (pupil id, date, session).
StoredMarks = dict[tuple[int, dt.date, str], tuple[str, int | None, str]]


def store_school(settings: SchoolSettings) -> School:
    school, created = School.objects.get_or_create(
        urn=settings.urn, defaults={"name": settings.name, "la_code": settings.la_code}
    )
    if not created and (school.name, school.la_code) != (settings.name, settings.la_code):
        school.name, school.la_code = settings.name, settings.la_code
        school.save(update_fields=["name", "la_code"])
    return school


def store_year(school: School, settings: SchoolSettings, warnings: list[str]) -> AcademicYear:
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


def store_calendar(school: School, year: AcademicYear, rows: tuple[CalendarRow, ...]) -> bool:
    """Replace the year's calendar entries with the file's unless they match, and return whether they changed."""
    wanted = [
        _calendar_key(row.type.value, row.start, row.end, row.label, row.session.value if row.session else "", ";".join(row.year_groups))
        for row in rows
    ]
    stored = [
        _calendar_key(e.kind, e.start_date, e.end_date, e.label, e.session, e.year_groups)
        for e in year.calendar_entries.all()
    ]
    if sorted(wanted) == sorted(stored):
        return False
    year.calendar_entries.all().delete()
    CalendarEntry.objects.bulk_create(
        CalendarEntry(
            school=school, academic_year=year, kind=kind, start_date=start, end_date=end,
            label=label, session=session, year_groups=year_groups,
        )
        for kind, start, end, label, session, year_groups in wanted
    )
    return True


def _pupil_values(row: PupilRow, columns: frozenset[str]) -> dict[str, object]:
    values = {name: getattr(row, name) for name in PUPIL_FIELDS}
    values.update({name: getattr(row, name) for name in OPTIONAL_PUPIL_FIELDS if name in columns})
    return values


def store_pupils(school: School, bundle: Bundle) -> tuple[dict[str, Pupil], int]:
    """Create new pupils and update changed ones. Return the pupils by UPN and how many are new."""
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


def store_enrolments(school: School, pupils: dict[str, Pupil], bundle: Bundle) -> set[int]:
    """Make each pupil's enrolment match the file's admission and leaving dates.

    Returns the ids of the pupils whose enrolments changed.

    The first stored enrolment that overlaps the file's time on roll is updated to it, and
    other overlapping ones are deleted because they would contradict it. Enrolments that do
    not overlap (earlier stays at the school) are kept.
    """
    by_pupil: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(school=school).order_by("admission_date", "id"):
        by_pupil[enrolment.pupil_id].append(enrolment)

    new, changed, obsolete = [], [], []
    touched: set[int] = set()
    for upn, row in bundle.pupils.pupils.items():
        pupil = pupils[upn]
        overlapping = [e for e in by_pupil[pupil.pk] if _overlaps(e.admission_date, e.leaving_date, row.admission_date, row.leaving_date)]
        if not overlapping:
            new.append(Enrolment(school=school, pupil=pupil, admission_date=row.admission_date, leaving_date=row.leaving_date))
            touched.add(pupil.pk)
            continue
        kept, *others = overlapping
        if others:
            obsolete.extend(e.pk for e in others)
            touched.add(pupil.pk)
        if (kept.admission_date, kept.leaving_date) != (row.admission_date, row.leaving_date):
            kept.admission_date, kept.leaving_date = row.admission_date, row.leaving_date
            changed.append(kept)
            touched.add(pupil.pk)
    if obsolete:
        Enrolment.objects.filter(pk__in=obsolete).delete()
    if changed:
        Enrolment.objects.bulk_update(changed, ["admission_date", "leaving_date"], batch_size=500)
    Enrolment.objects.bulk_create(new, batch_size=1000)
    return touched


def _overlaps(start_a: dt.date, end_a: dt.date | None, start_b: dt.date, end_b: dt.date | None) -> bool:
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def store_placements(school: School, year: AcademicYear, pupils: dict[str, Pupil], bundle: Bundle) -> set[int]:
    """Give each pupil one placement for the year: the file's year group and class.

    The placement starts on the admission date or the first day of the year, whichever is
    later, and ends on a leaving date inside the year (open otherwise). Returns the ids of the
    pupils whose placement changed.
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
    return {placement.pupil_id for placement in new}


def load_pupils(school: School, bundle: Bundle) -> dict[str, Pupil]:
    """Load the bundle's pupils with their enrolments and placements, which checking marks reads."""
    wanted = bundle.pupils.pupils
    pupils = Pupil.objects.filter(school=school).prefetch_related("enrolments", "placements")
    return {pupil.upn: pupil for pupil in pupils if pupil.upn in wanted}


def current_marks(school: School, start_year: int) -> StoredMarks:
    """Return the current mark of every session of the academic year starting in ``start_year``.

    Reads plain values, not model instances, because a school of 300 pupils has about
    110,000 marks a year and most imports change few of them.
    """
    revisions = (
        MarkRevision.objects.filter(
            school=school,
            date__gte=academic_year_start(start_year),
            date__lte=academic_year_end(start_year),
        )
        .order_by("recorded_at", "id")
        .values_list("pupil_id", "date", "session", "code", "minutes_late", "comment")
    )
    return {
        (pupil_id, day, session): (code, minutes_late, comment)
        for pupil_id, day, session, code, minutes_late, comment in revisions.iterator(chunk_size=5000)
    }
