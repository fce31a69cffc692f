"""Submitting a request, checking it against the policy, and withdrawing it.

``submit_request`` validates the request's fields, runs the policy checks and stores their
findings, so the headteacher reads them before deciding (see ``decisions.decide``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session, academic_year_of
from rollbook.policy.requests import (
    Licence,
    RequestFacts,
    RequestKind,
    check_request,
    project_licence_days,
    refusals,
)
from rollbook.schools.models import AcademicYear, Pupil

from .decisions import SYSTEM_ACTOR, decide
from .errors import RequestInvalid
from .figures import school_days_between, year_to_date
from .models import AbsenceRequest, Status

log = logging.getLogger(__name__)

# A longer absence than a term is not one request: ask the school.
MAX_REQUEST_SCHOOL_DAYS = 65


@dataclass
class RequestDetails:
    """The fields of a request as entered, before checking; which are needed depends on the kind."""

    kind: RequestKind
    reason: str
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    first_session: Session = Session.AM
    last_session: Session = Session.PM
    family_holiday: bool = False
    religious_body: str = ""
    days_set_apart: Sequence[dt.date] = ()
    occupational_travel: bool = False
    licence: Licence | None = None
    licence_reference: str = ""
    licence_dates: Sequence[dt.date] = field(default_factory=tuple)


def _year_for(pupil: Pupil, details: RequestDetails) -> AcademicYear:
    first, last = details.first_day, details.last_day
    if first is None:
        raise RequestInvalid("first_day", "the first day is missing; enter the first day of the absence")
    if last is None:
        raise RequestInvalid("last_day", "the last day is missing; enter the last day of the absence")
    if (last, details.last_session.offset) < (first, details.first_session.offset):
        raise RequestInvalid(
            "last_day",
            f"the absence ends ({last:%d/%m/%Y} {details.last_session}) before it starts "
            f"({first:%d/%m/%Y} {details.first_session}); check the dates",
        )
    if academic_year_of(first) != academic_year_of(last):
        raise RequestInvalid(
            "last_day", f"{first:%d/%m/%Y} to {last:%d/%m/%Y} spans two academic years; make one request for each year"
        )
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(first)).first()
    if year is None:
        raise RequestInvalid("first_day", f"{first:%d/%m/%Y} is not in an academic year the school has set up")
    return year


def _check_kind_fields(details: RequestDetails) -> None:
    if details.kind is RequestKind.RELIGIOUS:
        if not details.religious_body.strip():
            raise RequestInvalid("religious_body", "the religious body is missing; name the body that sets the days apart")
        if not details.days_set_apart:
            raise RequestInvalid("days_set_apart", "the days set apart are missing; enter each day the religious body sets apart")
    if details.kind is RequestKind.LICENCE:
        if details.licence is None:
            raise RequestInvalid("licence", "the licence is missing; say whether there is a licence and whether it names dates")
        if details.licence is not Licence.NONE and not details.licence_reference.strip():
            raise RequestInvalid("licence_reference", "the licence reference is missing; copy it from the licence")
        if details.licence is Licence.NAMED_DATES and not details.licence_dates:
            raise RequestInvalid("licence_dates", "the licence's dates are missing; enter each date the licence names")


def _facts(pupil: Pupil, year: AcademicYear, details: RequestDetails, asked_on: dt.date, days: list[dt.date]) -> RequestFacts:
    calendar = year.calendar()
    figures = year_to_date(pupil, year, asked_on)
    licence_days: tuple = ()
    if details.kind is RequestKind.LICENCE and details.licence is Licence.WITHOUT_DATES:
        licence_days = tuple(
            project_licence_days(
                figures, asked_on, days, calendar.school_days, year.policy().leave.licence_min_attendance_percent
            )
        )
    return RequestFacts(
        kind=details.kind,
        asked_on=asked_on,
        first_day=details.first_day,
        school_days=tuple(days),
        figures=figures,
        assessments=calendar.assessments,
        family_holiday=details.family_holiday,
        religious_body=details.religious_body.strip(),
        days_set_apart=tuple(details.days_set_apart),
        occupational_travel=details.occupational_travel,
        licence=details.licence or Licence.NONE,
        licence_dates=tuple(details.licence_dates),
        licence_days=licence_days,
    )


def submit_request(
    pupil: Pupil, details: RequestDetails, *, at: dt.datetime, submitted_by_name: str, submitted_by=None
) -> AbsenceRequest:
    """Check and store a request, with the findings of every policy check that applies to it.

    Raises ``RequestInvalid`` naming the field when a field its kind needs is missing, or the
    dates are reversed, span two academic years, fall outside the years set up or cover no
    school day. It is raised too when the pupil already has lunchtime leave in force or
    awaiting a decision. A licence that names every requested date is granted at once.
    """
    if not details.reason.strip():
        raise RequestInvalid("reason", "the reason is missing; say what the request is for")
    if not submitted_by_name.strip():
        raise RequestInvalid("submitted_by_name", "who made the request is missing; give their name")
    asked_on = at.astimezone(SCHOOL_TIME_ZONE).date()
    _check_kind_fields(details)

    if details.kind is RequestKind.LUNCHTIME:
        return _submit_lunchtime(pupil, details, at=at, asked_on=asked_on, name=submitted_by_name, user=submitted_by)

    year = _year_for(pupil, details)
    days = school_days_between(year.calendar(), details.first_day, details.last_day)
    if not days:
        raise RequestInvalid(
            "first_day", f"{details.first_day:%d/%m/%Y} to {details.last_day:%d/%m/%Y} has no school day; check the dates"
        )
    if len(days) > MAX_REQUEST_SCHOOL_DAYS:
        raise RequestInvalid(
            "last_day",
            f"the request covers {len(days)} school days, more than {MAX_REQUEST_SCHOOL_DAYS}; "
            "make a shorter request or speak to the school",
        )
    facts = _facts(pupil, year, details, asked_on, days)
    findings = check_request(facts, year.policy().leave)

    with transaction.atomic():
        request = AbsenceRequest.objects.create(
            school_id=pupil.school_id, pupil=pupil, kind=details.kind.value, reason=details.reason.strip(),
            submitted_at=at, asked_on=asked_on, submitted_by=submitted_by, submitted_by_name=submitted_by_name.strip(),
            first_day=details.first_day, first_session=details.first_session.value,
            last_day=details.last_day, last_session=details.last_session.value,
            family_holiday=details.family_holiday and details.kind is RequestKind.LEAVE,
            religious_body=details.religious_body.strip(),
            days_set_apart=sorted(day.isoformat() for day in set(details.days_set_apart)),
            occupational_travel=details.occupational_travel,
            licence=details.licence.value if details.licence else "",
            licence_reference=details.licence_reference.strip(),
            licence_dates=sorted(day.isoformat() for day in set(details.licence_dates)),
            findings=[finding.as_dict() for finding in findings],
            licence_days=[
                {"day": d.day.isoformat(), "attended": d.attended, "possible": d.possible, "below_minimum": d.below_minimum}
                for d in facts.licence_days
            ],
        )
        log.info("request %s (%s) submitted for school %s", request.pk, request.kind, request.school_id)
        if details.licence is Licence.NAMED_DATES and not refusals(findings):
            decide(
                request, grant=True, actor=SYSTEM_ACTOR, at=at,
                reasons="The local authority licence names these dates, so the sessions are authorised.",
            )
    return request


def _submit_lunchtime(pupil: Pupil, details: RequestDetails, *, at, asked_on, name, user) -> AbsenceRequest:
    with transaction.atomic():
        existing = (
            AbsenceRequest.objects.select_for_update()
            .filter(pupil=pupil, kind=RequestKind.LUNCHTIME.value, status__in=[Status.PENDING, Status.GRANTED])
            .first()
        )
        if existing is not None:
            raise RequestInvalid(
                "kind",
                f"the pupil already has lunchtime leave {existing.get_status_display().lower()}; "
                "withdraw it before asking again",
            )
        previous = (
            AbsenceRequest.objects.filter(pupil=pupil, kind=RequestKind.LUNCHTIME.value, status=Status.ENDED)
            .order_by("-ended_at").first()
        )
        request = AbsenceRequest.objects.create(
            school_id=pupil.school_id, pupil=pupil, kind=RequestKind.LUNCHTIME.value, reason=details.reason.strip(),
            submitted_at=at, asked_on=asked_on, submitted_by=user, submitted_by_name=name.strip(),
            renewal_of=previous, findings=[],
        )
    log.info("request %s (lunchtime) submitted for school %s", request.pk, request.school_id)
    return request


def parse_dates(text: str, field_name: str) -> list[dt.date]:
    """Parse dates written one a line or separated by commas, as YYYY-MM-DD or DD/MM/YYYY.

    Raises ``RequestInvalid`` naming the field and the first unreadable date.
    """
    days = []
    for part in text.replace(",", "\n").split():
        part = part.strip()
        if not part:
            continue
        try:
            day = dt.datetime.strptime(part, "%d/%m/%Y").date() if "/" in part else dt.date.fromisoformat(part)
        except ValueError:
            raise RequestInvalid(
                field_name, f"{part!r} is not a date; write each date as DD/MM/YYYY, such as 14/04/2026"
            ) from None
        days.append(day)
    return sorted(set(days))


def withdraw(request: AbsenceRequest, *, by_name: str, at: dt.datetime) -> None:
    """Withdraw a request awaiting a decision, or lunchtime leave in force (either side may).

    Raises ``RequestInvalid`` when the request is decided (other than lunchtime leave granted)
    or already withdrawn or ended.
    """
    with transaction.atomic():
        current = AbsenceRequest.objects.select_for_update().get(pk=request.pk)
        lunchtime_in_force = current.kind == RequestKind.LUNCHTIME.value and current.status == Status.GRANTED
        if current.status != Status.PENDING and not lunchtime_in_force:
            raise RequestInvalid(
                "status", f"this request is {current.get_status_display().lower()}, so it cannot be withdrawn"
            )
        current.status = Status.WITHDRAWN
        current.withdrawn_at = at
        current.withdrawn_by_name = by_name
        current.save(update_fields=["status", "withdrawn_at", "withdrawn_by_name"])
    request.refresh_from_db()
    log.info("request %s withdrawn for school %s", request.pk, request.school_id)


def days_text(days: Iterable[dt.date]) -> str:
    return ", ".join(f"{day:%a} {day.day} {day:%b %Y}" for day in days)
