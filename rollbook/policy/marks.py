"""A year of marks for many pupils as numpy arrays, the input of every measure and rule.

Each pupil's marks for an academic year are one row of ``SLOTS_PER_YEAR`` bytes: slot
``2 * d`` is the AM session and ``2 * d + 1`` the PM session of the ``d``-th calendar day after
1 September, and each byte is a code number from ``CODE_BYTES`` (0: no mark). Measures and
rules work on whole columns at once, so their cost grows with the number of school days, not
with the number of pupils times sessions in Python.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .calendar import DAYS_IN_SEQUENCE, SLOTS_PER_YEAR, SchoolCalendar
from .codes import CODE_BYTES, Category, CodeSet
from .settings import Policy


class CategoryNumber(enum.IntEnum):
    """A code's statistical category as a small integer, for array work."""

    NO_MARK = 0
    PRESENT = 1
    APPROVED_EDUCATIONAL_ACTIVITY = 2
    AUTHORISED = 3
    UNAUTHORISED = 4
    NOT_POSSIBLE = 5

    @classmethod
    def of(cls, category: Category) -> "CategoryNumber":
        return cls[category.name]


def category_table(code_set: CodeSet) -> np.ndarray:
    """Return a 256-entry lookup from code byte to ``CategoryNumber`` under ``code_set``.

    Codes outside the set (which import and entry refuse) count as no mark.
    """
    table = np.zeros(256, dtype=np.uint8)
    for byte, category in code_set.category_by_byte().items():
        table[byte] = CategoryNumber.of(category)
    return table


def code_mask(codes: tuple[str, ...]) -> np.ndarray:
    """Return a 256-entry boolean lookup that is true for the bytes of the given codes."""
    mask = np.zeros(256, dtype=bool)
    for code in codes:
        mask[CODE_BYTES[code]] = True
    return mask


def day_index(calendar: SchoolCalendar, day: dt.date) -> int:
    """Return a date's day number within its academic year (1 September is 0)."""
    return (day - calendar.start).days


@dataclass(frozen=True)
class YearMarks:
    """Current marks of a group of pupils for one academic year.

    ``codes`` holds one row per pupil (in ``upns`` order) of ``SLOTS_PER_YEAR`` code bytes.
    ``on_roll[p, d]`` is true when pupil ``p`` is on roll on day ``d`` of the year.
    ``compulsory_from[p]`` is the day number from which pupil ``p`` is of compulsory school
    age (negative when they already were on 1 September; ``DAYS_IN_SEQUENCE`` or more when
    they will not be during this year). ``code_set`` is the set the marks were recorded
    under; ``policy`` is the policy that judges them, which may differ when comparing.
    """

    calendar: SchoolCalendar
    policy: Policy
    code_set: CodeSet
    upns: tuple[str, ...]
    codes: np.ndarray
    on_roll: np.ndarray
    compulsory_from: np.ndarray

    def __post_init__(self) -> None:
        pupils = len(self.upns)
        if self.codes.shape != (pupils, SLOTS_PER_YEAR) or self.codes.dtype != np.uint8:
            raise ValueError(f"codes must be a uint8 array of shape ({pupils}, {SLOTS_PER_YEAR})")
        if self.on_roll.shape != (pupils, DAYS_IN_SEQUENCE) or self.on_roll.dtype != bool:
            raise ValueError(f"on_roll must be a bool array of shape ({pupils}, {DAYS_IN_SEQUENCE})")
        if self.compulsory_from.shape != (pupils,):
            raise ValueError(f"compulsory_from must have one entry per pupil ({pupils})")

    @cached_property
    def categories(self) -> np.ndarray:
        """Return the ``CategoryNumber`` of every slot, shape (pupils, SLOTS_PER_YEAR)."""
        return category_table(self.code_set)[self.codes]

    @cached_property
    def school_day_numbers(self) -> np.ndarray:
        """Return the day numbers of the year's school days, in order."""
        return np.array([day_index(self.calendar, d) for d in self.calendar.school_days], dtype=np.int64)
