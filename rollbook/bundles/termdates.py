"""Deriving a year's six half-terms from a local authority's school holidays in iCalendar form.

Local authorities publish the holidays, not the terms: summer, half-term, Christmas and Easter
breaks and the bank holidays, as all-day events whose ``DTEND`` is the day after the last day
(RFC 5545). The half-terms are the teaching stretches between those breaks.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import icalendar

from rollbook.policy.calendar import (
    HALF_TERM_LABELS,
    CalendarError,
    HalfTerm,
    SchoolCalendar,
    academic_year_start,
    england_bank_holidays,
)

BEGIN_EVENT = re.compile(rb"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
ONE_DAY = dt.timedelta(days=1)


class TermDatesError(ValueError):
    """An iCalendar file that gives no usable half-terms for the requested year."""


@dataclass(frozen=True)
class Holiday:
    """One all-day event of the file, where ``end`` is the last day (inclusive)."""

    line: int
    summary: str
    start: dt.date
    end: dt.date

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class TermDates:
    """A year's half-terms and the one-day events that fall inside them."""

    academic_year: int
    half_terms: tuple[HalfTerm, ...]
    days_off_in_term: tuple[Holiday, ...]


def read_holidays(data: bytes, source: str) -> list[Holiday]:
    """Read the all-day events of an iCalendar file (LF or CRLF line ends).

    Raises ``TermDatesError`` naming ``source`` and the event's line for a file that is not
    iCalendar, a timed event, a recurring event, or an event that ends before it starts.
    Cancelled events are skipped.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise TermDatesError(f"{source} is not a valid iCalendar file ({error}); export the term dates as .ics again") from None
    text_lines = data.decode("utf-8", errors="replace").splitlines()
    event_lines = [data.count(b"\n", 0, match.start()) + 1 for match in BEGIN_EVENT.finditer(data)]

    holidays = []
    for position, event in enumerate(calendar.walk("VEVENT")):
        line = event_lines[position] if position < len(event_lines) else None
        summary = str(event.get("SUMMARY", "")).strip() or "(no summary)"
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue

        where = functools.partial(_place, source, text_lines, line)
        if event.errors:
            name, message = event.errors[0]
            raise TermDatesError(f"{where(name)}: event {summary!r} has an invalid {name} ({message}); write dates as YYYYMMDD")
        if event.get("RRULE") is not None:
            raise TermDatesError(f"{where('RRULE')}: event {summary!r} repeats (RRULE); list each holiday as its own event")
        holidays.append(_holiday(event, summary, line, where))
    return holidays


def _place(source: str, lines: list[str], begin: int | None, name: str) -> str:
    """Return ``source`` with the line of property ``name`` in the event that starts on ``begin``.

    The event's first line is used when the event lacks the property.
    """
    if begin is None:
        return source
    found = begin
    for number in range(begin, len(lines) + 1):
        text = lines[number - 1].upper()
        if text.startswith("END:VEVENT"):
            break
        if text.startswith((f"{name}:", f"{name};")):
            found = number
            break
    return f"{source}, line {found}"


def _holiday(event, summary: str, line: int | None, where: Callable[[str], str]) -> Holiday:
    start_property = event.get("DTSTART")
    if start_property is None:
        raise TermDatesError(f"{where('BEGIN')}: event {summary!r} has no DTSTART; add DTSTART;VALUE=DATE:YYYYMMDD")
    start = start_property.dt
    if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
        raise TermDatesError(
            f"{where('DTSTART')}: event {summary!r} starts at a time ({start}); holidays must be all-day events "
            f"written as DTSTART;VALUE=DATE:YYYYMMDD"
        )

    end_property = event.get("DTEND")
    duration = event.get("DURATION")
    if end_property is not None:
        end = end_property.dt
        if isinstance(end, dt.datetime) or not isinstance(end, dt.date):
            raise TermDatesError(f"{where('DTEND')}: event {summary!r} ends at a time ({end}); write DTEND;VALUE=DATE:YYYYMMDD")
    elif duration is not None:
        end = start + duration.dt
    else:
        # An all-day event without DTEND or DURATION lasts one day.
        end = start + ONE_DAY
    if end <= start:
        raise TermDatesError(
            f"{where('DTEND' if end_property is not None else 'DURATION')}: event {summary!r} ends ({end}) on or before it starts ({start}); "
            f"DTEND is the day after the last day of the holiday"
        )
    return Holiday(line=line or 0, summary=summary, start=start, end=end - ONE_DAY)


def derive_half_terms(holidays: list[Holiday], academic_year: int, source: str) -> TermDates:
    """Return the six half-terms of the academic year starting in ``academic_year``.

    The half-terms are the stretches from 1 September to 31 July that no break covers. A
    break is an event covering two or more weekdays that are not bank holidays in England, so
    a single bank holiday inside a stretch does not split it. Each half-term is trimmed so it
    starts and ends on a weekday that is neither a bank holiday nor inside any event. Term time
    ends by 31 July, because summer terms in England end in July, and feeds that split the
    summer holiday at 1 August leave August of their last year uncovered. Raises
    ``TermDatesError`` listing the stretches when there are not exactly six.
    """
    first = academic_year_start(academic_year)
    # NOTE: a summer term that runs into August cannot come from a holiday feed; enter it in
    # a bundle's calendar.csv instead.
    last = dt.date(academic_year + 1, 7, 31)
    year_name = f"{academic_year}/{(academic_year + 1) % 100:02d}"
    bank_holidays = england_bank_holidays([academic_year, academic_year + 1])
    in_year = [h for h in holidays if h.end >= first and h.start <= last]
    if not any(h.start <= last and h.end >= dt.date(academic_year + 1, 7, 1) for h in in_year):
        raise TermDatesError(
            f"{source} lists no holiday in July {academic_year + 1}, so the summer holiday of "
            f"{year_name} is missing; use a file that covers the whole academic year {year_name}"
        )

    break_days: set[dt.date] = set()
    day_off: set[dt.date] = set()
    for holiday in in_year:
        days = holiday.days()
        day_off.update(days)
        if sum(1 for d in days if d.weekday() < 5 and d not in bank_holidays) >= 2:
            break_days.update(days)

    stretches = []
    for start, end in _runs(first, last, break_days):
        while start <= end and _no_teaching(start, bank_holidays, day_off):
            start += ONE_DAY
        while end >= start and _no_teaching(end, bank_holidays, day_off):
            end -= ONE_DAY
        if start <= end:
            stretches.append((start, end))

    if len(stretches) != len(HALF_TERM_LABELS):
        listed = "; ".join(f"{start:%a} {start} to {end:%a} {end}" for start, end in stretches) or "none"
        raise TermDatesError(
            f"{source}: the holidays leave {len(stretches)} teaching stretches in {year_name}, not "
            f"{len(HALF_TERM_LABELS)}: {listed}. Check that the file lists every half-term, Christmas, "
            f"Easter and summer holiday of that year"
        )

    half_terms = tuple(HalfTerm(label, start, end) for label, (start, end) in zip(HALF_TERM_LABELS, stretches))
    try:
        SchoolCalendar(academic_year=academic_year, half_terms=half_terms)
    except CalendarError as error:
        raise TermDatesError(f"{source}: {error}") from None
    days_off_in_term = tuple(
        h for h in in_year
        if any(ht.start <= d <= ht.end and d.weekday() < 5 and d not in bank_holidays for ht in half_terms for d in h.days())
    )
    return TermDates(academic_year=academic_year, half_terms=half_terms, days_off_in_term=days_off_in_term)


def _runs(first: dt.date, last: dt.date, excluded: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Return the maximal runs of days from ``first`` to ``last`` (inclusive) not in ``excluded``."""
    runs = []
    start = None
    day = first
    while day <= last:
        if day in excluded:
            if start is not None:
                runs.append((start, day - ONE_DAY))
                start = None
        elif start is None:
            start = day
        day += ONE_DAY
    if start is not None:
        runs.append((start, last))
    return runs


def _no_teaching(day: dt.date, bank_holidays: dict[dt.date, str], day_off: set[dt.date]) -> bool:
    return day.weekday() >= 5 or day in bank_holidays or day in day_off
