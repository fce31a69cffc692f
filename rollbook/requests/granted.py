"""Marks that follow from decisions: granted sessions pre-fill registers, refused leave taken becomes G."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q

from rollbook.policy.calendar import Session, academic_year_of
from rollbook.policy.requests import RequestKind, granted_code
from rollbook.registers.known import KnownAbsence
from rollbook.registers.models import RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, current_marks, record_marks
from rollbook.schools.models import AcademicYear, School

from .models import IN_FORCE, AbsenceRequest, Status

# The marks that show a pupil was away with no reason accepted: refused leave taken is offered as G.
UNEXPLAINED_CODES = ("N", "O")


def _requests_on(school_id: int, pupil_ids: Sequence[int], day: dt.date, statuses) -> list[AbsenceRequest]:
    return list(
        AbsenceRequest.objects.filter(
            ~Q(kind=RequestKind.LUNCHTIME.value), school_id=school_id, pupil_id__in=list(pupil_ids),
            status__in=list(statuses), first_day__lte=day, last_day__gte=day,
        ).order_by("decided_at", "pk")
    )


def granted_absences(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> Mapping[int, KnownAbsence]:
    """Return the granted requests covering a session, by pupil, each pre-filling its kind's code (a register source)."""
    found: dict[int, KnownAbsence] = {}
    requests = _requests_on(school_id, pupil_ids, day, IN_FORCE)
    if not requests:
        return found
    year = AcademicYear.objects.filter(school_id=school_id, start_year=academic_year_of(day)).first()
    if year is None:
        return found
    leave = year.policy().leave
    for request in requests:
        if not request.covers(day, session) or day not in request.granted_dates():
            continue
        code = granted_code(request.request_kind, request.family_holiday, leave)
        found[request.pupil_id] = KnownAbsence(f"{request.get_kind_display()} granted ({code})", code)
    return found


@dataclass(frozen=True)
class RefusedSessionTaken:
    """A session of refused leave whose mark shows the pupil was away with no reason accepted."""

    request: AbsenceRequest
    day: dt.date
    session: Session
    code: str
    revision_id: int


def refused_leave_taken(school: School, today: dt.date) -> list[RefusedSessionTaken]:
    """Return the sessions up to ``today`` of refused leave requests marked N or O, oldest first."""
    requests = list(
        AbsenceRequest.objects.filter(
            school=school, kind=RequestKind.LEAVE.value, status=Status.REFUSED, first_day__lte=today,
        ).select_related("pupil").order_by("first_day", "pk")
    )
    if not requests:
        return []
    start = min(r.first_day for r in requests)
    end = min(today, max(r.last_day for r in requests))
    marks = current_marks({r.pupil_id for r in requests}, start, end)
    taken = []
    for request in requests:
        day = request.first_day
        while day <= min(request.last_day, today):
            for session in Session:
                mark = marks.get((request.pupil_id, day, session.value))
                if mark is not None and mark.code in UNEXPLAINED_CODES and request.covers(day, session):
                    taken.append(RefusedSessionTaken(request, day, session, mark.code, mark.revision_id))
            day += dt.timedelta(days=1)
    return sorted(taken, key=lambda item: (item.day, item.session.offset, item.request.pupil_id))


class AmendmentInvalid(ValueError):
    """An amendment to G that cannot be made; the message gives the reason and what to do."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def amend_refused_taken(
    request: AbsenceRequest, day: dt.date, session: Session, reason: str, actor: Actor, at: dt.datetime,
    loaded_revision_id: int | None,
) -> str:
    """Amend one session of refused leave from N or O to the policy's code for refused leave taken.

    Returns the code recorded. Raises ``AmendmentInvalid`` when the reason is missing, the
    request is not refused leave covering the session, or the mark is no longer N or O; and
    ``MarksConflict`` when someone changed the mark after it was listed.
    """
    if not reason.strip():
        raise AmendmentInvalid("reason", "the reason for the amendment is missing; say why the absence is refused leave taken")
    if request.status != Status.REFUSED or request.kind != RequestKind.LEAVE.value or not request.covers(day, session):
        raise AmendmentInvalid("session", f"{day:%d/%m/%Y} {session} is not a session of a refused leave request")
    listed = {(item.day, item.session) for item in refused_leave_taken(request.school, day) if item.request.pk == request.pk}
    if (day, session) not in listed:
        raise AmendmentInvalid(
            "session", f"the mark of {day:%d/%m/%Y} {session} is no longer N or O, so it is not amended; reload the list"
        )
    year = AcademicYear.objects.get(school_id=request.school_id, start_year=academic_year_of(day))
    context = YearContext.load(year)
    code = context.policy.leave.refused_taken_code
    record_marks(
        context, [MarkEntry(request.pupil, day, session, code)], actor, at=at, source=RevisionSource.AMENDMENT,
        reason=reason.strip(), loaded={(request.pupil_id, day, session.value): loaded_revision_id},
    )
    return code
