"""Lunchtime leave at the office: signing out and back in inside the policy's window, and renewal each term."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import academic_year_of
from rollbook.policy.requests import RequestKind, is_late_return, sign_in_problem, sign_out_problem
from rollbook.schools.models import AcademicYear, School

from .errors import RequestInvalid
from .models import AbsenceRequest, LunchtimeSigning, Status

log = logging.getLogger(__name__)


def leave_in_force(school: School, day: dt.date):
    """Return the lunchtime leave granted and in force on ``day``, with pupils, by surname."""
    return (
        AbsenceRequest.objects.filter(
            school=school, kind=RequestKind.LUNCHTIME.value, status=Status.GRANTED, valid_until__gte=day,
        )
        .select_related("pupil")
        .order_by("pupil__surname", "pupil__forename", "pk")
    )


def _policy_on(school_id: int, day: dt.date):
    year = AcademicYear.objects.filter(school_id=school_id, start_year=academic_year_of(day)).first()
    if year is None:
        raise RequestInvalid("day", f"{day:%d/%m/%Y} is not in an academic year the school has set up")
    if not year.calendar().is_school_day(day):
        raise RequestInvalid("day", f"{day:%d/%m/%Y} is not a school day, so there is no lunchtime signing")
    return year.policy()


def sign_out(request: AbsenceRequest, *, at: dt.datetime, by_name: str) -> LunchtimeSigning:
    """Sign a pupil with lunchtime leave out at the office at ``at``.

    Raises ``RequestInvalid`` when the leave is not in force that day, the time is outside the
    sign-out window, or the pupil was already signed out that day.
    """
    local = at.astimezone(SCHOOL_TIME_ZONE)
    day = local.date()
    if request.kind != RequestKind.LUNCHTIME.value or request.status != Status.GRANTED or not request.valid_until or request.valid_until < day:
        raise RequestInvalid("request", "this pupil has no lunchtime leave in force today; they may not sign out")
    policy = _policy_on(request.school_id, day)
    problem = sign_out_problem(local.time().replace(second=0, microsecond=0), policy.lunchtime)
    if problem:
        raise RequestInvalid("time", problem[0].upper() + problem[1:])
    try:
        with transaction.atomic():
            signing = LunchtimeSigning.objects.create(
                school_id=request.school_id, request=request, pupil_id=request.pupil_id, day=day,
                signed_out_at=at, signed_out_by=by_name,
            )
    except IntegrityError:
        raise RequestInvalid("request", "this pupil has already signed out for lunch today") from None
    log.info("lunchtime sign-out %s for request %s (school %s)", signing.pk, request.pk, request.school_id)
    return signing


def sign_in(signing: LunchtimeSigning, *, at: dt.datetime, by_name: str) -> LunchtimeSigning:
    """Sign a pupil back in; a return after the latest time is recorded and flagged as late.

    Raises ``RequestInvalid`` when the pupil is already back or the time is before they left.
    """
    local = at.astimezone(SCHOOL_TIME_ZONE)
    policy = _policy_on(signing.school_id, signing.day)
    with transaction.atomic():
        current = LunchtimeSigning.objects.select_for_update().get(pk=signing.pk)
        if current.signed_in_at is not None:
            raise RequestInvalid("signing", "this pupil is already signed back in")
        out_time = current.signed_out_at.astimezone(SCHOOL_TIME_ZONE).time().replace(second=0, microsecond=0)
        now_time = local.time().replace(second=0, microsecond=0)
        problem = sign_in_problem(now_time, out_time, policy.lunchtime)
        if local.date() != current.day or problem:
            raise RequestInvalid("time", problem or "a pupil signs back in on the day they signed out; check the date")
        current.signed_in_at = at
        current.signed_in_by = by_name
        current.late_return = is_late_return(now_time, policy.lunchtime)
        current.save(update_fields=["signed_in_at", "signed_in_by", "late_return"])
    log.info("lunchtime sign-in %s (late %s, school %s)", current.pk, current.late_return, current.school_id)
    return current


def end_expired_leave(school: School, today: dt.date, at: dt.datetime) -> str:
    """End lunchtime leave past its last day (``valid_until`` before ``today``), so it must be renewed.

    Idempotent: leave already ended is left alone, so running it again, or after missed days,
    ends each expired grant once. Returns a summary with the number of grants ended.
    """
    ended = AbsenceRequest.objects.filter(
        school=school, kind=RequestKind.LUNCHTIME.value, status=Status.GRANTED, valid_until__lt=today,
    ).update(status=Status.ENDED, ended_at=at)
    if ended:
        log.info("ended %s lunchtime leave grant(s) at the end of term for school %s", ended, school.pk)
    return f"ended {ended} lunchtime leave grant(s) due for renewal"
