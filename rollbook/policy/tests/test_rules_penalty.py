"""Tests for the penalty notice threshold: 10 sessions of G, N, O or U within a span of school weeks.

School weeks of 2025/26 in Sheffield, by their Monday:

- 1 September 2025 is week 1 and 20 October week 8;
- the half-term week is skipped, so 3 November is week 9 and 10 November week 10;
- 17 November is week 11, 24 November week 12, 1 December week 13 and 15 December week 15;
- the two Christmas weeks are skipped, so 5 January 2026 is week 16.
"""

import dataclasses

import pytest

from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import load_preset

from .builders import CALENDAR_2025, CALENDAR_2026, UPN_A, UPN_B, D, Pupil, since, year_marks

END_OF_SPRING = D(2026, 3, 27)


@pytest.mark.parametrize(
    ("policy", "marks", "expected_since"),
    [
        ("school-2023", "N*4 N|/", None),
        ("school-2023", "N*5", D(2025, 9, 5)),
        # The session that brings the count to 10 gives the day: Monday 8 September, PM.
        ("school-2023", "N*4 N|/ /|N", D(2025, 9, 8)),
        ("school-2023", "N*4 N|/ / N|/", D(2025, 9, 9)),
        ("school-2023", "U*5", D(2025, 9, 5)),
        ("school-2023", "G*2 O*2 N|U", D(2025, 9, 5)),
        ("england-2024", "G*2 O*2 N|U", D(2025, 9, 5)),
        ("school-2023", "I*5 C*5 L*5 /*5", None),
        # 12 school weeks under the school's policy: weeks 1 and 12 over the October half-term
        # are within one window, weeks 1 and 13 are not.
        ("school-2023", "N|/*5 @2025-11-24 N|/*5", D(2025, 11, 28)),
        ("school-2023", "N|/*5 @2025-12-01 N|/*5", None),
        # 10 school weeks under the 2024 framework: weeks 1 and 10, then 1 and 11.
        ("england-2024", "N|/*5 @2025-11-10 N|/*5", D(2025, 11, 14)),
        ("england-2024", "N|/*5 @2025-11-17 N|/*5", None),
        # Across the autumn and spring terms: weeks 15 and 16, the Christmas holiday skipped.
        ("school-2023", "@2025-12-15 N|/*5 @2026-01-05 N|/*5", D(2026, 1, 9)),
        ("england-2024", "@2025-12-15 N|/*5 @2026-01-05 N|/*5", D(2026, 1, 9)),
        # Nine sessions in week 1 and one more in week 12, or in week 13 when week 1 has left
        # the window, so that ten more are needed.
        ("school-2023", "N*4 N|/ @2025-11-24 N|/", D(2025, 11, 24)),
        ("school-2023", "N*4 N|/ @2025-12-01 N|/", None),
        ("school-2023", "N*4 N|/ @2025-12-01 N*5", D(2025, 12, 5)),
        # A window met twice gives the first day.
        ("school-2023", "N*5 @2026-01-05 N*5", D(2025, 9, 5)),
    ],
)
def test_penalty_threshold(policy, marks, expected_since):
    year = year_marks({UPN_A: marks}, policy)

    assert since(year, END_OF_SPRING, Rule.PENALTY_THRESHOLD) == expected_since


@pytest.mark.parametrize(
    ("marks", "expected_since"),
    [
        # Compulsory school age from Monday 8 September: sessions of the week before are ignored.
        ("N*5 N", None),
        ("N*10", D(2025, 9, 12)),
        ("N*4 /*6 N*4", None),
    ],
)
def test_penalty_threshold_compulsory_school_age(marks, expected_since):
    year = year_marks({UPN_A: Pupil(marks, compulsory_from=D(2025, 9, 8))})

    assert since(year, END_OF_SPRING, Rule.PENALTY_THRESHOLD) == expected_since


def test_penalty_threshold_young_pupil_other_rules():
    year = year_marks({UPN_A: Pupil("O*6", compulsory_from=D(2025, 9, 8))})

    assert {m.rule for m in evaluate_rules(year, D(2025, 9, 8))} == {Rule.PERSISTENT_ABSENCE, Rule.SEVERE_ABSENCE}


def test_penalty_threshold_settings_from_policy():
    school = load_preset("school-2023")
    penalty = dataclasses.replace(school.penalty, threshold_sessions=3, window_school_weeks=1, codes=("O",))
    policy = dataclasses.replace(school, penalty=penalty)

    # Two sessions in one week, one in the next: never 3 within 1 week.
    assert since(year_marks({UPN_A: "/*4 O @2025-09-08 O|/ N*4"}, policy), END_OF_SPRING, Rule.PENALTY_THRESHOLD) is None
    assert since(year_marks({UPN_A: "/*3 O O|/"}, policy), END_OF_SPRING, Rule.PENALTY_THRESHOLD) == D(2025, 9, 5)


def test_penalty_threshold_detail():
    year = year_marks({UPN_A: "/ N*4 N|G"})

    details = {m.rule: m.detail for m in evaluate_rules(year, END_OF_SPRING)}

    assert details[Rule.PENALTY_THRESHOLD] == (
        "10 sessions marked G, N, O or U of compulsory school age from the week of Monday 1 September 2025 "
        "to Monday 8 September 2025, within 12 school weeks, reach the threshold of 10 sessions"
    )


# Across academic years: 2026/27 starts on Tuesday 1 September 2026, in the week of Monday 31
# August. Under england-2024 its window of 10 school weeks reaches back over the summer to the
# week of 18 May 2026 (the May half-term week is not a school week).
FIRST_WEEK_2026 = "N N|/*3"  # 5 sessions from Tuesday 1 to Friday 4 September 2026


@pytest.mark.parametrize(
    ("policy", "previous_marks", "expected_since"),
    [
        ("england-2024", "@2026-05-18 N|/*5", D(2026, 9, 4)),
        ("england-2024", "@2026-05-11 N|/*5", None),
        # 6 sessions last July: the 4th this year, on Thursday 3 September, reaches 10.
        ("england-2024", "@2026-07-14 N*3", D(2026, 9, 3)),
        # The school's own policy keeps windows inside the year.
        ("school-2023", "@2026-07-13 N|/*5", None),
    ],
)
def test_penalty_threshold_windows_across_years(policy, previous_marks, expected_since):
    previous = year_marks({UPN_A: previous_marks}, policy, calendar=CALENDAR_2025)
    year = year_marks({UPN_A: FIRST_WEEK_2026}, policy, calendar=CALENDAR_2026)

    assert since(year, D(2026, 10, 23), Rule.PENALTY_THRESHOLD, previous=previous) == expected_since


def test_penalty_threshold_without_previous_year():
    year = year_marks({UPN_A: FIRST_WEEK_2026}, "england-2024", calendar=CALENDAR_2026)

    assert since(year, D(2026, 10, 23), Rule.PENALTY_THRESHOLD) is None


def test_penalty_threshold_previous_year_by_upn():
    previous = year_marks(
        {"C000000000003": "@2026-07-13 N*5", UPN_B: "@2026-07-13 N|/*5"}, "england-2024", calendar=CALENDAR_2025
    )
    year = year_marks({UPN_A: FIRST_WEEK_2026, UPN_B: FIRST_WEEK_2026}, "england-2024", calendar=CALENDAR_2026)

    result = evaluate_rules(year, D(2026, 10, 23), previous=previous)

    assert [(m.upn, m.since) for m in result if m.rule is Rule.PENALTY_THRESHOLD] == [(UPN_B, D(2026, 9, 4))]


def test_penalty_threshold_previous_year_compulsory_age():
    previous = year_marks(
        {UPN_A: Pupil("@2026-07-13 N|/*5", compulsory_from=D(2026, 7, 15))}, "england-2024", calendar=CALENDAR_2025
    )
    year = year_marks({UPN_A: FIRST_WEEK_2026}, "england-2024", calendar=CALENDAR_2026)

    assert since(year, D(2026, 10, 23), Rule.PENALTY_THRESHOLD, previous=previous) is None


def test_penalty_threshold_carried_over():
    # Both pupils end 2025/26 with 10 N sessions in the window; only a new one this year counts.
    previous = year_marks({UPN_A: "@2026-07-13 N*5", UPN_B: "@2026-07-13 N*5"}, "england-2024", calendar=CALENDAR_2025)
    year = year_marks(
        {UPN_A: "/*5", UPN_B: Pupil("@2026-09-07 / N|/", admitted=D(2026, 9, 7))}, "england-2024", calendar=CALENDAR_2026
    )

    result = evaluate_rules(year, D(2026, 10, 23), previous=previous)

    assert [(m.upn, m.since) for m in result if m.rule is Rule.PENALTY_THRESHOLD] == [(UPN_B, D(2026, 9, 8))]


def test_calendars_of_the_cross_year_tests():
    assert CALENDAR_2025.school_days[-1] == D(2026, 7, 20)
    assert CALENDAR_2026.school_days[0] == D(2026, 9, 1)
    assert D(2026, 5, 25) not in CALENDAR_2025.school_weeks
