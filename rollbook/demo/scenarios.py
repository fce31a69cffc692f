"""Pupils whose attendance the demo sets on purpose, so every rule has a case to show.

Each scenario is placed at a share of the pupil's school days up to the last day marked, so it
also appears when the demo holds only part of a year. A scenario that does not fit in the days
marked so far is left out, and ``Scenarios`` shows ``None`` or an empty tuple for it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from rollbook.policy.calendar import Session

from .attendance import CLOSURE_CODE, DemoMark, Register, YearPlan, is_absence, is_possible, set_day

PERSISTENT_ABSENTEES = 9
PERSISTENT_ABSENCE_TARGETS = (0.11, 0.19)  # the range each one's share of missed sessions is drawn from
SEVERE_ABSENCE_TARGET = 0.56
UNAUTHORISED_BLOCK_DAYS = 12  # two more than the 10 days that require an alert to the LA
MEDICAL_BLOCK_DAYS = 16  # one more than the 15 days that require an alert to the LA
OVERDUE_N_AGE = 8  # school days between the unresolved N and the last day marked


@dataclass(frozen=True)
class Scenarios:
    """The UPNs of the pupils given each scenario."""

    persistent_absence: tuple[str, ...] = ()
    severe_absence: tuple[str, ...] = ()
    unauthorised_block: str | None = None
    medical_block: str | None = None
    unresolved_n: str | None = None
    joiner: str | None = None
    leaver: str | None = None


@dataclass(frozen=True)
class CodeMix:
    """The codes extra absent days are given, with weights, and the comment on some of them."""

    codes: tuple[tuple[str, int], ...]

    def pick(self, rng: random.Random) -> DemoMark:
        code = rng.choices([c for c, _ in self.codes], weights=[w for _, w in self.codes])[0]
        comment = {"O": "No reason given within 5 school days", "I": "Parent reported illness"}.get(code, "")
        return DemoMark(code, comment=comment if rng.random() < 0.3 else "")


PERSISTENT_MIX = CodeMix((("I", 60), ("O", 25), ("M", 5), ("G", 10)))
SEVERE_UNAUTHORISED_MIX = CodeMix((("O", 60), ("I", 35), ("M", 5)))
SEVERE_MEDICAL_MIX = CodeMix((("I", 80), ("M", 20)))


def top_up_absence(rng: random.Random, register: Register, plan: YearPlan, target: float, mix: CodeMix,
                   keep: frozenset[dt.date] = frozenset()) -> None:
    """Turn whole present days into absent ones until the share of missed sessions reaches ``target``.

    Mondays and Fridays are three times as likely to be picked. Days in ``keep`` stay as they are.
    Stops early when no wholly present day is left.
    """
    code_set = plan.code_set
    possible = sum(is_possible(mark, code_set) for mark in register.values())
    needed = math.ceil(target * possible) - sum(is_absence(mark, code_set) for mark in register.values())
    days = sorted({day for day, _ in register if day not in keep})
    while needed > 0:
        candidates = [day for day in days if _wholly_present(register, day, code_set)]
        if not candidates:
            return
        weights = [3 if day.weekday() in (0, 4) else 1 for day in candidates]
        day = rng.choices(candidates, weights=weights)[0]
        set_day(register, day, mix.pick(rng), only_present=False)
        needed -= sum(1 for s in Session if (day, s) in register and register[(day, s)].code != CLOSURE_CODE)


def _wholly_present(register: Register, day: dt.date, code_set) -> bool:
    marks = [register[(day, s)] for s in Session if (day, s) in register and register[(day, s)].code != CLOSURE_CODE]
    return bool(marks) and not any(is_absence(mark, code_set) for mark in marks) and all(m.code != "P" for m in marks)


def add_block(register: Register, days: list[dt.date], start: int, length: int, code: str, comment: str) -> tuple[dt.date, ...]:
    """Give ``length`` school days from ``days[start]`` the code in both sessions; return those days."""
    block = tuple(days[start : start + length])
    for index, day in enumerate(block):
        set_day(register, day, DemoMark(code, comment=comment if index == 0 else ""), only_present=False)
    return block


def add_unauthorised_block(rng: random.Random, register: Register, days: list[dt.date], plan: YearPlan) -> bool:
    """Give the pupil 12 school days of unexplained absence (O), after earlier Monday and Friday absences.

    Returns False, changing nothing, when the days marked so far leave no room for the block and five
    school days after it.
    """
    start = max(10, round(len(days) * 0.45))
    if start + UNAUTHORISED_BLOCK_DAYS + 5 > len(days):
        return False
    block = add_block(register, days, start, UNAUTHORISED_BLOCK_DAYS, "O",
                      "No contact from the family; N changed to O after 5 school days")
    top_up_absence(rng, register, plan, 0.16, PERSISTENT_MIX, keep=frozenset(block))
    return True


def add_medical_block(rng: random.Random, register: Register, days: list[dt.date], plan: YearPlan) -> bool:
    """Give the pupil a 16-school-day hospital stay (I) and enough illness to miss over half the sessions.

    Returns False, changing nothing, when the days marked so far leave no room for the stay.
    """
    start = max(5, round(len(days) * 0.25))
    if start + MEDICAL_BLOCK_DAYS + 5 > len(days):
        return False
    block = add_block(register, days, start, MEDICAL_BLOCK_DAYS, "I", "In hospital")
    top_up_absence(rng, register, plan, SEVERE_ABSENCE_TARGET - 0.03, SEVERE_MEDICAL_MIX, keep=frozenset(block))
    return True


def add_unresolved_n(register: Register, days: list[dt.date]) -> bool:
    """Leave a whole day of N eight school days before the last day marked, and one N session since.

    Returns False, changing nothing, with fewer than ten school days marked.
    """
    if len(days) < OVERDUE_N_AGE + 2:
        return False
    overdue = days[-1 - OVERDUE_N_AGE]
    set_day(register, overdue, DemoMark("N"), only_present=False)
    recent = (days[-2], Session.AM)
    if register[recent].code != CLOSURE_CODE:
        register[recent] = DemoMark("N")
    return True


def leave_reasons_pending(register: Register, plan: YearPlan) -> None:
    """Mark illness and unexplained absence on the last day marked as N: no reason has come in yet.

    Applies only when the marks stop before the year's last school day, as in a live register.
    """
    marked_days = plan.school_days
    if not marked_days or marked_days[-1] == plan.calendar.school_days[-1]:
        return
    last = marked_days[-1]
    for session in Session:
        mark = register.get((last, session))
        if mark is not None and mark.code in ("I", "O"):
            register[(last, session)] = DemoMark("N")
