"""Values as a letter shows them, in British style: "5 March 2026", "3.30pm", "87.5%", "£60"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def british_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def clock_time(time: dt.time) -> str:
    """Return a time as letters write it, such as "9am", "3.30pm" or "12 noon"."""
    if time.hour == 12 and time.minute == 0:
        return "12 noon"
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}.{time.minute:02d}{suffix}"


def percentage(value: Decimal | int | None) -> str:
    """Return a percentage such as "87.5%"; a whole number shows no decimals; None shows "no figures yet"."""
    if value is None:
        return "no figures yet"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value.normalize():f}%"


def pounds(pence: int) -> str:
    """Return an amount of money such as "£60" or "£60.50"."""
    pounds_part, pence_part = divmod(pence, 100)
    return f"£{pounds_part:,}" if pence_part == 0 else f"£{pounds_part:,}.{pence_part:02d}"


def name_list(names: list[str]) -> str:
    """Return names joined for a greeting: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
