"""Tests for evaluate_rules as a whole: the judged day, order, leavers and recorded actions."""

import datetime as dt

import pytest

from rollbook.policy.rules import Rule, RuleMet, evaluate_rules

from .builders import CALENDAR_2025, CALENDAR_2026, UPN_A, UPN_B, D, Pupil, year_marks

# 10 N days from Monday 1 September 2025, 5 present days, then 15 days of I to Friday 10 October.
MANY_RULES = "N*10 /*5 I*15"


@pytest.mark.parametrize("as_of", [D(2025, 8, 31), D(2024, 9, 1)])
def test_evaluate_rules_before_first_school_day(as_of):
    year = year_marks({UPN_A: "N*30"})

    assert evaluate_rules(year, as_of) == []


def test_evaluate_rules_before_tuesday_start():
    # 2026/27 starts on Tuesday 1 September; Monday 31 August is a bank holiday and in the year before.
    year = year_marks({UPN_A: "N*30"}, calendar=CALENDAR_2026)

    assert CALENDAR_2026.start == D(2026, 9, 1)
    assert evaluate_rules(year, D(2026, 8, 31)) == []
    assert evaluate_rules(year, D(2026, 9, 1)) != []


@pytest.mark.parametrize(
    ("as_of", "judged"),
    [
        (D(2025, 10, 4), D(2025, 10, 3)),  # Saturday: Friday
        (D(2025, 10, 5), D(2025, 10, 3)),  # Sunday: Friday
        (D(2025, 10, 29), D(2025, 10, 24)),  # in the October half-term: its last Friday
        (D(2025, 12, 25), D(2025, 12, 19)),  # Christmas Day
        (D(2026, 5, 4), D(2026, 5, 1)),  # the early May bank holiday, a Monday
        (D(2026, 8, 31), D(2026, 7, 20)),  # the year's last day: the last school day
        (D(2027, 3, 1), D(2026, 7, 20)),  # a later year: this year's last school day
    ],
)
def test_evaluate_rules_judged_day(as_of, judged):
    year = year_marks({UPN_A: MANY_RULES, UPN_B: "I*3 /*40"})

    assert evaluate_rules(year, as_of) == evaluate_rules(year, judged)


def test_evaluate_rules_sorted():
    year = year_marks({UPN_B: MANY_RULES, UPN_A: MANY_RULES, "C000000000003": "I"})

    result = evaluate_rules(year, D(2025, 10, 3))

    rules = ["la-alert-unauthorised-block", "n-code-overdue", "penalty-threshold", "persistent-absence", "severe-absence", "trigger-stage-1"]
    assert [(met.upn, met.rule.value) for met in result] == [
        *((UPN_A, rule) for rule in rules),
        *((UPN_B, rule) for rule in rules),
        ("C000000000003", "persistent-absence"),
        ("C000000000003", "severe-absence"),
    ]


def test_evaluate_rules_gives_rule_met_objects():
    year = year_marks({UPN_A: "N*10"})

    result = evaluate_rules(year, D(2025, 9, 12))

    assert result[0] == RuleMet(
        upn=UPN_A,
        rule=Rule.LA_ALERT_UNAUTHORISED_BLOCK,
        since=D(2025, 9, 12),
        detail=(
            "Every marked session was N or O on 10 school days from Monday 1 September 2025 to "
            "Friday 12 September 2025, with no other marked session in between"
        ),
    )
    assert all(isinstance(met.since, dt.date) for met in result)
    assert not any(met.detail.endswith(".") for met in result)


def test_evaluate_rules_hand_checked_pupil():
    year = year_marks({UPN_A: MANY_RULES})

    result = evaluate_rules(year, D(2025, 10, 10))

    assert [(met.rule, met.since) for met in result] == [
        (Rule.LA_ALERT_MEDICAL_BLOCK, D(2025, 10, 10)),
        (Rule.LA_ALERT_UNAUTHORISED_BLOCK, D(2025, 9, 12)),
        (Rule.N_CODE_OVERDUE, D(2025, 9, 8)),
        (Rule.PENALTY_THRESHOLD, D(2025, 9, 5)),
        (Rule.PERSISTENT_ABSENCE, D(2025, 9, 1)),
        (Rule.SEVERE_ABSENCE, D(2025, 9, 1)),
        (Rule.TRIGGER_STAGE_1, D(2025, 9, 12)),
    ]


def test_evaluate_rules_leaver():
    # Left on Friday 19 September after 10 N days and 5 of I.
    leaver = Pupil("N*10 I*5", left=D(2025, 9, 19))
    year = year_marks({UPN_A: leaver, UPN_B: "N*10 I*5"})

    result = evaluate_rules(year, D(2025, 10, 3))

    assert [met.rule for met in result if met.upn == UPN_A] == [Rule.LA_ALERT_UNAUTHORISED_BLOCK, Rule.PENALTY_THRESHOLD]
    assert {Rule.PERSISTENT_ABSENCE, Rule.N_CODE_OVERDUE} <= {met.rule for met in result if met.upn == UPN_B}


def test_evaluate_rules_leaves_out_recorded_actions():
    year = year_marks({UPN_A: "N*10", UPN_B: "N*10"})
    recorded = frozenset({(UPN_A, Rule.LA_ALERT_UNAUTHORISED_BLOCK), (UPN_B, Rule.PENALTY_THRESHOLD)})

    result = {(met.upn, met.rule) for met in evaluate_rules(year, D(2025, 9, 12), actions_recorded=recorded)}

    assert (UPN_A, Rule.LA_ALERT_UNAUTHORISED_BLOCK) not in result
    assert (UPN_A, Rule.PENALTY_THRESHOLD) in result
    assert (UPN_B, Rule.LA_ALERT_UNAUTHORISED_BLOCK) in result
    assert (UPN_B, Rule.PENALTY_THRESHOLD) not in result


def test_evaluate_rules_ignores_later_marks():
    earlier = year_marks({UPN_A: "/*10"})
    later = year_marks({UPN_A: "/*10 N*30"})

    assert evaluate_rules(later, D(2025, 9, 12)) == evaluate_rules(earlier, D(2025, 9, 12)) == []


def test_evaluate_rules_event_rules_stay():
    year = year_marks({UPN_A: "O*10 /*185"})

    result = evaluate_rules(year, CALENDAR_2025.school_days[-1])

    assert [(met.rule, met.since) for met in result] == [
        (Rule.LA_ALERT_UNAUTHORISED_BLOCK, D(2025, 9, 12)),
        (Rule.PENALTY_THRESHOLD, D(2025, 9, 5)),
        (Rule.TRIGGER_STAGE_1, D(2025, 9, 12)),  # 370 of 390 is still below 95%
    ]


def test_evaluate_rules_without_pupils():
    assert evaluate_rules(year_marks({}), D(2025, 10, 3)) == []
