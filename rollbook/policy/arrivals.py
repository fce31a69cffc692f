"""Arrival times and register times: which mark an arrival earns, and when a register closes.

The school's day sets, for each session, the time its register is taken and the time it
closes, as Europe/London wall-clock times. A pupil who arrives by the time the register is
taken is present (``/`` in the morning, ``\\`` in the afternoon). One who arrives after that
but no later than the close is late before the register closed (``L``). One who arrives after
the close is late after the register closed (``U``), which counts as an unauthorised absence.
Minutes late are counted from the time the register is taken, in whole minutes (part of a
minute is dropped), for ``L`` and ``U`` alike.

Boundaries: arriving at exactly the register time is present, and arriving at exactly the
close time is still ``L``, because the register is open until the close time itself has
passed. An arrival one second after either time falls on the later side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .calendar import Session
from .settings import DaySettings

SCHOOL_TIME_ZONE = ZoneInfo("Europe/London")

PRESENT_CODES = {Session.AM: "/", Session.PM: "\\"}
LATE_BEFORE_CLOSE = "L"
LATE_AFTER_CLOSE = "U"


@dataclass(frozen=True)
class ArrivalMark:
    """The mark an arrival earns: a code, and the minutes late (None when on time)."""

    code: str
    minutes_late: int | None


def register_time(session: Session, day: DaySettings) -> dt.time:
    """Return the wall-clock time the session's register is taken."""
    return day.am_register if session is Session.AM else day.pm_register


def close_time(session: Session, day: DaySettings) -> dt.time:
    """Return the wall-clock time the session's register closes."""
    return day.am_close if session is Session.AM else day.pm_close


def arrival_mark(session: Session, arrived: dt.time, day: DaySettings) -> ArrivalMark:
    """Return the mark for a pupil who arrived at ``arrived`` (Europe/London wall-clock time)."""
    register_at = register_time(session, day)
    if arrived <= register_at:
        return ArrivalMark(PRESENT_CODES[session], None)

    minutes_late = _whole_minutes_between(register_at, arrived)
    if arrived <= close_time(session, day):
        return ArrivalMark(LATE_BEFORE_CLOSE, minutes_late)
    return ArrivalMark(LATE_AFTER_CLOSE, minutes_late)


def _whole_minutes_between(earlier: dt.time, later: dt.time) -> int:
    # Both times are on the same calendar day, so a fixed date makes them comparable.
    anchor = dt.date(2000, 1, 1)
    elapsed = dt.datetime.combine(anchor, later) - dt.datetime.combine(anchor, earlier)
    return int(elapsed.total_seconds() // 60)


def register_closes_at(date: dt.date, session: Session, day: DaySettings) -> dt.datetime:
    """Return when a session's register closes on ``date``, as an aware Europe/London datetime.

    The date is kept as given: on a day the clocks change, the close time is the wall-clock
    time on that same date, with that day's offset from UTC.
    """
    return dt.datetime.combine(date, close_time(session, day), tzinfo=SCHOOL_TIME_ZONE)


def register_taken_at(date: dt.date, session: Session, day: DaySettings) -> dt.datetime:
    """Return when a session's register is taken on ``date``, as an aware Europe/London datetime."""
    return dt.datetime.combine(date, register_time(session, day), tzinfo=SCHOOL_TIME_ZONE)
