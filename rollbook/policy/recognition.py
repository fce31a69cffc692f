"""Recognition of good attendance with a certificate, including pupils with individual targets.

The school's policy lets improved and outstanding attendance earn a letter or a certificate, and
lets a pupil with health needs have an individual target so that they are not left out.
Outstanding attendance is attendance at or above the school's target (97% in both presets).
Improved attendance is decided by the trigger stages and their improved letter, not here.
"""

from __future__ import annotations

import enum

from .measures import at_or_above
from .settings import Policy


class RecognitionReason(enum.StrEnum):
    SCHOOL_TARGET = "school_target"
    INDIVIDUAL_TARGET = "individual_target"


def recognition_reason(
    attended: int, possible: int, policy: Policy, individual_target_percent: int | None = None
) -> RecognitionReason | None:
    """Return why a pupil's attendance earns a certificate, or None when it does not.

    Attendance at or above the school's target earns one. A pupil with an individual target
    also earns one by reaching that target. Whole numbers decide: 97 of 100 sessions meets
    97%, 96 of 99 (96.97%) does not. With no possible session, nothing is earned.
    """
    if possible <= 0:
        return None
    if at_or_above(attended, possible, policy.measures.target_attendance_percent):
        return RecognitionReason.SCHOOL_TARGET
    if individual_target_percent is not None and at_or_above(attended, possible, individual_target_percent):
        return RecognitionReason.INDIVIDUAL_TARGET
    return None
