"""The landing page's content: a school's attendance this academic year and the actions due.

Figures and actions come from ``rollbook.reports.services``; this module picks the academic
year and the date range, orders the actions and words each rule for staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.measures import at_or_above, percent
from rollbook.policy.rules import Rule
from rollbook.policy.settings import Policy
from rollbook.reports.services import SchoolFigures, actions_due, school_figures
from rollbook.schools.models import AcademicYear, Placement, School

# Actions in the order staff should deal with them: statutory duties first.
RULE_ORDER = (
    Rule.LA_ALERT_UNAUTHORISED_BLOCK,
    Rule.LA_ALERT_MEDICAL_BLOCK,
    Rule.REMOVAL_REVIEW,
    Rule.PENALTY_THRESHOLD,
    Rule.SEVERE_ABSENCE,
    Rule.N_CODE_OVERDUE,
    Rule.TRIGGER_STAGE_1,
    Rule.PERSISTENT_ABSENCE,
)


def rule_label(rule: Rule, policy: Policy) -> str:
    """Return the action a rule calls for, in plain English with the policy's own numbers."""
    alerts = policy.la_alerts
    labels = {
        Rule.LA_ALERT_UNAUTHORISED_BLOCK: (
            f"Alert the local authority: {alerts.unauthorised_block_days} school days in a row of unexplained absence"
        ),
        Rule.LA_ALERT_MEDICAL_BLOCK: (
            f"Alert the local authority: {alerts.medical_block_days} school days in a row of absence for illness or medical reasons"
        ),
        Rule.REMOVAL_REVIEW: "Review whether the pupil should come off roll",
        Rule.PENALTY_THRESHOLD: (
            f"Penalty notice threshold: {policy.penalty.threshold_sessions} unauthorised sessions "
            f"within {policy.penalty.window_school_weeks} school weeks"
        ),
        Rule.SEVERE_ABSENCE: f"Severe absence: {policy.measures.severe_absence_percent}% or more of sessions missed",
        Rule.N_CODE_OVERDUE: (
            f"Absence reason still unknown after {policy.n_follow_up.school_days} school days (N mark)"
        ),
        Rule.TRIGGER_STAGE_1: "Attendance below this term's threshold: send the stage 1 letter",
        Rule.PERSISTENT_ABSENCE: (
            f"Persistent absence: {policy.measures.persistent_absence_percent}% or more of sessions missed"
        ),
    }
    return labels[rule]


@dataclass(frozen=True)
class ActionRow:
    """One line of the actions-due table."""

    pupil_name: str
    class_name: str
    rule: Rule
    label: str
    since: dt.date
    detail: str


@dataclass(frozen=True)
class Dashboard:
    """A school's attendance over one academic year up to a day, with the actions due that day.

    ``actions`` is None when the viewer may not see pupils' names.
    """

    school: School
    year: AcademicYear
    start: dt.date
    end: dt.date  # inclusive: today, or the year's last day once the year is over
    year_to_date: bool
    figures: SchoolFigures
    policy: Policy
    actions: list[ActionRow] | None

    @property
    def target_percent(self) -> int:
        return self.policy.measures.target_attendance_percent

    @property
    def on_target(self) -> bool | None:
        """Return whether attendance meets the target, judged on session counts; None without sessions."""
        if self.figures.possible_sessions == 0:
            return None
        return bool(at_or_above(self.figures.attended_sessions, self.figures.possible_sessions, self.target_percent))

    @property
    def persistent_absence_share(self) -> Decimal | None:
        """Return the persistently absent pupils as a percentage of all pupils counted."""
        return percent(self.figures.persistent_absentees, self.figures.pupils)


def current_year(school: School, today: dt.date) -> AcademicYear | None:
    """Return the school's academic year containing ``today``, else its latest earlier one, else None."""
    return (
        AcademicYear.objects.filter(school=school, start_year__lte=academic_year_of(today))
        .order_by("-start_year")
        .first()
    )


def build_dashboard(school: School, today: dt.date, *, with_pupils: bool) -> Dashboard | None:
    """Return the school's landing-page figures as of ``today``, or None without an academic year.

    The range runs from the year's first day to ``today``, or to the year's last day when the
    latest year is over. Actions are looked up only ``with_pupils``, because they name pupils.
    """
    year = current_year(school, today)
    if year is None:
        return None

    calendar = year.calendar()
    end = min(today, calendar.end)
    policy = year.policy()
    actions = _action_rows(school, year, end, policy) if with_pupils else None
    return Dashboard(
        school=school,
        year=year,
        start=calendar.start,
        end=end,
        year_to_date=end == today,
        figures=school_figures(school, calendar.start, end),
        policy=policy,
        actions=actions,
    )


def _action_rows(school: School, year: AcademicYear, as_of: dt.date, policy: Policy) -> list[ActionRow]:
    due = actions_due(school, as_of)
    classes = _class_names(year, as_of, [action.pupil.pk for action in due])
    rows = [
        ActionRow(
            pupil_name=f"{action.pupil.forename} {action.pupil.surname}",
            class_name=classes.get(action.pupil.pk, ""),
            rule=action.rule,
            label=rule_label(action.rule, policy),
            since=action.since,
            detail=action.detail,
        )
        for action in due
    ]
    return sorted(rows, key=_urgency)


def _urgency(row: ActionRow) -> tuple:
    return (RULE_ORDER.index(row.rule), row.since, row.pupil_name)


def _class_names(year: AcademicYear, as_of: dt.date, pupil_ids: list[int]) -> dict[int, str]:
    """Return each pupil's latest class started on or before ``as_of``, else their first later one."""
    classes: dict[int, str] = {}
    placements = Placement.objects.filter(academic_year=year, pupil_id__in=pupil_ids).order_by("start_date")
    for placement in placements:
        if placement.start_date <= as_of:
            classes[placement.pupil_id] = placement.class_name
        else:
            classes.setdefault(placement.pupil_id, placement.class_name)
    return classes
