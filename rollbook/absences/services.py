"""Recording absence reports and reading which sessions they explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db.models import Q

from rollbook.policy.calendar import Session
from rollbook.registers.known import KnownAbsence

from .models import AbsenceReport

# A reported absence pre-fills N: the reason is known but not yet turned into a code.
REPORTED_CODE = "N"


def open_reports(school_id: int, pupil_ids: Sequence[int], day: dt.date) -> list[AbsenceReport]:
    """Reports, not withdrawn, whose dates include ``day``, oldest first."""
    return list(
        AbsenceReport.objects.filter(
            Q(withdrawn_at__isnull=True), school_id=school_id, pupil_id__in=list(pupil_ids),
            start_date__lte=day, end_date__gte=day,
        ).order_by("received_at", "pk")
    )


def reports_covering(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> dict[int, AbsenceReport]:
    """The latest report covering each pupil's session, by pupil id."""
    covering: dict[int, AbsenceReport] = {}
    for report in open_reports(school_id, pupil_ids, day):
        if report.covers(day, session):
            covering[report.pupil_id] = report
    return covering


def report_label(report: AbsenceReport) -> str:
    """How a report reads on a register: who reported what, and that it is not coded yet."""
    until = f", expected back after {report.end_date:%a %-d %b}" if report.end_date != report.start_date else ""
    return f"Reported absence ({report.get_channel_display().lower()}): {report.get_reason_display().lower()}{until}; not yet coded"


def reported_absences(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> Mapping[int, KnownAbsence]:
    """The register's source of reported absences."""
    return {
        pupil_id: KnownAbsence(report_label(report), REPORTED_CODE)
        for pupil_id, report in reports_covering(school_id, pupil_ids, day, session).items()
    }
