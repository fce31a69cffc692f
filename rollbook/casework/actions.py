"""The attendance lead's actions due: the rules' actions and casework's own, with their decisions.

Rule actions are exactly those of ``rollbook.reports.services.actions_due`` (and so of
``rollbook report actions``) for the same date and policy. Casework adds the steps that its
open cases, plans and incidents call for. Each action carries the latest decision on it;
decisions are never removed, so an action that is done, deferred or dismissed stays on the
board with who decided, when and why.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from django.db import transaction

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.incidents import IncidentKind, outstanding
from rollbook.policy.rules import Rule
from rollbook.policy.settings import Policy
from rollbook.policy.trigger_stages import Stage, latest_review_meeting, report_weeks
from rollbook.reports.services import actions_due
from rollbook.schools.models import AcademicYear, Pupil, School
from rollbook.web.dashboard import rule_label

from .incidents import KIND_WORDS, follow_ups
from .log import log_entry
from .models import (
    ActionDecision,
    CaseStatus,
    Decision,
    EntryKind,
    Incident,
    Meeting,
    MeetingKind,
    SupportPlan,
    TriggerCase,
)
from .stages import illness_without_evidence


class CaseworkStep(enum.StrEnum):
    """An action raised by casework itself rather than by a rule on the marks."""

    INCIDENT_FOLLOW_UP = "incident-follow-up"
    STAGE_REVIEW = "stage-review"
    STAGE_LETTER = "stage-letter"
    IMPROVED_LETTER = "improved-letter"
    MEDICAL_EVIDENCE = "medical-evidence"
    SUPPORT_MEETING = "support-meeting"
    PARENT_LA_MEETING = "parent-la-meeting"
    REVIEW_MEETING = "review-meeting"
    WEEKLY_REPORT = "weekly-report"
    PLAN_REVIEW = "plan-review"


# Most serious first: statutory duties and a child's safety, then reviews and letters the
# policy sets dates for, then the signs of concern.
SEVERITY: tuple[str, ...] = (
    CaseworkStep.INCIDENT_FOLLOW_UP,
    Rule.LA_ALERT_UNAUTHORISED_BLOCK,
    Rule.LA_ALERT_MEDICAL_BLOCK,
    Rule.REMOVAL_REVIEW,
    Rule.PENALTY_THRESHOLD,
    CaseworkStep.STAGE_REVIEW,
    CaseworkStep.STAGE_LETTER,
    CaseworkStep.MEDICAL_EVIDENCE,
    CaseworkStep.PARENT_LA_MEETING,
    CaseworkStep.REVIEW_MEETING,
    CaseworkStep.WEEKLY_REPORT,
    CaseworkStep.SUPPORT_MEETING,
    Rule.SEVERE_ABSENCE,
    Rule.TRIGGER_STAGE_1,
    CaseworkStep.IMPROVED_LETTER,
    CaseworkStep.PLAN_REVIEW,
    Rule.N_CODE_OVERDUE,
    Rule.PERSISTENT_ABSENCE,
)
KNOWN_KEYS = frozenset(str(key) for key in SEVERITY)

STEP_LABELS = {
    CaseworkStep.INCIDENT_FOLLOW_UP: "Incident follow-ups outstanding",
    CaseworkStep.STAGE_REVIEW: "Review the monitoring period",
    CaseworkStep.STAGE_LETTER: "Send the stage letter",
    CaseworkStep.IMPROVED_LETTER: "Send the improved-attendance letter",
    CaseworkStep.MEDICAL_EVIDENCE: "Ask for medical evidence for illness absence",
    CaseworkStep.SUPPORT_MEETING: "Offer the parents a support meeting",
    CaseworkStep.PARENT_LA_MEETING: "Arrange a meeting with the parents and the LA attendance officer",
    CaseworkStep.REVIEW_MEETING: "Arrange the next stage 3 review meeting",
    CaseworkStep.WEEKLY_REPORT: "Send the stage 3 weekly report",
    CaseworkStep.PLAN_REVIEW: "Review the support plan",
}


class State(enum.StrEnum):
    DUE = "due"
    IN_HAND = "in-hand"  # a stage 1 action for a pupil whose trigger case is already open
    DEFERRED = "deferred"
    DONE = "done"
    DISMISSED = "dismissed"


@dataclass
class BoardAction:
    """One action on the board: the rule or step in words, its evidence, and its latest decision."""

    pupil: Pupil
    key: str  # a ``Rule`` or ``CaseworkStep`` value
    label: str
    since: dt.date
    evidence: str
    from_rule: bool
    case_id: int | None = None
    incident_id: int | None = None
    decision: ActionDecision | None = None
    history: list[ActionDecision] = field(default_factory=list)
    state: State = State.DUE

    @property
    def severity(self) -> int:
        return SEVERITY.index(self.key)


@dataclass(frozen=True)
class Board:
    as_of: dt.date
    actions: list[BoardAction]

    def in_state(self, *states: State) -> list[BoardAction]:
        return [action for action in self.actions if action.state in states]

    @property
    def rule_actions(self) -> list[BoardAction]:
        return [action for action in self.actions if action.from_rule]


def build_board(school: School, as_of: dt.date, policy: Policy | None = None) -> Board:
    """Return every action as of ``as_of`` (rules judged under ``policy``, default the year's), ordered.

    The order is most serious first (``SEVERITY``), then newest ``since`` first, then pupil UPN.
    """
    due = actions_due(school, as_of, policy)
    labels_policy = policy or _year_policy(school, as_of)
    actions = [
        BoardAction(
            pupil=action.pupil, key=action.rule.value, label=rule_label(action.rule, labels_policy),
            since=action.since, evidence=action.detail, from_rule=True,
        )
        for action in due
    ]
    actions += _casework_actions(school, as_of)
    _attach_decisions(school, actions, as_of)
    actions.sort(key=lambda a: (a.severity, -a.since.toordinal(), a.pupil.upn, a.key))
    return Board(as_of=as_of, actions=actions)


def _year_policy(school: School, as_of: dt.date) -> Policy | None:
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(as_of)).first()
    return year.policy() if year else None


def _attach_decisions(school: School, actions: list[BoardAction], as_of: dt.date) -> None:
    decisions: dict[tuple[int, str, dt.date], list[ActionDecision]] = {}
    for decision in ActionDecision.objects.filter(school=school).order_by("-at", "-pk"):
        decisions.setdefault((decision.pupil_id, decision.rule, decision.since), []).append(decision)
    open_cases = set(TriggerCase.objects.filter(school=school, status=CaseStatus.OPEN).values_list("pupil_id", flat=True))

    for action in actions:
        history = decisions.get((action.pupil.pk, action.key, action.since), [])
        action.history = history
        action.decision = history[0] if history else None
        action.state = _state(action, as_of, open_cases)


def _state(action: BoardAction, as_of: dt.date, open_cases: set[int]) -> State:
    decision = action.decision
    if decision is None or decision.decision == Decision.REOPENED:
        if action.key == Rule.TRIGGER_STAGE_1 and action.pupil.pk in open_cases:
            return State.IN_HAND
        return State.DUE
    if decision.decision == Decision.DEFERRED:
        return State.DEFERRED if decision.deferred_until > as_of else State.DUE
    return State.DONE if decision.decision == Decision.DONE else State.DISMISSED


def _casework_actions(school: School, as_of: dt.date) -> list[BoardAction]:
    actions: list[BoardAction] = []
    cases = TriggerCase.objects.filter(school=school, opened_on__lte=as_of).select_related("pupil", "academic_year")
    for case in cases:
        actions += _case_actions(case, as_of)
    for plan in SupportPlan.objects.filter(school=school, ended_on__isnull=True, review_on__lte=as_of).select_related("pupil"):
        actions.append(BoardAction(
            pupil=plan.pupil, key=CaseworkStep.PLAN_REVIEW, label=STEP_LABELS[CaseworkStep.PLAN_REVIEW],
            since=plan.review_on, evidence=f"Plan \"{plan.title}\" agreed on {plan.agreed_on:%-d %B %Y} is due for review on {plan.review_on:%-d %B %Y}",
            from_rule=False, case_id=plan.case_id,
        ))
    for incident in Incident.objects.filter(school=school, closed_at__isnull=True).select_related("pupil"):
        missing = outstanding(follow_ups(incident))
        if missing:
            actions.append(BoardAction(
                pupil=incident.pupil, key=CaseworkStep.INCIDENT_FOLLOW_UP,
                label=f"{KIND_WORDS[IncidentKind(incident.kind)]} incident: follow-ups outstanding",
                since=incident.opened_at.date(),
                evidence=f"Opened {incident.opened_at:%-d %B %Y %H:%M}; outstanding: " + "; ".join(f.text for f in missing),
                from_rule=False, incident_id=incident.pk,
            ))
    return actions


def _case_actions(case: TriggerCase, as_of: dt.date) -> list[BoardAction]:
    def action(step: CaseworkStep, since: dt.date, evidence: str, label: str | None = None) -> BoardAction:
        return BoardAction(pupil=case.pupil, key=step, label=label or STEP_LABELS[step], since=since,
                           evidence=evidence, from_rule=False, case_id=case.pk)

    if case.status == CaseStatus.IMPROVED:
        if case.improved_letter_reference:
            return []
        return [action(CaseworkStep.IMPROVED_LETTER, case.closed_on, f"Attendance improved: {case.closed_reason}")]
    if case.status != CaseStatus.OPEN:
        return []

    step = case.current_step()
    stage = Stage(step.stage)
    found = []
    if step.letter_due and not _continued(step):
        found.append(action(CaseworkStep.STAGE_LETTER, step.began_on, f"Stage {stage.number} began on {step.began_on:%-d %B %Y}: {step.evidence}",
                            f"Send the stage {stage.number} letter"))
    if step.review_on <= as_of:
        found.append(action(
            CaseworkStep.STAGE_REVIEW, step.review_on,
            f"Stage {stage.number} monitoring ran from {step.monitoring_start:%-d %B %Y} to {step.monitoring_end:%-d %B %Y}; "
            f"review due on {step.review_on:%-d %B %Y}",
            f"Review stage {stage.number}: improved, or the next stage",
        ))
    if stage in (Stage.STAGE_2, Stage.STAGE_3):
        sessions = illness_without_evidence(case, as_of)
        if sessions:
            listed = ", ".join(f"{s.day:%-d %b} {s.session}" for s in sessions[:10])
            more = f" and {len(sessions) - 10} more" if len(sessions) > 10 else ""
            found.append(action(CaseworkStep.MEDICAL_EVIDENCE, sessions[0].day,
                                f"{len(sessions)} illness session(s) (I) without medical evidence since stage 2: {listed}{more}"))
        meetings = Meeting.objects.filter(case=case)
        if not meetings.filter(kind=MeetingKind.SUPPORT).exists():
            stage_2 = case.steps.filter(stage=Stage.STAGE_2).first()
            began = stage_2.began_on if stage_2 else step.began_on
            found.append(action(CaseworkStep.SUPPORT_MEETING, began, f"Stage 2 began on {began:%-d %B %Y}; no support meeting is recorded"))
    if stage is Stage.STAGE_3:
        found += _stage_3_actions(case, as_of, action)
    return found


def _continued(step) -> bool:
    """Return whether a stage 3 step follows another stage 3 step: a continued stage 3 sends no new letter."""
    return step.case.steps.filter(stage=Stage.STAGE_3, began_on__lte=step.began_on).exclude(pk=step.pk).exists()


def _stage_3_actions(case: TriggerCase, as_of: dt.date, action) -> list[BoardAction]:
    found = []
    stage_3 = case.steps.filter(stage=Stage.STAGE_3).order_by("began_on", "pk").first()
    meetings = Meeting.objects.filter(case=case)
    if not meetings.filter(kind=MeetingKind.PARENT_AND_LA).exists():
        found.append(action(CaseworkStep.PARENT_LA_MEETING, stage_3.began_on,
                            f"Stage 3 began on {stage_3.began_on:%-d %B %Y}; no meeting with the parents and the LA officer is recorded"))

    triggers = case.academic_year.policy().triggers
    last = meetings.filter(kind__in=[MeetingKind.PARENT_AND_LA, MeetingKind.REVIEW]).order_by("-scheduled_for").first()
    previous = last.scheduled_for.date() if last else stage_3.began_on
    latest = latest_review_meeting(previous, triggers)
    if last is None or last.scheduled_for.date() <= as_of:
        if latest <= as_of + dt.timedelta(weeks=1):
            found.append(action(CaseworkStep.REVIEW_MEETING, previous,
                                f"Review meetings are held at least every {triggers.monitoring_school_weeks} weeks; the last was "
                                f"on {previous:%-d %B %Y}, so the next is due by {latest:%-d %B %Y}"))

    sent = set(case.weekly_reports.values_list("week_beginning", flat=True))
    calendar = case.academic_year.calendar()
    for monday in report_weeks(calendar, stage_3.began_on, as_of):
        if monday not in sent:
            found.append(action(CaseworkStep.WEEKLY_REPORT, monday,
                                f"Attendance for the school week beginning {monday:%-d %B %Y} is not yet reported",
                                f"Send the weekly report for the week beginning {monday:%-d %B %Y}"))
    return found


class DecisionInvalid(ValueError):
    """A decision that cannot be recorded; the message names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def record_decision(
    pupil: Pupil,
    key: str,
    since: dt.date,
    decision: Decision | str,
    *,
    reason: str,
    deferred_until: dt.date | None,
    on: dt.date,
    by,
    at: dt.datetime,
) -> ActionDecision:
    """Record a decision on one action and log it; earlier decisions stay as its history.

    A deferral needs a reason and a date after ``on``; a dismissal needs a reason. Raises
    ``DecisionInvalid`` naming the field.
    """
    try:
        decision = Decision(decision)
    except ValueError:
        raise DecisionInvalid("decision", f"decision {decision!r} is invalid; use done, deferred, dismissed or reopened") from None
    if key not in KNOWN_KEYS:
        raise DecisionInvalid("rule", f"rule {key!r} is not an action on the board; choose an action from the list")
    reason = reason.strip()
    if decision in (Decision.DEFERRED, Decision.DISMISSED, Decision.REOPENED) and not reason:
        raise DecisionInvalid("reason", f"a reason is required to mark an action {decision.label.lower()}; say why")
    if decision == Decision.DEFERRED:
        if deferred_until is None:
            raise DecisionInvalid("deferred_until", "a deferral needs a date until which the action waits")
        if deferred_until <= on:
            raise DecisionInvalid(
                "deferred_until", f"deferral date {deferred_until:%-d %B %Y} is not after today; choose a later date"
            )
    elif deferred_until is not None:
        raise DecisionInvalid("deferred_until", "only a deferral has a date; leave the date empty")

    label = STEP_LABELS.get(key, key)
    with transaction.atomic():
        record = ActionDecision.objects.create(
            school_id=pupil.school_id, pupil=pupil, rule=key, since=since, decision=decision, reason=reason,
            deferred_until=deferred_until, by=by, by_name=by.get_full_name() or by.get_username(), at=at,
        )
        until = f" until {deferred_until:%-d %B %Y}" if deferred_until else ""
        log_entry(pupil, EntryKind.DECISION, f"Action \"{label}\" (since {since:%-d %B %Y}) {decision.label.lower()}{until}"[:300],
                  by, at, details=reason, reference=f"action-decision:{record.pk}")
    return record
