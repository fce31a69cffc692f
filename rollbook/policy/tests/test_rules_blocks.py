"""Tests for the LA alert blocks: unauthorised absence (10 school days) and medical (15).

Marks start on Monday 1 September 2025; school day 10 is Friday 12 September, day 15 Friday
19 September. Every case is judged on Friday 19 December, the last day of the autumn term.
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
        ("school-2023", "N*9 /", None),
        ("school-2023", "N*10", 10),
        ("school-2023", "O*4 N*6", 10),
        ("school-2023", "N|O*10", 10),
        # One present day, or a U (the pupil came in, late), breaks the block.
        ("school-2023", "N*5 / N*5", None),
        ("school-2023", "N*5 U N*5", None),
        ("school-2023", "N*5 N|U N*5", None),
        ("england-2024", "N*5 U N*5", None),
        # An authorised absence breaks it too.
        ("school-2023", "N*5 I N*5", None),
        # A closure day, a day without marks or of "not possible" codes neither counts nor breaks.
        ("school-2023", "N*5 # N*5", 11),
        ("school-2023", "N*5 . N*5", 11),
        ("school-2023", "N*5 .*3 # N*5", 14),
        ("school-2023", "N*5 Y|X N*5", 11),
        # A day counts when its marked possible sessions all have the codes.
        ("school-2023", "N*5 N|. N*4", 10),
        ("school-2023", "N*5 N|# N*4", 10),
        # G counts under the 2024 framework, and breaks the block under the school's policy.
        ("england-2024", "N*5 G N*4", 10),
        ("england-2024", "G*10", 10),
        ("school-2023", "N*5 G N*5", None),
        ("school-2023", "N*5 G N*10", 16),
        # The first block gives the day; a later one does not move it.
        ("school-2023", "N*10 / N*10", 10),
        # Over weekends and the October half-term: days 38 to 47 are 22 October to 11 November.
        ("school-2023", "/*37 N*10", 47),
    ],
)
def test_la_alert_unauthorised_block(policy, marks, expected_since_day):
    year = year_marks({UPN_A: marks}, policy)

    result = since(year, AS_OF, Rule.LA_ALERT_UNAUTHORISED_BLOCK)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


@pytest.mark.parametrize(
    ("marks", "expected_since_day"),
    [
        ("I*14 /", None),
        ("I*15", 15),
        ("I*7 M*8", 15),
        ("I*7 M|I*8", 15),
        ("I*7 # I*7", None),
        ("I*7 # I*8", 16),
        ("I*7 N I*8", None),
        ("I*7 I|L I*8", None),
    ],
)
def test_la_alert_medical_block(marks, expected_since_day):
    year = year_marks({UPN_A: marks})

    result = since(year, AS_OF, Rule.LA_ALERT_MEDICAL_BLOCK)

    assert result == (nth_day(expected_since_day) if expected_since_day else None)


def test_block_skips_days_before_admission():
    # Marks on 1 and 2 September are outside the time on roll, so they do not count.
    year = year_marks({UPN_A: Pupil("N*11", admitted=D(2025, 9, 3))})

    assert since(year, AS_OF, Rule.LA_ALERT_UNAUTHORISED_BLOCK) is None
    assert since(year_marks({UPN_A: Pupil("N*12", admitted=D(2025, 9, 3))}), AS_OF, Rule.LA_ALERT_UNAUTHORISED_BLOCK) == nth_day(12)


def test_block_counts_before_compulsory_school_age():
    year = year_marks({UPN_A: Pupil("N*10", compulsory_from=D(2026, 3, 31))})

    assert since(year, AS_OF, Rule.LA_ALERT_UNAUTHORISED_BLOCK) == nth_day(10)


def test_block_judged_up_to_judged_day():
    year = year_marks({UPN_A: "N*10"})

    assert since(year, nth_day(9), Rule.LA_ALERT_UNAUTHORISED_BLOCK) is None
    assert since(year, nth_day(10), Rule.LA_ALERT_UNAUTHORISED_BLOCK) == nth_day(10)


def test_block_listed_after_leaving():
    year = year_marks({UPN_A: Pupil("N*10", left=D(2025, 9, 12))})

    result = evaluate_rules(year, D(2026, 7, 20))

    assert [(m.rule, m.since) for m in result] == [
        (Rule.LA_ALERT_UNAUTHORISED_BLOCK, D(2025, 9, 12)),
        (Rule.PENALTY_THRESHOLD, D(2025, 9, 5)),
    ]


def test_block_settings_from_policy():
    school = load_preset("school-2023")
    alerts = dataclasses.replace(school.la_alerts, unauthorised_block_days=3, unauthorised_block_codes=("U",))
    year = year_marks({UPN_A: "N U*3"}, dataclasses.replace(school, la_alerts=alerts))

    assert since(year, AS_OF, Rule.LA_ALERT_UNAUTHORISED_BLOCK) == nth_day(4)


@pytest.mark.parametrize(
    ("policy", "marks", "rule", "expected"),
    [
        (
            "school-2023",
            "N*5 # O*5",
            Rule.LA_ALERT_UNAUTHORISED_BLOCK,
            "Every marked session was N or O on 10 school days from Monday 1 September 2025 to "
            "Monday 15 September 2025, with no other marked session in between",
        ),
        (
            "england-2024",
            "/ G*10",
            Rule.LA_ALERT_UNAUTHORISED_BLOCK,
            "Every marked session was G, N or O on 10 school days from Tuesday 2 September 2025 to "
            "Monday 15 September 2025, with no other marked session in between",
        ),
        (
            "school-2023",
            "I*15",
            Rule.LA_ALERT_MEDICAL_BLOCK,
            "Every marked session was I or M on 15 school days from Monday 1 September 2025 to "
            "Friday 19 September 2025, with no other marked session in between",
        ),
    ],
)
def test_block_details(policy, marks, rule, expected):
    year = year_marks({UPN_A: marks}, policy)

    details = {m.rule: m.detail for m in evaluate_rules(year, AS_OF)}

    assert details[rule] == expected
