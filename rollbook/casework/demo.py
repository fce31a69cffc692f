"""Demo casework for the demo school: trigger cases at different stages, a support plan and an incident.

It works on whatever marks the demo school has, so it runs after ``rollbook load_demo``. Every
step goes through the casework services, dated in the past as the attendance lead would have
taken it, so the demo's records read like a real school's.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from rollbook.letters.kinds import LetterKind
from rollbook.letters.models import DeliveryMethod
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import academic_year_of
from rollbook.policy.rules import Rule
from rollbook.reports.services import actions_due
from rollbook.schools.models import AcademicYear, Pupil, School, StaffRole

from . import incidents, letters, stages, support
from .models import TriggerCase

logger = logging.getLogger(__name__)

# How many pupils get a trigger case, and how many school days before the demo day stage 1 began.
DEMO_CASES = 3
STAGE_1_SCHOOL_DAYS_AGO = 25


class DemoCaseworkError(ValueError):
    """The demo casework cannot be added; the message names what to run first."""


@dataclass
class DemoCasework:
    cases: list[TriggerCase] = field(default_factory=list)
    reviews: int = 0
    letters: int = 0
    plans: int = 0
    incidents: int = 0


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SCHOOL_TIME_ZONE)


def add_demo_casework(school: School, on: dt.date) -> DemoCasework:
    """Add the demo casework as of ``on`` and return what was added.

    Raises ``DemoCaseworkError`` when the school has no attendance lead or academic year, or
    already has trigger cases (so running it twice adds nothing).
    """
    lead = get_user_model().objects.filter(memberships__school=school, memberships__role=StaffRole.ATTENDANCE_LEAD).first()
    head = get_user_model().objects.filter(memberships__school=school, memberships__role=StaffRole.SENIOR_LEADER).first()
    if lead is None or head is None:
        raise DemoCaseworkError("the school has no attendance lead or senior leader; run rollbook load_demo first")
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(on)).first()
    if year is None:
        raise DemoCaseworkError(f"the school has no academic year containing {on}; run rollbook load_demo first")
    if TriggerCase.objects.filter(school=school).exists():
        raise DemoCaseworkError("the school already has trigger cases, so the demo casework is loaded already")

    days = [day for day in year.calendar().school_days if day <= on]
    if len(days) <= STAGE_1_SCHOOL_DAYS_AGO:
        raise DemoCaseworkError(f"too few school days up to {on} for the demo casework; load marks for a later date")
    began = days[-STAGE_1_SCHOOL_DAYS_AGO - 1]

    added = DemoCasework()
    below_threshold = [due.pupil for due in actions_due(school, began) if due.rule is Rule.TRIGGER_STAGE_1]
    for pupil in below_threshold[:DEMO_CASES]:
        added.cases.append(_demo_case(pupil, began, on, lead, added))

    if added.cases:
        pupil = added.cases[0].pupil
        support.add_plan(pupil, title="Morning routine", actions="Breakfast club place from Monday; the class teacher greets the pupil at the gate.",
                         agreed_on=began, review_on=min(on + dt.timedelta(days=14), year.calendar().end), case=added.cases[0],
                         by=lead, at=_at(began, 15))
        added.plans += 1

    incident_pupil = Pupil.objects.filter(school=school).order_by("-upn").first()
    if incident_pupil is not None:
        _demo_incident(incident_pupil, days[-2], head)
        added.incidents += 1
    logger.info("Demo casework added for school %s: %s cases", school.pk, len(added.cases))
    return added


def _demo_case(pupil: Pupil, began: dt.date, on: dt.date, lead, added: DemoCasework) -> TriggerCase:
    case = stages.start_stage_1(pupil, began, lead, _at(began, 10))
    letters.send(pupil, LetterKind.TRIGGER_1, DeliveryMethod.PRINT, on=began, at=_at(began, 11), user=lead,
                 sender_values={"review_date": case.current_step().review_on})
    added.letters += 1
    step = case.current_step()
    if step.review_on <= on:
        try:
            stages.review_stage(case, step.review_on, lead, _at(step.review_on, 10))
        except stages.StageError as error:
            logger.info("Demo case %s left unreviewed: %s", case.pk, error)
        else:
            added.reviews += 1
    case.refresh_from_db()
    return case


def _demo_incident(pupil: Pupil, day: dt.date, head) -> None:
    opened = _at(day, 13)
    incident = incidents.open_incident(pupil, "missing-child", "Not in class at the start of the afternoon; last seen in the playground at 12:55.",
                                       head, opened)
    steps = (
        (2, {"follow_up": "head-informed", "outcome": "Headteacher told by the class teacher"}),
        (4, {"follow_up": "class-supervised", "outcome": "Teaching assistant stays with the class"}),
        (8, {"follow_up": "search-toilets", "place": "All toilets", "outcome": "Not found"}),
        (11, {"follow_up": "search-library", "place": "Library and computing suite", "outcome": "Found reading in the library",
              "found": True}),
        (20, {"follow_up": "found-informed", "called": "Mother", "outcome": "Mother told the pupil is safe"}),
    )
    for minutes, options in steps:
        incidents.add_step(incident, at=opened + dt.timedelta(minutes=minutes), by=head, **options)
    incidents.add_step(incident, at=opened + dt.timedelta(minutes=30), by=head, follow_up="pupil-cared-for",
                       outcome="Pupil safe and well; talked through staying in class", close=True)
