"""Absences reported by parents, online or through the office, before or on their first day."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.policy.calendar import Session
from rollbook.schools.models import Pupil, School

SESSION_CHOICES = [(s.value, s.value) for s in Session]


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", "Illness"
    MEDICAL = "medical", "Medical or dental appointment"
    RELIGIOUS = "religious", "Religious observance"
    FAMILY = "family", "Family emergency or bereavement"
    OTHER = "other", "Other reason"


class ReportChannel(models.TextChoices):
    ONLINE = "online", "Online, by the parent"
    PHONE = "phone", "Telephone call"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"


class AbsenceReport(models.Model):
    """A parent's report that a pupil is or will be absent, from one session to another.

    The report explains the absence but is not a mark: the register still gets ``N`` until the
    office turns the reason into a code. A withdrawn report stays, with when it was withdrawn.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="absence_reports")
    start_date = models.DateField()
    start_session = models.CharField(max_length=2, choices=SESSION_CHOICES, default=Session.AM.value)
    end_date = models.DateField(help_text="The last day the pupil is expected to be away (inclusive).")
    end_session = models.CharField(max_length=2, choices=SESSION_CHOICES, default=Session.PM.value)
    reason = models.CharField(max_length=20, choices=AbsenceReason.choices)
    message = models.TextField(blank=True)
    channel = models.CharField(max_length=20, choices=ReportChannel.choices)
    reported_by = models.CharField(max_length=200, help_text="Who reported it, such as 'Mother, by telephone'.")
    parent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The parent's account, when the parent reported it online.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The member of staff who recorded a report received by phone, e-mail or in person.",
    )
    received_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="absence_report_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"absence report {self.pk} for pupil {self.pupil_id}"

    def covers(self, day, session: Session) -> bool:
        """Whether the report covers one session (ignores withdrawal)."""
        start = (self.start_date, Session(self.start_session).offset)
        end = (self.end_date, Session(self.end_session).offset)
        return start <= (day, session.offset) <= end
