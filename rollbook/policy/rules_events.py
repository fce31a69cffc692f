"""Event rules: rules met on one school day that stay met for the rest of the academic year.

A finding's ``since`` is the school day on which the rule was first met. The finding stays
listed after the pupil leaves, until staff record the action taken, which ``evaluate_rules``
checks. Blocks of days are judged day by day on each day's marked possible sessions. A day on
which all of them carry the block's codes counts. A day without any (a closure, missing marks,
a day off roll) is skipped, and any other day breaks the block. Weekends and holidays are not
days here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .marks import YearMarks, code_mask
from .rules_base import (
    NOT_MET,
    Finding,
    JudgedYear,
    code_list,
    day_pairs,
    first_block,
    long_date,
    plural,
    session_codes,
    sessions_with,
)


def la_alert_unauthorised_block(year: JudgedYear) -> list[Finding]:
    """Find pupils with a block of unauthorised absence that the local authority must be notified of.

    The school's policy alerts the local authority after 10 school days whose every marked
    possible session is N or O. Under the 2024 framework the duty covers 10 continuous school
    days of unauthorised absence, so G counts too. The policy sets the days and the codes. U
    means that the pupil came in late, so it breaks the block.
    """
    alerts = year.policy.la_alerts
    return _block_rule(year, alerts.unauthorised_block_codes, alerts.unauthorised_block_days)


def la_alert_medical_block(year: JudgedYear) -> list[Finding]:
    """Find pupils with a block of medical absence that the local authority must be notified of.

    The school's policy alerts the local authority after 15 school days whose every marked
    possible session is I or M. The policy sets the days and the codes.
    """
    alerts = year.policy.la_alerts
    return _block_rule(year, alerts.medical_block_codes, alerts.medical_block_days)


def _block_rule(year: JudgedYear, codes: tuple[str, ...], length: int) -> list[Finding]:
    counting, breaking = year.day_kinds(codes)
    reached, began = first_block(counting, breaking, length)
    began_list, reached_list = began.tolist(), reached.tolist()
    return year.findings(
        reached, lambda pupil: _block_detail(year, codes, length, began_list[pupil], reached_list[pupil])
    )


def _block_detail(year: JudgedYear, codes: tuple[str, ...], length: int, began: int, reached: int) -> str:
    return (
        f"Every marked session was {code_list(codes)} on {length} school days from "
        f"{year.date_labels[began]} to {year.date_labels[reached]}, with no other marked session in between"
    )


def removal_review(year: JudgedYear) -> list[Finding]:
    """Find pupils whose absence is a ground to consider deleting them from the admission register.

    The pupil registration regulations allow it for a pupil of compulsory school age after 20
    consecutive school days of unauthorised absence (G, N or O). They also allow it when a
    pupil does not return within 10 school days after a leave of absence. The policy sets the
    days and the codes. Only sessions of compulsory school age count, and earlier ones read as
    unmarked. A leave day is a day whose marked possible sessions all carry the policy's leave
    codes. After it, the next days with marked possible sessions must all be G, N or O days.
    Any other day ends the count, a day that mixes leave with another code included. The
    finding supports a decision that needs enquiries, and nothing is removed here.
    """
    removal = year.policy.removal
    absence, not_absence = year.day_kinds(removal.absence_codes, compulsory_only=True)
    leave, _ = year.day_kinds(removal.leave_codes, compulsory_only=True)

    block_reached, block_began = first_block(absence, not_absence, removal.absence_days)
    leave_reached, leave_ended = _first_failed_return(
        leave, absence & ~leave, not_absence & ~leave, removal.after_leave_days
    )

    after_leave_first = (leave_reached != NOT_MET) & ((block_reached == NOT_MET) | (leave_reached < block_reached))
    reached = np.where(after_leave_first, leave_reached, block_reached)

    reached_list, after_leave_list = reached.tolist(), after_leave_first.tolist()
    leave_ended_list, block_began_list = leave_ended.tolist(), block_began.tolist()

    def detail(pupil: int) -> str:
        if not after_leave_list[pupil]:
            return _block_detail(
                year, removal.absence_codes, removal.absence_days, block_began_list[pupil], reached_list[pupil]
            )
        return (
            f"After leave of absence up to {year.date_labels[leave_ended_list[pupil]]}, every marked session "
            f"of the next {removal.after_leave_days} school days with marks, to {year.date_labels[reached_list[pupil]]}, "
            f"was {code_list(removal.absence_codes)}"
        )

    return year.findings(reached, detail)


def _first_failed_return(
    leave: np.ndarray, absence: np.ndarray, other: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Find each pupil's first run of ``length`` absence days right after a leave day.

    The arrays are ``(days, pupils)`` day kinds; a day in none of them is skipped. Returns the
    day position the run reached ``length`` and the position of the last leave day before it,
    both ``NOT_MET`` for a pupil without such a run.
    """
    pupils = leave.shape[1]
    after_leave = np.zeros(pupils, dtype=bool)
    count = np.zeros(pupils, dtype=np.int64)
    last_leave = np.full(pupils, NOT_MET, dtype=np.int64)
    reached = np.full(pupils, NOT_MET, dtype=np.int64)
    ended = np.full(pupils, NOT_MET, dtype=np.int64)
    for day in range(leave.shape[0]):
        count = np.where(leave[day] | other[day], 0, np.where(absence[day] & after_leave, count + 1, count))
        after_leave = (after_leave | leave[day]) & ~other[day]
        last_leave = np.where(leave[day], day, last_leave)

        new = after_leave & (count == length) & (reached == NOT_MET)
        reached[new] = day
        ended[new] = last_leave[new]
    return reached, ended


def penalty_threshold(year: JudgedYear) -> list[Finding]:
    """Find pupils with enough unauthorised sessions within a span of school weeks to consider a penalty notice.

    The school's policy sets the threshold at 10 sessions of G, N, O or U within any 12
    consecutive school weeks. The national penalty notice framework of 2024 sets 10 sessions
    within any 10 school weeks, across term and year boundaries. The policy sets the numbers,
    the codes and whether windows cross years. Only sessions of compulsory school age count,
    because the threshold can lead to action against parents. A school week is a Monday to
    Sunday week with a school day in the school's calendar, whatever the pupil's own marks.
    Other weeks are skipped, so a holiday does not end a window. The finding's day is the day
    of the session that first brought a window to the threshold.

    With windows across years, the previous year's last school weeks come before this year's.
    The finding is still a session of this year: a window carried over at or above the
    threshold is met by the first qualifying session this year that falls inside it, and a
    threshold reached and left behind last year is not raised again.
    """
    penalty = year.policy.penalty
    qualifying = sessions_with(year.day_pairs, code_mask(penalty.codes)) * year.compulsory

    weeks_before: dict[dt.date, np.ndarray] = {}
    if penalty.windows_cross_years and year.previous is not None:
        weeks_before = _previous_weeks(year.previous, year.marks.upns, penalty.codes, before=_monday(year.dates[0]))
    mondays = sorted({*weeks_before, *(_monday(day) for day in year.dates)})
    week_of = {monday: index for index, monday in enumerate(mondays)}

    # Running total of qualifying sessions, and its value at the start of each week, so that a
    # window's count is the total now less the total at the start of its first week.
    total = np.zeros(year.pupils, dtype=np.int64)
    total_at_start: dict[int, np.ndarray] = {}
    for monday in sorted(weeks_before):
        total_at_start[week_of[monday]] = total
        total = total + weeks_before[monday]

    reached = np.full(year.pupils, NOT_MET, dtype=np.int64)
    window_count = np.zeros(year.pupils, dtype=np.int64)
    window_first_week = np.zeros(year.pupils, dtype=np.int64)
    for day, date in enumerate(year.dates):
        week = week_of[_monday(date)]
        total_at_start.setdefault(week, total)
        total = total + qualifying[day]

        first_week = max(week - penalty.window_school_weeks + 1, 0)
        in_window = total - total_at_start[first_week]
        new = (in_window >= penalty.threshold_sessions) & (qualifying[day] > 0) & (reached == NOT_MET)
        reached[new] = day
        window_count[new] = in_window[new]
        window_first_week[new] = first_week

    count_list, first_week_list, reached_list = window_count.tolist(), window_first_week.tolist(), reached.tolist()

    def detail(pupil: int) -> str:
        return (
            f"{plural(count_list[pupil], 'session')} marked {code_list(penalty.codes)} of compulsory school age "
            f"from the week of {long_date(mondays[first_week_list[pupil]])} to {year.date_labels[reached_list[pupil]]}, "
            f"within {penalty.window_school_weeks} school weeks, reach the threshold of "
            f"{plural(penalty.threshold_sessions, 'session')}"
        )

    return year.findings(reached, detail)


def _previous_weeks(
    previous: YearMarks, upns: tuple[str, ...], penalty_codes: tuple[str, ...], before: dt.date
) -> dict[dt.date, np.ndarray]:
    """Return, per school week of ``previous`` up to the week of ``before``, each pupil's qualifying sessions.

    Weeks are keyed by their Monday. Rows follow ``upns``; a pupil who is not in ``previous``
    has none.
    """
    if not previous.upns:
        return {}

    day_numbers = previous.school_day_numbers
    codes, _ = session_codes(previous, day_numbers)
    compulsory = day_numbers[:, np.newaxis] >= previous.compulsory_from[np.newaxis, :]
    by_day = sessions_with(day_pairs(codes), code_mask(penalty_codes)) * compulsory

    rows = {upn: row for row, upn in enumerate(previous.upns)}
    matched = np.array([rows.get(upn, -1) for upn in upns], dtype=np.int64)
    by_day = by_day[:, matched.clip(0)] * (matched >= 0)

    weeks: dict[dt.date, np.ndarray] = {}
    for day, date in enumerate(previous.calendar.school_days):
        monday = _monday(date)
        if monday <= before:
            weeks[monday] = weeks.get(monday, 0) + by_day[day]
    return weeks


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
