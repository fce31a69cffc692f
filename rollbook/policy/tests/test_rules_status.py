"""Tests for the status rules: persistent and severe absence, trigger stage 1 and overdue N marks.

School days of 2025/26 in Sheffield, as numbered by ``nth_day``:

- day 1 is Monday 1 September 2025 and day 10 Friday 12 September;
- day 40 is Friday 24 October, before the half-term;
- day 75 is Friday 19 December, the last day of the autumn term;
- day 76 is Monday 5 January 2026, the first day of the spring term.
"""

import dataclasses

import pytest

from rollbook.policy.calendar import Closure
from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import load_preset

from .builders import CALENDAR_2025, UPN_A, UPN_B, D, Pupil, found, nth_day, since, year_marks


@pytest.mark.parametrize(
    ("marks", "as_of_day", "expected_since_day"),
    [
        # Absence 20 of 200: exactly 90% attendance is persistent absence, first on day 100.
        ("/*90 I*10", 100, 100),
        ("/*90 I*10", 99, None),  # 18 of 198
        # 20 of 201 shows as 90.0% attendance but is not persistent absence.
        ("/*90 I*10 /|#", 101, None),
        ("/*90 I*10 /|.", 101, None),
        # Absence on the first day: 100% absence, no minimum of sessions.
        ("I", 1, 1),
        # Authorised and unauthorised absence both count.
        ("N /*9", 10, 1),
        ("N /*10", 11, None),
        # The run restarts: days 1 to 20 hold, 21 and 22 do not, 23 on hold again.
        ("I*2 /*20 I*5", 27, 23),
        ("I*2 /*20 I*5", 20, 1),
        # Not possible and approved educational activity are no absence.
        ("X*5 B*5 /", 11, None),
    ],
)
def test_persistent_absence(marks, as_of_day, expected_since_day):
    year = year_marks({UPN_A: marks})

    result = since(year, nth_day(as_of_day), Rule.PERSISTENT_ABSENCE)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


def test_persistent_absence_without_possible_sessions():
    year = year_marks({UPN_A: "X*5 #*5 .*5"})

    assert evaluate_rules(year, nth_day(15)) == []


@pytest.mark.parametrize(
    ("marks", "as_of_day", "expected_since_day"),
    [
        ("N*10 /*10", 20, 1),  # 20 of 40: 50%
        ("N*10 /*10 /|.", 21, None),  # 20 of 41
        ("/*10 M*10", 20, 20),
        ("/*10 M*9 M|.", 20, None),  # 19 of 39
    ],
)
def test_severe_absence(marks, as_of_day, expected_since_day):
    year = year_marks({UPN_A: marks})

    result = since(year, nth_day(as_of_day), Rule.SEVERE_ABSENCE)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


@pytest.mark.parametrize(
    ("marks", "as_of_day", "expected_since_day"),
    [
        # 17 of 20 sessions: the minimum of 20 possible sessions is reached on day 10.
        ("I N|/ /*8", 10, 10),
        ("I N|/ /*8", 9, None),  # 15 of 18: below 90%, but only 18 possible sessions
        ("I N|/ /*7 /|.", 10, None),  # 16 of 19
        ("I N|/ /*7 /|# /", 11, 11),
        # Autumn: 135 of 150 is exactly 90.0%, not below; 134 of 149 shows 89.9%.
        ("I*7 /*67 /|I", 75, None),
        ("I*7 /*67 I|.", 75, 75),
        # Below 90% from day 10 (6 of 20) to day 69 (124 of 138); 126 of 140 on day 70 is not.
        ("I*7 /*68", 69, 10),
        ("I*7 /*68", 70, None),
    ],
)
def test_trigger_stage_1(marks, as_of_day, expected_since_day):
    year = year_marks({UPN_A: marks})

    result = since(year, nth_day(as_of_day), Rule.TRIGGER_STAGE_1)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


def test_trigger_stage_1_spring_start():
    # 138 of 150 (92%) at the end of autumn is above 90%; on 5 January, 140 of 152 is below 95%.
    year = year_marks({UPN_A: "I*6 /*70"})

    assert since(year, D(2025, 12, 19), Rule.TRIGGER_STAGE_1) is None
    assert since(year, D(2026, 1, 5), Rule.TRIGGER_STAGE_1) == D(2026, 1, 5)
    assert since(year, D(2026, 1, 4), Rule.TRIGGER_STAGE_1) is None  # judges Friday 19 December


def test_trigger_stage_1_detail():
    year = year_marks({UPN_A: "I*7 /*67 I|."})

    [met] = [m for m in evaluate_rules(year, D(2025, 12, 19)) if m.rule is Rule.TRIGGER_STAGE_1]

    assert met.detail == "Attendance 89.9% (134 of 149 sessions) is below the autumn threshold of 90%"


def test_trigger_stage_1_letter_recorded():
    year = year_marks({UPN_A: "I*5 /*5", UPN_B: "I*5 /*5"})

    result = evaluate_rules(year, nth_day(10), actions_recorded=frozenset({(UPN_A, Rule.TRIGGER_STAGE_1)}))

    assert {(m.upn, m.rule) for m in result} == {
        (UPN_A, Rule.PERSISTENT_ABSENCE),
        (UPN_A, Rule.SEVERE_ABSENCE),
        (UPN_B, Rule.PERSISTENT_ABSENCE),
        (UPN_B, Rule.SEVERE_ABSENCE),
        (UPN_B, Rule.TRIGGER_STAGE_1),
    }


def test_trigger_stage_1_settings_from_policy():
    school = load_preset("school-2023")
    triggers = dataclasses.replace(school.triggers, min_possible_sessions=0, autumn_threshold_percent=80)
    policy = dataclasses.replace(school, triggers=triggers)

    assert since(year_marks({UPN_A: "/*3 I|/ I"}, policy), nth_day(5), Rule.TRIGGER_STAGE_1) == nth_day(5)  # 7 of 10
    assert since(year_marks({UPN_A: "/*4 I"}, policy), nth_day(5), Rule.TRIGGER_STAGE_1) is None  # 8 of 10
    assert since(year_marks({UPN_A: "I"}, policy), nth_day(1), Rule.TRIGGER_STAGE_1) == nth_day(1)  # no minimum


# An N on the AM of Thursday 11 September (day 9). The school days after it: Friday 12,
# Monday 15, Tuesday 16 (an INSET closure), Wednesday 17 and Thursday 18 September.
N_THEN_CLOSURE = "/*8 N|/ / / # / /"
CALENDAR_WITH_INSET = dataclasses.replace(CALENDAR_2025, closures=(Closure(D(2025, 9, 16), D(2025, 9, 16), label="INSET"),))


@pytest.mark.parametrize(
    ("as_of", "expected_since"),
    [
        (D(2025, 9, 17), None),  # 4 school days after
        (D(2025, 9, 18), D(2025, 9, 18)),  # 5 school days after, the closure counted
        (D(2025, 9, 20), D(2025, 9, 18)),  # a Saturday judges Friday 19
    ],
)
def test_n_code_overdue_after_5_days(as_of, expected_since):
    year = year_marks({UPN_A: N_THEN_CLOSURE}, calendar=CALENDAR_WITH_INSET)

    assert since(year, as_of, Rule.N_CODE_OVERDUE) == expected_since


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
def test_n_code_overdue_marks_as_stored(policy):
    year = year_marks({UPN_A: "N|/ /*5", UPN_B: "O|/ /*5"}, policy)

    assert found(year, nth_day(6), Rule.N_CODE_OVERDUE) == {UPN_A: nth_day(6)}


def test_n_code_overdue_days_off_roll():
    # Off roll from 2 to 7 September and back from Monday 8 September: the N of 1 September is
    # overdue on 8 September, the 5th school day after it, although 4 of them were off roll.
    year = year_marks({UPN_A: Pupil("N . . . . /", left=D(2025, 9, 1))})
    year.on_roll[0, 7:] = True

    assert since(year, D(2025, 9, 8), Rule.N_CODE_OVERDUE) == D(2025, 9, 8)


def test_n_code_overdue_oldest_n():
    year = year_marks({UPN_A: "/ N|/ / N / / / / /"})

    [met] = [m for m in evaluate_rules(year, nth_day(9)) if m.rule is Rule.N_CODE_OVERDUE]

    assert met.since == nth_day(7)
    assert met.detail == (
        "The N mark of the AM session on Tuesday 2 September 2025 remains 7 school days later, "
        "past the limit of 5 (3 overdue N marks in all)"
    )


def test_n_code_overdue_limit_from_policy():
    school = load_preset("school-2023")
    policy = dataclasses.replace(school, n_follow_up=dataclasses.replace(school.n_follow_up, school_days=2))
    year = year_marks({UPN_A: "/|N / /"}, policy)

    assert since(year, nth_day(2), Rule.N_CODE_OVERDUE) is None
    assert since(year, nth_day(3), Rule.N_CODE_OVERDUE) == nth_day(3)


def test_status_rules_only_on_roll():
    # Left on Friday 5 September: status rules stop, even if they held on the leaving day.
    year = year_marks({UPN_A: Pupil("I*5 N", left=D(2025, 9, 5))})

    assert {m.rule for m in evaluate_rules(year, D(2025, 9, 5))} == {Rule.PERSISTENT_ABSENCE, Rule.SEVERE_ABSENCE}
    assert evaluate_rules(year, D(2025, 9, 8)) == []


def test_status_rules_start_on_admission():
    year = year_marks({UPN_A: Pupil("@2025-09-08 I", admitted=D(2025, 9, 8))})

    assert since(year, D(2025, 9, 9), Rule.PERSISTENT_ABSENCE) == D(2025, 9, 8)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule.PERSISTENT_ABSENCE, "Absence 10.0% (20 of 200 sessions) is at or above the persistent absence threshold of 10%"),
        (Rule.SEVERE_ABSENCE, None),
    ],
)
def test_absence_details(rule, expected):
    year = year_marks({UPN_A: "/*90 I*10"})

    details = {m.rule: m.detail for m in evaluate_rules(year, nth_day(100))}

    assert details.get(rule) == expected
