"""Recording marks: the single write path for registers, amendments, imports and system rules.

``record_marks`` checks every entry first and writes nothing unless all are valid. It then
appends one revision per changed session and rewrites the pupils' mark sequences in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

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
    """The author of a change: a person's name and role, or "system" and the rule."""

    name: str
    role: str


@dataclass(frozen=True)
class MarkProblem:
    entry: MarkEntry
    message: str


@dataclass(frozen=True)
class MarkConflict:
    """A session whose mark someone else changed after the entry's author loaded it."""

    entry: MarkEntry
    current_code: str
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def message(self) -> str:
        when = timezone.localtime(self.recorded_at).strftime("%H:%M on %d/%m/%Y")
        return (
            f"pupil {self.entry.pupil.upn} on {self.entry.date.isoformat()} {self.entry.session.value}: "
            f"{self.recorded_by} changed this mark to {self.current_code!r} at {when}; "
            "check it and save again"
        )


class MarksConflict(ValueError):
    """Someone changed some of the sessions after they were loaded; nothing was recorded."""

    def __init__(self, conflicts: Sequence[MarkConflict]):
        self.conflicts = tuple(conflicts)
        super().__init__("; ".join(c.message for c in self.conflicts[:5]))


class MarksRejected(ValueError):
    """Some entries are invalid; nothing was recorded."""

    def __init__(self, problems: Sequence[MarkProblem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems[:5]))


@dataclass(frozen=True)
class YearContext:
    """The academic year, policy and calendar that checking a mark needs, loaded once."""

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
    return EntryChecker(context).problem(entry)


class EntryChecker:
    """Checks entries against one academic year, remembering each pupil-day and session it has seen."""

    def __init__(self, context: YearContext):
        self.context = context
        self._pupil_days: dict[tuple[int, dt.date], tuple[bool, str | None]] = {}
        self._closed: dict[tuple[dt.date, Session, str | None], bool] = {}

    def _pupil_day(self, pupil: Pupil, day: dt.date) -> tuple[bool, str | None]:
        key = (pupil.pk, day)
        if key not in self._pupil_days:
            self._pupil_days[key] = (pupil.enrolment_on(day) is not None, year_group_on(pupil, self.context.year, day))
        return self._pupil_days[key]

    def _is_closed(self, day: dt.date, session: Session, year_group: str | None) -> bool:
        key = (day, session, year_group)
        if key not in self._closed:
            self._closed[key] = self.context.calendar.closed(day, session, year_group)
        return self._closed[key]

    def problem(self, entry: MarkEntry) -> str | None:
        """Return why an entry cannot be recorded, or None when it is valid."""
        code_set = self.context.policy.code_set
        who = f"pupil {entry.pupil.upn} on {entry.date.isoformat()} {entry.session.value}"
        if entry.code not in code_set:
            return (
                f"{who}: code {entry.code!r} is not in the code set {code_set.name!r}; "
                f"use one of: {' '.join(code_set.codes)}"
            )
        if not self.context.calendar.is_school_day(entry.date):
            return f"{who}: {entry.date.isoformat()} is not a school day, so it has no register"
        on_roll, year_group = self._pupil_day(entry.pupil, entry.date)
        if not on_roll:
            return f"{who}: the pupil is not on roll that day"
        if entry.minutes_late is not None and entry.minutes_late < 0:
            return f"{who}: minutes late {entry.minutes_late} is negative; use 0 or more"
        closed = self._is_closed(entry.date, entry.session, year_group)
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


class CurrentMark(NamedTuple):
    """The newest revision of a session, as plain values."""

    revision_id: int
    code: str
    minutes_late: int | None
    comment: str


def current_marks(pupil_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[tuple[int, dt.date, str], CurrentMark]:
    """Return the newest revision of each session between two dates (inclusive), as plain values."""
    latest: dict[tuple[int, dt.date, str], CurrentMark] = {}
    rows = (
        MarkRevision.objects.filter(pupil_id__in=list(pupil_ids), date__gte=start, date__lte=end)
        .order_by("recorded_at", "id")
        .values_list("pupil_id", "date", "session", "id", "code", "minutes_late", "comment")
    )
    for pupil_id, day, session, revision_id, code, minutes_late, comment in rows.iterator(chunk_size=10000):
        latest[(pupil_id, day, session)] = CurrentMark(revision_id, code, minutes_late, comment)
    return latest


def _unchanged(current: CurrentMark | None, entry: MarkEntry) -> bool:
    return (
        current is not None
        and current.code == entry.code
        and current.minutes_late == entry.minutes_late
        and current.comment == entry.comment
    )


def _conflicts(
    entries: Sequence[MarkEntry],
    current: dict[tuple[int, dt.date, str], CurrentMark],
    loaded: Mapping[tuple[int, dt.date, str], int | None],
) -> list[MarkConflict]:
    # Revisions are never deleted, so a session with no mark now had none when it was loaded.
    changed = []
    for entry in entries:
        now = current.get(entry.key)
        if entry.key not in loaded or now is None:
            continue
        if now.revision_id != loaded[entry.key] and not _unchanged(now, entry):
            changed.append((entry, now.revision_id))
    if not changed:
        return []
    revisions = MarkRevision.objects.in_bulk([revision_id for _, revision_id in changed])
    return [
        MarkConflict(entry, revisions[rid].code, revisions[rid].recorded_by, revisions[rid].recorded_at)
        for entry, rid in changed
    ]


_REVISION_COLUMNS = (
    "school_id", "pupil_id", "date", "session", "code", "code_set", "minutes_late", "comment",
    "recorded_at", "recorded_by", "role", "source", "reason", "supersedes_id",
)


def _insert_revisions(rows: list[tuple]) -> None:
    """Append revision rows (in ``_REVISION_COLUMNS`` order) in as few round trips as the database allows.

    A plain INSERT of value tuples, or COPY on PostgreSQL, rather than ``bulk_create``: building
    a model instance per mark cost most of a first import's time.
    """
    table = connection.ops.quote_name(MarkRevision._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _REVISION_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(_REVISION_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def record_marks(
    context: YearContext,
    entries: Sequence[MarkEntry],
    actor: Actor,
    at: dt.datetime,
    source: RevisionSource,
    reason: str = "",
    loaded: Mapping[tuple[int, dt.date, str], int | None] | None = None,
) -> int:
    """Record marks all-or-nothing and return how many revisions were added.

    An entry equal to the session's current mark adds nothing, so recording the same marks
    twice changes nothing. Raises ``MarksRejected`` with every invalid entry.

    ``loaded`` maps an entry's key to the id of the revision its author saw (None: no mark
    yet). When a session's current revision is another one and the entry differs from it,
    someone changed the mark in between: ``MarksConflict`` is raised and nothing is recorded.
    """
    checker = EntryChecker(context)
    problems = [MarkProblem(entry, message) for entry in entries if (message := checker.problem(entry))]
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
    school_id = context.year.school_id
    code_set = context.policy.code_set.name
    recorded_at = connection.ops.adapt_datetimefield_value(at)
    with transaction.atomic():
        sequences = lock_sequences(context.year, pupils.values())
        current = current_marks(pupils, min(e.date for e in entries), max(e.date for e in entries))
        conflicts = _conflicts(entries, current, loaded) if loaded is not None else []
        if conflicts:
            raise MarksConflict(conflicts)
        rows = []
        for entry in entries:
            previous = current.get(entry.key)
            if _unchanged(previous, entry):
                continue
            rows.append((
                school_id, entry.pupil.pk, connection.ops.adapt_datefield_value(entry.date), entry.session.value,
                entry.code, code_set, entry.minutes_late, entry.comment, recorded_at, actor.name, actor.role,
                source.value, reason, previous.revision_id if previous else None,
            ))
            sequences[entry.pupil.pk][slot_of(entry.date, entry.session)] = CODE_BYTES[entry.code]
        _insert_revisions(rows)
        save_sequences(context.year, sequences)

    logger.info("recorded %s mark revisions for school %s (%s)", len(rows), school_id, source)
    return len(rows)


def lock_sequences(year: AcademicYear, pupils: Iterable[Pupil]) -> dict[int, bytearray]:
    """Lock (creating where missing) the pupils' sequences for the year; return editable copies."""
    pupil_ids = [p.pk for p in pupils]
    locked = MarkSequence.objects.select_for_update().filter(academic_year=year.start_year)
    sequences = {row.pupil_id: bytearray(row.codes) for row in locked.filter(pupil_id__in=pupil_ids)}
    missing = [pk for pk in pupil_ids if pk not in sequences]
    if missing:
        MarkSequence.objects.bulk_create(
            [MarkSequence(school_id=year.school_id, pupil_id=pk, academic_year=year.start_year, codes=bytes(SLOTS_PER_YEAR))
             for pk in missing],
            ignore_conflicts=True,
        )
        sequences.update((row.pupil_id, bytearray(row.codes)) for row in locked.filter(pupil_id__in=missing))
    return sequences


def save_sequences(year: AcademicYear, sequences: dict[int, bytearray]) -> None:
    """Store the pupils' sequences for the year; call inside the transaction that locked them."""
    updated_at = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(MarkSequence._meta.db_table)
    # One prepared UPDATE run for each pupil: cheaper than building Django's UPDATE ... CASE.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET codes = %s, updated_at = %s WHERE pupil_id = %s AND academic_year = %s",
            [(bytes(codes), updated_at, pupil_id, year.start_year) for pupil_id, codes in sequences.items()],
        )


def rebuild_sequences(context: YearContext, pupils: Sequence[Pupil]) -> None:
    """Rewrite the pupils' sequences for the year from their current revisions and the calendar.

    Planned closures are laid over every session they cover while the pupil is on roll, so a
    closure session reads ``#`` whether or not a mark was entered for it.
    """
    year = context.year
    calendar = context.calendar
    with transaction.atomic():
        sequences = lock_sequences(year, pupils)
        current = current_marks([p.pk for p in pupils], calendar.start, calendar.end)
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
        for (pupil_id, day, session), mark in current.items():
            if pupil_id in sequences:
                sequences[pupil_id][slot_of(day, Session(session))] = CODE_BYTES.get(mark.code, NO_MARK)
        save_sequences(year, sequences)


def stored_mark_problems(year: AcademicYear, pupils: Sequence[Pupil]) -> list[str]:
    """Return why each current mark of the pupils in the year no longer fits, in date order.

    A mark stored earlier can stop fitting when the calendar, the pupil's time on roll, their
    year group or the year's policy changes. Marks are never deleted, so a change that would
    leave one outside a school day, outside the time on roll, under a closure or outside the
    code set must be refused, or the mark amended first. Call it inside the transaction that
    made the change, with the pupils' enrolments and placements prefetched.
    """
    context = YearContext.load(year)
    checker = EntryChecker(context)
    by_id = {pupil.pk: pupil for pupil in pupils}
    current = current_marks(by_id, context.calendar.start, context.calendar.end)
    problems = []
    for (pupil_id, day, session), mark in sorted(current.items(), key=lambda item: (item[0][1], item[0][2], item[0][0])):
        entry = MarkEntry(by_id[pupil_id], day, Session(session), mark.code, mark.minutes_late, mark.comment)
        problem = checker.problem(entry)
        if problem:
            problems.append(f"stored mark {mark.code!r}: {problem}")
    return problems
