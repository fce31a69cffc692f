"""Projecting each pupil's year-end attendance, to find pupils heading for persistent absence.

The method, in words (``METHOD`` is shown next to every projection):

1. The rate so far is the pupil's attended sessions over possible sessions from 1 September
   to the day of the projection.
2. The recent rate is the same over the last ``RECENT_SCHOOL_DAYS`` school days up to that
   day (four school weeks).
3. The pupil is assumed to attend the sessions still to come at the mean of the two rates,
   so a recent fall or rise moves the projection halfway from the rate so far. Without a
   recent possible session the rate so far is used alone.
4. The sessions still to come are both sessions of every school day after that day to the end
   of the academic year on which the pupil is on roll, less whole-school planned closures and
   any session already marked not possible.
5. The projected year-end absence is the absence so far plus the expected absence of the
   sessions to come. A pupil is likely to become persistently absent when they are not
   persistently absent yet but the projected absence reaches the policy's share.

Projections use exact fractions, so a threshold is never missed or crossed by rounding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from .calendar import Session
from .marks import CategoryNumber, YearMarks, day_index
from .measures import count_sessions, percent
from .settings import Policy

RECENT_SCHOOL_DAYS = 20

METHOD = (
    "Each pupil's year-end attendance is projected from their attendance so far this year and "
    f"over the last {RECENT_SCHOOL_DAYS} school days: the sessions still to come (every school day "
    "left this year while on roll, less planned closures) are assumed to be attended at the mean of "
    "those two rates. A pupil is listed as likely to become persistently absent when they are not "
    "persistently absent yet but their projected absence for the year reaches the policy's share of "
    "possible sessions."
)


@dataclass(frozen=True)
class Projection:
    """One pupil's projected year-end figures; rates are exact fractions of 1."""

    upn: str
    attended: int
    possible: int
    recent_attended: int
    recent_possible: int
    remaining: int
    expected_rate: Fraction
    persistent_now: bool
    persistent_at_year_end: bool

    @property
    def projected_attended(self) -> Fraction:
        return self.attended + self.remaining * self.expected_rate

    @property
    def projected_possible(self) -> int:
        return self.possible + self.remaining

    @property
    def projected_rate(self) -> Decimal | None:
        """Return the projected year-end attendance as a percentage to one decimal place."""
        if self.projected_possible == 0:
            return None
        value = self.projected_attended / self.projected_possible
        return percent(value.numerator, value.denominator)

    @property
    def likely_to_become_persistent(self) -> bool:
        return self.persistent_at_year_end and not self.persistent_now


def recent_start(marks: YearMarks, as_of: dt.date) -> dt.date:
    """Return the first of the last ``RECENT_SCHOOL_DAYS`` school days up to ``as_of``."""
    days = [day for day in marks.calendar.school_days if day <= as_of]
    if not days:
        return as_of
    return days[-RECENT_SCHOOL_DAYS:][0]


def remaining_sessions(marks: YearMarks, as_of: dt.date) -> np.ndarray:
    """Return each pupil's sessions after ``as_of`` to the year's end that may still be possible.

    Sessions of days on roll count, less those already marked not possible and those of
    whole-school planned closures in the calendar. A closure for some year groups only counts
    once its sessions are marked, because the marks carry no year group.
    """
    first = day_index(marks.calendar, as_of) + 1
    days = marks.school_day_numbers
    days = days[days >= first]
    slots = np.stack([2 * days, 2 * days + 1], axis=1).reshape(-1)
    on_roll = np.repeat(marks.on_roll[:, days], 2, axis=1)
    not_possible = marks.categories[:, slots] == CategoryNumber.NOT_POSSIBLE

    closed = np.zeros(len(slots), dtype=bool)
    for index, slot in enumerate(slots.tolist()):
        day = marks.calendar.start + dt.timedelta(days=slot // 2)
        session = Session.AM if slot % 2 == 0 else Session.PM
        closed[index] = any(c.covers(day, session, None) for c in marks.calendar.closures if not c.year_groups)
    return np.count_nonzero(on_roll & ~not_possible & ~closed, axis=1).astype(np.int64)


def _reaches(absent: Fraction, possible: int, share_percent: int) -> bool:
    return possible > 0 and absent * 100 >= share_percent * possible


def project_year_end(marks: YearMarks, as_of: dt.date, policy: Policy | None = None) -> list[Projection]:
    """Project every pupil's year-end attendance from their marks up to ``as_of`` (inclusive).

    Returns one projection per pupil in ``marks.upns`` order. Pupils with no possible session
    so far are left out, because there is no rate to project from. ``policy`` sets the
    persistent absence share (default: the policy of ``marks``).
    """
    policy = policy or marks.policy
    share = policy.measures.persistent_absence_percent
    so_far = count_sessions(marks, marks.calendar.start, as_of)
    recent = count_sessions(marks, recent_start(marks, as_of), as_of)
    remaining = remaining_sessions(marks, as_of)

    projections = []
    for row, upn in enumerate(marks.upns):
        possible = int(so_far.possible[row])
        if possible == 0:
            continue
        attended = int(so_far.attended[row])
        rate_so_far = Fraction(attended, possible)
        recent_possible = int(recent.possible[row])
        recent_attended = int(recent.attended[row])
        if recent_possible:
            expected = (rate_so_far + Fraction(recent_attended, recent_possible)) / 2
        else:
            expected = rate_so_far

        left = int(remaining[row])
        projected_absent = (possible - attended) + left * (1 - expected)
        projections.append(
            Projection(
                upn=upn,
                attended=attended,
                possible=possible,
                recent_attended=recent_attended,
                recent_possible=recent_possible,
                remaining=left,
                expected_rate=expected,
                persistent_now=_reaches(Fraction(possible - attended), possible, share),
                persistent_at_year_end=_reaches(projected_absent, possible + left, share),
            )
        )
    return projections
