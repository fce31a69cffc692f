"""Tests for the removal-from-roll review: 20 days of G, N or O, or no return after leave.

Marks start on Monday 1 September 2025 and every case is judged on Friday 19 December 2025.
"""

import dataclasses

import pytest

from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import load_preset

from .builders import UPN_A, D, Pupil, nth_day, since, year_marks

AS_OF = D(2025, 12, 19)


@pytest.mark.parametrize(
    ("policy", "marks", "expected_since_day"),
    [
        # 20 school days on which every marked possible session is G, N or O.
        ("school-2023", "N*19 /", None),
        ("school-2023", "N*20", 20),
        ("school-2023", "G*10 O*5 N|G*5", 20),
        ("school-2023", "N*10 U N*10", None),
        ("school-2023", "N*10 L|N N*10", None),
        ("school-2023", "N*10 # . X N*10", 23),
        ("school-2023", "N*10 N|# N*9", 20),
        # After a leave of absence (C or H under the school's policy), the next 10 days with
        # marks all G, N or O.
        ("school-2023", "/ H*5 N*9 /", None),
        ("school-2023", "/ H*5 N*10", 16),
        ("school-2023", "/ C*5 G*3 O*7", 16),
        ("school-2023", "/ C*3 # N*5 .*2 N*5", 17),
        # A leave day after leave days restarts the count.
        ("school-2023", "/ C*3 N*4 C N*9", None),
        ("school-2023", "/ C*3 N*4 C N*10", 19),
        # A day mixing leave and another code is neither: it ends the count.
        ("school-2023", "/ C*3 N*4 C|N N*9", None),
        ("school-2023", "/ C*3 N*4 C|/ N*9", None),
        # So does any other marked day.
        ("school-2023", "/ C*3 N*4 I N*10", None),
        ("school-2023", "/ C*3 N*4 / N*10", None),
        # Leave ending then the pupil attending first is no ground.
        ("school-2023", "C*3 / N*10", None),
        # The earlier ground gives the day: after leave on day 12, the 20 days on day 22.
        ("school-2023", "/ C N*20", 12),
        # C is the leave code under england-2024 too.
        ("england-2024", "/ C*5 N*10", 16),
    ],
)
def test_removal_review(policy, marks, expected_since_day):
    year = year_marks({UPN_A: marks}, policy)

    result = since(year, AS_OF, Rule.REMOVAL_REVIEW)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


def test_removal_review_leave_codes_from_policy():
    # Marks recorded under the 2006 codes and judged by england-2024: H is no leave day there.
    marks = "/ H*5 N*10"

    judged_by_school = year_marks({UPN_A: marks}, "school-2023")
    judged_by_england = year_marks({UPN_A: marks}, "england-2024", recorded_under="school-2023")

    assert since(judged_by_school, AS_OF, Rule.REMOVAL_REVIEW) == nth_day(16)
    assert since(judged_by_england, AS_OF, Rule.REMOVAL_REVIEW) is None


@pytest.mark.parametrize(
    ("marks", "expected_since_day"),
    [
        # Compulsory school age from Wednesday 3 September (day 3): days 1 and 2 are skipped.
        ("N*21", None),
        ("N*22", 22),
        ("/*2 N*20", 22),
        # Leave before compulsory school age is not a leave day, so there is no after-leave ground.
        ("/ C N*10", None),
        ("/*2 C N*10", 13),
    ],
)
def test_removal_review_compulsory_school_age(marks, expected_since_day):
    year = year_marks({UPN_A: Pupil(marks, compulsory_from=D(2025, 9, 3))})

    result = since(year, AS_OF, Rule.REMOVAL_REVIEW)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


def test_removal_review_young_pupil_other_rules():
    year = year_marks({UPN_A: Pupil("N*21", compulsory_from=D(2025, 9, 3))})

    result = {m.rule for m in evaluate_rules(year, nth_day(21))}

    assert Rule.REMOVAL_REVIEW not in result
    assert {Rule.PERSISTENT_ABSENCE, Rule.LA_ALERT_UNAUTHORISED_BLOCK} <= result


def test_removal_review_settings_from_policy():
    school = load_preset("school-2023")
    removal = dataclasses.replace(school.removal, absence_days=3, after_leave_days=2, leave_codes=("I",))
    policy = dataclasses.replace(school, removal=removal)

    assert since(year_marks({UPN_A: "N*3"}, policy), AS_OF, Rule.REMOVAL_REVIEW) == nth_day(3)
    assert since(year_marks({UPN_A: "I G*2"}, policy), AS_OF, Rule.REMOVAL_REVIEW) == nth_day(3)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        (
            "/ C*2 N*10",
            "After leave of absence up to Wednesday 3 September 2025, every marked session of the next "
            "10 school days with marks, to Wednesday 17 September 2025, was G, N or O",
        ),
        (
            "N*20",
            "Every marked session was G, N or O on 20 school days from Monday 1 September 2025 to "
            "Friday 26 September 2025, with no other marked session in between",
        ),
    ],
)
def test_removal_review_details(marks, expected):
    year = year_marks({UPN_A: marks})

    details = {m.rule: m.detail for m in evaluate_rules(year, AS_OF)}

    assert details[Rule.REMOVAL_REVIEW] == expected
