"""The correspondence log: every letter, call, meeting, decision and formal step about a pupil."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.schools.models import Pupil, School


class EntryKind(models.TextChoices):
    """The kind of step a correspondence log entry records.

    The formal steps follow the support-first ladder the school uses before enforcement:
    support plan, Early Help, a formal meeting with the local authority's inclusion service,
    attendance contract, education supervision order, social care, penalty notice, prosecution.
    """

    LETTER = "letter", "Letter"
    EMAIL = "email", "E-mail"
    CALL = "call", "Telephone call"
    MEETING = "meeting", "Meeting"
    HOME_VISIT = "home_visit", "Home visit"
    DECISION = "decision", "Decision"
    NOTE = "note", "Note"
    STAGE = "stage", "Trigger stage change"
    LA_NOTICE = "la_notice", "Notice to the local authority"
    SUPPORT_PLAN = "support_plan", "Support plan"
    EARLY_HELP = "early_help", "Early Help referral"
    LA_INCLUSION_MEETING = "la_inclusion_meeting", "Formal meeting with the LA inclusion service"
    ATTENDANCE_CONTRACT = "attendance_contract", "Attendance contract"
    SUPERVISION_ORDER = "supervision_order", "Education supervision order"
    SOCIAL_CARE_REFERRAL = "social_care_referral", "Referral to social care"
    PENALTY_NOTICE = "penalty_notice", "Penalty notice"
    PROSECUTION = "prosecution", "Prosecution"
    INCIDENT = "incident", "Truancy or missing-child incident"


class CorrespondenceEntry(models.Model):
    """One step in a pupil's casework, kept for good: entries are added, never edited or deleted.

    A mistake is put right by a later entry that names the one it corrects (``corrects``).
    ``at`` is when the step happened; ``recorded_at`` is when it was written down.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="correspondence")
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    summary = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    at = models.DateTimeField(help_text="When the letter went out, the call or meeting took place, or the decision was made.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The member of staff who took the step; empty for a step Rollbook took itself.",
    )
    # The author's name and role when the entry was made, kept if the account is later removed.
    by_name = models.CharField(max_length=200)
    by_role = models.CharField(max_length=30, blank=True)
    # What the entry is about, as "kind:id" (for example "letter:12" or "penalty-notice:3"),
    # so the log links to the letter or notice without copying it.
    reference = models.CharField(max_length=100, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "at"]), models.Index(fields=["school", "reference"])]
        verbose_name_plural = "correspondence entries"

    def __str__(self) -> str:
        return f"correspondence entry {self.pk} ({self.kind}) for pupil {self.pupil_id}"
