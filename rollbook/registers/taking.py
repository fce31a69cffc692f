"""Taking class registers, amending marks, the signing book and closing registers.

Views, management commands and tests call these functions. Each takes the moment it acts at
(``at``, an aware datetime) as an argument and reads no clock. Every mark goes through
``record_marks``, so a mark that is not allowed is rejected before anything is written.

Which source a change is recorded under depends on the register's close time: before the
close, a register entry (``REGISTER``); after it, an amendment (``AMENDMENT``) that needs a
reason. Dates and times people see are Europe/London wall-clock times.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q

from rollbook.policy.arrivals import (
    SCHOOL_TIME_ZONE,
    arrival_mark,
    register_closes_at,
    register_taken_at,
)
from rollbook.policy.calendar import Closure, Session, academic_year_of
from rollbook.schools.models import AcademicYear, Enrolment, Placement, Pupil, School

from .known import known_absences, prefill_code
from .models import MarkRevision, RegisterSubmission, RevisionSource, SigningDirection, SigningEvent
from .services import (
    CLOSURE_CODE,
    Actor,
    MarkEntry,
    MarkProblem,
    MarksConflict,
    MarksRejected,
    YearContext,
    current_revisions,
    record_marks,
    year_group_on,
)

logger = logging.getLogger(__name__)

NO_REASON_CODE = "N"
SYSTEM_ACTOR = Actor(name="system", role="register closing")
CLOSING_REASON = "Register closed with no mark: no reason yet provided"
KNOWN_CLOSING_REASON = "Register closed with no mark: marked with the code of the pupil's granted absence"


class ReasonMissing(ValueError):
    """A change after the register closed, or an amendment, was made without a reason."""


class RegisterUnavailable(ValueError):
    """A register that does not exist: no academic year, or not a school day."""


def year_on(school: School, day: dt.date) -> AcademicYear | None:
    """Return the school's academic year that contains ``day``, or None if it is not set up."""
    return AcademicYear.objects.filter(school=school, start_year=academic_year_of(day)).first()


def local_time(moment: dt.datetime) -> dt.datetime:
    """Return an aware datetime as Europe/London wall-clock time."""
    return moment.astimezone(SCHOOL_TIME_ZONE)


def current_session(context: YearContext, moment: dt.datetime) -> Session:
    """Return the session a moment belongs to: AM until the afternoon register time, then PM."""
    return Session.AM if local_time(moment).time() < context.policy.day.pm_register else Session.PM


def is_closed(context: YearContext, day: dt.date, session: Session, at: dt.datetime) -> bool:
    """Return whether the session's register had closed at ``at``; exactly at the close it is still open."""
    return at > register_closes_at(day, session, context.policy.day)


def class_names(year: AcademicYear) -> list[str]:
    """Return the names of the year's classes, in order."""
    names = Placement.objects.filter(academic_year=year).values_list("class_name", flat=True).distinct()
    return sorted(set(names))


def pupils_on_roll(school: School, day: dt.date) -> list[Pupil]:
    """Return the school's pupils on roll on ``day``, with enrolments and placements prefetched."""
    on_roll = Q(enrolments__admission_date__lte=day) & (
        Q(enrolments__leaving_date__isnull=True) | Q(enrolments__leaving_date__gte=day)
    )
    return list(
        Pupil.objects.filter(on_roll, school=school).distinct().prefetch_related("enrolments", "placements")
    )


def class_pupils(year: AcademicYear, class_name: str, day: dt.date) -> list[Pupil]:
    """Return the pupils on roll and placed in the class on ``day``, by surname and forename.

    Each pupil comes with their enrolments and their placements of the year already loaded,
    in three plain queries: the register is the busiest page, and Django's prefetching costs
    more than the queries themselves at this size.
    """
    placed = Placement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        academic_year=year, class_name=class_name, start_date__lte=day,
    ).values_list("pupil_id", flat=True)
    pupils = {pupil.pk: pupil for pupil in Pupil.objects.filter(pk__in=list(placed))}
    enrolments: dict[int, list[Enrolment]] = {pupil_id: [] for pupil_id in pupils}
    for enrolment in Enrolment.objects.filter(pupil_id__in=list(pupils)):
        enrolments[enrolment.pupil_id].append(enrolment)
    placements: dict[int, list[Placement]] = {pupil_id: [] for pupil_id in pupils}
    for placement in Placement.objects.filter(pupil_id__in=list(pupils), academic_year=year):
        placements[placement.pupil_id].append(placement)
    on_roll = []
    for pupil_id, pupil in pupils.items():
        # The same caches prefetch_related fills, so pupil.enrolments.all() runs no query.
        pupil._prefetched_objects_cache = {"enrolments": enrolments[pupil_id], "placements": placements[pupil_id]}
        if pupil.enrolment_on(day) is not None:
            on_roll.append(pupil)
    return sorted(on_roll, key=lambda pupil: (pupil.surname, pupil.forename, pupil.upn))


def covering_closure(context: YearContext, pupil: Pupil, day: dt.date, session: Session) -> Closure | None:
    """Return the planned closure that covers the pupil's session, or None."""
    year_group = year_group_on(pupil, context.year, day)
    return next((c for c in context.calendar.closures if c.covers(day, session, year_group)), None)


@dataclass(frozen=True)
class RegisterRow:
    """One pupil's line on a class register: their current mark and anything already known."""

    pupil: Pupil
    revision: MarkRevision | None
    closure: Closure | None = None
    known: str = ""
    # A code pre-filled from a known absence (granted leave), which the person taking the
    # register may keep even when it is not one of their own codes.
    known_code: str = ""

    @property
    def code(self) -> str:
        """Return the current code, ``#`` for a planned closure, or "" when unmarked."""
        if self.revision is not None:
            return self.revision.code
        return CLOSURE_CODE if self.closure is not None else ""

    @property
    def revision_id(self) -> int | None:
        return self.revision.pk if self.revision is not None else None


@dataclass(frozen=True)
class ClassRegister:
    """A class register for one session, loaded at one moment."""

    context: YearContext
    class_name: str
    date: dt.date
    session: Session
    rows: tuple[RegisterRow, ...]
    submissions: tuple[RegisterSubmission, ...] = ()

    @property
    def taken_at(self) -> dt.datetime:
        return register_taken_at(self.date, self.session, self.context.policy.day)

    @property
    def closes_at(self) -> dt.datetime:
        return register_closes_at(self.date, self.session, self.context.policy.day)

    def is_closed(self, at: dt.datetime) -> bool:
        return at > self.closes_at

    def row_for(self, pupil_id: int) -> RegisterRow | None:
        return next((row for row in self.rows if row.pupil.pk == pupil_id), None)


def load_register(
    context: YearContext, class_name: str, day: dt.date, session: Session, as_of: dt.datetime | None = None
) -> ClassRegister:
    """Load a class register with each pupil's current mark, or the marks as they stood at ``as_of``.

    Raises ``RegisterUnavailable`` when ``day`` is not a school day.
    """
    if not context.calendar.is_school_day(day):
        raise RegisterUnavailable(f"{day.isoformat()} is not a school day, so it has no register")

    pupils = class_pupils(context.year, class_name, day)
    revisions = current_revisions(pupils, day, day, as_of=as_of)
    sign_outs = _sign_outs_before_register(context, pupils, day, session)
    known_elsewhere = known_absences(context.year.school_id, [pupil.pk for pupil in pupils], day, session)
    rows = []
    for pupil in pupils:
        closure = covering_closure(context, pupil, day, session)
        labels, code = [], ""
        if closure is not None:
            labels.append(f"Planned closure: {closure.label}" if closure.label else "Planned closure")
        else:
            if pupil.pk in sign_outs:
                event = sign_outs[pupil.pk]
                labels.append(f"Signed out at {local_time(event.at):%H:%M}" + (f": {event.reason}" if event.reason else ""))
            absences = known_elsewhere.get(pupil.pk, [])
            labels.extend(absence.label for absence in absences)
            code = prefill_code(absences)
        rows.append(RegisterRow(pupil, revisions.get((pupil.pk, day, session.value)), closure, "; ".join(labels), code))

    submissions = RegisterSubmission.objects.filter(
        school_id=context.year.school_id, class_name=class_name, date=day, session=session.value
    )
    if as_of is not None:
        submissions = submissions.filter(submitted_at__lte=as_of)
    return ClassRegister(context, class_name, day, session, tuple(rows), tuple(submissions.order_by("submitted_at")))


def _sign_outs_before_register(
    context: YearContext, pupils: Sequence[Pupil], day: dt.date, session: Session
) -> dict[int, SigningEvent]:
    """Return each pupil's latest signing out on ``day`` before the session's register, unless signed back in."""
    taken_at = register_taken_at(day, session, context.policy.day)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SCHOOL_TIME_ZONE)
    events = SigningEvent.objects.filter(
        pupil__in=[p.pk for p in pupils], at__gte=start, at__lte=taken_at
    ).order_by("at", "id")
    latest: dict[int, SigningEvent] = {}
    for event in events:
        latest[event.pupil_id] = event
    return {pupil_id: event for pupil_id, event in latest.items() if event.direction == SigningDirection.OUT}


@dataclass(frozen=True)
class RegisterChoice:
    """The choice for one pupil on a register being taken: a code, or an arrival time."""

    pupil: Pupil
    code: str = ""
    arrived: dt.time | None = None
    comment: str = ""


def entry_for_choice(context: YearContext, choice: RegisterChoice, day: dt.date, session: Session) -> MarkEntry:
    """Turn a choice into a mark: an arrival time decides the code and minutes late."""
    if choice.arrived is not None:
        mark = arrival_mark(session, choice.arrived, context.policy.day)
        return MarkEntry(choice.pupil, day, session, mark.code, mark.minutes_late, choice.comment)
    return MarkEntry(choice.pupil, day, session, choice.code, None, choice.comment)


@dataclass(frozen=True)
class SaveResult:
    """The outcome of saving a register: revisions added, and whether they were amendments."""

    added: int
    amendment: bool
    submission: RegisterSubmission | None = field(default=None)


def save_register(
    register: ClassRegister,
    choices: Sequence[RegisterChoice],
    loaded: dict[int, int | None],
    actor: Actor,
    at: dt.datetime,
    allowed_codes: Collection[str],
    reason: str = "",
) -> SaveResult:
    """Record a class register's marks and note the register as submitted.

    ``loaded`` maps each pupil id to the revision id the person saw (None: no mark). Choices
    with neither a code nor an arrival time are left unmarked. A code chosen directly must be
    in ``allowed_codes``, and an arrival time may give ``L`` or ``U`` whatever the person's
    codes. After the register closes the marks are amendments and ``reason`` is required.

    Raises ``MarksRejected`` (nothing saved) for codes outside ``allowed_codes``, pupils not on
    the register and the checks of ``record_marks``, ``MarksConflict`` when someone changed a
    mark after it was loaded, and ``ReasonMissing``.
    """
    context = register.context
    amendment = register.is_closed(at)
    reason = reason.strip()
    if amendment and not reason:
        raise ReasonMissing(
            f"the {register.session.value} register closed at {local_time(register.closes_at):%H:%M}; "
            "give a reason for the change"
        )

    entries, problems = [], []
    for choice in choices:
        if not choice.code and choice.arrived is None:
            continue
        entry = entry_for_choice(context, choice, register.date, register.session)
        row = register.row_for(choice.pupil.pk)
        current = row.revision if row is not None else None
        if current is not None and choice.arrived is None and choice.code == current.code:
            # Saving a register again keeps the minutes late and comment its marks already have.
            entry = MarkEntry(entry.pupil, entry.date, entry.session, current.code, current.minutes_late,
                              choice.comment or current.comment)
        pupil_label = f"pupil {choice.pupil.upn}"
        if row is None:
            problems.append(MarkProblem(entry, f"{pupil_label} is not on roll in {register.class_name} on {register.date.isoformat()}"))
        elif row.closure is not None:
            problems.append(MarkProblem(entry, f"{pupil_label}: the session is covered by a planned closure, so it is marked '#'"))
        elif choice.arrived is None and choice.code not in allowed_codes and choice.code != row.known_code:
            problems.append(MarkProblem(entry, f"{pupil_label}: you may not enter code {choice.code!r}; use one of: {' '.join(allowed_codes)}"))
        else:
            entries.append(entry)
    if problems:
        raise MarksRejected(problems)

    source = RevisionSource.AMENDMENT if amendment else RevisionSource.REGISTER
    keys = {entry.key: loaded.get(entry.pupil.pk) for entry in entries}
    with transaction.atomic():
        added = record_marks(context, entries, actor, at, source, reason=reason, loaded=keys)
        submission = RegisterSubmission.objects.create(
            school_id=context.year.school_id, class_name=register.class_name, date=register.date,
            session=register.session.value, submitted_at=at, submitted_by=actor.name, role=actor.role,
        )
    logger.info(
        "register %s %s %s saved for school %s: %s revisions (%s)",
        register.class_name, register.date, register.session, context.year.school_id, added, source,
    )
    return SaveResult(added, amendment, submission)


def amend_mark(
    context: YearContext,
    pupil: Pupil,
    day: dt.date,
    session: Session,
    code: str,
    reason: str,
    actor: Actor,
    at: dt.datetime,
    allowed_codes: Collection[str],
    loaded_revision_id: int | None,
    minutes_late: int | None = None,
) -> int:
    """Amend one session's mark with a reason and return how many revisions were added (0 or 1).

    Raises ``ReasonMissing``, ``MarksRejected`` (code not allowed, or failing the checks of
    ``record_marks``) and ``MarksConflict`` when the mark changed after ``loaded_revision_id``.
    """
    reason = reason.strip()
    entry = MarkEntry(pupil, day, session, code, minutes_late)
    if not reason:
        raise ReasonMissing("give a reason for the amendment")
    if code not in allowed_codes:
        raise MarksRejected([MarkProblem(entry, f"you may not enter code {code!r}; use one of: {' '.join(allowed_codes)}")])
    return record_marks(
        context, [entry], actor, at, RevisionSource.AMENDMENT, reason=reason, loaded={entry.key: loaded_revision_id}
    )


def mark_history(pupil: Pupil, day: dt.date, session: Session) -> list[MarkRevision]:
    """Return every revision of one session's mark, oldest first."""
    return list(
        MarkRevision.objects.filter(pupil=pupil, date=day, session=session.value).order_by("recorded_at", "id")
    )


@dataclass(frozen=True)
class SessionMark:
    """One school-day session on a pupil's record and its mark (None: no mark)."""

    date: dt.date
    session: Session
    revision: MarkRevision | None
    closure: Closure | None


def pupil_marks(
    context: YearContext, pupil: Pupil, start: dt.date, end: dt.date, as_of: dt.datetime | None = None
) -> list[SessionMark]:
    """Return the pupil's sessions on roll between two dates (inclusive), newest first.

    With ``as_of``, each mark is the one that stood at that moment.
    """
    revisions = current_revisions([pupil], start, end, as_of=as_of)
    sessions = []
    for day in context.calendar.school_days:
        if not start <= day <= end or pupil.enrolment_on(day) is None:
            continue
        for session in Session:
            sessions.append(SessionMark(
                day, session, revisions.get((pupil.pk, day, session.value)), covering_closure(context, pupil, day, session)
            ))
    return sessions[::-1]


@dataclass(frozen=True)
class SigningResult:
    """A signing book entry and the mark it recorded (None when it recorded no mark)."""

    event: SigningEvent
    session: Session | None
    code: str | None


def sign_in(
    context: YearContext, pupil: Pupil, arrived_at: dt.datetime, actor: Actor, at: dt.datetime, reason: str = ""
) -> SigningResult:
    """Sign a late arrival in and record their mark: ``L`` or ``U`` with minutes late.

    An arrival before the afternoon register time is for the morning session, and one after
    it for the afternoon. A mark recorded after the session closed is an amendment whose
    reason gives the arrival time. The arrival replaces any mark already there (such as the
    ``N`` the closing job gave), because the office has seen the pupil arrive.
    """
    local = local_time(arrived_at)
    day = local.date()
    session = current_session(context, arrived_at)
    mark = arrival_mark(session, local.time(), context.policy.day)
    entry = MarkEntry(pupil, day, session, mark.code, mark.minutes_late)
    amendment = is_closed(context, day, session, at)
    note = f"Signed in at {local:%H:%M}" + (f": {reason.strip()}" if reason.strip() else "")

    with transaction.atomic():
        record_marks(
            context, [entry], actor, at,
            RevisionSource.AMENDMENT if amendment else RevisionSource.REGISTER,
            reason=note if amendment else reason.strip(),
        )
        revision = current_revisions([pupil], day, day)[(pupil.pk, day, session.value)]
        event = SigningEvent.objects.create(
            school_id=context.year.school_id, pupil=pupil, direction=SigningDirection.IN, at=arrived_at,
            reason=reason.strip(), recorded_by=actor.name, role=actor.role, recorded_at=at, revision=revision,
        )
    logger.info("pupil %s signed in for %s %s (%s)", pupil.pk, day, session, mark.code)
    return SigningResult(event, session, mark.code)


def sign_out(
    context: YearContext,
    pupil: Pupil,
    left_at: dt.datetime,
    actor: Actor,
    at: dt.datetime,
    reason: str,
    collected_by: str = "",
) -> SigningResult:
    """Sign an early leaver out; the entry records no mark.

    The session the pupil left in keeps its mark, because they were present when its
    register was taken. A register taken after they left (the afternoon register, for a
    pupil who left in the morning) shows "Signed out at HH:MM" and the reason next to the
    pupil, unmarked, so the office or teacher chooses the code that fits the reason.
    """
    if not reason.strip():
        raise ReasonMissing("give the reason the pupil is leaving early")
    event = SigningEvent.objects.create(
        school_id=context.year.school_id, pupil=pupil, direction=SigningDirection.OUT, at=left_at,
        reason=reason.strip(), collected_by=collected_by.strip(), recorded_by=actor.name, role=actor.role,
        recorded_at=at,
    )
    logger.info("pupil %s signed out at %s", pupil.pk, left_at.isoformat())
    return SigningResult(event, None, None)


def signing_events(school: School, day: dt.date) -> list[SigningEvent]:
    """Return the school's signing book entries for one day, in order."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SCHOOL_TIME_ZONE)
    end = start + dt.timedelta(days=1)
    return list(
        SigningEvent.objects.filter(school=school, at__gte=start, at__lt=end).select_related("pupil", "revision").order_by("at", "id")
    )


@dataclass(frozen=True)
class ClassStatus:
    """Whether a class has submitted its register for a session, and when it last did."""

    class_name: str
    pupils: int
    submitted: RegisterSubmission | None


def register_statuses(year: AcademicYear, day: dt.date, session: Session, classes: Iterable[str]) -> list[ClassStatus]:
    """Return each class with its latest register submission for the session, missing ones first."""
    latest: dict[str, RegisterSubmission] = {}
    for submission in RegisterSubmission.objects.filter(
        school_id=year.school_id, date=day, session=session.value
    ).order_by("submitted_at", "id"):
        latest[submission.class_name] = submission
    placed = Placement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), academic_year=year, start_date__lte=day
    )
    counts = dict(placed.values("class_name").annotate(pupils=Count("id")).values_list("class_name", "pupils"))
    statuses = [ClassStatus(name, counts.get(name, 0), latest.get(name)) for name in classes]
    return sorted(statuses, key=lambda s: (s.submitted is not None, s.class_name))


@dataclass(frozen=True)
class ClosingResult:
    """The outcome of closing registers: closed sessions checked, and marks added (N, or the code of a granted absence)."""

    sessions: int
    marked: int


def close_registers(school: School, at: dt.datetime, catch_up_days: int = 7) -> ClosingResult:
    """Give ``N`` to every pupil on roll still unmarked in a session whose register has closed.

    Looks at the school days from ``catch_up_days`` before ``at`` up to ``at`` (Europe/London
    dates), so a missed or late run catches up. Sessions covered by a planned closure are
    left alone. A second run adds nothing, because only unmarked sessions get a mark.
    """
    today = local_time(at).date()
    days = [today - dt.timedelta(days=offset) for offset in range(catch_up_days, -1, -1)]
    sessions = marked = 0
    contexts: dict[int, YearContext | None] = {}
    for day in days:
        start_year = academic_year_of(day)
        if start_year not in contexts:
            year = AcademicYear.objects.filter(school=school, start_year=start_year).first()
            contexts[start_year] = YearContext.load(year) if year is not None else None
        context = contexts[start_year]
        if context is None or not context.calendar.is_school_day(day):
            continue
        closed_sessions = [s for s in Session if is_closed(context, day, s, at)]
        if not closed_sessions:
            continue
        sessions += len(closed_sessions)
        marked += _close_day(context, school, day, closed_sessions, at)
    logger.info("closed registers for school %s: %s sessions looked at, %s marks added", school.pk, sessions, marked)
    return ClosingResult(sessions, marked)


def _close_day(context: YearContext, school: School, day: dt.date, sessions: Sequence[Session], at: dt.datetime) -> int:
    # Someone may mark a pupil between reading the marks and writing the N marks. Then
    # record_marks raises MarksConflict, and the next pass skips the sessions now marked.
    attempts = 3
    for attempt in range(1, attempts + 1):
        pupils = pupils_on_roll(school, day)
        current = current_revisions(pupils, day, day)
        by_reason: dict[str, list[MarkEntry]] = {}
        for session in sessions:
            known = known_absences(school.pk, [pupil.pk for pupil in pupils], day, session)
            for pupil in pupils:
                if (pupil.pk, day, session.value) in current or covering_closure(context, pupil, day, session) is not None:
                    continue
                code = prefill_code(known.get(pupil.pk, ())) or NO_REASON_CODE
                reason = CLOSING_REASON if code == NO_REASON_CODE else KNOWN_CLOSING_REASON
                by_reason.setdefault(reason, []).append(MarkEntry(pupil, day, session, code))
        try:
            with transaction.atomic():
                return sum(
                    record_marks(
                        context, entries, SYSTEM_ACTOR, at, RevisionSource.SYSTEM, reason=reason,
                        loaded={entry.key: None for entry in entries},
                    )
                    for reason, entries in by_reason.items()
                )
        except MarksConflict:
            if attempt == attempts:
                raise
            logger.info("closing registers for school %s on %s: marks changed, retrying (%s)", school.pk, day, attempt)
    return 0
