"""Status rules: rules that are met or not on the judged day, for the pupils on roll that day.

Each rule is judged on the academic year to date, and on every earlier school day in the same
way. A finding's ``since`` is the first school day of the unbroken run of days that ends on the
judged day, on which the rule was met and the pupil was on roll.
"""

from __future__ import annotations

import numpy as np

from .calendar import Term
from .codes import CODE_BYTES
from .measures import absence_rate, at_or_above, attendance_rate
from .marks import code_mask
from .rules_base import Finding, JudgedYear, plural, run_start, sessions_with
from .settings import TriggerSettings

# The code the registration regulations give to an absence whose reason is not known yet.
NO_REASON_YET_CODE = "N"


def persistent_absence(year: JudgedYear) -> list[Finding]:
    """Find pupils whose absence this year is at or above the persistent absence share.

    Persistent absence is the national measure that the school's policy keeps: absence of 10%
    or more of possible sessions (the policy sets the percentage). It is tested on whole
    session counts, with no minimum of sessions.
    """
    return _absence_share(year, year.policy.measures.persistent_absence_percent, "persistent absence")


def severe_absence(year: JudgedYear) -> list[Finding]:
    """Find pupils whose absence this year is at or above the severe absence share.

    Severe absence is the national measure that the school's policy keeps: absence of 50% or
    more of possible sessions (the policy sets the percentage), tested as persistent absence is.
    """
    return _absence_share(year, year.policy.measures.severe_absence_percent, "severe absence")


def _absence_share(year: JudgedYear, percentage: int, name: str) -> list[Finding]:
    met_by_day = (
        at_or_above(counts.absent, counts.possible, percentage) & year.on_roll[counts.day]
        for counts in year.running_counts()
    )
    since = run_start(met_by_day, year.pupils)
    totals = year.year_to_date()

    absent_list, possible_list = totals.absent.tolist(), totals.possible.tolist()

    def detail(pupil: int) -> str:
        absent, possible = absent_list[pupil], possible_list[pupil]
        return (
            f"Absence {absence_rate(absent, possible)}% ({absent} of {plural(possible, 'session')}) "
            f"is at or above the {name} threshold of {percentage}%"
        )

    return year.findings(since, detail)


def term_threshold(triggers: TriggerSettings, term: Term) -> int:
    """Return the attendance percentage below which a pupil reaches trigger stage 1 in ``term``."""
    match term:
        case Term.AUTUMN:
            return triggers.autumn_threshold_percent
        case Term.SPRING:
            return triggers.spring_threshold_percent
        case Term.SUMMER:
            return triggers.summer_threshold_percent


def trigger_stage_1(year: JudgedYear) -> list[Finding]:
    """Find pupils whose attendance this year is below the threshold of the current term.

    The school's policy starts its first intervention stage (letter 1 home, the class teacher
    informed, monitoring) when year-to-date attendance falls strictly below 90% in the autumn
    term or 95% in the spring and summer terms. It waits until the pupil has a minimum of
    possible sessions, so that one early absence sends no letter. The policy sets the
    percentages and the minimum. Each day is judged on its own term's threshold, so a pupil can
    reach the stage on the first day of the spring term without a new absence.
    ``evaluate_rules`` leaves out the pupils whose stage-1 letter is recorded.
    """
    triggers = year.policy.triggers
    thresholds = [term_threshold(triggers, year.marks.calendar.term_of(day)) for day in year.dates]
    met_by_day = (
        (counts.possible >= triggers.min_possible_sessions)
        & (counts.attended * 100 < thresholds[counts.day] * counts.possible)
        & year.on_roll[counts.day]
        for counts in year.running_counts()
    )
    since = run_start(met_by_day, year.pupils)
    totals = year.year_to_date()
    term = year.marks.calendar.term_of(year.judged_day)

    attended_list, possible_list = totals.attended.tolist(), totals.possible.tolist()

    def detail(pupil: int) -> str:
        attended, possible = attended_list[pupil], possible_list[pupil]
        return (
            f"Attendance {attendance_rate(attended, possible)}% ({attended} of {plural(possible, 'session')}) "
            f"is below the {term} threshold of {thresholds[-1]}%"
        )

    return year.findings(since, detail)


def n_code_overdue(year: JudgedYear) -> list[Finding]:
    """Find pupils with an N mark that remains too many school days after its day.

    N means that no reason for the absence is known yet. Under the school's policy, an N that
    remains at the end of the fifth school day after its session's day is overdue. Under the
    2024 regulations the real code must replace it within that time. The policy sets the
    number of days. They are days of the school calendar, so closure days and days the pupil
    is off roll count. Marks are read as stored, and nothing is changed here.
    """
    limit = year.policy.n_follow_up.school_days
    n_byte = CODE_BYTES[NO_REASON_YET_CODE]
    n_marks = sessions_with(year.day_pairs, code_mask((NO_REASON_YET_CODE,)))
    n_on_day = n_marks > 0
    first_n = np.where(n_on_day.any(axis=0), n_on_day.argmax(axis=0), len(year.dates))

    met_by_day = ((first_n <= day - limit) & year.on_roll[day] for day in range(len(year.dates)))
    since = run_start(met_by_day, year.pupils)

    last_day = len(year.dates) - 1
    oldest_list = first_n.tolist()
    oldest_is_am = (year.codes[0, first_n.clip(max=last_day), np.arange(year.pupils)] == n_byte).tolist()
    overdue_list = n_marks[: max(last_day - limit + 1, 0)].sum(axis=0, dtype=np.int64).tolist()

    def detail(pupil: int) -> str:
        oldest = oldest_list[pupil]
        session = "AM" if oldest_is_am[pupil] else "PM"
        return (
            f"The N mark of the {session} session on {year.date_labels[oldest]} remains "
            f"{last_day - oldest} school days later, past the limit of {limit} "
            f"({plural(overdue_list[pupil], 'overdue N mark')} in all)"
        )

    return year.findings(since, detail)
