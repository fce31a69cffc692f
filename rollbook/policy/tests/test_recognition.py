"""Tests for recognising attendance at the school's target or a pupil's individual target."""

import pytest

from rollbook.policy.recognition import RecognitionReason, recognition_reason
from rollbook.policy.settings import load_preset


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
@pytest.mark.parametrize(
    ("attended", "possible", "target", "expected"),
    [
        (97, 100, None, RecognitionReason.SCHOOL_TARGET),
        (96, 99, None, None),  # 96.97%, below 97%
        (96, 99, 80, RecognitionReason.INDIVIDUAL_TARGET),
        (80, 100, 80, RecognitionReason.INDIVIDUAL_TARGET),
        (79, 100, 80, None),
        (100, 100, 80, RecognitionReason.SCHOOL_TARGET),
        (0, 0, 80, None),
    ],
)
def test_recognition_reason(policy, attended, possible, target, expected):
    assert recognition_reason(attended, possible, load_preset(policy), target) == expected
