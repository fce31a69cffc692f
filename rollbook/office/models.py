"""The office's log of first-day calls about absent pupils."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.absences.models import SESSION_CHOICES
from rollbook.schools.models import Contact, Pupil, School


class CallOutcome(models.TextChoices):
    REASON_GIVEN = "reason_given", "Spoke to the contact: reason given"
    NO_REASON = "no_reason", "Spoke to the contact: no reason given"
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Left a voicemail message"
    WRONG_NUMBER = "wrong_number", "Wrong or unobtainable number"


class CallAttempt(models.Model):
    """One attempt to reach a pupil's contact about an absence, kept as a log and never edited.

    The contact's name and number are copied as dialled, so the log still reads right after
    the contact is changed or removed.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="call_attempts")
    date = models.DateField(help_text="The school day of the absence the call is about.")
    session = models.CharField(max_length=2, choices=SESSION_CHOICES)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact_name = models.CharField(max_length=200)
    phone = models.CharField(max_length=30, blank=True)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices)
    note = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_by_name = models.CharField(max_length=200)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["school", "date", "session"], name="call_attempt_by_session")]

    def __str__(self) -> str:
        return f"call attempt {self.pk} about pupil {self.pupil_id} on {self.date} {self.session}"
