"""The demo school's register marks: a simple random model of a primary school's attendance.

Every pupil starts present at every session of every school day they are on roll, and a
planned closure gives ``#``. Events then replace plain present marks in a fixed order, and a
later event never overwrites an earlier one. The order is: family holidays in term time
(``G``, or ``C`` when the headteacher granted leave), festivals (``R``), the Year 4 sports
afternoon (``P``), illness (``I``, most common from December to February and on Mondays and
Fridays), medical appointments (``M``), odd unexplained days (``O``) and late arrivals
(``L``, or ``U`` after the register closed). The rates are estimates chosen to give about 95% attendance, close to
recent figures for English primary schools; they are not fitted to any data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from rollbook.policy.calendar import SchoolCalendar, Session
from rollbook.policy.codes import Category, CodeSet

from .people import DemoPupil, Family
from .terms import DemoYear

PRESENT_CODE = {Session.AM: "/", Session.PM: "\\"}
CLOSURE_CODE = "#"

# How much more likely an illness is to start in each month than in an average one.
ILLNESS_BY_MONTH = {9: 0.7, 10: 1.0, 11: 1.2, 12: 1.6, 1: 1.7, 2: 1.5, 3: 1.0, 4: 0.8, 5: 0.7, 6: 0.6, 7: 0.6}
# The same for Monday to Friday: the Monday and Friday dips.
ILLNESS_BY_WEEKDAY = (1.25, 0.9, 0.9, 0.95, 1.3)
ILLNESS_START_RATE = 0.014  # chance per school day for an average pupil in an average month
RECEPTION_ILLNESS_FACTOR = 1.3
ILLNESS_LENGTHS = ((1, 55), (2, 25), (3, 12), (4, 5), (5, 3))  # school days, weight
MEDICAL_APPOINTMENTS_PER_YEAR = {"N": 1.0, "K": 2.0, "E": 5.0}
MEDICAL_COMMENTS = ("", "", "Dentist", "Hospital appointment", "Orthodontist", "GP appointment")
# Lateness per AM session, with the share of families at each level.
LATENESS_LEVELS = ((0.008, 65), (0.03, 25), (0.09, 10))
AM_REGISTER_OPEN_MINUTES = 20  # 08:55 to 09:15 under the school's policy
PM_REGISTER_OPEN_MINUTES = 10  # 13:20 to 13:30
HOLIDAY_FAMILY_RATE = 0.09
HOLIDAY_LENGTHS = ((3, 15), (4, 20), (5, 30), (6, 15), (7, 10), (8, 10))
GRANTED_LEAVE_RATE = 0.2
DISENGAGED_FAMILY_RATE = 0.08
DISENGAGED_DAY_RATE = 0.03  # chance of a day off on a Monday or a Friday
FESTIVAL_ATTENDANCE_RATE = 0.8  # share of observing families whose children take the day
SPORTS_TEAM_SIZE = 8
REASON_LATE_RATE = 0.2  # share of first days of illness whose reason came after the register closed


@dataclass(frozen=True)
class DemoMark:
    code: str
    minutes_late: int | None = None
    comment: str = ""


Register = dict[tuple[dt.date, Session], DemoMark]


@dataclass(frozen=True)
class YearPlan:
    """The year being modelled: its demo calendar, the code set and the last day to mark."""

    demo_year: DemoYear
    calendar: SchoolCalendar
    code_set: CodeSet
    marks_until: dt.date

    @property
    def school_days(self) -> tuple[dt.date, ...]:
        return tuple(day for day in self.calendar.school_days if day <= self.marks_until)

    def days_on_roll(self, pupil: DemoPupil) -> list[dt.date]:
        """Return the school days up to ``marks_until`` on which the pupil is on roll, in order."""
        last = pupil.leaving_date or self.marks_until
        return [day for day in self.school_days if pupil.admission_date <= day <= last]


def is_plain_present(mark: DemoMark) -> bool:
    return mark.code in ("/", "\\") and not mark.comment


def is_absence(mark: DemoMark, code_set: CodeSet) -> bool:
    return code_set.category(mark.code) in (Category.AUTHORISED, Category.UNAUTHORISED)


def is_possible(mark: DemoMark, code_set: CodeSet) -> bool:
    return code_set.category(mark.code) is not Category.NOT_POSSIBLE


def absence_fraction(register: Register, code_set: CodeSet) -> float:
    """Return the share of possible sessions missed (0 with no possible session)."""
    possible = [mark for mark in register.values() if is_possible(mark, code_set)]
    if not possible:
        return 0.0
    return sum(is_absence(mark, code_set) for mark in possible) / len(possible)


def set_day(register: Register, day: dt.date, mark: DemoMark, *, only_present: bool = True) -> bool:
    """Give both sessions of ``day`` the mark (the comment on AM only); closure sessions keep ``#``.

    With ``only_present`` the day changes only when both sessions are plain present marks.
    Returns whether it changed.
    """
    sessions = [s for s in Session if (day, s) in register and register[(day, s)].code != CLOSURE_CODE]
    if not sessions:
        return False
    if only_present and not all(is_plain_present(register[(day, s)]) for s in sessions):
        return False
    for index, session in enumerate(sessions):
        comment = mark.comment if index == 0 else ""
        register[(day, session)] = DemoMark(mark.code, mark.minutes_late, comment)
    return True


def empty_register(pupil: DemoPupil, days: list[dt.date], calendar: SchoolCalendar) -> Register:
    """Return the pupil present at every session, with ``#`` where a planned closure covers it."""
    register: Register = {}
    for day in days:
        for session in Session:
            closed = calendar.closed(day, session, pupil.year_group)
            register[(day, session)] = DemoMark(CLOSURE_CODE if closed else PRESENT_CODE[session])
    return register


@dataclass(frozen=True)
class FamilyHabits:
    """The attendance habits the siblings of one family share: lateness, holidays, odd days off."""

    lateness: float
    holiday: tuple[tuple[dt.date, ...], str, str] | None  # school days, code, comment
    disengaged: bool
    keeps_festival: bool


def _weighted(rng: random.Random, table: tuple[tuple[object, int], ...]):
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def plan_family_habits(rng: random.Random, family: Family, plan: YearPlan) -> FamilyHabits:
    holiday = None
    if rng.random() < HOLIDAY_FAMILY_RATE:
        holiday = _plan_holiday(rng, plan)
    return FamilyHabits(
        lateness=_weighted(rng, LATENESS_LEVELS),
        holiday=holiday,
        disengaged=rng.random() < DISENGAGED_FAMILY_RATE,
        keeps_festival=family.observance is not None and rng.random() < FESTIVAL_ATTENDANCE_RATE,
    )


def _plan_holiday(rng: random.Random, plan: YearPlan) -> tuple[tuple[dt.date, ...], str, str]:
    """Return a block of school days next to a holiday, with its code and comment."""
    half_terms = plan.calendar.half_terms
    half_term = rng.choice(half_terms)
    days = [d for d in plan.calendar.school_days if half_term.start <= d <= half_term.end]
    length = _weighted(rng, HOLIDAY_LENGTHS)
    before_break = rng.random() < 0.6
    chosen = tuple(days[-length:] if before_break else days[:length])
    if rng.random() < GRANTED_LEAVE_RATE:
        return chosen, "C", "Leave granted by the headteacher: exceptional circumstances"
    comment = rng.choice(("Leave requested and refused; family holiday taken", "Family holiday; no leave requested"))
    return chosen, "G", comment


def model_register(
    rng: random.Random,
    pupil: DemoPupil,
    habits: FamilyHabits,
    plan: YearPlan,
    sports_team: bool,
) -> Register:
    """Return the pupil's marks for every session on roll up to ``plan.marks_until``."""
    days = plan.days_on_roll(pupil)
    register = empty_register(pupil, days, plan.calendar)

    if habits.holiday is not None:
        holiday_days, code, comment = habits.holiday
        for index, day in enumerate(d for d in holiday_days if d in days):
            set_day(register, day, DemoMark(code, comment=comment if index == 0 else ""))

    if habits.keeps_festival:
        for festival in plan.demo_year.festivals:
            if festival.observance == pupil.family.observance and festival.day in days:
                set_day(register, festival.day, DemoMark("R", comment="Religious observance"))

    sports_key = (plan.demo_year.sports_afternoon, Session.PM)
    if sports_team and sports_key in register and is_plain_present(register[sports_key]):
        register[sports_key] = DemoMark("P", comment="Inter-school sports festival")

    _add_illness(rng, pupil, days, register)
    _add_medical_appointments(rng, pupil, days, register)
    if habits.disengaged:
        _add_odd_days_off(rng, days, register)
    _add_late_arrivals(rng, habits.lateness, register)
    return register


def _add_illness(rng: random.Random, pupil: DemoPupil, days: list[dt.date], register: Register) -> None:
    frailty = rng.lognormvariate(-0.18, 0.6)  # mean 1: some pupils are ill far more often
    if pupil.year_group == "R":
        frailty *= RECEPTION_ILLNESS_FACTOR
    index = 0
    while index < len(days):
        day = days[index]
        chance = ILLNESS_START_RATE * frailty * ILLNESS_BY_MONTH[day.month] * ILLNESS_BY_WEEKDAY[day.weekday()]
        if rng.random() >= chance:
            index += 1
            continue

        length = _weighted(rng, ILLNESS_LENGTHS)
        for offset, ill_day in enumerate(days[index : index + length]):
            comment = ""
            if offset == 0 and rng.random() < REASON_LATE_RATE:
                reported_on = days[min(index + 1, len(days) - 1)]
                comment = f"Amended from N on {reported_on.isoformat()}: reason given by a parent"
            if offset == 0 and rng.random() < 0.12:
                # Sent home ill at lunchtime: present in the morning only.
                pm = (ill_day, Session.PM)
                if pm in register and is_plain_present(register[pm]):
                    register[pm] = DemoMark("I", comment="Sent home ill at lunchtime")
                continue
            set_day(register, ill_day, DemoMark("I", comment=comment))
        index += length


def _add_medical_appointments(rng: random.Random, pupil: DemoPupil, days: list[dt.date], register: Register) -> None:
    chance = MEDICAL_APPOINTMENTS_PER_YEAR[pupil.sen] / 190
    for day in days:
        if rng.random() >= chance:
            continue
        mark = DemoMark("M", comment=rng.choice(MEDICAL_COMMENTS))
        if rng.random() < 0.35:
            set_day(register, day, mark)
            continue
        session = Session.AM if rng.random() < 0.6 else Session.PM
        if (day, session) in register and is_plain_present(register[(day, session)]):
            register[(day, session)] = mark


def _add_odd_days_off(rng: random.Random, days: list[dt.date], register: Register) -> None:
    """Add whole days off on Mondays and Fridays, some explained as illness and some never explained."""
    for day in days:
        if day.weekday() not in (0, 4) or rng.random() >= DISENGAGED_DAY_RATE:
            continue
        if rng.random() < 0.5:
            set_day(register, day, DemoMark("I", comment="Parent reported illness"))
        else:
            set_day(register, day, DemoMark("O", comment="No reason given within 5 school days"))


def _add_late_arrivals(rng: random.Random, lateness: float, register: Register) -> None:
    for (day, session), mark in sorted(register.items()):
        if not is_plain_present(mark):
            continue
        if session is Session.AM and rng.random() < lateness:
            minutes = 1 + int(rng.expovariate(1 / 5))
            if minutes >= AM_REGISTER_OPEN_MINUTES or rng.random() < 0.07:
                minutes = max(minutes, AM_REGISTER_OPEN_MINUTES) + int(rng.expovariate(1 / 12))
                register[(day, session)] = DemoMark("U", minutes_late=minutes)
            else:
                register[(day, session)] = DemoMark("L", minutes_late=minutes)
        elif session is Session.PM and rng.random() < lateness / 6:
            register[(day, session)] = DemoMark("L", minutes_late=rng.randint(1, PM_REGISTER_OPEN_MINUTES - 1))
