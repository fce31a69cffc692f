"""Recording absence reports and reading which sessions they explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db.models import Q

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import Session, academic_year_of
from rollbook.registers.known import KnownAbsence
from rollbook.schools.models import AcademicYear, Pupil

from .models import AbsenceReason, AbsenceReport, ReportChannel

# A reported absence pre-fills N: the reason is known but not yet turned into a code.
REPORTED_CODE = "N"


def open_reports(school_id: int, pupil_ids: Sequence[int], day: dt.date) -> list[AbsenceReport]:
    """Return the reports, not withdrawn, whose dates include ``day``, oldest first."""
    return list(
        AbsenceReport.objects.filter(
            Q(withdrawn_at__isnull=True), school_id=school_id, pupil_id__in=list(pupil_ids),
            start_date__lte=day, end_date__gte=day,
        ).order_by("received_at", "pk")
    )


def reports_covering(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> dict[int, AbsenceReport]:
    """Return the latest report covering each pupil's session, by pupil id."""
    covering: dict[int, AbsenceReport] = {}
    for report in open_reports(school_id, pupil_ids, day):
        if report.covers(day, session):
            covering[report.pupil_id] = report
    return covering


def report_label(report: AbsenceReport) -> str:
    """Return how a report reads on a register: who reported what, and that it is not coded yet."""
    until = f", expected back after {report.end_date:%a %-d %b}" if report.end_date != report.start_date else ""
    return f"Reported absence ({report.get_channel_display().lower()}): {report.get_reason_display().lower()}{until}; not yet coded"


def reported_absences(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> Mapping[int, KnownAbsence]:
    """Return the reported absences of the pupils' session, as the register's known-absence source."""
    return {
        pupil_id: KnownAbsence(report_label(report), REPORTED_CODE)
        for pupil_id, report in reports_covering(school_id, pupil_ids, day, session).items()
    }


class ReportInvalid(ValueError):
    """A report that cannot be recorded; the message names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


MAX_REPORT_SCHOOL_DAYS = 30  # a longer absence is a health notice or a leave request, not a report


def record_report(
    pupil: Pupil,
    *,
    start_date: dt.date,
    end_date: dt.date,
    reason: str,
    channel: str,
    reported_by: str,
    received_at: dt.datetime,
    start_session: Session = Session.AM,
    end_session: Session = Session.PM,
    message: str = "",
    parent_user=None,
    recorded_by=None,
) -> AbsenceReport:
    """Check and save a report of absence from one session to another.

    Raises ``ReportInvalid`` naming the field when the dates are reversed or cover no school
    day, or when the reason or channel is not one of the choices. It also raises it when the
    report starts before the day it was received, because a past absence is explained by
    amending its mark.
    """
    received_on = received_at.astimezone(SCHOOL_TIME_ZONE).date()
    if reason not in AbsenceReason.values:
        raise ReportInvalid("reason", f"reason {reason!r} is invalid; choose one of: {', '.join(AbsenceReason.values)}")
    if channel not in ReportChannel.values:
        raise ReportInvalid("channel", f"channel {channel!r} is invalid; choose one of: {', '.join(ReportChannel.values)}")
    if not reported_by.strip():
        raise ReportInvalid("reported_by", "who reported the absence is missing; give their name or relationship")
    if (end_date, end_session.offset) < (start_date, start_session.offset):
        raise ReportInvalid(
            "end_date",
            f"the absence ends ({end_date:%d/%m/%Y} {end_session}) before it starts ({start_date:%d/%m/%Y} {start_session}); "
            "check the dates",
        )
    if start_date < received_on:
        raise ReportInvalid(
            "start_date",
            f"the first day {start_date:%d/%m/%Y} is before today ({received_on:%d/%m/%Y}); "
            "a past absence is explained by the office amending its mark",
        )
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(start_date)).first()
    if year is None:
        raise ReportInvalid("start_date", f"{start_date:%d/%m/%Y} is not in an academic year the school has set up")
    calendar = year.calendar()
    school_days = [day for day in _days(start_date, end_date) if calendar.is_school_day(day)]
    if not school_days:
        raise ReportInvalid(
            "start_date", f"{start_date:%d/%m/%Y} to {end_date:%d/%m/%Y} has no school day; check the dates"
        )
    if len(school_days) > MAX_REPORT_SCHOOL_DAYS:
        raise ReportInvalid(
            "end_date",
            f"the report covers {len(school_days)} school days, more than {MAX_REPORT_SCHOOL_DAYS}; "
            "report a shorter absence and tell the school about a longer one",
        )
    return AbsenceReport.objects.create(
        school_id=pupil.school_id, pupil=pupil, start_date=start_date, start_session=start_session.value,
        end_date=end_date, end_session=end_session.value, reason=reason, message=message.strip(),
        channel=channel, reported_by=reported_by.strip(), parent_user=parent_user, recorded_by=recorded_by,
        received_at=received_at,
    )


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)
