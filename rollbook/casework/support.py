"""Support plans, meetings, medical evidence and stage 3 weekly reports, each logged as it is recorded."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from rollbook.mail.outbox import queue_email
from rollbook.policy.measures import attendance_rate, count_sessions
from rollbook.policy.trigger_stages import Stage, latest_review_meeting
from rollbook.schools.models import Pupil, StaffRole

from . import people
from .log import log_entry
from .models import (
    EntryKind,
    MedicalEvidence,
    Meeting,
    MeetingKind,
    SupportPlan,
    TriggerCase,
    WeeklyReport,
)
from .stages import StageError, pupil_marks

logger = logging.getLogger(__name__)


class SupportInvalid(ValueError):
    """A plan, meeting or piece of evidence that cannot be recorded; names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def add_plan(pupil: Pupil, *, title: str, actions: str, agreed_on: dt.date, review_on: dt.date,
             case: TriggerCase | None, by, at: dt.datetime) -> SupportPlan:
    """Record an agreed support plan with its review date."""
    if review_on < agreed_on:
        raise SupportInvalid("review_on", f"review date {review_on:%-d %B %Y} is before the plan was agreed; choose a later date")
    with transaction.atomic():
        plan = SupportPlan.objects.create(
            school_id=pupil.school_id, pupil=pupil, case=case, title=title.strip(), actions=actions.strip(),
            agreed_on=agreed_on, review_on=review_on, created_by=by,
        )
        log_entry(pupil, EntryKind.SUPPORT_PLAN, f"Support plan agreed: {plan.title}"[:300], by, at,
                  details=f"{plan.actions}\n\nReview by {review_on:%-d %B %Y}.", reference=f"support-plan:{plan.pk}")
    return plan


def review_plan(plan: SupportPlan, *, notes: str, next_review_on: dt.date | None, on: dt.date, by, at: dt.datetime) -> SupportPlan:
    """Record a plan's review: the notes, and the next review date or the end of the plan (None)."""
    notes = notes.strip()
    if not notes:
        raise SupportInvalid("notes", "notes are empty; say what the review found")
    if next_review_on is not None and next_review_on <= on:
        raise SupportInvalid("next_review_on", f"next review {next_review_on:%-d %B %Y} is not after today; choose a later date")
    with transaction.atomic():
        if next_review_on is None:
            plan.ended_on = on
            summary = f"Support plan reviewed and ended: {plan.title}"
        else:
            plan.review_on = next_review_on
            summary = f"Support plan reviewed: {plan.title}; next review {next_review_on:%-d %B %Y}"
        plan.save(update_fields=["ended_on", "review_on"])
        log_entry(plan.pupil, EntryKind.SUPPORT_PLAN, summary[:300], by, at, details=notes, reference=f"support-plan:{plan.pk}")
    return plan


def schedule_meeting(pupil: Pupil, *, kind: MeetingKind | str, scheduled_for: dt.datetime, case: TriggerCase | None,
                     by, at: dt.datetime) -> Meeting:
    """Plan a meeting and log the invitation.

    A stage 3 review meeting must fall within the policy's gap after the previous meeting with
    the parents (or after stage 3 began), so that review meetings are at least that frequent.
    """
    kind = MeetingKind(kind)
    if kind == MeetingKind.REVIEW:
        _check_review_gap(case, scheduled_for)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            school_id=pupil.school_id, pupil=pupil, case=case, kind=kind, scheduled_for=scheduled_for, created_by=by
        )
        log_entry(pupil, EntryKind.MEETING, f"{kind.label} arranged for {scheduled_for:%-d %B %Y %H:%M}"[:300], by, at,
                  reference=f"meeting:{meeting.pk}")
    return meeting


def _check_review_gap(case: TriggerCase | None, scheduled_for: dt.datetime) -> None:
    if case is None or case.stage != Stage.STAGE_3:
        raise SupportInvalid("kind", "a stage 3 review meeting needs an open case at stage 3; choose another kind of meeting")
    stage_3 = case.steps.filter(stage=Stage.STAGE_3).order_by("began_on", "pk").first()
    earlier = (
        Meeting.objects.filter(case=case, kind__in=[MeetingKind.PARENT_AND_LA, MeetingKind.REVIEW],
                               scheduled_for__lt=scheduled_for)
        .order_by("-scheduled_for")
        .first()
    )
    previous = timezone.localtime(earlier.scheduled_for).date() if earlier else stage_3.began_on
    latest = latest_review_meeting(previous, case.academic_year.policy().triggers)
    if timezone.localtime(scheduled_for).date() > latest:
        raise SupportInvalid(
            "scheduled_for",
            f"review meetings are held at least every {case.academic_year.policy().triggers.monitoring_school_weeks} weeks; "
            f"the previous was on {previous:%-d %B %Y}, so choose a date on or before {latest:%-d %B %Y}",
        )


def record_meeting(meeting: Meeting, *, attendees: str, outcome: str, held_at: dt.datetime, by, at: dt.datetime) -> Meeting:
    """Record that a meeting was held, with who attended and what was agreed."""
    attendees, outcome = attendees.strip(), outcome.strip()
    if meeting.held:
        raise SupportInvalid("meeting", f"meeting {meeting.pk} is already recorded as held; log a note to add to it")
    if not attendees:
        raise SupportInvalid("attendees", "attendees are empty; list who attended, one a line")
    if not outcome:
        raise SupportInvalid("outcome", "outcome is empty; say what was agreed")
    if held_at > at:
        raise SupportInvalid("held_at", f"held at {held_at:%-d %B %Y %H:%M} is in the future; record a meeting once it is held")
    with transaction.atomic():
        meeting.attendees, meeting.outcome, meeting.held_at = attendees, outcome, held_at
        meeting.save(update_fields=["attendees", "outcome", "held_at"])
        log_entry(meeting.pupil, EntryKind.MEETING, f"{meeting.get_kind_display()} held: {outcome}"[:300], by, at,
                  details=f"Attendees:\n{attendees}\n\nOutcome:\n{outcome}", reference=f"meeting:{meeting.pk}")
    return meeting


def add_evidence(pupil: Pupil, *, covers_from: dt.date, covers_to: dt.date, description: str, received_on: dt.date,
                 by, at: dt.datetime) -> MedicalEvidence:
    """Record medical evidence received for absence for illness over a range of dates (inclusive)."""
    if covers_to < covers_from:
        raise SupportInvalid("covers_to", f"end date {covers_to:%-d %B %Y} is before the start date; check the dates")
    if not description.strip():
        raise SupportInvalid("description", "description is empty; say what was received, such as a GP letter")
    with transaction.atomic():
        evidence = MedicalEvidence.objects.create(
            school_id=pupil.school_id, pupil=pupil, covers_from=covers_from, covers_to=covers_to,
            description=description.strip(), received_on=received_on, recorded_by=by,
        )
        log_entry(pupil, EntryKind.NOTE,
                  f"Medical evidence received for {covers_from:%-d %B %Y} to {covers_to:%-d %B %Y}: {evidence.description}"[:300],
                  by, at, reference=f"medical-evidence:{evidence.pk}")
    return evidence


def send_weekly_report(case: TriggerCase, week_beginning: dt.date, by, at: dt.datetime) -> WeeklyReport:
    """E-mail a stage 3 pupil's attendance for one school week to the lead, class teacher and senior leaders.

    Raises ``StageError`` when the case is not at stage 3 or the week was already reported.
    """
    if case.stage != Stage.STAGE_3:
        raise StageError(f"trigger case {case.pk} is not at stage 3; weekly reports start at stage 3")
    if week_beginning.weekday() != 0:
        raise StageError(f"week beginning {week_beginning} is not a Monday; give the Monday of the school week")
    pupil = case.pupil
    marks = pupil_marks(pupil, case.academic_year)
    counts = count_sessions(marks, week_beginning, week_beginning + dt.timedelta(days=6))
    attended, possible = int(counts.attended[0]), int(counts.possible[0])
    recipients = (
        people.staff_with_role(pupil.school, StaffRole.ATTENDANCE_LEAD)
        + people.class_teachers(pupil, case.academic_year, week_beginning)
        + people.staff_with_role(pupil.school, StaffRole.SENIOR_LEADER)
    )
    rate = attendance_rate(attended, possible)
    line = f"{rate}% ({attended} of {possible} sessions)" if rate is not None else "no possible session"
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(
                school_id=pupil.school_id, case=case, week_beginning=week_beginning, attended=attended, possible=possible,
                recipients="\n".join(r.line() for r in recipients), sent_at=at, sent_by=by,
            )
            if people.addresses(recipients):
                queue_email(
                    pupil.school, people.addresses(recipients),
                    f"Weekly attendance: {pupil.forename} {pupil.surname}, week beginning {week_beginning:%-d %B %Y}",
                    f"{pupil.forename} {pupil.surname} is at attendance stage 3.\nAttendance in the week beginning "
                    f"{week_beginning:%-d %B %Y}: {line}.\n",
                    reference=f"weekly-report:{report.pk}",
                )
            log_entry(pupil, EntryKind.NOTE, f"Weekly report, week beginning {week_beginning:%-d %B %Y}: {line}", by, at,
                      details=f"Sent to: {people.described(recipients)}", reference=f"weekly-report:{report.pk}")
    except IntegrityError:
        raise StageError(f"the week beginning {week_beginning:%-d %B %Y} is already reported") from None
    return report
