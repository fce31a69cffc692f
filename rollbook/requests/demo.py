"""Demo requests for the demo school, so its pages show requests in each state."""

from __future__ import annotations

import datetime as dt
import logging

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import academic_year_of
from rollbook.policy.requests import Licence, RequestKind
from rollbook.registers.services import Actor
from rollbook.schools.models import AcademicYear, ParentLink, Pupil, School

from .decisions import decide
from .models import AbsenceRequest
from .services import RequestDetails, submit_request

log = logging.getLogger(__name__)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SCHOOL_TIME_ZONE)


def _school_day_on_or_after(days: list[dt.date], day: dt.date) -> dt.date | None:
    return next((d for d in days if d >= day), None)


def add_demo_requests(school: School, parent_user, parent_name: str, head: Actor, today: dt.date) -> int:
    """Link the demo parent to the school's first pupil and add demo requests around ``today``.

    Adds nothing when the school already has a request, so loading the demo again changes
    nothing. Returns how many requests were added.
    """
    if AbsenceRequest.objects.filter(school=school).exists():
        return 0
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(today)).first()
    pupils = list(Pupil.objects.filter(school=school).order_by("upn")[:4])
    if year is None or len(pupils) < 4:
        return 0
    child, second, third, fourth = pupils
    ParentLink.objects.get_or_create(school=school, user=parent_user, pupil=child)
    days = list(year.calendar().school_days)
    asked = _at(today, 18)
    added = []

    later = _school_day_on_or_after(days, today + dt.timedelta(days=21))
    if later is not None:
        added.append(submit_request(
            child, RequestDetails(kind=RequestKind.LEAVE, reason="A family wedding in Aberystwyth", first_day=later, last_day=later),
            at=asked, submitted_by_name=parent_name, submitted_by=parent_user,
        ))
    soon = _school_day_on_or_after(days, today + dt.timedelta(days=10))
    if soon is not None:
        added.append(submit_request(
            child, RequestDetails(kind=RequestKind.LEAVE, reason="A week's holiday in Portugal", first_day=soon,
                                  last_day=soon + dt.timedelta(days=2), family_holiday=True),
            at=asked, submitted_by_name=parent_name, submitted_by=parent_user,
        ))
        added.append(submit_request(
            third, RequestDetails(kind=RequestKind.LICENCE, reason="Rehearsals for a touring pantomime", first_day=soon,
                                  last_day=soon, licence=Licence.WITHOUT_DATES, licence_reference="LA-DEMO-0007"),
            at=asked, submitted_by_name="Priya Lanyon",
        ))

    past = [d for d in days if d <= today - dt.timedelta(days=14)]
    if len(past) >= 2:
        refused = submit_request(
            second, RequestDetails(kind=RequestKind.LEAVE, reason="Cheaper flights before half-term", first_day=past[-2],
                                   last_day=past[-1], family_holiday=True),
            at=_at(past[-2] - dt.timedelta(days=5), 19), submitted_by_name="Dylan Ormerod",
        )
        decide(refused, grant=False, actor=head, at=_at(past[-2] - dt.timedelta(days=3), 16))
        added.append(refused)

    # Lunchtime leave runs to the end of the term it is granted in, so it is decided on a school
    # day: the last one before ``today``, which is after the year's last term once the year is over.
    decided_on = next((day for day in reversed(days) if day < today), None)
    if decided_on is not None:
        lunch = submit_request(
            fourth, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch at home with a grandparent"),
            at=_at(decided_on - dt.timedelta(days=2), 18), submitted_by_name="Hollie Brack",
        )
        decide(lunch, grant=True, actor=head, at=_at(decided_on, 15))
        added.append(lunch)
    log.info("added %s demo requests for school %s", len(added), school.pk)
    return len(added)
