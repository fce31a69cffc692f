"""Decisions on the actions due: done, deferred or dismissed, each with who, when and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.schools.models import Pupil, School


class Decision(models.TextChoices):
    DONE = "done", "Done"
    DEFERRED = "deferred", "Deferred"
    DISMISSED = "dismissed", "Dismissed"
    REOPENED = "reopened", "Reopened"


class ActionDecision(models.Model):
    """One decision on one action: a rule met by a pupil since a day.

    Decisions are added, never changed: the latest for an action is the one in force, and the
    earlier ones stay as its history. A deferred action is due again after ``deferred_until``.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="action_decisions")
    rule = models.CharField(max_length=40, help_text="The rule or casework step that raised the action.")
    since = models.DateField(help_text="The day the action was first due, which tells one occurrence from another.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    deferred_until = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "rule", "since"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="deferred") | models.Q(deferred_until__isnull=False),
                name="deferral_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} decision {self.pk} on {self.rule} for pupil {self.pupil_id}"
