"""Tests for the trigger stage workflow: monitoring periods, the improvement test, review dates.

School days of 2025/26 in Sheffield (see ``builders``): the autumn half-term break is 27 to 31
October 2025, the spring term starts on Monday 5 January 2026.
"""

import dataclasses

import pytest

from rollbook.policy.calendar import Session, Term
from rollbook.policy.settings import load_preset
from rollbook.policy.trigger_stages import (
    IllnessSession,
    ImprovementTest,
    ReviewOutcome,
    Stage,
    judge_period,
    latest_review_meeting,
    monitoring_period,
    report_weeks,
    review_outcome,
    sessions_without_evidence,
)

from .builders import CALENDAR_2025, UPN_A, D, year_marks

PRESETS = ("school-2023", "england-2024")


@pytest.mark.parametrize(
    ("began", "start", "end", "review_on"),
    [
        # Began on a Wednesday: monitoring is the four weeks from Monday 6 October.
        (D(2025, 10, 1), D(2025, 10, 6), D(2025, 11, 7), D(2025, 11, 10)),
        # The half-term week has no school day, so it does not count.
        (D(2025, 10, 10), D(2025, 10, 13), D(2025, 11, 14), D(2025, 11, 17)),
        # Began on a Monday: that week is not monitored.
        (D(2025, 9, 29), D(2025, 10, 6), D(2025, 11, 7), D(2025, 11, 10)),
        # Began on a Sunday: the next day's week is the first monitored.
        (D(2025, 10, 5), D(2025, 10, 6), D(2025, 11, 7), D(2025, 11, 10)),
        # Across the Christmas holiday into the spring term.
        (D(2025, 12, 3), D(2025, 12, 8), D(2026, 1, 16), D(2026, 1, 19)),
    ],
)
def test_monitoring_period_dates(began, start, end, review_on):
    period = monitoring_period(CALENDAR_2025, began, 4)

    assert period.start == start
    assert period.end == end
    assert period.review_on == review_on
    assert period.complete


def test_monitoring_period_cut_by_year_end():
    period = monitoring_period(CALENDAR_2025, D(2026, 7, 1), 4)

    assert period.start == D(2026, 7, 6)
    assert period.end == D(2026, 7, 20)
    assert period.review_on == D(2026, 7, 20)
    assert period.school_weeks == 3
    assert not period.complete


def test_monitoring_period_none_after_last_week():
    assert monitoring_period(CALENDAR_2025, D(2026, 7, 20), 4) is None


def test_monitoring_period_rejects_zero_weeks():
    with pytest.raises(ValueError, match="school_weeks 0"):
        monitoring_period(CALENDAR_2025, D(2025, 10, 1), 0)


def test_monitoring_weeks_from_policy():
    for preset in PRESETS:
        weeks = load_preset(preset).triggers.monitoring_school_weeks
        period = monitoring_period(CALENDAR_2025, D(2025, 10, 1), weeks)
        assert period.school_weeks == 4


# A stage that began on Wednesday 1 October 2025 is monitored from Monday 6 October to
# Friday 7 November: 20 school days, 40 sessions, in the autumn term (threshold 90%).
BEFORE_PERIOD = "@2025-10-01 N*3"


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize(
    ("period_marks", "attended", "improved"),
    [
        ("/*18 N*2", 36, True),  # exactly 90%: at the threshold is improved
        ("/*17 N|/ N*2", 35, False),  # 35 of 40: 87.5%
        ("/*17 N*2 /|X", 35, False),  # 35 of 39 (an X session is not possible): 89.7%
        ("/*20", 40, True),
        ("N*20", 0, False),
    ],
)
def test_improvement_autumn_boundary(preset, period_marks, attended, improved):
    marks = year_marks({UPN_A: f"{BEFORE_PERIOD} {period_marks}"}, preset)
    period = monitoring_period(CALENDAR_2025, D(2025, 10, 1), marks.policy.triggers.monitoring_school_weeks)

    test = judge_period(marks, 0, period)

    assert test.attended == attended
    assert test.threshold_percent == 90
    assert test.term is Term.AUTUMN
    assert test.improved is improved


@pytest.mark.parametrize("preset", PRESETS)
def test_improvement_ignores_days_before_period(preset):
    # Absent every day of the stage's own week, present all through the period.
    marks = year_marks({UPN_A: "@2025-10-01 N*3 /*20"}, preset)
    period = monitoring_period(CALENDAR_2025, D(2025, 10, 1), 4)

    test = judge_period(marks, 0, period)

    assert test.possible == 40
    assert test.improved


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize(("absent_sessions", "improved"), [(2, True), (3, False)])
def test_improvement_spring_threshold(preset, absent_sessions, improved):
    # Began Wednesday 4 February 2026: monitored 9 February to 13 March (the 16 February week is
    # the half-term break), 20 school days and 40 sessions. 95% of 40 is 38 sessions.
    period_marks = " ".join(["N|/"] * absent_sessions + ["/"] * (20 - absent_sessions))
    marks = year_marks({UPN_A: f"@2026-02-09 {period_marks}"}, preset)
    period = monitoring_period(CALENDAR_2025, D(2026, 2, 4), 4)

    test = judge_period(marks, 0, period)

    assert period.end == D(2026, 3, 13)
    assert test.term is Term.SPRING
    assert test.threshold_percent == 95
    assert test.possible == 40
    assert test.improved is improved


def test_improvement_counts_missing_marks():
    marks = year_marks({UPN_A: "@2025-10-06 /*19"})
    period = monitoring_period(CALENDAR_2025, D(2025, 10, 1), 4)

    test = judge_period(marks, 0, period)

    assert test.possible == 38
    assert test.missing == 2
    assert not test.complete


def test_improvement_without_sessions_not_improved():
    test = ImprovementTest(attended=0, possible=0, missing=0, threshold_percent=90, term=Term.AUTUMN)

    assert not test.improved
    assert "cannot be shown" in test.describe()


def test_improvement_describes_rate():
    test = ImprovementTest(attended=36, possible=40, missing=0, threshold_percent=90, term=Term.AUTUMN)

    assert test.describe() == (
        "Attendance over the monitoring period 90.0% (36 of 40 sessions) is at or above the autumn threshold of 90%"
    )


@pytest.mark.parametrize(
    ("stage", "improved", "outcome"),
    [
        (Stage.STAGE_1, True, ReviewOutcome.IMPROVED),
        (Stage.STAGE_1, False, ReviewOutcome.ESCALATED),
        (Stage.STAGE_2, True, ReviewOutcome.IMPROVED),
        (Stage.STAGE_2, False, ReviewOutcome.ESCALATED),
        (Stage.STAGE_3, True, ReviewOutcome.IMPROVED),
        (Stage.STAGE_3, False, ReviewOutcome.CONTINUED),
    ],
)
def test_review_outcome(stage, improved, outcome):
    test = ImprovementTest(attended=36 if improved else 35, possible=40, missing=0, threshold_percent=90, term=Term.AUTUMN)

    assert review_outcome(stage, test) is outcome


def test_stage_order():
    assert Stage.STAGE_1.next is Stage.STAGE_2
    assert Stage.STAGE_2.next is Stage.STAGE_3
    assert Stage.STAGE_3.next is None
    assert [stage.number for stage in Stage] == [1, 2, 3]


@pytest.mark.parametrize("preset", PRESETS)
def test_latest_review_meeting_four_weeks(preset):
    triggers = load_preset(preset).triggers

    assert latest_review_meeting(D(2025, 11, 10), triggers) == D(2025, 12, 8)


def test_latest_review_meeting_follows_policy():
    triggers = dataclasses.replace(load_preset("school-2023").triggers, monitoring_school_weeks=6)

    assert latest_review_meeting(D(2025, 11, 10), triggers) == D(2025, 12, 22)


def test_report_weeks_due_after_week_ends():
    # Stage 3 began Wednesday 15 October 2025; the half-term week has no report.
    assert report_weeks(CALENDAR_2025, D(2025, 10, 15), D(2025, 10, 24)) == []
    assert report_weeks(CALENDAR_2025, D(2025, 10, 15), D(2025, 10, 25)) == [D(2025, 10, 20)]
    assert report_weeks(CALENDAR_2025, D(2025, 10, 15), D(2025, 11, 8)) == [D(2025, 10, 20), D(2025, 11, 3)]


def test_sessions_without_evidence():
    illness = [
        IllnessSession(D(2025, 11, 12), Session.PM),
        IllnessSession(D(2025, 11, 3), Session.AM),
        IllnessSession(D(2025, 11, 12), Session.AM),
        IllnessSession(D(2025, 11, 20), Session.AM),
    ]
    evidence = [(D(2025, 11, 3), D(2025, 11, 4))]

    uncovered = sessions_without_evidence(illness, evidence)

    assert uncovered == [
        IllnessSession(D(2025, 11, 12), Session.AM),
        IllnessSession(D(2025, 11, 12), Session.PM),
        IllnessSession(D(2025, 11, 20), Session.AM),
    ]


def test_sessions_without_evidence_boundaries():
    illness = [IllnessSession(D(2025, 11, 2 + n), Session.AM) for n in range(1, 5)]  # 3 to 6 November
    evidence = [(D(2025, 11, 4), D(2025, 11, 5))]

    uncovered = sessions_without_evidence(illness, evidence)

    assert [s.day for s in uncovered] == [D(2025, 11, 3), D(2025, 11, 6)]
