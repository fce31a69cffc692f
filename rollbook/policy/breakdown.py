"""Session counts broken down by code, by day and by session, for patterns and dashboards.

Every function here selects sessions exactly as ``measures.count_sessions`` does: school days
inside the range and the academic year, on days the pupil is on roll. So a figure taken from a
breakdown always adds up to the same totals as the figures of ``count_sessions``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .codes import CODES_BY_BYTE
from .marks import CategoryNumber, YearMarks, category_table, day_index


@dataclass(frozen=True)
class RangeSlots:
    """The school-day sessions of a date range, with each pupil's codes and categories.

    ``days`` contains the day numbers of the school days in the range, in order; ``codes`` and
    ``categories`` have one column per session (AM then PM of each day), and sessions of
    days off roll are zeroed (no mark) so that no count includes them.
    """

    days: np.ndarray
    codes: np.ndarray
    categories: np.ndarray
    on_roll: np.ndarray


def range_slots(marks: YearMarks, start: dt.date, end: dt.date) -> RangeSlots:
    """Select the sessions from ``start`` to ``end`` (both inclusive), clipped to the academic year."""
    first = day_index(marks.calendar, max(start, marks.calendar.start))
    last = day_index(marks.calendar, min(end, marks.calendar.end))
    days = marks.school_day_numbers
    days = days[(days >= first) & (days <= last)]
    slots = np.stack([2 * days, 2 * days + 1], axis=1).reshape(-1)

    on_roll = np.repeat(marks.on_roll[:, days], 2, axis=1)
    selected = marks.codes[:, slots]
    codes = selected * on_roll
    categories = category_table(marks.code_set)[selected] * on_roll
    return RangeSlots(days=days, codes=codes, categories=categories, on_roll=on_roll)


def approved_activity_sessions(marks: YearMarks, start: dt.date, end: dt.date) -> np.ndarray:
    """Return each pupil's sessions of approved educational activity in the range (int64)."""
    selected = range_slots(marks, start, end)
    return np.count_nonzero(selected.categories == CategoryNumber.APPROVED_EDUCATIONAL_ACTIVITY, axis=1).astype(np.int64)


def code_use(marks: YearMarks, start: dt.date, end: dt.date, rows: np.ndarray | None = None) -> dict[str, int]:
    """Return how many sessions carry each code in the range, for the selected pupil rows.

    ``rows`` is a boolean mask over pupils (default: all). Codes never used are left out.
    """
    selected = range_slots(marks, start, end)
    codes = selected.codes if rows is None else selected.codes[rows]
    counts = np.bincount(codes.reshape(-1), minlength=256)
    return {CODES_BY_BYTE[byte]: int(counts[byte]) for byte in np.flatnonzero(counts) if byte in CODES_BY_BYTE}


@dataclass(frozen=True)
class SessionTotals:
    """Attended and possible sessions in one cell of a breakdown (such as Monday AM)."""

    attended: int
    possible: int


def _cell_totals(categories: np.ndarray) -> SessionTotals:
    attended = np.count_nonzero(
        (categories == CategoryNumber.PRESENT) | (categories == CategoryNumber.APPROVED_EDUCATIONAL_ACTIVITY)
    )
    absent = np.count_nonzero((categories == CategoryNumber.AUTHORISED) | (categories == CategoryNumber.UNAUTHORISED))
    return SessionTotals(attended=int(attended), possible=int(attended + absent))


def by_weekday_and_session(
    marks: YearMarks, start: dt.date, end: dt.date, rows: np.ndarray | None = None
) -> dict[tuple[int, int], SessionTotals]:
    """Return attended and possible sessions per (weekday, session), Monday 0 and AM 0.

    Every weekday from Monday to Friday and both sessions appear, with zeros where no school
    day of the range falls.
    """
    selected = range_slots(marks, start, end)
    categories = selected.categories if rows is None else selected.categories[rows]
    weekdays = np.array([(marks.calendar.start + dt.timedelta(days=int(d))).weekday() for d in selected.days], dtype=np.int64)
    slot_weekdays = np.repeat(weekdays, 2)
    slot_sessions = np.tile(np.array([0, 1]), len(selected.days))

    cells = {}
    for weekday in range(5):
        for session in (0, 1):
            columns = (slot_weekdays == weekday) & (slot_sessions == session)
            cells[(weekday, session)] = _cell_totals(categories[:, columns])
    return cells


def by_week(
    marks: YearMarks, start: dt.date, end: dt.date, rows: np.ndarray | None = None
) -> dict[dt.date, SessionTotals]:
    """Return attended and possible sessions per school week in the range, keyed by its Monday, in order."""
    selected = range_slots(marks, start, end)
    categories = selected.categories if rows is None else selected.categories[rows]
    mondays = [
        marks.calendar.start + dt.timedelta(days=int(d)) - dt.timedelta(days=(marks.calendar.start + dt.timedelta(days=int(d))).weekday())
        for d in selected.days
    ]
    slot_mondays = np.repeat(np.array([m.toordinal() for m in mondays], dtype=np.int64), 2)
    weeks = {}
    for ordinal in sorted(set(slot_mondays.tolist())):
        weeks[dt.date.fromordinal(ordinal)] = _cell_totals(categories[:, slot_mondays == ordinal])
    return weeks
