"""The trigger stage workflow: monitoring periods, the improvement test and stage 3 review dates.

The school's policy starts stage 1 when year-to-date attendance falls below the term's
threshold (found by the rules engine). Each stage is followed by a monitoring period of a
number of school weeks set by the policy. At the review after it, attendance over the period
at or above the threshold counts as improved, which sends the improved-attendance letter and
ends the stages; otherwise the pupil moves to the next stage. After stage 3 there is no
further stage: review meetings continue at least as often as the monitoring period.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from .calendar import SchoolCalendar, Session, Term
from .marks import YearMarks
from .measures import attendance_rate, count_sessions
from .rules_status import term_threshold
from .settings import TriggerSettings


class Stage(enum.StrEnum):
    STAGE_1 = "stage-1"
    STAGE_2 = "stage-2"
    STAGE_3 = "stage-3"

    @property
    def number(self) -> int:
        return int(self.value[-1])

    @property
    def next(self) -> "Stage | None":
        """Return the stage a pupil moves to when attendance has not improved, None after stage 3."""
        return {Stage.STAGE_1: Stage.STAGE_2, Stage.STAGE_2: Stage.STAGE_3}.get(self)


class ReviewOutcome(enum.StrEnum):
    IMPROVED = "improved"
    ESCALATED = "escalated"  # moved to the next stage
    CONTINUED = "continued"  # stage 3 not improved: stays at stage 3 with review meetings


@dataclass(frozen=True)
class MonitoringPeriod:
    """The school days monitored after a stage began, both dates inclusive.

    ``review_on`` is the first school day after ``end``, the day the review is due; it is
    ``end`` itself when the period reaches the year's last school day. ``complete`` is False
    when the year ends before the policy's number of school weeks.
    """

    start: dt.date
    end: dt.date
    review_on: dt.date
    school_weeks: int
    complete: bool


def monitoring_period(calendar: SchoolCalendar, began: dt.date, school_weeks: int) -> MonitoringPeriod | None:
    """Return the monitoring period of a stage that began on ``began``.

    The period is ``school_weeks`` whole school weeks (Monday-to-Sunday weeks with at least
    one school day, so a holiday week does not count) starting with the week after the stage
    began, so that the letter has reached home before monitoring starts. Returns None when
    the year has no school week left after ``began``.
    """
    if school_weeks < 1:
        raise ValueError(f"school_weeks {school_weeks} must be at least 1")
    weeks = [monday for monday in calendar.school_weeks if monday > began]
    if not weeks:
        return None

    counted = weeks[:school_weeks]
    first_monday, last_monday = counted[0], counted[-1]
    days = [day for day in calendar.school_days if first_monday <= day < last_monday + dt.timedelta(days=7)]
    end = days[-1]
    later = [day for day in calendar.school_days if day > end]
    return MonitoringPeriod(
        start=days[0],
        end=end,
        review_on=later[0] if later else end,
        school_weeks=len(counted),
        complete=len(counted) == school_weeks,
    )


@dataclass(frozen=True)
class ImprovementTest:
    """Attendance over a monitoring period against the threshold of the term the period ends in.

    ``missing`` counts possible sessions of the period without a mark yet; they are not in
    ``attended`` or ``possible``.
    """

    attended: int
    possible: int
    missing: int
    threshold_percent: int
    term: Term

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.attended, self.possible)

    @property
    def improved(self) -> bool:
        """Whether attendance over the period is at or above the threshold, judged on session counts.

        A period with no possible session has not shown improvement.
        """
        return self.possible > 0 and self.attended * 100 >= self.threshold_percent * self.possible

    @property
    def complete(self) -> bool:
        return self.missing == 0

    def describe(self) -> str:
        """Return the test as one sentence, such as "Attendance 92.5% (37 of 40 sessions) ..."."""
        if self.possible == 0:
            return "No possible session in the monitoring period, so improvement cannot be shown"
        comparison = "at or above" if self.improved else "below"
        return (
            f"Attendance over the monitoring period {self.rate}% ({self.attended} of {self.possible} sessions) "
            f"is {comparison} the {self.term} threshold of {self.threshold_percent}%"
        )


def improvement_test(
    triggers: TriggerSettings, calendar: SchoolCalendar, period: MonitoringPeriod, attended: int, possible: int, missing: int
) -> ImprovementTest:
    """Judge the session counts of a monitoring period against the threshold of the term it ends in.

    The policy's improvement test is attendance over the period at or above the threshold;
    the term of the period's last day picks the threshold, as it does for stage 1.
    """
    term = calendar.term_of(period.end)
    if term is None:
        raise ValueError(f"monitoring period end {period.end} is not in a term of the calendar")
    return ImprovementTest(
        attended=attended, possible=possible, missing=missing, threshold_percent=term_threshold(triggers, term), term=term
    )


def judge_period(marks: YearMarks, row: int, period: MonitoringPeriod) -> ImprovementTest:
    """Count one pupil's sessions (row ``row`` of ``marks``) over a monitoring period and judge them."""
    counts = count_sessions(marks, period.start, period.end)
    return improvement_test(
        marks.policy.triggers,
        marks.calendar,
        period,
        attended=int(counts.attended[row]),
        possible=int(counts.possible[row]),
        missing=int(counts.missing[row]),
    )


def review_outcome(stage: Stage, test: ImprovementTest) -> ReviewOutcome:
    """Return what a review decides: improved, the next stage, or stage 3 continued."""
    if test.improved:
        return ReviewOutcome.IMPROVED
    if stage.next is None:
        return ReviewOutcome.CONTINUED
    return ReviewOutcome.ESCALATED


def latest_review_meeting(previous: dt.date, triggers: TriggerSettings) -> dt.date:
    """Return the latest date for a stage 3 review meeting after one held or set for ``previous``.

    The policy sets review meetings at least every 4 weeks, the same length as its monitoring
    period, so the policy's monitoring weeks set the gap in calendar weeks.
    """
    return previous + dt.timedelta(weeks=triggers.monitoring_school_weeks)


def report_weeks(calendar: SchoolCalendar, began: dt.date, on: dt.date) -> list[dt.date]:
    """Return the Mondays of the school weeks whose weekly report is due by ``on``, oldest first.

    Stage 3 reports the pupil's attendance weekly. A week's report is due once its last school
    day has passed, for every school week after the week the stage began; holiday weeks have
    no report.
    """
    due = []
    for monday in calendar.school_weeks:
        if monday <= began:
            continue
        last_day = max(day for day in calendar.school_days if monday <= day < monday + dt.timedelta(days=7))
        if last_day < on:
            due.append(monday)
    return due


@dataclass(frozen=True)
class IllnessSession:
    day: dt.date
    session: Session


def sessions_without_evidence(
    illness: list[IllnessSession], evidence: list[tuple[dt.date, dt.date]]
) -> list[IllnessSession]:
    """Return the illness sessions that no piece of medical evidence covers, in order.

    From stage 2 on, the policy requires medical evidence for further absence for illness.
    ``evidence`` lists the date ranges (both inclusive) that the evidence received
    covers.
    """
    uncovered = [s for s in illness if not any(start <= s.day <= end for start, end in evidence)]
    return sorted(uncovered, key=lambda s: (s.day, s.session.offset))
