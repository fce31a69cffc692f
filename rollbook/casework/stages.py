"""Moving a pupil through the trigger stages: start stage 1, review each monitoring period, close.

Each step is one transaction: the case, its step, its log entries, the decision on the
action that raised it and the e-mails telling staff all commit together or not at all.
E-mail goes out after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction

from rollbook.mail.outbox import queue_email
from rollbook.policy.calendar import Session, academic_year_of
from rollbook.policy.codes import CODE_BYTES
from rollbook.policy.marks import YearMarks
from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.trigger_stages import (
    IllnessSession,
    ImprovementTest,
    MonitoringPeriod,
    ReviewOutcome,
    Stage,
    judge_period,
    monitoring_period,
    review_outcome,
    sessions_without_evidence,
)
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Pupil, StaffRole

from . import people
from .log import log_entry
from .models import (
    ActionDecision,
    CaseStatus,
    Decision,
    EntryKind,
    MedicalEvidence,
    StageStep,
    TriggerCase,
)

logger = logging.getLogger(__name__)

ILLNESS_CODE = "I"


class StageError(ValueError):
    """A stage step that cannot be taken; the message gives the reason and what to do instead."""


def year_of(pupil: Pupil, on: dt.date) -> AcademicYear:
    """Return the pupil's school's academic year containing ``on``, raising ``StageError`` without one."""
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(on)).first()
    if year is None:
        raise StageError(f"the school has no academic year containing {on:%-d %B %Y}; import the year's calendar first")
    return year


def pupil_marks(pupil: Pupil, year: AcademicYear) -> YearMarks:
    return load_year_marks(year, [pupil])


def open_case(pupil: Pupil) -> TriggerCase | None:
    return TriggerCase.objects.filter(school_id=pupil.school_id, pupil=pupil, status=CaseStatus.OPEN).first()


def _author(by) -> str:
    return by.get_full_name() or by.get_username()


def start_stage_1(pupil: Pupil, on: dt.date, by, at: dt.datetime) -> TriggerCase:
    """Open a trigger case at stage 1 for a pupil who meets the stage 1 rule on ``on``.

    Records the case and its step with the rule's evidence, the monitoring period and review
    date, e-mails the class teachers who have an address, marks the stage 1 action done, and
    logs each step.
    The stage 1 letter is due until it is produced. Raises ``StageError`` when the pupil does
    not meet the rule, has a case open already, or no school week is left to monitor.
    """
    year = year_of(pupil, on)
    marks = pupil_marks(pupil, year)
    finding = next((met for met in evaluate_rules(marks, on) if met.rule is Rule.TRIGGER_STAGE_1), None)
    if finding is None:
        raise StageError(
            f"pupil {pupil.upn} does not meet the stage 1 rule on {on:%-d %B %Y}: attendance is not below this "
            "term's threshold, or there are too few possible sessions yet"
        )
    if open_case(pupil) is not None:
        raise StageError(f"pupil {pupil.upn} already has an open trigger case; review it instead of starting another")
    period = monitoring_period(marks.calendar, on, marks.policy.triggers.monitoring_school_weeks)
    if period is None:
        raise StageError(f"no school week is left after {on:%-d %B %Y} to monitor; start stage 1 in the next academic year")

    with transaction.atomic():
        case = TriggerCase.objects.create(
            school_id=pupil.school_id, pupil=pupil, academic_year=year, opened_on=on, stage=Stage.STAGE_1
        )
        step = _begin_step(case, Stage.STAGE_1, on, finding.detail, period, by, at)
        ActionDecision.objects.create(
            school_id=pupil.school_id, pupil=pupil, rule=Rule.TRIGGER_STAGE_1.value, since=finding.since,
            decision=Decision.DONE, reason=f"Stage 1 started on {on:%-d %B %Y}", by=by, by_name=_author(by), at=at,
        )
        _tell_teachers(step, year, on, at, by)
    logger.info("Trigger case %s opened at stage 1 for pupil %s by user %s", case.pk, pupil.pk, by.pk)
    return case


def _begin_step(case: TriggerCase, stage: Stage, on: dt.date, evidence: str, period, by, at: dt.datetime) -> StageStep:
    step = StageStep.objects.create(
        school_id=case.school_id, case=case, stage=stage, began_on=on, evidence=evidence[:300],
        started_by=by, started_at=at,
        monitoring_start=period.start, monitoring_end=period.end, review_on=period.review_on,
    )
    case.stage = stage
    case.save(update_fields=["stage"])
    shortened = "" if period.complete else f" (cut short to {period.school_weeks} school weeks by the end of the year)"
    log_entry(
        case.pupil, EntryKind.STAGE, f"Stage {stage.number} started: {evidence}"[:300], by, at,
        details=(
            f"Monitoring from {period.start:%-d %B %Y} to {period.end:%-d %B %Y}{shortened}. "
            f"Next review on {period.review_on:%-d %B %Y}. Letter {stage.number} is due."
        ),
        reference=f"trigger-step:{step.pk}",
    )
    return step


def _tell_teachers(step: StageStep, year: AcademicYear, on: dt.date, at: dt.datetime, by) -> None:
    pupil = step.case.pupil
    body = (
        f"{pupil.forename} {pupil.surname} reached attendance stage {step.stage_number} on {step.began_on:%-d %B %Y}.\n"
        f"{step.evidence}.\n\nAttendance is monitored from {step.monitoring_start:%-d %B %Y} to "
        f"{step.monitoring_end:%-d %B %Y}; the review is on {step.review_on:%-d %B %Y}.\n"
    )
    told = _email_staff(step, people.class_teachers(pupil, year, on),
                        f"Attendance: {pupil.forename} {pupil.surname} is at stage {step.stage_number}", body)
    if told:
        step.teacher_told, step.teacher_told_at = told[:300], at
        step.save(update_fields=["teacher_told", "teacher_told_at"])
        summary = f"Class teacher told of stage {step.stage_number}: {told}"
    else:
        summary = f"No class teacher with an e-mail address to tell of stage {step.stage_number}; tell them in person"
    log_entry(pupil, EntryKind.NOTE, summary[:300], by, at, reference=f"trigger-step:{step.pk}")


def _alert_la_officers(step: StageStep, at: dt.datetime, by) -> None:
    pupil = step.case.pupil
    body = (
        f"{pupil.forename} {pupil.surname} (UPN {pupil.upn}) at {pupil.school.name} reached attendance "
        f"stage {step.stage_number} on {step.began_on:%-d %B %Y}.\n{step.evidence}.\n"
    )
    told = _email_staff(step, people.staff_with_role(pupil.school, StaffRole.LA_OFFICER),
                        f"Attendance alert: pupil {pupil.upn} at stage {step.stage_number}", body)
    if told:
        step.la_officer_told, step.la_officer_told_at = told[:300], at
        step.save(update_fields=["la_officer_told", "la_officer_told_at"])
        summary = f"LA attendance officer alerted of stage {step.stage_number}: {told}"
    else:
        summary = (
            f"No LA attendance officer with an e-mail address to alert of stage {step.stage_number}; "
            "alert the local authority by its usual route and log it"
        )
    log_entry(pupil, EntryKind.LA_NOTICE, summary[:300], by, at, reference=f"trigger-step:{step.pk}")


def _email_staff(step: StageStep, recipients: list[people.Recipient], subject: str, body: str) -> str:
    """E-mail the recipients who have an address and return them as one line; "" when none has one."""
    reachable = [recipient for recipient in recipients if recipient.email]
    if reachable:
        queue_email(step.school, people.addresses(reachable), subject, body, reference=f"trigger-step:{step.pk}")
    return people.described(reachable) if reachable else ""


@dataclass(frozen=True)
class ReviewPreview:
    """The outcome a review would record now, shown before the attendance lead confirms it."""

    step: StageStep
    test: ImprovementTest
    outcome: ReviewOutcome


def preview_review(case: TriggerCase, on: dt.date) -> ReviewPreview:
    """Judge the current step's monitoring period without recording anything.

    Raises ``StageError`` when the case is closed or its review date has not come yet.
    """
    if case.status != CaseStatus.OPEN:
        raise StageError(f"trigger case {case.pk} is closed ({case.get_status_display().lower()}); nothing to review")
    step = case.current_step()
    if on < step.review_on:
        raise StageError(
            f"the stage {step.stage_number} review is due on {step.review_on:%-d %B %Y}, after monitoring ends on "
            f"{step.monitoring_end:%-d %B %Y}; review it on or after that day"
        )
    marks = pupil_marks(case.pupil, case.academic_year)
    period = MonitoringPeriod(
        start=step.monitoring_start, end=step.monitoring_end, review_on=step.review_on, school_weeks=0, complete=True
    )
    test = judge_period(marks, 0, period)
    return ReviewPreview(step=step, test=test, outcome=review_outcome(Stage(step.stage), test))


def review_stage(case: TriggerCase, on: dt.date, by, at: dt.datetime) -> ReviewPreview:
    """Record the review of the current stage and act on its outcome, returning what was decided.

    Improved: the case closes and the improved-attendance letter is due. Not improved: the
    next stage starts on ``on`` with its letter due, and the class teacher and the LA
    attendance officer are told. Stage 2 also requires medical evidence for further illness
    absence and offers a support meeting. Stage 3 adds weekly reports and review meetings.
    Not improved at stage 3: stage 3 continues with a new monitoring period. Raises ``StageError`` as ``preview_review`` does,
    and when a session of the monitoring period has no mark yet.
    """
    with transaction.atomic():
        case = TriggerCase.objects.select_for_update().get(pk=case.pk)
        preview = preview_review(case, on)
        step, test = preview.step, preview.test
        if not test.complete:
            raise StageError(
                f"{test.missing} possible session(s) of the monitoring period have no mark yet; "
                "complete those registers before the review"
            )
        step.reviewed_at = at
        step.reviewed_by = by
        step.review_attended = test.attended
        step.review_possible = test.possible
        step.review_outcome = preview.outcome
        step.review_evidence = test.describe()[:300]
        step.save()
        log_entry(
            case.pupil, EntryKind.DECISION,
            f"Stage {step.stage_number} review: {_outcome_words(preview.outcome, Stage(step.stage))}", by, at,
            details=test.describe(), reference=f"trigger-step:{step.pk}",
        )
        if preview.outcome is ReviewOutcome.IMPROVED:
            case.status = CaseStatus.IMPROVED
            case.closed_on = on
            case.closed_reason = test.describe()[:300]
            case.save(update_fields=["status", "closed_on", "closed_reason"])
            log_entry(case.pupil, EntryKind.STAGE, "Attendance improved: the improved-attendance letter is due", by, at,
                      reference=f"trigger-case:{case.pk}")
        else:
            _next_step(case, step, preview, on, by, at)
    logger.info("Trigger case %s reviewed (%s) by user %s", case.pk, preview.outcome.value, by.pk)
    return preview


def _outcome_words(outcome: ReviewOutcome, stage: Stage) -> str:
    if outcome is ReviewOutcome.IMPROVED:
        return "attendance improved"
    if outcome is ReviewOutcome.ESCALATED:
        return f"not improved, moving to stage {stage.next.number}"
    return "not improved, stage 3 continues"


def _next_step(case: TriggerCase, step: StageStep, preview: ReviewPreview, on: dt.date, by, at: dt.datetime) -> None:
    stage = Stage(step.stage).next or Stage.STAGE_3
    marks = pupil_marks(case.pupil, case.academic_year)
    period = monitoring_period(marks.calendar, on, marks.policy.triggers.monitoring_school_weeks)
    if period is None:
        raise StageError(f"no school week is left after {on:%-d %B %Y} to monitor; close the case and restart next year")
    new_step = _begin_step(case, stage, on, preview.test.describe(), period, by, at)
    if preview.outcome is ReviewOutcome.CONTINUED:
        return
    _tell_teachers(new_step, case.academic_year, on, at, by)
    _alert_la_officers(new_step, at, by)
    pupil = case.pupil
    if stage is Stage.STAGE_2:
        log_entry(pupil, EntryKind.DECISION, "Medical evidence now required for any further absence for illness", by, at,
                  reference=f"trigger-step:{new_step.pk}")
        log_entry(pupil, EntryKind.MEETING, "Support meeting to be offered to the parents", by, at,
                  reference=f"trigger-step:{new_step.pk}")
    if stage is Stage.STAGE_3:
        log_entry(
            pupil, EntryKind.DECISION,
            "Stage 3: weekly reports to the attendance lead, class teacher and senior leaders; meeting with the "
            "parents and the LA attendance officer; review meetings at least every 4 weeks; legal intervention "
            "to be considered", by, at, reference=f"trigger-step:{new_step.pk}",
        )


def close_case(case: TriggerCase, reason: str, on: dt.date, by, at: dt.datetime) -> TriggerCase:
    """Close an open case for a reason other than improvement (the pupil left, the lead decided)."""
    reason = reason.strip()
    if not reason:
        raise StageError("a reason is required to close a trigger case; say why it ends without improvement")
    with transaction.atomic():
        case = TriggerCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise StageError(f"trigger case {case.pk} is already closed")
        case.status = CaseStatus.CLOSED
        case.closed_on = on
        case.closed_reason = reason[:300]
        case.save(update_fields=["status", "closed_on", "closed_reason"])
        log_entry(case.pupil, EntryKind.DECISION, f"Trigger case closed: {reason}"[:300], by, at,
                  reference=f"trigger-case:{case.pk}")
    return case


def illness_without_evidence(case: TriggerCase, on: dt.date) -> list[IllnessSession]:
    """Return the illness sessions since stage 2 began, up to ``on``, that no medical evidence covers.

    Empty for a case that has not reached stage 2. Illness is the code ``I`` in both code sets.
    """
    stage_2 = case.steps.filter(stage__in=[Stage.STAGE_2, Stage.STAGE_3]).order_by("began_on", "pk").first()
    if stage_2 is None:
        return []
    marks = pupil_marks(case.pupil, case.academic_year)
    illness_byte = CODE_BYTES[ILLNESS_CODE]
    sessions = []
    for day in marks.calendar.school_days:
        if day < stage_2.began_on or day > on:
            continue
        index = (day - marks.calendar.start).days
        if not marks.on_roll[0, index]:
            continue
        for session in Session:
            if marks.codes[0, 2 * index + session.offset] == illness_byte:
                sessions.append(IllnessSession(day, session))
    evidence = list(MedicalEvidence.objects.filter(pupil=case.pupil).values_list("covers_from", "covers_to"))
    return sessions_without_evidence(sessions, evidence)


def stage_1_finding(pupil: Pupil, on: dt.date):
    """Return the pupil's stage 1 rule finding on ``on`` (a ``RuleMet``), or None when the rule is not met."""
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(on)).first()
    if year is None:
        return None
    return next((met for met in evaluate_rules(pupil_marks(pupil, year), on) if met.rule is Rule.TRIGGER_STAGE_1), None)
