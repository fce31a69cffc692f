"""Tests for penalty notice amounts, deadlines and repeat notices under both presets.

``school-2023``: £60 within 21 days, £120 within 28, for every notice, with no limit.
``england-2024``: £80 within 21 days and £160 within 28 for a first notice; a second within 3
years costs £160 flat; a third within 3 years is rejected.
"""

import datetime as dt

import pytest

from rollbook.policy.penalties import (
    NoticeState,
    PenaltyRejected,
    amount_due,
    can_refer,
    notice_state,
    notice_terms,
    notices_in_period,
    years_before,
)
from rollbook.policy.settings import load_preset

D = dt.date
ISSUED = D(2026, 3, 2)


def penalty(policy: str):
    return load_preset(policy).penalty


@pytest.mark.parametrize(
    ("policy", "early", "late"),
    [("school-2023", 6000, 12000), ("england-2024", 8000, 16000)],
)
def test_first_notice_amounts(policy, early, late):
    terms = notice_terms(ISSUED, [], penalty(policy))

    assert terms.number_in_period == 1
    assert terms.early_pence == early
    assert terms.late_pence == late
    assert not terms.flat_rate


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
def test_deadlines_count_from_issue(policy):
    terms = notice_terms(ISSUED, [], penalty(policy))

    assert terms.early_deadline == D(2026, 3, 23)
    assert terms.final_deadline == D(2026, 3, 30)


@pytest.mark.parametrize(
    ("policy", "paid_on", "expected"),
    [
        ("school-2023", D(2026, 3, 2), 6000),
        ("school-2023", D(2026, 3, 23), 6000),  # day 21
        ("school-2023", D(2026, 3, 24), 12000),  # day 22
        ("school-2023", D(2026, 3, 30), 12000),  # day 28
        ("england-2024", D(2026, 3, 23), 8000),
        ("england-2024", D(2026, 3, 24), 16000),
        ("england-2024", D(2026, 3, 30), 16000),
    ],
)
def test_amount_due_either_side_of_deadlines(policy, paid_on, expected):
    terms = notice_terms(ISSUED, [], penalty(policy))

    assert amount_due(terms, paid_on) == expected


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
def test_payment_after_last_deadline_rejected(policy):
    terms = notice_terms(ISSUED, [], penalty(policy))

    with pytest.raises(PenaltyRejected, match="referred for prosecution"):
        amount_due(terms, D(2026, 3, 31))


def test_second_notice_flat_under_2024_framework():
    terms = notice_terms(ISSUED, [D(2024, 6, 1)], penalty("england-2024"))

    assert terms.number_in_period == 2
    assert terms.early_pence == 16000
    assert terms.late_pence == 16000
    assert terms.flat_rate
    assert amount_due(terms, D(2026, 3, 3)) == 16000


def test_second_notice_same_price_under_school_policy():
    terms = notice_terms(ISSUED, [D(2025, 6, 1)], penalty("school-2023"))

    assert terms.number_in_period == 2
    assert terms.early_pence == 6000
    assert terms.late_pence == 12000


def test_third_notice_rejected_under_2024_framework():
    with pytest.raises(PenaltyRejected, match="already has 2 penalty notices for this pupil within 3 years"):
        notice_terms(ISSUED, [D(2024, 6, 1), D(2025, 6, 1)], penalty("england-2024"))


def test_third_notice_allowed_under_school_policy():
    terms = notice_terms(ISSUED, [D(2024, 6, 1), D(2025, 6, 1)], penalty("school-2023"))

    assert terms.number_in_period == 3
    assert terms.early_pence == 6000


@pytest.mark.parametrize(
    ("earlier", "expected_number", "expected_early"),
    [
        # Exactly 3 years before is within the period; the day before is not.
        (D(2023, 3, 2), 2, 16000),
        (D(2023, 3, 1), 1, 8000),
    ],
)
def test_repeat_period_boundary_under_2024_framework(earlier, expected_number, expected_early):
    terms = notice_terms(ISSUED, [earlier], penalty("england-2024"))

    assert terms.number_in_period == expected_number
    assert terms.early_pence == expected_early


@pytest.mark.parametrize(
    ("earlier", "rejected"),
    [
        ([D(2023, 3, 2), D(2024, 1, 10)], True),
        ([D(2023, 3, 1), D(2024, 1, 10)], False),
    ],
)
def test_third_notice_boundary_under_2024_framework(earlier, rejected):
    if rejected:
        with pytest.raises(PenaltyRejected):
            notice_terms(ISSUED, earlier, penalty("england-2024"))
    else:
        assert notice_terms(ISSUED, earlier, penalty("england-2024")).number_in_period == 2


def test_later_notices_not_counted():
    assert notices_in_period(ISSUED, [D(2026, 3, 3)], penalty("england-2024")) == 0


def test_years_before_leap_day():
    assert years_before(D(2028, 2, 29), 3) == D(2025, 2, 28)
    assert years_before(D(2026, 3, 2), 3) == D(2023, 3, 2)


@pytest.mark.parametrize(
    ("on", "dates", "expected"),
    [
        (D(2026, 3, 23), {}, NoticeState.EARLY_PAYMENT),
        (D(2026, 3, 24), {}, NoticeState.LATE_PAYMENT),
        (D(2026, 3, 30), {}, NoticeState.LATE_PAYMENT),
        (D(2026, 3, 31), {}, NoticeState.REFERRAL_DUE),
        (D(2026, 3, 31), {"paid_on": D(2026, 3, 20)}, NoticeState.PAID),
        (D(2026, 3, 19), {"paid_on": D(2026, 3, 20)}, NoticeState.EARLY_PAYMENT),
        (D(2026, 4, 2), {"referred_on": D(2026, 4, 1)}, NoticeState.REFERRED),
        (D(2026, 4, 2), {"withdrawn_on": D(2026, 3, 10)}, NoticeState.WITHDRAWN),
    ],
)
def test_notice_state(on, dates, expected):
    terms = notice_terms(ISSUED, [], penalty("england-2024"))

    assert notice_state(terms, on, **dates) == expected


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
def test_referral_only_after_last_deadline(policy):
    terms = notice_terms(ISSUED, [], penalty(policy))

    assert not can_refer(terms, D(2026, 3, 30))
    assert can_refer(terms, D(2026, 3, 31))
