"""The actions board: the same rule actions as ``rollbook report actions``, casework's own, decisions."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from rollbook.casework import incidents, stages, support
from rollbook.casework.actions import CaseworkStep, DecisionInvalid, State, build_board, record_decision
from rollbook.casework.models import ActionDecision, CorrespondenceEntry
from rollbook.policy.settings import load_preset
from rollbook.reports.services import actions_due

from .conftest import REVIEW_DAY, STAGE_1_DAY, london

PRESETS = ("school-2023", "england-2024")


def keyed(board_actions):
    return [(a.pupil.upn, a.key, a.since, a.evidence) for a in board_actions]


@pytest.mark.parametrize("preset", PRESETS)
def test_board_matches_actions_due(fernhill_any_policy, preset):
    policy = load_preset(preset)

    board = build_board(fernhill_any_policy.school, STAGE_1_DAY, policy)

    expected = [(a.upn, a.rule.value, a.since, a.detail) for a in actions_due(fernhill_any_policy.school, STAGE_1_DAY, policy)]
    assert sorted(keyed(board.rule_actions)) == sorted(expected)
    assert {key for _, key, _, _ in expected} == {"persistent-absence", "trigger-stage-1"}


@pytest.mark.parametrize("preset", PRESETS)
def test_board_matches_report_command(fernhill, preset):
    out = io.StringIO()
    call_command("report_actions", "--as-of", STAGE_1_DAY.isoformat(), "--policy", preset, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())

    board = build_board(fernhill.school, STAGE_1_DAY, load_preset(preset))

    command = sorted((row["upn"], row["rule"], row["since"], row["detail"]) for row in rows)
    shown = sorted((upn, key, since.isoformat(), evidence) for upn, key, since, evidence in keyed(board.rule_actions))
    assert shown == command


def test_board_most_serious_then_newest(fernhill):
    fernhill.mark(fernhill.leo, dt.date(2025, 9, 29), dt.date(2025, 10, 1), "O")

    board = build_board(fernhill.school, STAGE_1_DAY)

    severities = [a.severity for a in board.actions]
    assert severities == sorted(severities)
    persistent = [a for a in board.actions if a.key == "persistent-absence"]
    assert [a.pupil.forename for a in persistent] == ["Leo", "Ivy"]  # Leo's began later: newest first


def test_decision_defer_needs_reason_and_future_date(fernhill):
    arguments = {"on": STAGE_1_DAY, "by": fernhill.lead, "at": london(STAGE_1_DAY)}

    with pytest.raises(DecisionInvalid) as no_reason:
        record_decision(fernhill.ivy, "persistent-absence", dt.date(2025, 9, 1), "deferred", reason=" ",
                        deferred_until=dt.date(2025, 10, 8), **arguments)
    with pytest.raises(DecisionInvalid) as past:
        record_decision(fernhill.ivy, "persistent-absence", dt.date(2025, 9, 1), "deferred", reason="Family bereavement",
                        deferred_until=STAGE_1_DAY, **arguments)
    with pytest.raises(DecisionInvalid) as no_date:
        record_decision(fernhill.ivy, "persistent-absence", dt.date(2025, 9, 1), "deferred", reason="Family bereavement",
                        deferred_until=None, **arguments)

    assert no_reason.value.field == "reason"
    assert past.value.field == "deferred_until"
    assert no_date.value.field == "deferred_until"
    assert not ActionDecision.objects.exists()


@pytest.mark.parametrize(
    ("key", "decision", "field"),
    [("no-such-rule", "done", "rule"), ("persistent-absence", "ignored", "decision"), ("persistent-absence", "dismissed", "reason")],
)
def test_decision_rejects_bad_input(fernhill, key, decision, field):
    with pytest.raises(DecisionInvalid) as raised:
        record_decision(fernhill.ivy, key, dt.date(2025, 9, 1), decision, reason="", deferred_until=None,
                        on=STAGE_1_DAY, by=fernhill.lead, at=london(STAGE_1_DAY))

    assert raised.value.field == field


def persistent_action(board, pupil):
    return next(a for a in board.actions if a.key == "persistent-absence" and a.pupil == pupil)


def test_deferral_ends_on_its_date(fernhill):
    since = persistent_action(build_board(fernhill.school, STAGE_1_DAY), fernhill.ivy).since
    record_decision(fernhill.ivy, "persistent-absence", since, "deferred", reason="Parent in hospital this week",
                    deferred_until=dt.date(2025, 10, 3), on=STAGE_1_DAY, by=fernhill.lead, at=london(STAGE_1_DAY))

    deferred = persistent_action(build_board(fernhill.school, dt.date(2025, 10, 2)), fernhill.ivy)
    due_again = persistent_action(build_board(fernhill.school, dt.date(2025, 10, 3)), fernhill.ivy)

    assert deferred.state is State.DEFERRED
    assert due_again.state is State.DUE
    assert due_again.decision.reason == "Parent in hospital this week"


def test_decisions_kept_as_history(fernhill):
    since = persistent_action(build_board(fernhill.school, STAGE_1_DAY), fernhill.ivy).since
    for decision, reason in (("dismissed", "Known medical condition"), ("reopened", "Condition resolved"), ("done", "")):
        record_decision(fernhill.ivy, "persistent-absence", since, decision, reason=reason, deferred_until=None,
                        on=STAGE_1_DAY, by=fernhill.lead, at=london(STAGE_1_DAY))

    action = persistent_action(build_board(fernhill.school, STAGE_1_DAY), fernhill.ivy)

    assert action.state is State.DONE
    assert [d.decision for d in action.history] == ["done", "reopened", "dismissed"]
    assert CorrespondenceEntry.objects.filter(pupil=fernhill.ivy, reference__startswith="action-decision:").count() == 3


def casework_keys(board, pupil):
    return {a.key for a in board.actions if a.pupil == pupil and not a.from_rule and a.state is State.DUE}


def test_stage_1_marks_action_done(fernhill):
    stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    board = build_board(fernhill.school, STAGE_1_DAY)

    stage_1 = next(a for a in board.actions if a.key == "trigger-stage-1")
    assert stage_1.state is State.DONE
    assert casework_keys(board, fernhill.ivy) == {CaseworkStep.STAGE_LETTER}


def test_review_due_on_review_day(fernhill):
    stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    assert CaseworkStep.STAGE_REVIEW not in casework_keys(build_board(fernhill.school, REVIEW_DAY - dt.timedelta(days=3)), fernhill.ivy)
    assert CaseworkStep.STAGE_REVIEW in casework_keys(build_board(fernhill.school, REVIEW_DAY), fernhill.ivy)


def test_improved_letter_due_after_improvement(fernhill):
    case = stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 11, 7))
    stages.review_stage(case, REVIEW_DAY, fernhill.lead, london(REVIEW_DAY))

    board = build_board(fernhill.school, REVIEW_DAY)

    assert CaseworkStep.IMPROVED_LETTER in casework_keys(board, fernhill.ivy)
    assert CaseworkStep.STAGE_REVIEW not in casework_keys(board, fernhill.ivy)


def test_plan_review_due(fernhill):
    support.add_plan(fernhill.leo, title="Morning routine", actions="Breakfast club place", agreed_on=dt.date(2025, 9, 15),
                     review_on=dt.date(2025, 9, 30), case=None, by=fernhill.lead, at=london(dt.date(2025, 9, 15)))

    assert CaseworkStep.PLAN_REVIEW not in casework_keys(build_board(fernhill.school, dt.date(2025, 9, 29)), fernhill.leo)
    assert CaseworkStep.PLAN_REVIEW in casework_keys(build_board(fernhill.school, dt.date(2025, 9, 30)), fernhill.leo)


def test_incident_follow_ups_lead_board(fernhill):
    incidents.open_incident(fernhill.leo, "missing-child", "Not in class after lunch; last seen in the playground",
                            fernhill.head, london(STAGE_1_DAY, 13, 25))

    board = build_board(fernhill.school, STAGE_1_DAY)

    assert board.actions[0].key == CaseworkStep.INCIDENT_FOLLOW_UP
    assert "Search all toilets" in board.actions[0].evidence
