"""Certificates for good attendance: who earns one as of a day, individual targets, and printing them.

Attendance counts from the start of the academic year (or admission) to the day before, as in
every letter. The rule itself is ``rollbook.policy.recognition``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.measures import attendance_rate, count_sessions
from rollbook.policy.recognition import RecognitionReason, recognition_reason
from rollbook.registers.services import Actor
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Pupil

from . import services
from .formatting import percentage
from .kinds import LetterKind
from .models import AttendanceTarget

ACHIEVEMENT = {
    RecognitionReason.SCHOOL_TARGET: "outstanding attendance",
    RecognitionReason.INDIVIDUAL_TARGET: "reaching an individual attendance target",
}


@dataclass(frozen=True)
class Candidate:
    """A pupil's attendance so far this year and whether it earns a certificate."""

    pupil: Pupil
    attendance: Decimal | None
    target: AttendanceTarget | None
    reason: RecognitionReason | None


def candidates(pupils: list[Pupil], on: dt.date) -> list[Candidate]:
    """Return every pupil's attendance up to the day before ``on`` and what it earns, in the order given."""
    if not pupils:
        return []
    year = AcademicYear.objects.filter(school_id=pupils[0].school_id, start_year=academic_year_of(on)).first()
    if year is None:
        return []
    calendar = year.calendar()
    end = calendar.last_school_day_on_or_before(on - dt.timedelta(days=1))
    if end is None:
        return []
    marks = load_year_marks(year, pupils)
    counts = count_sessions(marks, calendar.start, end)
    targets = {t.pupil_id: t for t in AttendanceTarget.objects.filter(pupil__in=pupils)}
    found = []
    for row, pupil in enumerate(pupils):
        attended, possible = int(counts.attended[row]), int(counts.possible[row])
        target = targets.get(pupil.pk)
        reason = recognition_reason(attended, possible, marks.policy, target.percent if target else None)
        found.append(Candidate(pupil, attendance_rate(attended, possible), target, reason))
    return found


def print_certificates(
    chosen: list[Candidate], *, on: dt.date, at: dt.datetime, user, sender: Actor
) -> services.PrintedBatch:
    """Print a recognition certificate for each chosen pupil who earns one, as one PDF; all or nothing.

    Raises ``services.LetterError`` naming the pupil by UPN when one does not earn a certificate.
    """
    for candidate in chosen:
        if candidate.reason is None:
            raise services.LetterError(
                f"pupil {candidate.pupil.upn} has {percentage(candidate.attendance)} attendance, which earns no certificate",
                field="pupils",
            )
    values = {
        c.pupil.pk: {
            "achievement": ACHIEVEMENT[c.reason],
            "individual_target": Decimal(c.target.percent) if c.reason == RecognitionReason.INDIVIDUAL_TARGET else None,
        }
        for c in chosen
    }
    return services.print_batch(
        [c.pupil for c in chosen], LetterKind.RECOGNITION, on=on, at=at, user=user, sender=sender,
        sender_values={}, values_by_pupil=values,
    )
