"""Support plans, meetings and medical evidence that a pupil's casework collects."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.schools.models import Pupil, School

from .models_stages import TriggerCase


class SupportPlan(models.Model):
    """An agreed plan of support for a pupil's attendance, reviewed by a date."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_plans")
    case = models.ForeignKey(TriggerCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_plans")
    title = models.CharField(max_length=200)
    actions = models.TextField(help_text="What the school, the family and others agreed to do.")
    agreed_on = models.DateField()
    review_on = models.DateField(help_text="The next review date.")
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(review_on__gte=models.F("agreed_on")), name="plan_review_after_agreement")
        ]

    def __str__(self) -> str:
        return f"support plan {self.pk} for pupil {self.pupil_id}"


class MeetingKind(models.TextChoices):
    SUPPORT = "support", "Support meeting offered to the parents"
    PARENT_AND_LA = "parent_and_la", "Meeting with the parents and the LA attendance officer"
    REVIEW = "review", "Stage 3 review meeting"
    LA_INCLUSION = "la_inclusion", "Formal meeting with the LA inclusion service"
    PLAN_REVIEW = "plan_review", "Support plan review"
    OTHER = "other", "Other meeting"


class Meeting(models.Model):
    """A meeting about a pupil's attendance: planned for a time, then held with attendees and an outcome."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance_meetings")
    case = models.ForeignKey(TriggerCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    scheduled_for = models.DateTimeField()
    attendees = models.TextField(blank=True, help_text="Who attended, one a line, with their role.")
    outcome = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-scheduled_for", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} meeting {self.pk} for pupil {self.pupil_id}"

    @property
    def held(self) -> bool:
        return self.held_at is not None


class MedicalEvidence(models.Model):
    """Medical evidence received for absence for illness, covering a range of dates (inclusive)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="medical_evidence")
    covers_from = models.DateField()
    covers_to = models.DateField()
    description = models.CharField(max_length=300, help_text="What was received, such as a GP appointment card.")
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-covers_from", "-pk"]
        verbose_name_plural = "medical evidence"
        constraints = [
            models.CheckConstraint(condition=models.Q(covers_to__gte=models.F("covers_from")), name="evidence_ends_after_start")
        ]
