"""Casework objects for the project's permission table: one of each, for the pupil in its URLs."""

from __future__ import annotations

import datetime as dt

from rollbook.casework.models import (
    Incident,
    Meeting,
    MeetingKind,
    StageStep,
    SupportPlan,
    TriggerCase,
)
from rollbook.policy.trigger_stages import Stage
from rollbook.schools.models import AcademicYear, Pupil


def make_casework(pupil: Pupil, day: dt.date, at: dt.datetime) -> None:
    """Give the pupil an open stage 1 case whose review is due on ``day``, a plan, a meeting and an incident."""
    year = AcademicYear.objects.get(school=pupil.school, start_year=2025)
    case = TriggerCase.objects.create(school=pupil.school, pupil=pupil, academic_year=year, opened_on=dt.date(2025, 9, 1),
                                      stage=Stage.STAGE_1)
    StageStep.objects.create(
        school=pupil.school, case=case, stage=Stage.STAGE_1, began_on=dt.date(2025, 9, 1), evidence="Test evidence",
        started_at=at, monitoring_start=dt.date(2025, 9, 8), monitoring_end=day - dt.timedelta(days=1), review_on=day,
    )
    SupportPlan.objects.create(school=pupil.school, pupil=pupil, case=case, title="Walking bus",
                                      actions="Join the walking bus", agreed_on=dt.date(2025, 9, 2), review_on=day)
    Meeting.objects.create(school=pupil.school, pupil=pupil, case=case, kind=MeetingKind.SUPPORT, scheduled_for=at)
    Incident.objects.create(school=pupil.school, pupil=pupil, kind="truancy", opened_at=at - dt.timedelta(hours=1),
                                       circumstances="Left the playground at break")