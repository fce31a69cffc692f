"""Named date ranges for dashboards: this half-term, this term, the year to date, last year.

Every range is inclusive at both ends and ends no later than the day it is asked for, so a
figure never counts a session that has not happened. Half-terms and terms come from the
school's calendar for the academic year (``rollbook.policy.calendar``).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from rollbook.policy.calendar import SchoolCalendar, academic_year_of, academic_year_start


class Preset(enum.StrEnum):
    HALF_TERM = "half-term"
    TERM = "term"
    YEAR_TO_DATE = "year-to-date"
    LAST_YEAR = "last-year"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return {
            Preset.HALF_TERM: "This half-term",
            Preset.TERM: "This term",
            Preset.YEAR_TO_DATE: "Year to date",
            Preset.LAST_YEAR: "Same period last year",
            Preset.CUSTOM: "Custom range",
        }[self]


class PeriodError(ValueError):
    """A date range that cannot be used, with the field and the fix in the message."""


@dataclass(frozen=True)
class Period:
    """A named date range, both ends inclusive."""

    preset: Preset
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.preset.label}: {self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


def _same_day_a_year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the day before 1 March of the earlier year
        return dt.date(day.year - 1, 2, 28)


def current_half_term(calendar: SchoolCalendar, on: dt.date):
    """Return the half-term containing ``on``, else the last one that started before it, else None."""
    started = [half_term for half_term in calendar.half_terms if half_term.start <= on]
    return started[-1] if started else None


def preset_period(preset: Preset, calendar: SchoolCalendar, on: dt.date) -> Period:
    """Return the range a preset names for the academic year of ``calendar`` on day ``on``.

    In a holiday, this half-term and this term are the last ones that started. Before the
    first half-term starts, both fall back to the year to date. ``Preset.LAST_YEAR`` is the
    year to date moved back one year: 1 September of the previous year to the same date a
    year earlier. Raises ``PeriodError`` for ``Preset.CUSTOM`` (use ``custom_period``) and for
    a day outside the calendar's academic year.
    """
    if academic_year_of(on) != calendar.academic_year:
        raise PeriodError(
            f"date {on} is not in the academic year {calendar.academic_year}/{(calendar.academic_year + 1) % 100:02d}; "
            "use a date between its 1 September and 31 August"
        )
    year_to_date = Period(Preset.YEAR_TO_DATE, calendar.start, on)
    half_term = current_half_term(calendar, on)

    if preset is Preset.YEAR_TO_DATE:
        return year_to_date
    if preset is Preset.LAST_YEAR:
        return Period(Preset.LAST_YEAR, academic_year_start(calendar.academic_year - 1), _same_day_a_year_earlier(on))
    if preset is Preset.HALF_TERM:
        if half_term is None:
            return Period(Preset.HALF_TERM, calendar.start, on)
        return Period(Preset.HALF_TERM, half_term.start, min(on, half_term.end))
    if preset is Preset.TERM:
        if half_term is None:
            return Period(Preset.TERM, calendar.start, on)
        in_term = [h for h in calendar.half_terms if h.term is half_term.term]
        return Period(Preset.TERM, in_term[0].start, min(on, in_term[-1].end))
    raise PeriodError("a custom range needs its own dates; give both the from and to dates")


def custom_period(start: dt.date, end: dt.date) -> Period:
    """Return a custom range, raising ``PeriodError`` when ``end`` is before ``start``."""
    if end < start:
        raise PeriodError(f"the to date {end} is before the from date {start}; give the earlier date first")
    return Period(Preset.CUSTOM, start, end)


def all_presets(calendar: SchoolCalendar, on: dt.date) -> list[Period]:
    """Return every named preset for ``on``, in the order a dashboard offers them."""
    return [preset_period(p, calendar, on) for p in (Preset.HALF_TERM, Preset.TERM, Preset.YEAR_TO_DATE, Preset.LAST_YEAR)]
