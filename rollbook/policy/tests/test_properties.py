"""Property tests for measures and rules on random marks of a few pupils over autumn 2025.

The rules are also compared with a plain reference written from the rules' wording, one pupil,
one day and one session at a time, with small random thresholds so that every rule is met
often.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rollbook.policy.calendar import DAYS_IN_SEQUENCE, SLOTS_PER_YEAR, Term
from rollbook.policy.codes import CODE_BYTES, CODES_BY_BYTE, NO_MARK, Category
from rollbook.policy.marks import YearMarks, day_index
from rollbook.policy.measures import (
    attendance_rate,
    count_sessions,
    is_persistent_absence,
    is_severe_absence,
    persistent_absence_flags,
)
from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import Policy, load_preset

from .builders import CALENDAR_2025

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CALENDAR = CALENDAR_2025
DAYS = CALENDAR.school_days[:30]  # 1 September to 10 October 2025
LAST_DAY = DAYS[-1]
CODES = {
    "school-2023": ["/", "\\", "L", "B", "I", "M", "C", "H", "G", "N", "O", "U", "#", "X", "."],
    "england-2024": ["/", "\\", "L", "K", "I", "M", "C", "C1", "G", "N", "O", "U", "#", "Y1", "."],
}
STATUS_RULES = {Rule.PERSISTENT_ABSENCE, Rule.SEVERE_ABSENCE, Rule.TRIGGER_STAGE_1, Rule.N_CODE_OVERDUE}


@dataclasses.dataclass(frozen=True)
class PupilData:
    sessions: list[str]  # two codes per day of DAYS, "." for no mark
    admitted: int  # day numbers of the year (1 September is 0), inclusive
    left: int
    compulsory_from: int


@st.composite
def policies(draw) -> Policy:
    """Draw a preset with small block lengths and thresholds."""
    policy = load_preset(draw(st.sampled_from(["school-2023", "england-2024"])))
    small = st.integers(1, 6)
    return dataclasses.replace(
        policy,
        triggers=dataclasses.replace(policy.triggers, min_possible_sessions=draw(st.integers(0, 12))),
        n_follow_up=dataclasses.replace(policy.n_follow_up, school_days=draw(small)),
        la_alerts=dataclasses.replace(policy.la_alerts, unauthorised_block_days=draw(small), medical_block_days=draw(small)),
        removal=dataclasses.replace(policy.removal, absence_days=draw(small), after_leave_days=draw(st.integers(1, 4))),
        penalty=dataclasses.replace(
            policy.penalty, threshold_sessions=draw(st.integers(1, 8)), window_school_weeks=draw(st.integers(1, 3))
        ),
    )


@st.composite
def pupils(draw, policy: Policy) -> PupilData:
    code = st.sampled_from(CODES["school-2023" if policy.code_set.name == "national-2006" else "england-2024"])
    # Runs of one code make blocks likely: a list of (code, length) pairs.
    runs = draw(st.lists(st.tuples(code, code, st.integers(1, 8)), min_size=1, max_size=12))
    sessions = [c for am, pm, length in runs for _ in range(length) for c in (am, pm)][: 2 * len(DAYS)]
    sessions += ["."] * (2 * len(DAYS) - len(sessions))
    last = day_index(CALENDAR, LAST_DAY) + 3
    admitted = draw(st.one_of(st.just(0), st.integers(0, last)))
    left = draw(st.one_of(st.just(DAYS_IN_SEQUENCE - 1), st.integers(admitted, last)))
    return PupilData(sessions, admitted, left, compulsory_from=draw(st.integers(-3, last)))


@st.composite
def years(draw) -> YearMarks:
    policy = draw(policies())
    data = draw(st.lists(pupils(policy), min_size=1, max_size=4))
    return build(policy, data)


def build(policy: Policy, data: list[PupilData]) -> YearMarks:
    codes = np.zeros((len(data), SLOTS_PER_YEAR), dtype=np.uint8)
    on_roll = np.zeros((len(data), DAYS_IN_SEQUENCE), dtype=bool)
    for row, pupil in enumerate(data):
        for position, code in enumerate(pupil.sessions):
            if code != ".":
                day = day_index(CALENDAR, DAYS[position // 2])
                codes[row, 2 * day + position % 2] = CODE_BYTES[code]
        on_roll[row, pupil.admitted : pupil.left + 1] = True
    return YearMarks(
        calendar=CALENDAR,
        policy=policy,
        code_set=policy.code_set,
        upns=tuple(f"A{row:012d}" for row in range(len(data))),
        codes=codes,
        on_roll=on_roll,
        compulsory_from=np.array([pupil.compulsory_from for pupil in data], dtype=np.int64),
    )


dates = st.dates(dt.date(2025, 8, 25), dt.date(2025, 10, 20))


@SETTINGS
@given(years(), dates, dates)
def test_counts_add_up_to_possible(marks, start, end):
    counts = count_sessions(marks, start, end)

    assert (counts.attended + counts.authorised + counts.unauthorised == counts.possible).all()


@SETTINGS
@given(years(), st.lists(dates, min_size=3, max_size=3))
def test_counts_over_adjacent_ranges_add_up(marks, three_dates):
    a, b, c = sorted(three_dates)

    first = count_sessions(marks, a, b)
    second = count_sessions(marks, b + dt.timedelta(days=1), c)
    whole = count_sessions(marks, a, c)

    for name in ("possible", "attended", "authorised", "unauthorised", "missing"):
        assert (getattr(first, name) + getattr(second, name) == getattr(whole, name)).all(), name


@SETTINGS
@given(years(), st.data())
def test_present_mark_never_lowers_rate(marks, data):
    categories = marks.categories
    absences = [
        (row, 2 * day_index(CALENDAR, day) + session)
        for row in range(len(marks.upns))
        for day in DAYS
        for session in (0, 1)
        if marks.on_roll[row, day_index(CALENDAR, day)]
        and categories[row, 2 * day_index(CALENDAR, day) + session] in (3, 4)  # authorised, unauthorised
    ]
    if not absences:
        return
    row, slot = data.draw(st.sampled_from(absences))
    before = count_sessions(marks, CALENDAR.start, LAST_DAY)

    codes = marks.codes.copy()
    codes[row, slot] = CODE_BYTES["/"]
    after = count_sessions(dataclasses.replace(marks, codes=codes), CALENDAR.start, LAST_DAY)

    assert after.possible[row] == before.possible[row]
    assert Fraction(int(after.attended[row]), int(after.possible[row])) > Fraction(int(before.attended[row]), int(before.possible[row]))
    assert attendance_rate(int(after.attended[row]), int(after.possible[row])) >= attendance_rate(
        int(before.attended[row]), int(before.possible[row])
    )


@SETTINGS
@given(years(), st.data())
def test_marks_off_roll_never_count(marks, data):
    off_roll_slots = np.repeat(~marks.on_roll, 2, axis=1)
    random = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    noise = random.choice(np.array(sorted(CODE_BYTES.values()), dtype=np.uint8), size=marks.codes.shape)
    codes = np.where(off_roll_slots, noise, marks.codes)
    scrambled = dataclasses.replace(marks, codes=codes)
    as_of = data.draw(dates)

    assert counts_as_lists(count_sessions(scrambled, CALENDAR.start, as_of)) == counts_as_lists(
        count_sessions(marks, CALENDAR.start, as_of)
    )
    assert evaluate_rules(scrambled, as_of) == evaluate_rules(marks, as_of)


def counts_as_lists(counts) -> dict[str, list[int]]:
    return {name: array.tolist() for name, array in dataclasses.asdict(counts).items()}


@given(st.integers(0, 800), st.integers(0, 800), st.integers(1, 100))
def test_persistent_absence_exact_share(absent, possible, percent):
    absent = min(absent, possible)
    policy = load_preset("school-2023")
    policy = dataclasses.replace(policy, measures=dataclasses.replace(policy.measures, persistent_absence_percent=percent, severe_absence_percent=percent))

    expected = possible > 0 and Fraction(absent, possible) >= Fraction(percent, 100)

    assert is_persistent_absence(absent, possible, policy) is expected
    assert is_severe_absence(absent, possible, policy) is expected


@SETTINGS
@given(years(), dates)
def test_persistent_absence_rule_matches_counts(marks, as_of):
    judged = CALENDAR.last_school_day_on_or_before(as_of)
    if judged is None:
        return
    flags = persistent_absence_flags(count_sessions(marks, CALENDAR.start, judged), marks.policy)
    on_roll = marks.on_roll[:, day_index(CALENDAR, judged)]

    listed = {met.upn for met in evaluate_rules(marks, as_of) if met.rule is Rule.PERSISTENT_ABSENCE}

    assert listed == {upn for upn, flag, here in zip(marks.upns, flags, on_roll) if flag and here}


@SETTINGS
@given(years(), dates, dates)
def test_event_rules_keep_their_day(marks, first, second):
    earlier, later = sorted((first, second))

    def events(as_of):
        return {(met.upn, met.rule): met.since for met in evaluate_rules(marks, as_of) if met.rule not in STATUS_RULES}

    before, after = events(earlier), events(later)

    assert all(after.get(key) == day for key, day in before.items())


@SETTINGS
@given(years(), dates)
def test_status_rules_since_starts_their_run(marks, as_of):
    for met in evaluate_rules(marks, as_of):
        if met.rule not in STATUS_RULES:
            continue
        assert (met.upn, met.rule, met.since) in {(m.upn, m.rule, m.since) for m in evaluate_rules(marks, met.since)}
        day_before = met.since - dt.timedelta(days=1)
        assert (met.upn, met.rule) not in {(m.upn, m.rule) for m in evaluate_rules(marks, day_before)}


@settings(SETTINGS, max_examples=400)
@given(years(), dates)
def test_rules_match_the_reference(marks, as_of):
    result = {(met.upn, met.rule, met.since) for met in evaluate_rules(marks, as_of)}

    assert result == reference_rules(marks, as_of)


# The reference: the rules as worded, for one pupil at a time.

POSSIBLE = {Category.PRESENT, Category.APPROVED_EDUCATIONAL_ACTIVITY, Category.AUTHORISED, Category.UNAUTHORISED}


def reference_rules(marks: YearMarks, as_of: dt.date) -> set[tuple[str, Rule, dt.date]]:
    judged = CALENDAR.last_school_day_on_or_before(as_of)
    if judged is None:
        return set()
    days = [day for day in CALENDAR.school_days if day <= judged]
    found = set()
    for row, upn in enumerate(marks.upns):
        pupil = ReferencePupil(marks, row, days)
        for rule, since in pupil.rules().items():
            if since is not None:
                found.add((upn, rule, since))
    return found


class ReferencePupil:
    def __init__(self, marks: YearMarks, row: int, days: list[dt.date]):
        self.marks, self.row, self.days, self.policy = marks, row, days, marks.policy

    def on_roll(self, day: dt.date) -> bool:
        return bool(self.marks.on_roll[self.row, day_index(CALENDAR, day)])

    def compulsory(self, day: dt.date) -> bool:
        return day_index(CALENDAR, day) >= self.marks.compulsory_from[self.row]

    def code(self, day: dt.date, session: int) -> str | None:
        """The session's code, or None when unmarked, off roll or outside the code set."""
        byte = int(self.marks.codes[self.row, 2 * day_index(CALENDAR, day) + session])
        if byte == NO_MARK or not self.on_roll(day) or CODES_BY_BYTE[byte] not in self.marks.code_set:
            return None
        return CODES_BY_BYTE[byte]

    def category(self, day: dt.date, session: int) -> Category | None:
        code = self.code(day, session)
        return None if code is None else self.marks.code_set.category(code)

    def marked_possible(self, day: dt.date, *, compulsory_only: bool = False) -> list[str]:
        if compulsory_only and not self.compulsory(day):
            return []
        return [self.code(day, s) for s in (0, 1) if self.category(day, s) in POSSIBLE]

    def rules(self) -> dict[Rule, dt.date | None]:
        judged = self.days[-1]
        status = {
            Rule.PERSISTENT_ABSENCE: self.run_start(lambda k: self.absence_at_least(k, self.policy.measures.persistent_absence_percent)),
            Rule.SEVERE_ABSENCE: self.run_start(lambda k: self.absence_at_least(k, self.policy.measures.severe_absence_percent)),
            Rule.TRIGGER_STAGE_1: self.run_start(self.below_trigger),
            Rule.N_CODE_OVERDUE: self.run_start(self.n_overdue),
        }
        if not self.on_roll(judged):
            status = {}
        alerts, removal = self.policy.la_alerts, self.policy.removal
        return {
            **status,
            Rule.LA_ALERT_UNAUTHORISED_BLOCK: self.block(alerts.unauthorised_block_codes, alerts.unauthorised_block_days),
            Rule.LA_ALERT_MEDICAL_BLOCK: self.block(alerts.medical_block_codes, alerts.medical_block_days),
            Rule.REMOVAL_REVIEW: min(
                (d for d in (self.block(removal.absence_codes, removal.absence_days, True), self.after_leave()) if d),
                default=None,
            ),
            Rule.PENALTY_THRESHOLD: self.penalty(),
        }

    def run_start(self, holds) -> dt.date | None:
        start = None
        for k, day in enumerate(self.days):
            if self.on_roll(day) and holds(k):
                start = start or day
            else:
                start = None
        return start

    def counts(self, k: int) -> tuple[int, int, int]:
        attended = absent = 0
        for day in self.days[: k + 1]:
            for s in (0, 1):
                category = self.category(day, s)
                if category in (Category.PRESENT, Category.APPROVED_EDUCATIONAL_ACTIVITY):
                    attended += 1
                elif category in (Category.AUTHORISED, Category.UNAUTHORISED):
                    absent += 1
        return attended, absent, attended + absent

    def absence_at_least(self, k: int, percent: int) -> bool:
        _, absent, possible = self.counts(k)
        return possible > 0 and Fraction(absent, possible) >= Fraction(percent, 100)

    def below_trigger(self, k: int) -> bool:
        triggers = self.policy.triggers
        threshold = {
            Term.AUTUMN: triggers.autumn_threshold_percent,
            Term.SPRING: triggers.spring_threshold_percent,
            Term.SUMMER: triggers.summer_threshold_percent,
        }[CALENDAR.term_of(self.days[k])]
        attended, _, possible = self.counts(k)
        return possible >= triggers.min_possible_sessions and possible > 0 and Fraction(attended, possible) < Fraction(threshold, 100)

    def n_overdue(self, k: int) -> bool:
        limit = self.policy.n_follow_up.school_days
        return any("N" in (self.code(day, 0), self.code(day, 1)) and k - i >= limit for i, day in enumerate(self.days[: k + 1]))

    def block(self, codes: tuple[str, ...], length: int, compulsory_only: bool = False) -> dt.date | None:
        run = 0
        for day in self.days:
            marked = self.marked_possible(day, compulsory_only=compulsory_only)
            if not marked:
                continue
            run = run + 1 if all(code in codes for code in marked) else 0
            if run == length:
                return day
        return None

    def after_leave(self) -> dt.date | None:
        removal = self.policy.removal
        counting, count = False, 0
        for day in self.days:
            marked = self.marked_possible(day, compulsory_only=True)
            if not marked:
                continue
            if all(code in removal.leave_codes for code in marked):
                counting, count = True, 0
            elif counting and all(code in removal.absence_codes for code in marked):
                count += 1
                if count == removal.after_leave_days:
                    return day
            else:
                counting, count = False, 0
        return None

    def penalty(self) -> dt.date | None:
        penalty = self.policy.penalty
        weeks = CALENDAR.school_weeks
        qualifying = [
            (weeks.index(day - dt.timedelta(days=day.weekday())), day)
            for day in self.days
            for s in (0, 1)
            if self.compulsory(day) and self.code(day, s) in penalty.codes
        ]
        for position, (week, day) in enumerate(qualifying):
            in_window = [w for w, _ in qualifying[: position + 1] if w > week - penalty.window_school_weeks]
            if len(in_window) >= penalty.threshold_sessions:
                return day
        return None
