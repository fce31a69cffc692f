"""Attendance measures: session counts, attendance and absence rates, persistent absence.

Figures count marked sessions only. A possible session with no mark yet is a missing mark: it
is counted apart and in no other figure. Only school days count, and only the days a pupil is
on roll, so a mark outside a pupil's time on roll never counts. Closed sessions count as not
possible because they carry ``#``: the code that builds a ``YearMarks`` writes it.

Rates are computed from session counts, never from rounded figures, and thresholds are tested
on whole numbers: 20 sessions of absence out of 200 is persistent absence, 20 out of 201 is
not, although both show as 90.0% attendance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .marks import CategoryNumber, YearMarks, category_table, day_index
from .settings import Policy

# Categories of the sessions that make up possible sessions; "not possible" is left out.
POSSIBLE_CATEGORIES = (
    CategoryNumber.PRESENT,
    CategoryNumber.APPROVED_EDUCATIONAL_ACTIVITY,
    CategoryNumber.AUTHORISED,
    CategoryNumber.UNAUTHORISED,
)
ATTENDED_CATEGORIES = (CategoryNumber.PRESENT, CategoryNumber.APPROVED_EDUCATIONAL_ACTIVITY)
ABSENT_CATEGORIES = (CategoryNumber.AUTHORISED, CategoryNumber.UNAUTHORISED)


def category_lookup(categories: tuple[CategoryNumber, ...]) -> np.ndarray:
    """Return a lookup from ``CategoryNumber`` to bool that is true for the given categories."""
    lookup = np.zeros(len(CategoryNumber), dtype=bool)
    lookup[list(categories)] = True
    return lookup


@dataclass(frozen=True)
class SessionCounts:
    """Session counts over a date range, numpy int64 arrays in ``YearMarks.upns`` order.

    ``possible`` counts marked sessions whose category is present, approved educational
    activity, authorised or unauthorised absence; ``attended`` the present and approved
    educational activity ones. ``missing`` counts sessions of school days on roll with no mark.
    """

    possible: np.ndarray
    attended: np.ndarray
    authorised: np.ndarray
    unauthorised: np.ndarray
    missing: np.ndarray

    @property
    def absent(self) -> np.ndarray:
        """Return the sessions of absence, authorised and unauthorised, per pupil."""
        return self.authorised + self.unauthorised


def count_sessions(marks: YearMarks, start: dt.date, end: dt.date) -> SessionCounts:
    """Count each pupil's sessions from ``start`` to ``end``, both dates inclusive.

    The range is clipped to the academic year of ``marks``. Only sessions of school days on
    which the pupil is on roll count.
    """
    first = day_index(marks.calendar, max(start, marks.calendar.start))
    last = day_index(marks.calendar, min(end, marks.calendar.end))
    days = marks.school_day_numbers
    days = days[(days >= first) & (days <= last)]
    slots = np.stack([2 * days, 2 * days + 1], axis=1).reshape(-1)

    on_roll = np.repeat(marks.on_roll[:, days], 2, axis=1)
    categories = category_table(marks.code_set)[marks.codes[:, slots]] * on_roll

    def sessions_of(category: CategoryNumber) -> np.ndarray:
        return np.count_nonzero(categories == category, axis=1).astype(np.int64)

    attended = sessions_of(CategoryNumber.PRESENT) + sessions_of(CategoryNumber.APPROVED_EDUCATIONAL_ACTIVITY)
    authorised = sessions_of(CategoryNumber.AUTHORISED)
    unauthorised = sessions_of(CategoryNumber.UNAUTHORISED)
    return SessionCounts(
        possible=attended + authorised + unauthorised,
        attended=attended,
        authorised=authorised,
        unauthorised=unauthorised,
        missing=np.count_nonzero(on_roll & (categories == CategoryNumber.NO_MARK), axis=1).astype(np.int64),
    )


def percent(part: int, whole: int) -> Decimal | None:
    """Return ``part`` as a percentage of ``whole``, rounded half up to one decimal place.

    Returns None when ``whole`` is 0. The rounding is done on whole numbers, so an exact half
    such as 12.25% always rounds up to 12.3%.
    """
    if whole == 0:
        return None

    tenths = (2000 * part + whole) // (2 * whole)
    return Decimal(tenths).scaleb(-1)


def attendance_rate(attended: int, possible: int) -> Decimal | None:
    """Return attendance as a percentage of possible sessions (one decimal place), or None without any."""
    return percent(attended, possible)


def absence_rate(absent: int, possible: int) -> Decimal | None:
    """Return absence as a percentage of possible sessions (one decimal place), or None without any."""
    return percent(absent, possible)


def at_or_above(part, whole, percentage: int):
    """Return whether ``part`` is at least ``percentage`` percent of ``whole``, and ``whole`` > 0.

    Works on ints and on numpy arrays alike, with whole-number arithmetic only.
    """
    return (whole > 0) & (part * 100 >= percentage * whole)


def is_persistent_absence(absent: int, possible: int, policy: Policy) -> bool:
    """Return whether absence is at or above the policy's persistent absence share of possible sessions.

    False when there is no possible session; there is no minimum number of sessions.
    """
    return bool(at_or_above(absent, possible, policy.measures.persistent_absence_percent))


def is_severe_absence(absent: int, possible: int, policy: Policy) -> bool:
    """Return whether absence is at or above the policy's severe absence share of possible sessions.

    False when there is no possible session; there is no minimum number of sessions.
    """
    return bool(at_or_above(absent, possible, policy.measures.severe_absence_percent))


def persistent_absence_flags(counts: SessionCounts, policy: Policy) -> np.ndarray:
    """Return, per pupil, whether the counts show persistent absence (see ``is_persistent_absence``)."""
    return at_or_above(counts.absent, counts.possible, policy.measures.persistent_absence_percent)


def severe_absence_flags(counts: SessionCounts, policy: Policy) -> np.ndarray:
    """Return, per pupil, whether the counts show severe absence (see ``is_severe_absence``)."""
    return at_or_above(counts.absent, counts.possible, policy.measures.severe_absence_percent)
