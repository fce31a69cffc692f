"""The school's rules for leave of absence and other requests, checked before anyone decides.

Each check returns a ``Finding`` that explains itself with its figures, whether or not it
refuses the request. The rules, from the school's attendance policy and the pupil registration
regulations:

- Leave of absence is asked for at least ``leave.notice_days`` calendar days before its first
  day and never after that day. It is refused when it overlaps a statutory assessment period,
  when the pupil has any unauthorised absence this academic year, or when the pupil's
  authorised absence is already above ``leave.authorised_absence_limit_percent`` of possible
  sessions. A family holiday is refused unless the headteacher records exceptional circumstances.
- Religious observance needs ``leave.religious_notice_days`` of notice and covers only days set
  apart by the religious body. A Traveller absence notice needs ``leave.traveller_notice_days``
  and covers only travel for occupational purposes.
- A performance or activity licence from the local authority that names dates authorises those
  sessions with no decision. A licence without dates is decided day by day, and a day that would
  bring the pupil's attendance below ``leave.licence_min_attendance_percent`` is refused.
  Without a licence the request is refused.
- Lunchtime leave is decided within ``lunchtime.decision_days`` calendar days, and the pupil
  signs out and back in at the office inside the lunch break's margins.

Pure Python: callers pass the dates, the counts and the policy settings.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .calendar import AssessmentPeriod
from .measures import attendance_rate, percent
from .settings import LeaveSettings, LunchtimeSettings


class RequestKind(enum.StrEnum):
    LEAVE = "leave"
    RELIGIOUS = "religious"
    TRAVELLER = "traveller"
    LUNCHTIME = "lunchtime"
    LICENCE = "licence"


class Licence(enum.StrEnum):
    """The local authority licence behind a performance or activity request."""

    NAMED_DATES = "named_dates"
    WITHOUT_DATES = "without_dates"
    NONE = "none"


class Check(enum.StrEnum):
    """The rule behind a finding, as stored with a request and named in its letter."""

    NOTICE = "notice"
    RETROSPECTIVE = "retrospective"
    ASSESSMENT = "assessment"
    UNAUTHORISED = "unauthorised"
    AUTHORISED_LIMIT = "authorised_limit"
    FAMILY_HOLIDAY = "family_holiday"
    DAYS_SET_APART = "days_set_apart"
    OCCUPATIONAL_TRAVEL = "occupational_travel"
    LICENCE = "licence"
    LICENCE_ATTENDANCE = "licence_attendance"


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule for one request: whether it refuses and why, with the figures."""

    check: Check
    refuses: bool
    explanation: str
    # A refusal the headteacher may lift by recording exceptional circumstances.
    exceptional_circumstances_lift: bool = False

    def as_dict(self) -> dict:
        return {
            "check": self.check.value,
            "refuses": self.refuses,
            "explanation": self.explanation,
            "exceptional_circumstances_lift": self.exceptional_circumstances_lift,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(
            check=Check(data["check"]),
            refuses=bool(data["refuses"]),
            explanation=str(data["explanation"]),
            exceptional_circumstances_lift=bool(data.get("exceptional_circumstances_lift", False)),
        )


@dataclass(frozen=True)
class YearToDate:
    """A pupil's session counts this academic year up to the day a request is checked."""

    possible: int
    attended: int
    authorised: int
    unauthorised: int


def _date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}"


def _days_list(days: Iterable[dt.date]) -> str:
    return ", ".join(_date(day) for day in days)


def check_notice(first_day: dt.date, asked_on: dt.date, notice_days: int, what: str = "leave of absence") -> Finding:
    """Refuse a request made fewer than ``notice_days`` calendar days before its first day.

    Asked 14 days ahead with 14 days' notice required passes; 13 days ahead is refused.
    """
    given = (first_day - asked_on).days
    if given < notice_days:
        return Finding(
            Check.NOTICE, True,
            f"The request for {what} was made on {_date(asked_on)}, {given} calendar days before its first day "
            f"({_date(first_day)}); the policy requires at least {notice_days} days' notice.",
        )
    return Finding(
        Check.NOTICE, False,
        f"The request was made {given} calendar days before its first day; at least {notice_days} are required.",
    )


def check_retrospective(first_day: dt.date, asked_on: dt.date) -> Finding:
    """Refuse a request asked for after its first day: leave is never granted retrospectively."""
    if asked_on > first_day:
        return Finding(
            Check.RETROSPECTIVE, True,
            f"The request was made on {_date(asked_on)}, after its first day ({_date(first_day)}); "
            "leave is not granted retrospectively.",
        )
    return Finding(Check.RETROSPECTIVE, False, f"The request was made before its first day ({_date(first_day)}).")


def check_assessment_overlap(days: Sequence[dt.date], periods: Sequence[AssessmentPeriod]) -> Finding:
    """Refuse a request with any school day inside a statutory assessment period entered for the year."""
    clashes = [
        (day, period) for day in days for period in periods if period.start <= day <= period.end
    ]
    if clashes:
        names = sorted({period.label or f"{_date(period.start)} to {_date(period.end)}" for _, period in clashes})
        return Finding(
            Check.ASSESSMENT, True,
            f"{len(clashes)} of the requested days fall in a statutory assessment period "
            f"({'; '.join(names)}): {_days_list(day for day, _ in clashes)}.",
        )
    return Finding(
        Check.ASSESSMENT, False,
        f"None of the requested days falls in the {len(periods)} statutory assessment period(s) entered for the year.",
    )


def check_unauthorised(figures: YearToDate) -> Finding:
    """Refuse leave when the pupil has any unauthorised absence in the current academic year."""
    if figures.unauthorised > 0:
        return Finding(
            Check.UNAUTHORISED, True,
            f"The pupil has {figures.unauthorised} session(s) of unauthorised absence this academic year; "
            "leave is refused while there is any.",
        )
    return Finding(Check.UNAUTHORISED, False, "The pupil has no unauthorised absence this academic year.")


def authorised_above_limit(authorised: int, possible: int, limit_percent: int) -> bool:
    """Return whether authorised absence is strictly above ``limit_percent`` of possible sessions.

    Whole-number arithmetic, so exactly 10% of possible sessions is not above 10%. With no
    possible session yet, nothing is above the limit.
    """
    return possible > 0 and authorised * 100 > limit_percent * possible


def check_authorised_limit(figures: YearToDate, limit_percent: int) -> Finding:
    """Refuse leave when authorised absence is already above the policy's share of possible sessions."""
    rate = percent(figures.authorised, figures.possible)
    shown = f"{rate}%" if rate is not None else "no possible sessions yet"
    if authorised_above_limit(figures.authorised, figures.possible, limit_percent):
        return Finding(
            Check.AUTHORISED_LIMIT, True,
            f"The pupil's authorised absence is {figures.authorised} of {figures.possible} possible sessions ({shown}), "
            f"above the limit of {limit_percent}%.",
        )
    return Finding(
        Check.AUTHORISED_LIMIT, False,
        f"The pupil's authorised absence is {figures.authorised} of {figures.possible} possible sessions ({shown}), "
        f"not above {limit_percent}%.",
    )


def check_family_holiday(family_holiday: bool) -> Finding:
    """Refuse a family holiday unless the headteacher records exceptional circumstances when deciding."""
    if family_holiday:
        return Finding(
            Check.FAMILY_HOLIDAY, True,
            "The leave is for a family holiday, which is refused unless the headteacher records exceptional circumstances.",
            exceptional_circumstances_lift=True,
        )
    return Finding(Check.FAMILY_HOLIDAY, False, "The leave is not for a family holiday.")


def check_days_set_apart(days: Sequence[dt.date], set_apart: Iterable[dt.date], religious_body: str) -> Finding:
    """Refuse religious observance on any requested school day the religious body has not set apart."""
    set_apart = frozenset(set_apart)
    outside = [day for day in days if day not in set_apart]
    if not set_apart:
        return Finding(Check.DAYS_SET_APART, True, f"No day set apart by {religious_body or 'the religious body'} was given.")
    if outside:
        return Finding(
            Check.DAYS_SET_APART, True,
            f"{len(outside)} requested school day(s) are not set apart by {religious_body}: {_days_list(outside)}.",
        )
    return Finding(Check.DAYS_SET_APART, False, f"Every requested school day is set apart by {religious_body}.")


def check_occupational_travel(occupational: bool) -> Finding:
    """Refuse a Traveller absence notice unless the family travels for occupational purposes."""
    if not occupational:
        return Finding(
            Check.OCCUPATIONAL_TRAVEL, True,
            "Traveller absence covers only travel for occupational purposes, and this travel is not.",
        )
    return Finding(Check.OCCUPATIONAL_TRAVEL, False, "The family travels for occupational purposes.")


def check_licence(licence: Licence, licence_dates: Sequence[dt.date], days: Sequence[dt.date]) -> Finding:
    """Refuse a performance or activity request without a licence, or with named dates it does not cover."""
    if licence is Licence.NONE:
        return Finding(
            Check.LICENCE, True,
            "There is no local authority licence for the performance or activity, so the absence cannot be authorised.",
        )
    if licence is Licence.NAMED_DATES:
        named = frozenset(licence_dates)
        outside = [day for day in days if day not in named]
        if outside:
            return Finding(
                Check.LICENCE, True,
                f"{len(outside)} requested school day(s) are not named on the licence: {_days_list(outside)}.",
            )
        return Finding(
            Check.LICENCE, False,
            "The licence names every requested day, so those sessions are authorised without a further decision.",
        )
    return Finding(Check.LICENCE, False, "The licence names no dates, so the headteacher decides day by day.")


@dataclass(frozen=True)
class LicenceDay:
    """One requested day of a licence without dates, with attendance as it would be if taken."""

    day: dt.date
    attended: int
    possible: int
    below_minimum: bool

    @property
    def attendance(self):
        return attendance_rate(self.attended, self.possible)


def project_licence_days(
    figures: YearToDate,
    as_of: dt.date,
    requested: Sequence[dt.date],
    school_days: Sequence[dt.date],
    min_percent: int,
) -> list[LicenceDay]:
    """Return year-to-date attendance at the end of each requested day, if every requested day is taken.

    The figures are counted up to the end of ``as_of``. The projection assumes the pupil attends
    every school day after ``as_of`` that is not requested, and misses both sessions of each
    requested day (days up to ``as_of`` are already in the figures). A day is below the minimum
    when attendance would fall strictly under ``min_percent`` of possible sessions.
    """
    wanted = frozenset(requested)
    if not wanted:
        return []
    attended, possible = figures.attended, figures.possible
    last_wanted = max(wanted)
    result = []
    for day in sorted(day for day in school_days if as_of < day <= last_wanted):
        possible += 2
        if day not in wanted:
            attended += 2
            continue
        result.append(LicenceDay(day, attended, possible, attended * 100 < min_percent * possible))
    return result


def check_licence_days(days: Sequence[LicenceDay], min_percent: int) -> Finding:
    """Refuse the days of a licence without dates that would bring attendance below the minimum."""
    below = [d for d in days if d.below_minimum]
    lines = "; ".join(f"{_date(d.day)}: {d.attendance}% ({d.attended} of {d.possible})" for d in days)
    if below:
        return Finding(
            Check.LICENCE_ATTENDANCE, True,
            f"Taking {len(below)} of the days would bring attendance below {min_percent}%: "
            f"{_days_list(d.day for d in below)}. Attendance if taken: {lines}.",
        )
    return Finding(
        Check.LICENCE_ATTENDANCE, False,
        f"Attendance stays at or above {min_percent}% on every day if taken: {lines or 'no school day requested'}.",
    )


@dataclass(frozen=True)
class RequestFacts:
    """Everything the checks need about one request, read by the caller from storage."""

    kind: RequestKind
    asked_on: dt.date
    first_day: dt.date | None = None
    school_days: tuple[dt.date, ...] = ()
    figures: YearToDate | None = None
    assessments: tuple[AssessmentPeriod, ...] = ()
    family_holiday: bool = False
    religious_body: str = ""
    days_set_apart: tuple[dt.date, ...] = ()
    occupational_travel: bool = False
    licence: Licence = Licence.NONE
    licence_dates: tuple[dt.date, ...] = ()
    licence_days: tuple[LicenceDay, ...] = ()


def check_request(facts: RequestFacts, leave: LeaveSettings) -> list[Finding]:
    """Run every rule that applies to the request's kind and return all findings, refusals first.

    Lunchtime leave has no refusal rule here: its checks are its decision deadline and the
    sign-out window. Raises ``ValueError`` when a dated request has no first day or figures.
    """
    if facts.kind is RequestKind.LUNCHTIME:
        return []
    if facts.first_day is None:
        raise ValueError(f"a {facts.kind} request needs a first day")

    findings: list[Finding] = []
    if facts.kind is RequestKind.LEAVE:
        if facts.figures is None:
            raise ValueError("a leave request needs the pupil's figures for the year")
        findings += [
            check_notice(facts.first_day, facts.asked_on, leave.notice_days),
            check_retrospective(facts.first_day, facts.asked_on),
            check_assessment_overlap(facts.school_days, facts.assessments),
            check_unauthorised(facts.figures),
            check_authorised_limit(facts.figures, leave.authorised_absence_limit_percent),
            check_family_holiday(facts.family_holiday),
        ]
    elif facts.kind is RequestKind.RELIGIOUS:
        findings += [
            check_notice(facts.first_day, facts.asked_on, leave.religious_notice_days, "religious observance"),
            check_retrospective(facts.first_day, facts.asked_on),
            check_days_set_apart(facts.school_days, facts.days_set_apart, facts.religious_body),
        ]
    elif facts.kind is RequestKind.TRAVELLER:
        findings += [
            check_notice(facts.first_day, facts.asked_on, leave.traveller_notice_days, "Traveller absence"),
            check_retrospective(facts.first_day, facts.asked_on),
            check_occupational_travel(facts.occupational_travel),
        ]
    elif facts.kind is RequestKind.LICENCE:
        findings.append(check_licence(facts.licence, facts.licence_dates, facts.school_days))
        if facts.licence is Licence.WITHOUT_DATES:
            findings.append(check_licence_days(facts.licence_days, leave.licence_min_attendance_percent))
    return sorted(findings, key=lambda finding: not finding.refuses)


def refusals(findings: Iterable[Finding], exceptional_circumstances: str = "") -> list[Finding]:
    """Return the findings that still refuse once any exceptional circumstances recorded are taken into account."""
    lifted = bool(exceptional_circumstances.strip())
    return [f for f in findings if f.refuses and not (lifted and f.exceptional_circumstances_lift)]


def granted_code(kind: RequestKind, family_holiday: bool, leave: LeaveSettings) -> str:
    """Return the code that granted sessions of a request are marked with.

    Leave for a family holiday granted in exceptional circumstances takes the holiday code
    where the school grants holiday (``H`` under the 2023 policy), other leave the leave code.
    """
    if kind is RequestKind.LEAVE:
        return leave.granted_holiday_code if family_holiday else leave.granted_leave_code
    if kind is RequestKind.RELIGIOUS:
        return leave.religious_code
    if kind is RequestKind.TRAVELLER:
        return leave.traveller_code
    if kind is RequestKind.LICENCE:
        return leave.licence_code
    raise ValueError(f"a {kind} request marks no sessions")


# Lunchtime leave


@dataclass(frozen=True)
class SignOutWindow:
    """When a pupil with lunchtime leave may leave and by when they must be back (Europe/London)."""

    earliest_out: dt.time
    latest_back: dt.time


def _shift(time: dt.time, minutes: int) -> dt.time:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), time) + dt.timedelta(minutes=minutes)
    return moment.time()


def sign_out_window(lunch: LunchtimeSettings) -> SignOutWindow:
    """Return the window: from the margin after lunch starts to the margin before it ends."""
    return SignOutWindow(
        earliest_out=_shift(lunch.lunch_start, lunch.sign_out_after_start_minutes),
        latest_back=_shift(lunch.lunch_end, -lunch.return_before_end_minutes),
    )


def sign_out_problem(at: dt.time, lunch: LunchtimeSettings) -> str | None:
    """Return why a pupil may not sign out at ``at`` (wall-clock time), or None when they may.

    Signing out is allowed from the earliest time out up to, but not at, the latest return.
    """
    window = sign_out_window(lunch)
    if at < window.earliest_out:
        return (
            f"signing out at {at:%H:%M} is too early: pupils with lunchtime leave leave no earlier than "
            f"{window.earliest_out:%H:%M}, {lunch.sign_out_after_start_minutes} minutes after lunch starts"
        )
    if at >= window.latest_back:
        return (
            f"signing out at {at:%H:%M} is too late: pupils must be back by {window.latest_back:%H:%M}, "
            f"{lunch.return_before_end_minutes} minutes before lunch ends"
        )
    return None


def sign_in_problem(at: dt.time, signed_out_at: dt.time, lunch: LunchtimeSettings) -> str | None:
    """Return why a pupil may not be signed back in at ``at``, or None when they may.

    A return before the sign-out time is a mistyped time. A late return is still recorded
    (the pupil is back in school) and flagged by ``is_late_return``.
    """
    if at < signed_out_at:
        return f"the return time {at:%H:%M} is before the pupil signed out at {signed_out_at:%H:%M}; check the time"
    return None


def is_late_return(at: dt.time, lunch: LunchtimeSettings) -> bool:
    """Return whether a return at ``at`` is after the latest return time."""
    return at > sign_out_window(lunch).latest_back


def decision_due(asked_on: dt.date, lunch: LunchtimeSettings) -> dt.date:
    """Return the last day a lunchtime leave request may be decided on (``decision_days`` after it was asked)."""
    return asked_on + dt.timedelta(days=lunch.decision_days)


def decision_overdue(asked_on: dt.date, today: dt.date, lunch: LunchtimeSettings) -> bool:
    """Return whether an undecided lunchtime request is past its decision deadline on ``today``."""
    return today > decision_due(asked_on, lunch)
