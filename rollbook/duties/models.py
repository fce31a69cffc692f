"""Local authority duties and penalty notices: what was prepared, sent, asked, decided and paid.

Each row keeps the evidence as it stood when the row was made (dates, sessions and codes), so
a later amendment of a mark does not change what was sent to the local authority. Who acted
is stored as a name and role as well as a user, so the record survives the account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.policy.duties import RemovalGround
from rollbook.policy.penalties import NoticeState, NoticeTerms, notice_state
from rollbook.schools.models import Contact, Enrolment, Pupil, School


class NotificationKind(models.TextChoices):
    UNAUTHORISED_BLOCK = "unauthorised_block", "Continuous unauthorised absence"
    MEDICAL_BLOCK = "medical_block", "Continuous absence for medical reasons"
    LONG_HEALTH_ABSENCE = "long_health_absence", "Expected long absence for health reasons"


class LaNotification(models.Model):
    """A notification the school owes the local authority about one pupil's absence."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="la_notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    first_day = models.DateField()
    last_day = models.DateField(help_text="Inclusive. For an expected absence, the expected last day.")
    school_days = models.PositiveIntegerField()
    # [[ISO date, AM code, PM code], ...] of the block as it stood when prepared; empty for an
    # expected absence.
    sessions = models.JSONField(default=list, blank=True)
    detail = models.TextField(help_text="The rule's evidence, or the reason for an expected absence.")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    prepared_by_name = models.CharField(max_length=200)
    prepared_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by_name = models.CharField(max_length=200, blank=True)
    sent_to = models.CharField(max_length=200, blank=True, help_text="Who at the local authority, and how.")

    class Meta:
        ordering = ["-first_day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "kind", "first_day"], name="one_notification_per_block")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} notification {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class RemovalDecision(models.TextChoices):
    REMOVE = "remove", "Remove from roll"
    KEEP = "keep", "Keep on roll"


class RemovalReview(models.Model):
    """A review of whether to delete a pupil from the admission register, and its decision.

    The decision's day is the day it is recorded: a removal is never backdated, and the
    pupil's enrolment ends that day.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="removal_reviews")
    evidence_since = models.DateField(null=True, blank=True, help_text="The day the absence ground was first met.")
    evidence = models.TextField(blank=True, help_text="The rules engine's evidence, when it found an absence ground.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_by_name = models.CharField(max_length=200)
    opened_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=RemovalDecision.choices, blank=True)
    ground = models.CharField(max_length=40, choices=[(g.value, g.label) for g in RemovalGround], blank=True)
    reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True, help_text="For a removal, the pupil's leaving date.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_by_role = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    return_sent_at = models.DateTimeField(null=True, blank=True)
    return_sent_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"removal review {self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.decision

    @property
    def ground_label(self) -> str:
        return RemovalGround(self.ground).label if self.ground else ""


class EnquiryParty(models.TextChoices):
    SCHOOL = "school", "The school"
    LOCAL_AUTHORITY = "local_authority", "The local authority"


class RemovalEnquiry(models.Model):
    """One reasonable enquiry into a pupil's whereabouts, made by the school or the local authority."""

    review = models.ForeignKey(RemovalReview, on_delete=models.CASCADE, related_name="enquiries")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    made_by = models.CharField(max_length=20, choices=EnquiryParty.choices)
    made_on = models.DateField()
    method = models.CharField(max_length=100, help_text="Such as: phone call, home visit, letter.")
    contacted = models.CharField(max_length=200, help_text="Who was contacted or asked.")
    outcome = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_by_role = models.CharField(max_length=40)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["made_on", "pk"]
        verbose_name_plural = "removal enquiries"


class PenaltyNotice(models.Model):
    """A penalty notice issued to one parent (a contact with parental responsibility) for one pupil.

    Amounts and deadlines are fixed from the policy when the notice is issued. Where it stands
    is derived from its dates (``state``).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="penalty_notices")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="penalty_notices")
    parent_name = models.CharField(max_length=200)
    policy_name = models.CharField(max_length=40)
    issued_on = models.DateField()
    number_in_period = models.PositiveSmallIntegerField()
    early_pence = models.PositiveIntegerField()
    late_pence = models.PositiveIntegerField()
    early_deadline = models.DateField()
    final_deadline = models.DateField()
    threshold_since = models.DateField(null=True, blank=True)
    threshold_detail = models.TextField(blank=True)
    # [[ISO date, "AM" or "PM", code], ...]: the sessions that met the threshold when issued.
    sessions = models.JSONField(default=list, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    issued_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    paid_on = models.DateField(null=True, blank=True)
    amount_paid_pence = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    referred_on = models.DateField(null=True, blank=True)
    referral_note = models.TextField(blank=True)
    last_changed_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"penalty notice {self.pk}"

    @property
    def terms(self) -> NoticeTerms:
        return NoticeTerms(
            number_in_period=self.number_in_period,
            early_pence=self.early_pence,
            late_pence=self.late_pence,
            early_deadline=self.early_deadline,
            final_deadline=self.final_deadline,
        )

    def state(self, on) -> NoticeState:
        return notice_state(
            self.terms, on, paid_on=self.paid_on, withdrawn_on=self.withdrawn_on, referred_on=self.referred_on
        )
