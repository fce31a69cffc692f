"""Truancy and missing-child incidents, each with a timestamped log of the steps taken."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.policy.incidents import IncidentKind
from rollbook.schools.models import Pupil, School

KIND_CHOICES = [(IncidentKind.MISSING_CHILD.value, "Missing child"), (IncidentKind.TRUANCY.value, "Truancy")]


class Incident(models.Model):
    """A pupil missing from school or suspected of truancy, from the alarm to its outcome.

    The facts fields decide which of the policy's follow-ups apply (see
    ``rollbook.policy.incidents``); each is set by a step, never cleared.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    circumstances = models.TextField(help_text="When and where the pupil was last seen, and by whom.")
    not_found_after_search = models.BooleanField(default=False)
    contacts_exhausted = models.BooleanField(default=False)
    safeguarding_concern = models.BooleanField(default=False)
    found_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} incident {self.pk} for pupil {self.pupil_id}"


class IncidentStep(models.Model):
    """One step of an incident: who did what, where, whom they called, and what came of it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(help_text="When the step was taken.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=200)
    taken_by = models.CharField(max_length=200, help_text="Who took the step, if not the person recording it.", blank=True)
    follow_up = models.CharField(max_length=30, blank=True, help_text="The policy follow-up this step completes, if any.")
    place = models.CharField(max_length=200, blank=True, help_text="Where was searched.")
    called = models.CharField(max_length=200, blank=True, help_text="Who was called.")
    outcome = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "pk"]
