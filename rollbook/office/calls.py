"""The first-day call list: pupils absent with no reason, whom the office phones once the register closes.

A pupil is on the list for a session when their mark is N, or when they have no mark after
the register closed, and no absence report covers the session. The list shrinks as reasons
arrive: a report recorded (by a parent online or by the office) or the mark changed to another
code takes the pupil off. Calls are logged whatever their outcome, and the log is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from rollbook.absences.services import reports_covering
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision
from rollbook.registers.services import Actor, YearContext, current_revisions
from rollbook.registers.taking import (
    NO_REASON_CODE,
    amend_mark,
    covering_closure,
    is_closed,
    local_time,
    pupils_on_roll,
    year_on,
)
from rollbook.schools.models import Contact, Placement, Pupil, School

from .models import CallAttempt, CallOutcome

logger = logging.getLogger(__name__)

# The office phones the first two emergency contacts, in priority order.
CONTACTS_TO_CALL = 2


@dataclass(frozen=True)
class CallListRow:
    """A pupil to phone about one session: their mark (None: unmarked), contacts and calls so far."""

    pupil: Pupil
    class_name: str
    revision: MarkRevision | None
    contacts: list[Contact]
    attempts: list[CallAttempt]

    @property
    def missing_numbers(self) -> int:
        """Return how many of the two contacts to call are missing or have no phone number."""
        with_number = sum(1 for contact in self.contacts if contact.phone.strip())
        return max(CONTACTS_TO_CALL - with_number, 0)

    @property
    def last_attempt(self) -> CallAttempt | None:
        return self.attempts[-1] if self.attempts else None


@dataclass(frozen=True)
class CallList:
    """The call list for one session, as it stood at ``at``."""

    day: dt.date
    session: Session
    at: dt.datetime
    register_closed: bool
    rows: list[CallListRow]


def call_list(school: School, day: dt.date, session: Session, at: dt.datetime, pupil_ids=None) -> CallList | None:
    """Return the pupils to phone about a session, by class then surname; None on a day with no registers.

    ``pupil_ids`` limits the list to pupils the viewer may see (None: every pupil). Before the
    register closes, only pupils already marked N are listed, because the rest may still arrive.
    """
    year = year_on(school, day)
    if year is None:
        return None
    context = YearContext.load(year)
    if not context.calendar.is_school_day(day):
        return None
    closed = is_closed(context, day, session, at)

    pupils = pupils_on_roll(school, day)
    if pupil_ids is not None:
        allowed = set(pupil_ids)
        pupils = [pupil for pupil in pupils if pupil.pk in allowed]
    current = current_revisions(pupils, day, day)
    absent = []
    for pupil in pupils:
        revision = current.get((pupil.pk, day, session.value))
        if revision is None and (not closed or covering_closure(context, pupil, day, session) is not None):
            continue
        if revision is not None and revision.code != NO_REASON_CODE:
            continue
        absent.append((pupil, revision))

    reported = reports_covering(school.pk, [pupil.pk for pupil, _ in absent], day, session)
    absent = [(pupil, revision) for pupil, revision in absent if pupil.pk not in reported]
    ids = [pupil.pk for pupil, _ in absent]
    contacts = _contacts_to_call(ids)
    attempts = _attempts(school, ids, day, session)
    classes = _classes(year, day, ids)
    rows = [
        CallListRow(pupil, classes.get(pupil.pk, ""), revision, contacts.get(pupil.pk, []), attempts.get(pupil.pk, []))
        for pupil, revision in absent
    ]
    rows.sort(key=lambda row: (row.class_name, row.pupil.surname, row.pupil.forename, row.pupil.upn))
    return CallList(day=day, session=session, at=at, register_closed=closed, rows=rows)


def _contacts_to_call(pupil_ids: list[int]) -> dict[int, list[Contact]]:
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(pupil_id__in=pupil_ids, emergency_contact=True).order_by("priority", "pk"):
        listed = contacts.setdefault(contact.pupil_id, [])
        if len(listed) < CONTACTS_TO_CALL:
            listed.append(contact)
    return contacts


def _attempts(school: School, pupil_ids: list[int], day: dt.date, session: Session) -> dict[int, list[CallAttempt]]:
    attempts: dict[int, list[CallAttempt]] = {}
    rows = CallAttempt.objects.filter(school=school, pupil_id__in=pupil_ids, date=day, session=session.value)
    for attempt in rows.order_by("made_at", "pk"):
        attempts.setdefault(attempt.pupil_id, []).append(attempt)
    return attempts


def _classes(year, day: dt.date, pupil_ids: list[int]) -> dict[int, str]:
    placements = Placement.objects.filter(academic_year=year, pupil_id__in=pupil_ids, start_date__lte=day).order_by("start_date")
    return {placement.pupil_id: placement.class_name for placement in placements}


def attempts_for(pupil: Pupil, day: dt.date, session: Session) -> list[CallAttempt]:
    """Return the calls logged about a pupil's session, oldest first."""
    return list(CallAttempt.objects.filter(pupil=pupil, date=day, session=session.value).order_by("made_at", "pk"))


def contacts_to_call(pupil: Pupil) -> list[Contact]:
    """Return the pupil's first two emergency contacts by priority."""
    return _contacts_to_call([pupil.pk]).get(pupil.pk, [])


class CallInvalid(ValueError):
    """A call that cannot be logged; the message names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def log_call(
    pupil: Pupil,
    day: dt.date,
    session: Session,
    *,
    outcome: str,
    contact: Contact | None,
    other_contact: str = "",
    note: str = "",
    user,
    made_by_name: str,
    at: dt.datetime,
) -> CallAttempt:
    """Save one call attempt about a pupil's session and return it.

    The person called is one of the pupil's contacts, or someone else named in ``other_contact``.
    Raises ``CallInvalid`` naming the field when the outcome is not a choice, the contact is
    another pupil's, no one is named, or the call is dated before the absence.
    """
    if outcome not in CallOutcome.values:
        raise CallInvalid("outcome", f"outcome {outcome!r} is invalid; choose one of: {', '.join(CallOutcome.values)}")
    if contact is not None and contact.pupil_id != pupil.pk:
        raise CallInvalid("contact", f"contact {contact.pk} is not one of this pupil's contacts; choose one from the list")
    if contact is None and not other_contact.strip():
        raise CallInvalid("contact", "the person called is missing; choose a contact or name who was called")
    if local_time(at).date() < day:
        raise CallInvalid("date", f"the absence on {day:%d/%m/%Y} is after the call; log calls on or after the day")

    attempt = CallAttempt.objects.create(
        school_id=pupil.school_id, pupil=pupil, date=day, session=session.value, contact=contact,
        contact_name=contact.name if contact else other_contact.strip(), phone=contact.phone if contact else "",
        outcome=outcome, note=note.strip(), made_by=user, made_by_name=made_by_name, made_at=at,
    )
    logger.info("call attempt %s logged for pupil %s (%s %s): %s", attempt.pk, pupil.pk, day, session, outcome)
    return attempt


def code_absence(
    context: YearContext,
    pupil: Pupil,
    day: dt.date,
    session: Session,
    code: str,
    reason: str,
    actor: Actor,
    at: dt.datetime,
    allowed_codes,
    loaded_revision_id: int | None,
) -> int:
    """Turn a reason given for an absence into its code, as one amendment with the reason kept.

    Raises what ``amend_mark`` raises: ``ReasonMissing``, ``MarksRejected`` for a code that is
    not allowed or does not fit, and ``MarksConflict`` when someone changed the mark since
    ``loaded_revision_id`` was read.
    """
    added = amend_mark(context, pupil, day, session, code, reason, actor, at, allowed_codes, loaded_revision_id)
    logger.info("absence of pupil %s (%s %s) coded %s from the call list", pupil.pk, day, session, code)
    return added
