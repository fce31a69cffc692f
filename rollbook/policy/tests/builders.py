"""Small builders for policy tests: real school calendars and marks written as readable text.

Marks are written one token per school day, on consecutive school days from the first one:

- ``N`` puts the code on both sessions; ``/`` is present all day (``/`` AM, ``\\`` PM);
- ``N|/`` gives the AM and PM codes apart, so two-letter codes such as ``C1`` fit too;
- ``.`` is no mark (alone for the whole day, or on one side of ``|``);
- ``token*5`` repeats a token on 5 school days;
- ``@2025-11-24`` moves on to that school day (the days skipped keep no mark).

So ``"/*18 N*10 #"`` is 18 days present, 10 days of N and a closure day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from rollbook.policy.calendar import DAYS_IN_SEQUENCE, SLOTS_PER_YEAR, HalfTerm, SchoolCalendar
from rollbook.policy.codes import CODE_BYTES, NO_MARK, CodeSet
from rollbook.policy.marks import YearMarks, day_index
from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import Policy, load_preset

D = dt.date


def half_terms(*dates: tuple[dt.date, dt.date]) -> tuple[HalfTerm, ...]:
    labels = ("autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2")
    return tuple(HalfTerm(label, start, end) for label, (start, end) in zip(labels, dates))


# Sheffield's 2025/26 and 2026/27 term dates, read from the LA's iCalendar file of school
# holidays (the half-terms are the days between its holidays).
CALENDAR_2025 = SchoolCalendar(
    2025,
    half_terms(
        (D(2025, 9, 1), D(2025, 10, 24)),
        (D(2025, 11, 3), D(2025, 12, 19)),
        (D(2026, 1, 5), D(2026, 2, 13)),
        (D(2026, 2, 23), D(2026, 3, 27)),
        (D(2026, 4, 13), D(2026, 5, 22)),
        (D(2026, 6, 1), D(2026, 7, 20)),
    ),
)
CALENDAR_2026 = SchoolCalendar(
    2026,
    half_terms(
        (D(2026, 9, 1), D(2026, 10, 23)),
        (D(2026, 11, 2), D(2026, 12, 18)),
        (D(2027, 1, 4), D(2027, 2, 12)),
        (D(2027, 2, 22), D(2027, 3, 25)),
        (D(2027, 4, 12), D(2027, 5, 28)),
        (D(2027, 6, 7), D(2027, 7, 21)),
    ),
)

# UPNs for tests: they only need to be distinct and to sort in this order.
UPN_A = "A000000000001"
UPN_B = "B000000000002"


@dataclass(frozen=True)
class Pupil:
    """A pupil for a test: marks as text from the year's first school day (see the module doc).

    ``admitted`` and ``left`` bound the time on roll (default: the whole year).
    ``compulsory_from`` is the day the pupil reaches compulsory school age (default: before
    the year).
    """

    marks: str = ""
    admitted: dt.date | None = None
    left: dt.date | None = None
    compulsory_from: dt.date | None = None


def parse_day(token: str) -> tuple[str, str]:
    """Return the AM and PM codes of one day token ("." is no mark)."""
    if "|" in token:
        am, pm = token.split("|")
        return am, pm
    if token == "/":
        return "/", "\\"
    return token, token


def expand(text: str, calendar: SchoolCalendar, start: dt.date) -> list[tuple[dt.date, str, str]]:
    """Return the date and the AM and PM codes of each day written in ``text``, from ``start``."""
    days = []
    following = [day for day in calendar.school_days if day >= start]
    for token in text.split():
        if token.startswith("@"):
            jump = dt.date.fromisoformat(token[1:])
            following = [day for day in calendar.school_days if day >= jump]
            if following[0] != jump:
                raise ValueError(f"{jump} is not a school day")
            continue
        code, _, times = token.partition("*")
        for _ in range(int(times or 1)):
            days.append((following.pop(0), *parse_day(code)))
    return days


def nth_day(number: int, calendar: SchoolCalendar = CALENDAR_2025) -> dt.date:
    """Return the year's school day ``number``, counting the first school day as 1."""
    return calendar.school_days[number - 1]


def found(marks: YearMarks, as_of: dt.date, rule: Rule, **options) -> dict[str, dt.date]:
    """Return ``since`` by UPN for the pupils meeting ``rule`` as of ``as_of``."""
    return {met.upn: met.since for met in evaluate_rules(marks, as_of, **options) if met.rule is rule}


def since(marks: YearMarks, as_of: dt.date, rule: Rule, **options) -> dt.date | None:
    """Return when the only pupil of ``marks`` has met ``rule`` as of ``as_of``, or None."""
    return found(marks, as_of, rule, **options).get(marks.upns[0])


def write_marks(codes: np.ndarray, calendar: SchoolCalendar, pupil: Pupil, code_set: CodeSet) -> None:
    """Write a pupil's marks into their row of code bytes."""
    for day, am, pm in expand(pupil.marks, calendar, calendar.school_days[0]):
        for offset, code in enumerate((am, pm)):
            if code == ".":
                continue
            code_set.get(code)  # refuses a code outside the set, as import does
            codes[2 * day_index(calendar, day) + offset] = CODE_BYTES[code]


def year_marks(
    pupils: dict[str, Pupil | str],
    policy: str | Policy = "school-2023",
    calendar: SchoolCalendar = CALENDAR_2025,
    recorded_under: str | None = None,
) -> YearMarks:
    """Build the marks of the given pupils (by UPN); a plain string is a pupil's marks from day one.

    ``policy`` judges the marks; they are recorded under the code set of the preset named
    ``recorded_under`` (default: the policy's own).
    """
    policy = load_preset(policy) if isinstance(policy, str) else policy
    code_set = load_preset(recorded_under).code_set if recorded_under else policy.code_set
    specs = {upn: Pupil(spec) if isinstance(spec, str) else spec for upn, spec in pupils.items()}
    upns = tuple(specs)
    codes = np.full((len(upns), SLOTS_PER_YEAR), NO_MARK, dtype=np.uint8)
    on_roll = np.zeros((len(upns), DAYS_IN_SEQUENCE), dtype=bool)
    compulsory_from = np.full(len(upns), -1000, dtype=np.int64)

    for row, spec in enumerate(specs.values()):
        write_marks(codes[row], calendar, spec, code_set)
        first = day_index(calendar, spec.admitted or calendar.start)
        last = day_index(calendar, spec.left or calendar.end)
        on_roll[row, first : last + 1] = True
        if spec.compulsory_from is not None:
            compulsory_from[row] = day_index(calendar, spec.compulsory_from)

    return YearMarks(
        calendar=calendar,
        policy=policy,
        code_set=code_set,
        upns=upns,
        codes=codes,
        on_roll=on_roll,
        compulsory_from=compulsory_from,
    )
