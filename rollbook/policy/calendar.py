"""The school calendar: academic years, terms, school days, sessions and closures.

An academic year runs from 1 September to 31 August. Its school days are the weekdays inside
the school's half-terms that are not bank holidays in England. Every school day has an AM and
a PM session; a planned closure keeps its sessions, which are marked ``#`` for the pupils it
covers. All dates are calendar dates in Europe/London.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import holidays

# Positions in a pupil's compact sequence of marks for one academic year: two sessions for
# each calendar day from 1 September, so a position never depends on the school's calendar.
DAYS_IN_SEQUENCE = 366
SLOTS_PER_YEAR = DAYS_IN_SEQUENCE * 2


class CalendarError(ValueError):
    """A calendar that cannot be used: overlapping half-terms, a date outside the year."""


class Session(enum.StrEnum):
    AM = "AM"
    PM = "PM"

    @property
    def offset(self) -> int:
        """Return 0 for AM and 1 for PM: the session's place within its day."""
        return 0 if self is Session.AM else 1


class Term(enum.StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


HALF_TERM_LABELS = ("autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2")
YEAR_GROUPS = ("N1", "N2", "R", *(str(n) for n in range(1, 14)))


def academic_year_of(day: dt.date) -> int:
    """Return the academic year a date falls in, named by its starting year (2025 for 2025/26)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_start(year: int) -> dt.date:
    return dt.date(year, 9, 1)


def academic_year_end(year: int) -> dt.date:
    return dt.date(year + 1, 8, 31)


def slot_of(day: dt.date, session: Session) -> int:
    """Return a session's position in its academic year's compact sequence of marks."""
    return (day - academic_year_start(academic_year_of(day))).days * 2 + session.offset


def compulsory_school_age_start(date_of_birth: dt.date) -> dt.date:
    """Return the day a child reaches compulsory school age.

    Under section 8 of the Education Act 1996 and its commencement order, compulsory school age
    starts on the first of 31 December, 31 March or 31 August on or after the fifth birthday.
    """
    try:
        fifth_birthday = date_of_birth.replace(year=date_of_birth.year + 5)
    except ValueError:  # born on 29 February: the birthday falls on 1 March
        fifth_birthday = dt.date(date_of_birth.year + 5, 3, 1)
    year = fifth_birthday.year
    candidates = (dt.date(year, 3, 31), dt.date(year, 8, 31), dt.date(year, 12, 31))
    return next(day for day in candidates if day >= fifth_birthday)


@dataclass(frozen=True)
class HalfTerm:
    label: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def term(self) -> Term:
        return Term(self.label.split("-")[0])


@dataclass(frozen=True)
class Closure:
    """A planned closure: every session it covers is ``#`` for the pupils concerned."""

    start: dt.date
    end: dt.date  # inclusive
    session: Session | None = None  # None: both sessions
    year_groups: frozenset[str] = frozenset()  # empty: the whole school
    label: str = ""

    def covers(self, day: dt.date, session: Session, year_group: str | None) -> bool:
        """Return whether this closure covers a session for a pupil in ``year_group``."""
        if not self.start <= day <= self.end:
            return False
        if self.session is not None and self.session is not session:
            return False
        return not self.year_groups or year_group in self.year_groups


@dataclass(frozen=True)
class AssessmentPeriod:
    """A statutory assessment period, when leave of absence is refused."""

    start: dt.date
    end: dt.date  # inclusive
    label: str = ""


def england_bank_holidays(years: list[int]) -> dict[dt.date, str]:
    """Return England's bank holidays in the given calendar years, with their names."""
    days: dict[dt.date, str] = {}
    for year in years:
        days.update(_england_bank_holidays_in(year))
    return days


@lru_cache(maxsize=64)
def _england_bank_holidays_in(year: int) -> dict[dt.date, str]:
    # Working the holidays out takes about 5 ms a year, and every page builds a calendar.
    # Callers get a copy through england_bank_holidays, so the cached dict is never changed.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


@dataclass(frozen=True)
class SchoolCalendar:
    """One school's calendar for one academic year."""

    academic_year: int
    half_terms: tuple[HalfTerm, ...]
    closures: tuple[Closure, ...] = ()
    assessments: tuple[AssessmentPeriod, ...] = ()
    extra_bank_holidays: frozenset[dt.date] = field(default=frozenset())

    def __post_init__(self) -> None:
        start, end = self.start, self.end
        ordered = sorted(self.half_terms, key=lambda h: h.start)
        labels = [h.label for h in ordered]
        for half_term in ordered:
            if half_term.label not in HALF_TERM_LABELS:
                raise CalendarError(
                    f"half-term label {half_term.label!r} is invalid; use one of: {', '.join(HALF_TERM_LABELS)}"
                )
            if half_term.end < half_term.start:
                raise CalendarError(f"half-term {half_term.label} ends ({half_term.end}) before it starts ({half_term.start})")
            if half_term.start < start or half_term.end > end:
                raise CalendarError(
                    f"half-term {half_term.label} ({half_term.start} to {half_term.end}) is outside "
                    f"the academic year {self.academic_year}/{(self.academic_year + 1) % 100:02d} ({start} to {end})"
                )
        if len(set(labels)) != len(labels):
            duplicate = next(label for label in labels if labels.count(label) > 1)
            raise CalendarError(f"half-term {duplicate} is entered more than once")
        for earlier, later in zip(ordered, ordered[1:]):
            if later.start <= earlier.end:
                raise CalendarError(f"half-terms {earlier.label} and {later.label} overlap")
        if labels != sorted(labels, key=HALF_TERM_LABELS.index):
            raise CalendarError(f"half-terms are out of order: {', '.join(labels)}")
        for closure in self.closures:
            if closure.end < closure.start or closure.start < start or closure.end > end:
                raise CalendarError(f"closure {closure.start} to {closure.end} is outside the academic year or ends before it starts")
        object.__setattr__(self, "half_terms", tuple(ordered))

    @property
    def start(self) -> dt.date:
        return academic_year_start(self.academic_year)

    @property
    def end(self) -> dt.date:
        return academic_year_end(self.academic_year)

    @cached_property
    def bank_holidays(self) -> dict[dt.date, str]:
        days = england_bank_holidays([self.academic_year, self.academic_year + 1])
        days.update({day: "Bank holiday" for day in self.extra_bank_holidays})
        return days

    @cached_property
    def school_days(self) -> tuple[dt.date, ...]:
        """Return every school day of the year in order."""
        days = []
        for half_term in self.half_terms:
            day = half_term.start
            while day <= half_term.end:
                if day.weekday() < 5 and day not in self.bank_holidays:
                    days.append(day)
                day += dt.timedelta(days=1)
        return tuple(days)

    @cached_property
    def _school_day_set(self) -> frozenset[dt.date]:
        return frozenset(self.school_days)

    def is_school_day(self, day: dt.date) -> bool:
        return day in self._school_day_set

    def half_term_of(self, day: dt.date) -> HalfTerm | None:
        """Return the half-term a date falls in, or None in a holiday or outside the year."""
        return next((h for h in self.half_terms if h.start <= day <= h.end), None)

    def term_of(self, day: dt.date) -> Term | None:
        """Return the term of a school day or of a date inside a half-term; None otherwise."""
        half_term = self.half_term_of(day)
        return half_term.term if half_term else None

    def last_school_day_on_or_before(self, day: dt.date) -> dt.date | None:
        """Return the last school day of this year on or before ``day``, or None before the first."""
        candidates = [d for d in self.school_days if d <= day]
        return candidates[-1] if candidates else None

    def closed(self, day: dt.date, session: Session, year_group: str | None) -> bool:
        """Return whether a planned closure covers a session for a pupil in ``year_group``."""
        return any(c.covers(day, session, year_group) for c in self.closures)

    @cached_property
    def school_weeks(self) -> tuple[dt.date, ...]:
        """Return the Mondays of the weeks (Monday to Sunday) that contain a school day, in order."""
        mondays = {day - dt.timedelta(days=day.weekday()) for day in self.school_days}
        return tuple(sorted(mondays))

    def in_assessment_period(self, day: dt.date) -> bool:
        return any(a.start <= day <= a.end for a in self.assessments)
