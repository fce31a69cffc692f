"""Following up N marks ("no reason yet provided") once the policy's time for a reason is up.

An N is overdue at the end of the policy's number of school days after its session's day: with
5 days, an N on Monday is overdue at the end of the next Monday. Under ``amend_to_o`` the school
then records it as unauthorised absence (O); under ``list_only`` it is listed and nothing changes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

from .settings import NFollowUp, NFollowUpSettings

UNAUTHORISED_CODE = "O"


def overdue_cutoff(school_days: Sequence[dt.date], as_of: dt.date, limit: int) -> dt.date | None:
    """Return the last session day whose N is overdue at the end of ``as_of``, or None.

    ``school_days`` is the school's school days in order (it may join two academic years, so an
    N from the last week of the summer term falls due in September). A day that is not a school
    day counts as the school day before it. Returns None when fewer than ``limit`` school days
    have passed since the first one listed.
    """
    if limit < 1:
        raise ValueError(f"the N follow-up limit {limit} is invalid; use 1 or more school days")
    passed = bisect.bisect_right(school_days, as_of)  # school days up to and including as_of
    index = passed - 1 - limit
    return school_days[index] if index >= 0 else None


def school_days_open(school_days: Sequence[dt.date], session_day: dt.date, as_of: dt.date) -> int:
    """Return how many school days after ``session_day`` have ended by the end of ``as_of``."""
    return max(bisect.bisect_right(school_days, as_of) - bisect.bisect_right(school_days, session_day), 0)


def amends_to_o(settings: NFollowUpSettings) -> bool:
    """Return whether the policy changes an overdue N to O by itself."""
    return settings.action is NFollowUp.AMEND_TO_O


def follow_up_reason(settings: NFollowUpSettings) -> str:
    """Return the amendment reason that names the rule in words."""
    return (
        f"No reason was given within {settings.school_days} school days of the session, so the school's "
        f"attendance policy records the absence as unauthorised (O) in place of N"
    )
