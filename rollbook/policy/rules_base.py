"""The school days that a rules report judges, with every pupil's marks on them as arrays.

Rules loop over the school days (about 190 in a year) and use numpy across the pupils. Arrays
are laid out day first, ``(days, pupils)``, so that each day is one contiguous row. Session
arrays add the session in front, ``(2, days, pupils)``, with AM first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .codes import NO_MARK
from .marks import CategoryNumber, YearMarks, category_table, code_mask
from .measures import ABSENT_CATEGORIES, ATTENDED_CATEGORIES, POSSIBLE_CATEGORIES, category_lookup
from .settings import Policy

# In arrays of day positions, the value for a pupil who has not met the rule.
NOT_MET = -1


@dataclass(frozen=True)
class Finding:
    """One pupil (a row of ``YearMarks``) meeting one rule since a school day, with its evidence."""

    pupil: int
    since: dt.date
    detail: str


@dataclass(frozen=True)
class RunningCounts:
    """A pupil's session counts for the year up to and including one school day (arrays per pupil)."""

    day: int  # position of the day among the judged school days
    attended: np.ndarray
    absent: np.ndarray
    possible: np.ndarray


def session_codes(marks: YearMarks, day_numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the code bytes and the on-roll flags of the given days of ``marks``.

    Codes have shape ``(2, days, pupils)`` and on-roll flags ``(days, pupils)``. A session on
    a day the pupil is off roll, or with a code outside the marks' code set, reads as no mark.
    """
    on_roll = np.ascontiguousarray(marks.on_roll[:, day_numbers].T)
    slots = np.stack([2 * day_numbers, 2 * day_numbers + 1])
    codes = np.ascontiguousarray(marks.codes[:, slots].transpose(1, 2, 0))

    readable = on_roll[np.newaxis] & (category_table(marks.code_set)[codes] != CategoryNumber.NO_MARK)
    return np.where(readable, codes, np.uint8(NO_MARK)), on_roll


def day_pairs(codes: np.ndarray) -> np.ndarray:
    """Return each pupil's day as one number, its AM code byte times 256 plus its PM code byte.

    ``codes`` has shape ``(2, days, pupils)``. A question about a day then becomes one lookup
    in a flattened ``(256, 256)`` table by AM and PM byte, whatever the number of pupils.
    """
    return codes[0].astype(np.uint16) * 256 + codes[1]


def sessions_with(pairs: np.ndarray, per_code: np.ndarray) -> np.ndarray:
    """Return each pupil's number of sessions (0 to 2) per day whose code byte is true in ``per_code``."""
    one = per_code.astype(np.uint8)
    return (one[:, np.newaxis] + one[np.newaxis, :]).ravel()[pairs]


@dataclass(frozen=True)
class JudgedYear:
    """The academic year's school days up to and including the judged day, and the marks on them.

    ``previous`` is the same pupils' previous academic year, or None; only rules whose policy
    setting reaches across years read it.
    """

    marks: YearMarks
    dates: tuple[dt.date, ...]
    previous: YearMarks | None = None

    @classmethod
    def of(cls, marks: YearMarks, as_of: dt.date, previous: YearMarks | None = None) -> "JudgedYear | None":
        """Return the year judged on the last school day on or before ``as_of``.

        Returns None when ``as_of`` comes before the year's first school day.
        """
        judged_day = marks.calendar.last_school_day_on_or_before(as_of)
        if judged_day is None:
            return None

        days = marks.calendar.school_days
        return cls(marks=marks, dates=days[: days.index(judged_day) + 1], previous=previous)

    @property
    def policy(self) -> Policy:
        return self.marks.policy

    @property
    def pupils(self) -> int:
        return len(self.marks.upns)

    @property
    def judged_day(self) -> dt.date:
        return self.dates[-1]

    @cached_property
    def date_labels(self) -> list[str]:
        """Return each judged school day as people read it, such as "Friday 3 October 2025"."""
        return [long_date(day) for day in self.dates]

    def findings(self, since: np.ndarray, detail: Callable[[int], str]) -> list[Finding]:
        """Return a finding for each pupil whose ``since`` day position is not ``NOT_MET``.

        ``detail`` gives the evidence sentence of a pupil (a row number).
        """
        days = since.tolist()
        return [
            Finding(pupil=pupil, since=self.dates[days[pupil]], detail=detail(pupil))
            for pupil in np.flatnonzero(since != NOT_MET).tolist()
        ]

    @cached_property
    def day_numbers(self) -> np.ndarray:
        """Return the day number (1 September is 0) of each judged school day."""
        return self.marks.school_day_numbers[: len(self.dates)]

    @cached_property
    def _sessions(self) -> tuple[np.ndarray, np.ndarray]:
        return session_codes(self.marks, self.day_numbers)

    @property
    def codes(self) -> np.ndarray:
        """Return the code byte of each session, shape ``(2, days, pupils)``; 0 where unmarked or off roll."""
        return self._sessions[0]

    @property
    def on_roll(self) -> np.ndarray:
        """Return whether each pupil is on roll on each judged day, shape ``(days, pupils)``."""
        return self._sessions[1]

    @cached_property
    def day_pairs(self) -> np.ndarray:
        """Return each pupil's day as one number (see ``day_pairs``), shape ``(days, pupils)``."""
        return day_pairs(self.codes)

    @cached_property
    def compulsory(self) -> np.ndarray:
        """Return whether each pupil is of compulsory school age on each judged day, shape ``(days, pupils)``."""
        return self.day_numbers[:, np.newaxis] >= self.marks.compulsory_from[np.newaxis, :]

    def categories_are(self, *categories: CategoryNumber) -> np.ndarray:
        """Return, per code byte, whether the code is of one of ``categories`` in the marks' code set."""
        return category_lookup(categories)[category_table(self.marks.code_set)]

    def sessions_per_day(self, *categories: CategoryNumber) -> np.ndarray:
        """Return each pupil's number of sessions (0 to 2) of the given categories on each day."""
        return sessions_with(self.day_pairs, self.categories_are(*categories))

    @cached_property
    def _attended_by_day(self) -> np.ndarray:
        return self.sessions_per_day(*ATTENDED_CATEGORIES)

    @cached_property
    def _absent_by_day(self) -> np.ndarray:
        return self.sessions_per_day(*ABSENT_CATEGORIES)

    def running_counts(self) -> Iterator[RunningCounts]:
        """Yield the year-to-date session counts at the end of each judged school day, in order."""
        attended = np.zeros(self.pupils, dtype=np.int32)
        absent = np.zeros(self.pupils, dtype=np.int32)
        for day in range(len(self.dates)):
            attended = attended + self._attended_by_day[day]
            absent = absent + self._absent_by_day[day]
            yield RunningCounts(day=day, attended=attended, absent=absent, possible=attended + absent)

    def year_to_date(self) -> RunningCounts:
        """Return the session counts from the start of the year to the end of the judged day."""
        attended = self._attended_by_day.sum(axis=0, dtype=np.int32)
        absent = self._absent_by_day.sum(axis=0, dtype=np.int32)
        return RunningCounts(day=len(self.dates) - 1, attended=attended, absent=absent, possible=attended + absent)

    def day_kinds(self, codes: tuple[str, ...], *, compulsory_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Classify each pupil's days for a block of ``codes``, as two ``(days, pupils)`` arrays.

        The first array is true on the days whose marked possible sessions all carry one of
        ``codes``. The second is true on the days with a marked possible session that does not.
        A day without any marked possible session (a closure, missing marks, a day off roll) is
        in neither. With ``compulsory_only``, sessions before the pupil is of compulsory school
        age read as unmarked.
        """
        possible = self.categories_are(*POSSIBLE_CATEGORIES)
        fits = code_mask(codes) | ~possible
        marked = possible[:, np.newaxis] | possible[np.newaxis, :]
        all_fit = fits[:, np.newaxis] & fits[np.newaxis, :]

        counting = (marked & all_fit).ravel()[self.day_pairs]
        breaking = (marked & ~all_fit).ravel()[self.day_pairs]
        if compulsory_only:
            counting &= self.compulsory
            breaking &= self.compulsory
        return counting, breaking


def run_start(met_by_day: Iterable[np.ndarray], pupils: int) -> np.ndarray:
    """Return, per pupil, where the unbroken run of days on which a rule was met, up to the last day, begins.

    ``met_by_day`` gives one bool array per day, in order. The result is a day position, or
    ``NOT_MET`` for a pupil who did not meet the rule on the last day.
    """
    last_unmet = np.full(pupils, NOT_MET, dtype=np.int64)
    met = np.zeros(pupils, dtype=bool)
    for day, met in enumerate(met_by_day):
        np.copyto(last_unmet, day, where=~met)
    return np.where(met, last_unmet + 1, NOT_MET)


def first_block(counting: np.ndarray, breaking: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Find each pupil's first block of ``length`` counting days with no breaking day among them.

    ``counting`` and ``breaking`` are ``(days, pupils)`` arrays from ``JudgedYear.day_kinds``;
    days in neither are skipped. Returns two arrays of day positions per pupil: the day the
    first block reached its length and the day it began, both ``NOT_MET`` without a block.
    """
    pupils = counting.shape[1]
    run = np.zeros(pupils, dtype=np.int32)
    start = np.zeros(pupils, dtype=np.int64)
    reached = np.full(pupils, NOT_MET, dtype=np.int64)
    began = np.full(pupils, NOT_MET, dtype=np.int64)
    for day in range(counting.shape[0]):
        np.copyto(run, 0, where=breaking[day])
        np.copyto(start, day, where=counting[day] & (run == 0))
        run += counting[day]

        new = (run == length) & (reached == NOT_MET)
        np.copyto(reached, day, where=new)
        np.copyto(began, start, where=new)
    return reached, began


def long_date(day: dt.date) -> str:
    """Return a date as people read it in a report, such as "Friday 3 October 2025"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def code_list(codes: tuple[str, ...]) -> str:
    """Return codes as a list in words, such as "G, N or O"."""
    if len(codes) == 1:
        return codes[0]
    return f"{', '.join(codes[:-1])} or {codes[-1]}"


def plural(count: int, noun: str) -> str:
    """Return a count with its noun, such as "1 session" or "20 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
