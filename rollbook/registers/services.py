"""Recording marks: the single write path for registers, amendments, imports and system rules.

``record_marks`` checks every entry first and writes nothing unless all are valid. It then
appends one revision per changed session and rewrites the pupils' mark sequences in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from rollbook.policy.calendar import SLOTS_PER_YEAR, SchoolCalendar, Session, slot_of
from rollbook.policy.codes import CODE_BYTES, NO_MARK
from rollbook.policy.settings import Policy
from rollbook.schools.models import AcademicYear, Pupil

from .models import MarkRevision, MarkSequence, RevisionSource

logger = logging.getLogger(__name__)

CLOSURE_CODE = "#"


@dataclass(frozen=True)
class MarkEntry:
    """A mark to record for one pupil and session."""

    pupil: Pupil
    date: dt.date
    session: Session
    code: str
    minutes_late: int | None = None
    comment: str = ""

    @property
    def key(self) -> tuple[int, dt.date, str]:
        return (self.pupil.pk, self.date, self.session.value)


@dataclass(frozen=True)
class Actor:
    """Who records a change: a person's name and role, or "system" and the rule."""

    name: str
    role: str


@dataclass(frozen=True)
class MarkProblem:
    entry: MarkEntry
    message: str


class MarksRejected(ValueError):
    """Some entries are invalid; nothing was recorded."""

    def __init__(self, problems: Sequence[MarkProblem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems[:5]))


@dataclass(frozen=True)
class YearContext:
    """What checking a mark needs to know about its academic year, loaded once."""

    year: AcademicYear
    policy: Policy
    calendar: SchoolCalendar

    @classmethod
    def load(cls, year: AcademicYear) -> "YearContext":
        return cls(year=year, policy=year.policy(), calendar=year.calendar())


def year_group_on(pupil: Pupil, year: AcademicYear, day: dt.date) -> str | None:
    """Return the pupil's year group on ``day`` from their placements, or None if unplaced."""
    for placement in pupil.placements.all():
        if placement.academic_year_id != year.pk:
            continue
        if placement.start_date <= day and (placement.end_date is None or day <= placement.end_date):
            return placement.year_group
    return None


def check_entry(entry: MarkEntry, context: YearContext) -> str | None:
    """Return why an entry cannot be recorded, or None when it is valid."""
    code_set = context.policy.code_set
    who = f"pupil {entry.pupil.upn} on {entry.date.isoformat()} {entry.session.value}"
    if entry.code not in code_set:
        return (
            f"{who}: code {entry.code!r} is not in the code set {code_set.name!r}; "
            f"use one of: {' '.join(code_set.codes)}"
        )
    if not context.calendar.is_school_day(entry.date):
        return f"{who}: {entry.date.isoformat()} is not a school day, so it has no register"
    if entry.pupil.enrolment_on(entry.date) is None:
        return f"{who}: the pupil is not on roll that day"
    if entry.minutes_late is not None and entry.minutes_late < 0:
        return f"{who}: minutes late {entry.minutes_late} is negative; use 0 or more"
    closed = context.calendar.closed(entry.date, entry.session, year_group_on(entry.pupil, context.year, entry.date))
    if closed and entry.code != CLOSURE_CODE:
        return f"{who}: the session is covered by a planned closure, so its mark is '#', not {entry.code!r}"
    if entry.code == CLOSURE_CODE and not closed:
        return f"{who}: '#' is only for sessions covered by a planned closure; add the closure to the calendar first"
    return None


def current_revisions(
    pupils: Iterable[Pupil], start: dt.date, end: dt.date, as_of: dt.datetime | None = None
) -> dict[tuple[int, dt.date, str], MarkRevision]:
    """Return the newest revision of each session between two dates (inclusive).

    With ``as_of`` (an aware datetime), return the register as it stood at that moment: the
    newest revision of each session recorded at or before it.
    """
    latest: dict[tuple[int, dt.date, str], MarkRevision] = {}
    revisions = MarkRevision.objects.filter(pupil__in=[p.pk for p in pupils], date__gte=start, date__lte=end)
    if as_of is not None:
        revisions = revisions.as_of(as_of)
    revisions = revisions.order_by("recorded_at", "id")
    for revision in revisions.iterator(chunk_size=5000):
        latest[(revision.pupil_id, revision.date, revision.session)] = revision
    return latest


def _unchanged(revision: MarkRevision | None, entry: MarkEntry) -> bool:
    return (
        revision is not None
        and revision.code == entry.code
        and revision.minutes_late == entry.minutes_late
        and revision.comment == entry.comment
    )


def record_marks(
    context: YearContext,
    entries: Sequence[MarkEntry],
    actor: Actor,
    at: dt.datetime,
    source: RevisionSource,
    reason: str = "",
) -> int:
    """Record marks all-or-nothing and return how many revisions were added.

    An entry equal to the session's current mark adds nothing, so recording the same marks
    twice changes nothing. Raises ``MarksRejected`` with every invalid entry.
    """
    problems = [MarkProblem(entry, message) for entry in entries if (message := check_entry(entry, context))]
    seen: set[tuple[int, dt.date, str]] = set()
    for entry in entries:
        if entry.key in seen:
            problems.append(MarkProblem(entry, f"pupil {entry.pupil.upn} on {entry.date} {entry.session}: entered twice"))
        seen.add(entry.key)
    if problems:
        raise MarksRejected(problems)
    if not entries:
        return 0

    pupils = {entry.pupil.pk: entry.pupil for entry in entries}
    with transaction.atomic():
        sequences = lock_sequences(context.year, pupils.values())
        current = current_revisions(pupils.values(), min(e.date for e in entries), max(e.date for e in entries))
        new_revisions = []
        for entry in entries:
            previous = current.get(entry.key)
            if _unchanged(previous, entry):
                continue
            new_revisions.append(
                MarkRevision(
                    school_id=context.year.school_id,
                    pupil=entry.pupil,
                    date=entry.date,
                    session=entry.session.value,
                    code=entry.code,
                    code_set=context.policy.code_set.name,
                    minutes_late=entry.minutes_late,
                    comment=entry.comment,
                    recorded_at=at,
                    recorded_by=actor.name,
                    role=actor.role,
                    source=source,
                    reason=reason,
                    supersedes=previous,
                )
            )
            codes = sequences[entry.pupil.pk]
            codes[slot_of(entry.date, entry.session)] = CODE_BYTES[entry.code]
        MarkRevision.objects.bulk_create(new_revisions, batch_size=2000)
        save_sequences(context.year, sequences)

    logger.info("recorded %s mark revisions for school %s (%s)", len(new_revisions), context.year.school_id, source)
    return len(new_revisions)


def lock_sequences(year: AcademicYear, pupils: Iterable[Pupil]) -> dict[int, bytearray]:
    """Lock (creating where missing) the pupils' sequences for the year; return editable copies."""
    pupil_ids = [p.pk for p in pupils]
    existing = {pk for pk in MarkSequence.objects.filter(pupil_id__in=pupil_ids, academic_year=year.start_year).values_list("pupil_id", flat=True)}
    MarkSequence.objects.bulk_create(
        [MarkSequence(school_id=year.school_id, pupil_id=pk, academic_year=year.start_year, codes=bytes(SLOTS_PER_YEAR))
         for pk in pupil_ids if pk not in existing],
        ignore_conflicts=True,
    )
    rows = MarkSequence.objects.select_for_update().filter(pupil_id__in=pupil_ids, academic_year=year.start_year)
    return {row.pupil_id: bytearray(row.codes) for row in rows}


def save_sequences(year: AcademicYear, sequences: dict[int, bytearray]) -> None:
    """Store the pupils' sequences for the year; call inside the transaction that locked them."""
    for pupil_id, codes in sequences.items():
        MarkSequence.objects.filter(pupil_id=pupil_id, academic_year=year.start_year).update(codes=bytes(codes))


def rebuild_sequences(context: YearContext, pupils: Sequence[Pupil]) -> None:
    """Rewrite the pupils' sequences for the year from their current revisions and the calendar.

    Planned closures are laid over every session they cover while the pupil is on roll, so a
    closure session reads ``#`` whether or not a mark was entered for it.
    """
    year = context.year
    calendar = context.calendar
    with transaction.atomic():
        sequences = lock_sequences(year, pupils)
        current = current_revisions(pupils, calendar.start, calendar.end)
        for pupil in pupils:
            codes = bytearray(SLOTS_PER_YEAR)
            for closure in calendar.closures:
                day = closure.start
                while day <= closure.end:
                    if calendar.is_school_day(day) and pupil.enrolment_on(day) is not None:
                        year_group = year_group_on(pupil, year, day)
                        for session in Session:
                            if closure.covers(day, session, year_group):
                                codes[slot_of(day, session)] = CODE_BYTES[CLOSURE_CODE]
                    day += dt.timedelta(days=1)
            sequences[pupil.pk] = codes
        for (pupil_id, day, session), revision in current.items():
            if pupil_id in sequences:
                sequences[pupil_id][slot_of(day, Session(session))] = CODE_BYTES.get(revision.code, NO_MARK)
        save_sequences(year, sequences)
