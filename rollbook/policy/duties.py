"""Local authority duties: the evidence behind an absence alert or a penalty threshold, and removal grounds.

The rules engine (``rules``) finds the day a pupil meets a rule. These functions list the
school days and sessions behind that finding, for the local authority's forms and the
evidence pack, using the same day classification as the rules themselves.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import numpy as np

from .codes import CODES_BY_BYTE, NO_MARK
from .marks import YearMarks, code_mask
from .rules_base import NOT_MET, JudgedYear, first_block, session_codes
from .settings import Policy


class RemovalGround(enum.StrEnum):
    """A statutory ground for deleting a pupil from the admission register."""

    CONTINUOUS_ABSENCE = "continuous_absence"
    NO_RETURN_AFTER_LEAVE = "no_return_after_leave"
    REGISTERED_ELSEWHERE = "registered_elsewhere"
    EDUCATED_OTHERWISE = "educated_otherwise"
    MOVED_AWAY = "moved_away"
    MEDICALLY_UNFIT = "medically_unfit"
    IN_CUSTODY = "in_custody"
    DIED = "died"
    PERMANENTLY_EXCLUDED = "permanently_excluded"
    NO_LONGER_COMPULSORY_AGE = "no_longer_compulsory_age"

    @property
    def label(self) -> str:
        return REMOVAL_GROUND_LABELS[self]


REMOVAL_GROUND_LABELS = {
    RemovalGround.CONTINUOUS_ABSENCE: "20 school days of continuous unauthorised absence, after enquiries",
    RemovalGround.NO_RETURN_AFTER_LEAVE: "did not return within 10 school days after leave of absence, after enquiries",
    RemovalGround.REGISTERED_ELSEWHERE: "registered at another school",
    RemovalGround.EDUCATED_OTHERWISE: "educated otherwise than at school, as the parent has told the school in writing",
    RemovalGround.MOVED_AWAY: "moved away and no longer within reasonable distance of the school",
    RemovalGround.MEDICALLY_UNFIT: "certified medically unfit to attend before leaving compulsory school age",
    RemovalGround.IN_CUSTODY: "in custody for more than four months, with no belief of return",
    RemovalGround.DIED: "has died",
    RemovalGround.PERMANENTLY_EXCLUDED: "permanently excluded, with the review process complete",
    RemovalGround.NO_LONGER_COMPULSORY_AGE: "no longer of compulsory school age and not continuing at the school",
}

# The grounds the rules engine can find from marks; the others are facts staff record.
ABSENCE_GROUNDS = (RemovalGround.CONTINUOUS_ABSENCE, RemovalGround.NO_RETURN_AFTER_LEAVE)


def removal_grounds(policy: Policy) -> tuple[RemovalGround, ...]:
    """Return the grounds a removal decision may give under ``policy``.

    The school's policy of 2023 names only the two absence grounds. Under the 2024 pupil
    registration regulations every statutory ground is recorded with its reason.
    """
    if policy.removal.other_grounds:
        return tuple(RemovalGround)
    return ABSENCE_GROUNDS


@dataclass(frozen=True)
class MarkedDay:
    """One school day of a pupil's marks: the AM and PM codes, empty where unmarked."""

    date: dt.date
    am: str
    pm: str


@dataclass(frozen=True)
class AbsenceBlock:
    """An unbroken block of school days that met an alert rule, both ends inclusive."""

    first_day: dt.date
    last_day: dt.date
    days: tuple[MarkedDay, ...]

    @property
    def sessions(self) -> int:
        return sum((day.am != "") + (day.pm != "") for day in self.days)


def _code(byte: int) -> str:
    return "" if byte == NO_MARK else CODES_BY_BYTE[byte]


def marked_days(marks: YearMarks, row: int, first: dt.date, last: dt.date) -> tuple[MarkedDay, ...]:
    """Return the school days from ``first`` to ``last`` (inclusive) with one pupil's codes."""
    days = [day for day in marks.calendar.school_days if first <= day <= last]
    if not days:
        return ()
    numbers = np.array([(day - marks.calendar.start).days for day in days], dtype=np.int64)
    codes, _ = session_codes(marks, numbers)
    return tuple(
        MarkedDay(date=day, am=_code(int(codes[0, index, row])), pm=_code(int(codes[1, index, row])))
        for index, day in enumerate(days)
    )


def first_absence_block(
    marks: YearMarks, row: int, as_of: dt.date, codes: tuple[str, ...], length: int
) -> AbsenceBlock | None:
    """Return the pupil's first block of ``length`` school days all marked with ``codes``, as of ``as_of``.

    Days are classified as the alert rules do: a day whose marked sessions all carry one of
    ``codes`` counts, a day without any marked possible session is skipped, and any other day
    breaks the block. Returns None when there is no such block by the end of ``as_of``.
    """
    year = JudgedYear.of(marks, as_of)
    if year is None:
        return None
    counting, breaking = year.day_kinds(codes)
    reached, began = first_block(counting, breaking, length)
    if int(reached[row]) == NOT_MET:
        return None
    first, last = year.dates[int(began[row])], year.dates[int(reached[row])]
    return AbsenceBlock(first_day=first, last_day=last, days=marked_days(marks, row, first, last))


def penalty_window_sessions(
    marks: YearMarks, row: int, reached_on: dt.date, previous: YearMarks | None = None, previous_row: int | None = None
) -> list[tuple[dt.date, str, str]]:
    """Return the sessions that count towards the penalty threshold in the window ending on ``reached_on``.

    The window is the policy's number of school weeks ending with the week of ``reached_on``;
    a school week is a Monday-to-Sunday week with a school day in the calendar. When the policy
    lets windows cross years, the previous year's weeks (``previous``, the pupil at
    ``previous_row``) come first. Only sessions of compulsory school age with one of the
    policy's codes count. Returns (date, session "AM" or "PM", code), in date order.
    """
    penalty = marks.policy.penalty
    years = [(marks, row)]
    if penalty.windows_cross_years and previous is not None and previous_row is not None:
        years.insert(0, (previous, previous_row))

    reached_monday = reached_on - dt.timedelta(days=reached_on.weekday())
    mondays = sorted({monday for year, _ in years for monday in year.calendar.school_weeks if monday <= reached_monday})
    window = set(mondays[-penalty.window_school_weeks :])
    counted = code_mask(penalty.codes)

    found = []
    for year, year_row in years:
        days = [
            day for day in year.calendar.school_days
            if day <= reached_on and day - dt.timedelta(days=day.weekday()) in window
        ]
        if not days:
            continue
        numbers = np.array([(day - year.calendar.start).days for day in days], dtype=np.int64)
        codes, _ = session_codes(year, numbers)
        for index, day in enumerate(days):
            if numbers[index] < year.compulsory_from[year_row]:
                continue
            for session, label in ((0, "AM"), (1, "PM")):
                byte = int(codes[session, index, year_row])
                if counted[byte]:
                    found.append((day, label, CODES_BY_BYTE[byte]))
    return found


def school_days_between(marks_calendar_days: tuple[dt.date, ...], first: dt.date, last: dt.date) -> int:
    """Count the school days from ``first`` to ``last``, both inclusive."""
    return sum(1 for day in marks_calendar_days if first <= day <= last)


def long_health_absence_due(expected_school_days: int, policy: Policy) -> bool:
    """Return whether an expected absence for health must be notified to the local authority.

    The local authority must be told when a pupil is likely to be away for health reasons for
    more than the policy's number of school days (15 in both presets): 16 days must be
    notified, 15 need not.
    """
    return expected_school_days > policy.la_alerts.long_health_absence_days
