"""Attendance figures and actions due, read from the stored mark sequences.

Reports read the marks as they are stored and never change one. Figures count marked
sessions only; a possible session without a mark is counted as missing, apart from every
figure. The measures and rules themselves live in ``rollbook.policy``; this module only
loads a school's marks into a ``YearMarks`` and names the pupils in the results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rollbook.policy.calendar import (
    DAYS_IN_SEQUENCE,
    SLOTS_PER_YEAR,
    academic_year_of,
    academic_year_start,
    compulsory_school_age_start,
)
from rollbook.policy.marks import YearMarks
from rollbook.policy.measures import attendance_rate, count_sessions, is_persistent_absence, is_severe_absence
from rollbook.policy.rules import Rule, evaluate_rules
from rollbook.policy.settings import Policy
from rollbook.registers.models import MarkSequence
from rollbook.schools.models import AcademicYear, Enrolment, Pupil, School


@dataclass(frozen=True)
class PupilFigures:
    """A pupil's session counts and measures over a date range."""

    pupil: Pupil
    possible_sessions: int
    attended_sessions: int
    authorised_absences: int
    unauthorised_absences: int
    missing_sessions: int
    attendance_rate: Decimal | None
    persistent_absence: bool
    severe_absence: bool

    @property
    def upn(self) -> str:
        return self.pupil.upn

    @property
    def absences(self) -> int:
        return self.authorised_absences + self.unauthorised_absences


@dataclass(frozen=True)
class SchoolFigures:
    """Totals over every pupil of a school for a date range."""

    pupils: int
    possible_sessions: int
    attended_sessions: int
    authorised_absences: int
    unauthorised_absences: int
    missing_sessions: int
    persistent_absentees: int
    severe_absentees: int

    @property
    def attendance_rate(self) -> Decimal | None:
        return attendance_rate(self.attended_sessions, self.possible_sessions)


@dataclass(frozen=True)
class ActionDue:
    """A policy rule a pupil meets as of a date."""

    pupil: Pupil
    rule: Rule
    since: dt.date
    detail: str

    @property
    def upn(self) -> str:
        return self.pupil.upn


def _enrolments_by_pupil(school: School) -> dict[int, list[Enrolment]]:
    enrolments: dict[int, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(school=school).order_by("admission_date"):
        enrolments.setdefault(enrolment.pupil_id, []).append(enrolment)
    return enrolments


def pupils_on_roll_between(school: School, start: dt.date, end: dt.date) -> list[Pupil]:
    """Return the school's pupils on roll for at least one calendar day of a range (inclusive), by UPN."""
    enrolments = _enrolments_by_pupil(school)
    pupils = Pupil.objects.filter(school=school).order_by("upn")
    return [
        pupil
        for pupil in pupils
        if any(
            e.admission_date <= end and (e.leaving_date is None or e.leaving_date >= start)
            for e in enrolments.get(pupil.pk, [])
        )
    ]


def load_year_marks(year: AcademicYear, pupils: list[Pupil], policy: Policy | None = None) -> YearMarks:
    """Load the pupils' current marks for the year into arrays, rows in ``pupils`` order.

    ``policy`` judges the marks (default: the year's own policy); the marks keep the code set
    they were recorded under.
    """
    recorded_under = year.policy()
    calendar = year.calendar()
    index = {pupil.pk: row for row, pupil in enumerate(pupils)}

    codes = np.zeros((len(pupils), SLOTS_PER_YEAR), dtype=np.uint8)
    sequences = MarkSequence.objects.filter(school_id=year.school_id, academic_year=year.start_year, pupil_id__in=list(index))
    for pupil_id, stored in sequences.values_list("pupil_id", "codes").iterator(chunk_size=2000):
        codes[index[pupil_id]] = np.frombuffer(bytes(stored), dtype=np.uint8)

    on_roll = np.zeros((len(pupils), DAYS_IN_SEQUENCE), dtype=bool)
    year_start = calendar.start
    for enrolment in Enrolment.objects.filter(pupil_id__in=list(index)):
        first = max((enrolment.admission_date - year_start).days, 0)
        last = DAYS_IN_SEQUENCE - 1 if enrolment.leaving_date is None else min((enrolment.leaving_date - year_start).days, DAYS_IN_SEQUENCE - 1)
        if first <= last:
            on_roll[index[enrolment.pupil_id], first : last + 1] = True

    compulsory_from = np.array(
        [(compulsory_school_age_start(p.date_of_birth) - year_start).days for p in pupils], dtype=np.int64
    )
    return YearMarks(
        calendar=calendar,
        policy=policy or recorded_under,
        code_set=recorded_under.code_set,
        upns=tuple(p.upn for p in pupils),
        codes=codes,
        on_roll=on_roll,
        compulsory_from=compulsory_from,
    )


def pupil_figures(school: School, start: dt.date, end: dt.date) -> list[PupilFigures]:
    """Return each pupil's figures over a date range (inclusive), by UPN.

    Lists every pupil on roll for at least one calendar day of the range, even with no school
    day in it. A range that spans academic years adds up each year's sessions; years the school
    has no data for add nothing.
    """
    pupils = pupils_on_roll_between(school, start, end)
    totals = np.zeros((5, len(pupils)), dtype=np.int64)
    policy = None
    years = AcademicYear.objects.filter(
        school=school, start_year__gte=academic_year_of(start), start_year__lte=academic_year_of(end)
    )
    for year in years:
        marks = load_year_marks(year, pupils)
        policy = marks.policy
        counts = count_sessions(marks, max(start, marks.calendar.start), min(end, marks.calendar.end))
        totals += np.stack([counts.possible, counts.attended, counts.authorised, counts.unauthorised, counts.missing])
    if policy is None:
        latest = AcademicYear.objects.filter(school=school).order_by("-start_year").first()
        policy = latest.policy() if latest else None

    figures = []
    for row, pupil in enumerate(pupils):
        possible, attended, authorised, unauthorised, missing = (int(v) for v in totals[:, row])
        absent = authorised + unauthorised
        figures.append(
            PupilFigures(
                pupil=pupil,
                possible_sessions=possible,
                attended_sessions=attended,
                authorised_absences=authorised,
                unauthorised_absences=unauthorised,
                missing_sessions=missing,
                attendance_rate=attendance_rate(attended, possible),
                persistent_absence=policy is not None and is_persistent_absence(absent, possible, policy),
                severe_absence=policy is not None and is_severe_absence(absent, possible, policy),
            )
        )
    return figures


def school_figures(school: School, start: dt.date, end: dt.date) -> SchoolFigures:
    """Return the school's totals over a date range (inclusive)."""
    figures = pupil_figures(school, start, end)
    return SchoolFigures(
        pupils=len(figures),
        possible_sessions=sum(f.possible_sessions for f in figures),
        attended_sessions=sum(f.attended_sessions for f in figures),
        authorised_absences=sum(f.authorised_absences for f in figures),
        unauthorised_absences=sum(f.unauthorised_absences for f in figures),
        missing_sessions=sum(f.missing_sessions for f in figures),
        persistent_absentees=sum(f.persistent_absence for f in figures),
        severe_absentees=sum(f.severe_absence for f in figures),
    )


def actions_due(school: School, as_of: dt.date, policy: Policy | None = None) -> list[ActionDue]:
    """Return the policy rules each pupil meets as of the end of ``as_of``, by UPN then rule.

    ``policy`` judges the marks instead of the year's own policy, to compare policies without
    changing anything. Returns [] when the school has no academic year containing the date.
    """
    year = AcademicYear.objects.filter(school=school, start_year=academic_year_of(as_of)).first()
    if year is None:
        return []
    calendar = year.calendar()
    pupils = pupils_on_roll_between(school, calendar.start, calendar.end)
    marks = load_year_marks(year, pupils, policy)

    previous = None
    if marks.policy.penalty.windows_cross_years:
        previous_year = AcademicYear.objects.filter(school=school, start_year=year.start_year - 1).first()
        if previous_year is not None:
            previous = load_year_marks(previous_year, pupils_on_roll_between(school, previous_year.calendar().start, previous_year.calendar().end), policy)

    by_upn = {pupil.upn: pupil for pupil in pupils}
    return [
        ActionDue(pupil=by_upn[met.upn], rule=met.rule, since=met.since, detail=met.detail)
        for met in evaluate_rules(marks, as_of, previous=previous)
    ]


def missing_sessions_to_date(school: School, as_of: dt.date) -> int:
    """Return how many possible sessions of the academic year up to ``as_of`` have no mark yet."""
    return school_figures(school, academic_year_start(academic_year_of(as_of)), as_of).missing_sessions
