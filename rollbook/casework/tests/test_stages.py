"""The trigger stage workflow on stored marks: stage 1 to improved, stage 2, stage 3."""

import datetime as dt

import pytest

from rollbook.casework import stages, support
from rollbook.casework.models import (
    ActionDecision,
    CaseStatus,
    CorrespondenceEntry,
    Decision,
    EntryKind,
    StageStep,
    TriggerCase,
)
from rollbook.mail.models import OutgoingEmail
from rollbook.policy.calendar import Session
from rollbook.policy.trigger_stages import ReviewOutcome
from rollbook.registers.models import RevisionSource
from rollbook.registers.services import Actor, MarkEntry, YearContext, record_marks

from .conftest import REVIEW_DAY, STAGE_1_DAY, london

PERIOD_START, PERIOD_END = dt.date(2025, 10, 6), dt.date(2025, 11, 7)


def start(fernhill):
    return stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))


def test_stage_1_records_step_and_dates(fernhill_any_policy):
    fernhill = fernhill_any_policy

    case = start(fernhill)

    step = case.current_step()
    assert case.status == CaseStatus.OPEN
    assert step.stage == "stage-1"
    assert (step.monitoring_start, step.monitoring_end, step.review_on) == (PERIOD_START, PERIOD_END, REVIEW_DAY)
    assert "below the autumn threshold of 90%" in step.evidence
    assert step.letter_due


def test_stage_1_tells_class_teacher(fernhill):
    case = start(fernhill)

    step = case.current_step()
    assert step.teacher_told == "Nadia Brook (Class teacher)"
    emails = OutgoingEmail.objects.filter(reference=f"trigger-step:{step.pk}")
    assert [email.recipient_list for email in emails] == [["ash-teacher@fernhill.example"]]
    assert step.la_officer_told == ""


def test_stage_1_logs_and_marks_action_done(fernhill):
    case = start(fernhill)

    kinds = list(CorrespondenceEntry.objects.filter(pupil=fernhill.ivy).values_list("kind", flat=True))
    assert EntryKind.STAGE in kinds
    assert EntryKind.NOTE in kinds
    decision = ActionDecision.objects.get(pupil=fernhill.ivy)
    assert decision.rule == "trigger-stage-1"
    assert decision.decision == Decision.DONE
    assert decision.since == dt.date(2025, 9, 12)  # the 10th school day: 20 possible sessions
    assert case.opened_on == STAGE_1_DAY


def test_stage_1_rejected_when_rule_not_met(fernhill):
    with pytest.raises(stages.StageError, match="does not meet the stage 1 rule"):
        stages.start_stage_1(fernhill.leo, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    assert not TriggerCase.objects.exists()


def test_stage_1_rejected_twice(fernhill):
    start(fernhill)

    with pytest.raises(stages.StageError, match="already has an open trigger case"):
        start(fernhill)

    assert TriggerCase.objects.count() == 1


def test_stage_1_rejected_without_year(fernhill):
    with pytest.raises(stages.StageError, match="no academic year"):
        stages.start_stage_1(fernhill.ivy, dt.date(2027, 1, 6), fernhill.lead, london(STAGE_1_DAY))


def test_review_not_before_review_date(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), PERIOD_END)

    with pytest.raises(stages.StageError, match="review is due on 10 November 2025"):
        stages.preview_review(case, REVIEW_DAY - dt.timedelta(days=1))

    assert stages.preview_review(case, REVIEW_DAY).test.possible == 40


def test_review_rejects_missing_marks(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), PERIOD_END - dt.timedelta(days=1))

    with pytest.raises(stages.StageError, match="2 possible session"):
        stages.review_stage(case, REVIEW_DAY, fernhill.lead, london(REVIEW_DAY))

    assert StageStep.objects.get().reviewed_at is None
    assert TriggerCase.objects.get().status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("absent_sessions", "outcome"),
    [
        (4, ReviewOutcome.IMPROVED),  # 36 of 40 sessions: exactly 90%, at the threshold
        (5, ReviewOutcome.ESCALATED),  # 35 of 40: 87.5%, below it
    ],
)
def test_review_boundary(fernhill_any_policy, absent_sessions, outcome):
    fernhill = fernhill_any_policy
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), PERIOD_END)
    days = fernhill.school_days(PERIOD_START, PERIOD_END)
    entries = [
        MarkEntry(fernhill.ivy, days[i // 2], Session.AM if i % 2 == 0 else Session.PM, "O") for i in range(absent_sessions)
    ]
    record_marks(YearContext.load(fernhill.year), entries, Actor("Office", "office"), at=london(PERIOD_END, 17),
                 source=RevisionSource.AMENDMENT, reason="Absence found later")

    preview = stages.review_stage(case, REVIEW_DAY, fernhill.lead, london(REVIEW_DAY))

    case.refresh_from_db()
    assert preview.outcome is outcome
    assert preview.test.attended == 40 - absent_sessions
    assert preview.test.possible == 40
    if outcome is ReviewOutcome.IMPROVED:
        assert case.status == CaseStatus.IMPROVED
        assert case.closed_on == REVIEW_DAY
    else:
        assert case.status == CaseStatus.OPEN
        assert case.stage == "stage-2"


def escalate(fernhill, case, day, period_start, period_end, code="O"):
    fernhill.mark(fernhill.ivy, period_start, period_end, code)
    return stages.review_stage(case, day, fernhill.lead, london(day))


def test_stage_2_alerts_la_officer_and_requires_evidence(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 10, 3))

    escalate(fernhill, case, REVIEW_DAY, PERIOD_START, PERIOD_END)

    case.refresh_from_db()
    step = case.current_step()
    assert step.stage == "stage-2"
    assert step.la_officer_told == "Sam Reyes (LA attendance officer)"
    assert step.teacher_told == "Nadia Brook (Class teacher)"
    recipients = sorted(e.recipient_list[0] for e in OutgoingEmail.objects.filter(reference=f"trigger-step:{step.pk}"))
    assert recipients == ["ash-teacher@fernhill.example", "la-officer@fernhill.example"]
    summaries = list(CorrespondenceEntry.objects.filter(pupil=fernhill.ivy).values_list("summary", flat=True))
    assert "Medical evidence now required for any further absence for illness" in summaries
    assert (step.monitoring_start, step.review_on) == (dt.date(2025, 11, 17), dt.date(2025, 12, 15))


def test_stage_2_flags_illness_without_evidence(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 10, 3))
    escalate(fernhill, case, REVIEW_DAY, PERIOD_START, PERIOD_END)
    fernhill.mark(fernhill.ivy, dt.date(2025, 11, 10), dt.date(2025, 11, 12), "I")

    assert len(stages.illness_without_evidence(case, dt.date(2025, 11, 14))) == 6

    support.add_evidence(fernhill.ivy, covers_from=dt.date(2025, 11, 10), covers_to=dt.date(2025, 11, 11),
                         description="GP letter", received_on=dt.date(2025, 11, 13), by=fernhill.lead,
                         at=london(dt.date(2025, 11, 13)))

    remaining = stages.illness_without_evidence(case, dt.date(2025, 11, 14))
    assert [(s.day, s.session.value) for s in remaining] == [(dt.date(2025, 11, 12), "AM"), (dt.date(2025, 11, 12), "PM")]


def test_illness_before_stage_2_needs_no_evidence(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 10, 3), "I")

    assert stages.illness_without_evidence(case, dt.date(2025, 10, 3)) == []


def to_stage_3(fernhill):
    case = start(fernhill)
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 10, 3))
    escalate(fernhill, case, REVIEW_DAY, PERIOD_START, PERIOD_END)
    escalate(fernhill, case, dt.date(2025, 12, 15), dt.date(2025, 11, 10), dt.date(2025, 12, 12))
    case.refresh_from_db()
    return case


def test_stage_3_then_continued(fernhill):
    case = to_stage_3(fernhill)

    assert case.stage == "stage-3"
    step = case.current_step()
    assert step.la_officer_told_at is not None
    # Stage 3 began on Monday 15 December; the Christmas holiday has no school week, so
    # monitoring is the first four weeks of the spring term.
    assert (step.monitoring_start, step.monitoring_end, step.review_on) == (
        dt.date(2026, 1, 5), dt.date(2026, 1, 30), dt.date(2026, 2, 2)
    )

    fernhill.mark(fernhill.ivy, dt.date(2025, 12, 15), step.monitoring_end, "O")
    preview = stages.review_stage(case, step.review_on, fernhill.lead, london(step.review_on))

    case.refresh_from_db()
    assert preview.outcome is ReviewOutcome.CONTINUED
    assert case.stage == "stage-3"
    assert case.steps.filter(stage="stage-3").count() == 2


def test_weekly_report_sent_once(fernhill):
    case = to_stage_3(fernhill)
    monday = dt.date(2025, 12, 15)
    fernhill.mark(fernhill.ivy, monday, dt.date(2025, 12, 19), "O")

    report = support.send_weekly_report(case, monday, fernhill.lead, london(dt.date(2025, 12, 22)))

    assert (report.attended, report.possible) == (0, 10)
    email = OutgoingEmail.objects.get(reference=f"weekly-report:{report.pk}")
    assert email.recipient_list == ["ash-teacher@fernhill.example", "head@fernhill.example", "lead@fernhill.example"]
    with pytest.raises(stages.StageError, match="already reported"):
        support.send_weekly_report(case, monday, fernhill.lead, london(dt.date(2025, 12, 22)))


def test_weekly_report_rejected_before_stage_3(fernhill):
    case = start(fernhill)

    with pytest.raises(stages.StageError, match="not at stage 3"):
        support.send_weekly_report(case, dt.date(2025, 10, 6), fernhill.lead, london(dt.date(2025, 10, 13)))


def test_close_case_needs_reason(fernhill):
    case = start(fernhill)

    with pytest.raises(stages.StageError, match="reason is required"):
        stages.close_case(case, "  ", STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))
    stages.close_case(case, "Moved to another school", STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(stages.StageError, match="already closed"):
        stages.close_case(case, "Again", STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))


def test_review_meeting_within_four_weeks(fernhill):
    case = to_stage_3(fernhill)
    began = case.current_step().began_on  # Monday 15 December 2025

    meeting = support.schedule_meeting(fernhill.ivy, kind="review", scheduled_for=london(dt.date(2026, 1, 12), 15),
                                       case=case, by=fernhill.lead, at=london(began))
    with pytest.raises(support.SupportInvalid) as too_late:
        support.schedule_meeting(fernhill.ivy, kind="review", scheduled_for=london(dt.date(2026, 2, 10), 15),
                                 case=case, by=fernhill.lead, at=london(began))
    on_the_day = support.schedule_meeting(fernhill.ivy, kind="review", scheduled_for=london(dt.date(2026, 2, 9), 15),
                                          case=case, by=fernhill.lead, at=london(began))

    assert meeting.kind == "review"
    assert too_late.value.field == "scheduled_for"
    assert "on or before 9 February 2026" in str(too_late.value)
    assert on_the_day.scheduled_for.date() == dt.date(2026, 2, 9)


def test_review_meeting_needs_stage_3(fernhill):
    case = start(fernhill)

    with pytest.raises(support.SupportInvalid) as raised:
        support.schedule_meeting(fernhill.ivy, kind="review", scheduled_for=london(dt.date(2025, 10, 20), 15),
                                 case=case, by=fernhill.lead, at=london(STAGE_1_DAY))

    assert raised.value.field == "kind"


def test_stage_1_without_teacher_address_not_told(fernhill):
    fernhill.teacher.email = ""
    fernhill.teacher.save()

    case = start(fernhill)

    step = case.current_step()
    assert step.teacher_told == ""
    assert step.teacher_told_at is None
    assert not OutgoingEmail.objects.exists()
    assert CorrespondenceEntry.objects.filter(summary__startswith="No class teacher with an e-mail address").exists()
