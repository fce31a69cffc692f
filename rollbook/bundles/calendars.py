"""Storing half-terms derived from a local authority's term dates in a school's academic year."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from rollbook.policy.calendar import CalendarError, SchoolCalendar
from rollbook.policy.settings import load_preset
from rollbook.registers.models import MarkRevision
from rollbook.registers.services import YearContext, rebuild_sequences
from rollbook.schools.models import AcademicYear, CalendarEntry, Pupil, School

from .termdates import TermDates, TermDatesError

logger = logging.getLogger(__name__)

DEFAULT_POLICY = "school-2023"


@dataclass(frozen=True)
class TermDatesResult:
    """The outcome of storing half-terms, or for a dry run the outcome it would have."""

    urn: str
    term_dates: TermDates
    replaced: int
    unchanged: bool
    year_created: bool
    policy_name: str
    warnings: tuple[str, ...]
    dry_run: bool

    def lines(self) -> list[str]:
        """Return the half-terms, one per line, followed by a one-line summary."""
        year = self.term_dates.academic_year
        year_name = f"{year}/{(year + 1) % 100:02d}"
        lines = [
            f"{h.label}: {h.start:%a} {h.start} to {h.end:%a} {h.end}" for h in self.term_dates.half_terms
        ]
        count = len(self.warnings)
        warnings = f"{count} warning{'s' if count != 1 else ''}"
        if self.unchanged:
            lines.append(f"The half-terms of school {self.urn} {year_name} already match; nothing changed; {warnings}")
            return lines
        verb = "Would replace" if self.dry_run else "Replaced"
        created = f" (new academic year, policy {self.policy_name})" if self.year_created else ""
        lines.append(
            f"{verb} {self.replaced} half-term entries of school {self.urn} {year_name}{created} with "
            f"{len(self.term_dates.half_terms)}; closures and assessment periods kept; {warnings}"
        )
        return lines


def store_half_terms(school: School, term_dates: TermDates, *, policy_name: str | None, dry_run: bool) -> TermDatesResult:
    """Replace the year's half-term entries with ``term_dates``, keeping closures and assessments.

    Creates the academic year when missing, with ``policy_name`` (default ``school-2023``) and
    that preset's register times. Raises ``TermDatesError`` when the year exists under another
    policy than ``policy_name``, or when a stored closure no longer fits the year.
    """
    start_year = term_dates.academic_year
    with transaction.atomic():
        year = AcademicYear.objects.select_for_update().filter(school=school, start_year=start_year).first()
        year_created = year is None
        if year is None:
            preset = load_preset(policy_name or DEFAULT_POLICY)
            year = AcademicYear(
                school=school,
                start_year=start_year,
                policy_name=preset.name,
                am_register=preset.day.am_register,
                am_close=preset.day.am_close,
                pm_register=preset.day.pm_register,
                pm_close=preset.day.pm_close,
            )
            entries = []
        else:
            if policy_name and policy_name != year.policy_name:
                raise TermDatesError(
                    f"school {school.urn} already uses policy {year.policy_name} in {year}; "
                    f"leave out --policy, or change the policy with a school bundle import"
                )
            entries = list(year.calendar_entries.all())

        calendar = _checked_calendar(start_year, term_dates, entries)
        _refuse_stranded_marks(school, calendar)
        warnings = _warnings(school, term_dates, calendar)
        half_term_entries = [e for e in entries if e.kind == CalendarEntry.Kind.HALF_TERM]
        stored = sorted((e.label, e.start_date, e.end_date) for e in half_term_entries)
        unchanged = stored == sorted((h.label, h.start, h.end) for h in term_dates.half_terms)
        result = TermDatesResult(
            urn=school.urn,
            term_dates=term_dates,
            replaced=len(half_term_entries),
            unchanged=unchanged,
            year_created=year_created,
            policy_name=year.policy_name,
            warnings=tuple(warnings),
            dry_run=dry_run,
        )
        if dry_run or unchanged:
            return result

        if year_created:
            year.save()
        CalendarEntry.objects.filter(pk__in=[e.pk for e in half_term_entries]).delete()
        CalendarEntry.objects.bulk_create(
            CalendarEntry(school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM,
                          start_date=h.start, end_date=h.end, label=h.label)
            for h in term_dates.half_terms
        )
        # Closures mark their sessions '#' only on school days, so the stored sequences follow the new terms.
        pupils = list(Pupil.objects.filter(placements__academic_year=year).distinct().prefetch_related("enrolments", "placements"))
        if pupils:
            rebuild_sequences(YearContext.load(year), pupils)

    logger.info("stored %s half-terms for school %s year %s", len(term_dates.half_terms), school.urn, start_year)
    return result


def _checked_calendar(start_year: int, term_dates: TermDates, entries: list[CalendarEntry]) -> SchoolCalendar:
    try:
        return SchoolCalendar(
            academic_year=start_year,
            half_terms=term_dates.half_terms,
            closures=tuple(e.as_closure() for e in entries if e.kind == CalendarEntry.Kind.CLOSURE),
            assessments=tuple(e.as_assessment() for e in entries if e.kind == CalendarEntry.Kind.ASSESSMENT),
        )
    except CalendarError as error:
        raise TermDatesError(f"the new half-terms do not fit the stored calendar: {error}; correct the stored closures first") from None


def _refuse_stranded_marks(school: School, calendar: SchoolCalendar) -> None:
    """Raise ``TermDatesError`` naming the stored marks that would fall outside the new school days.

    Marks are never deleted, so the school must amend or correct them before the term dates change.
    """
    sessions = (
        MarkRevision.objects.filter(school=school, date__gte=calendar.start, date__lte=calendar.end)
        .values_list("pupil__upn", "date", "session")
        .distinct()
        .order_by("date", "session", "pupil__upn")
    )
    stranded = [(upn, day, session) for upn, day, session in sessions.iterator(chunk_size=5000) if not calendar.is_school_day(day)]
    if not stranded:
        return
    listed = "; ".join(f"pupil {upn} on {day.isoformat()} {session}" for upn, day, session in stranded[:10])
    more = f" and {len(stranded) - 10} more" if len(stranded) > 10 else ""
    raise TermDatesError(
        f"{len(stranded)} stored mark{'s' if len(stranded) != 1 else ''} would fall on days that are no longer "
        f"school days ({listed}{more}); marks are never deleted, so check the term dates, or correct those "
        f"marks first; nothing was changed"
    )


def _warnings(school: School, term_dates: TermDates, calendar: SchoolCalendar) -> list[str]:
    warnings = [
        f"line {h.line}: {h.summary!r} ({h.start} to {h.end}) falls inside a half-term on a weekday that is "
        f"not a bank holiday in England, so it stays a school day; add it to the calendar as a closure if "
        f"the school is closed"
        for h in term_dates.days_off_in_term
    ]
    return warnings
