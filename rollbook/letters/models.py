"""Letter templates uploaded by a school, and a record of every letter sent or printed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.mail.models import OutgoingEmail
from rollbook.schools.models import Pupil, School

from .kinds import LetterKind


class LetterTemplate(models.Model):
    """A school's own Word template for one kind of letter; the newest one not withdrawn is in use.

    Versions count up per school and kind and are never reused, so a letter's record names the
    exact file it was written from.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "version"], name="one_template_version_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} version {self.version}"

    @property
    def version_label(self) -> str:
        return f"school version {self.version}"


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", "E-mail"
    PRINT = "print", "Printed"


class Letter(models.Model):
    """A letter sent by e-mail or printed for one pupil, kept with its text and PDF as sent."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="letters",
        help_text="Empty when the default template was used.",
    )
    template_version = models.CharField(max_length=40, help_text="Such as 'default 3f2a9c1b' or 'school version 2'.")
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    recipients = models.TextField(blank=True, help_text="E-mail addresses, one a line; empty for a printed letter.")
    addressed_to = models.CharField(max_length=300)
    text = models.TextField()
    pdf = models.BinaryField()
    context = models.JSONField(help_text="The placeholder values the letter was filled with.")
    email = models.ForeignKey(OutgoingEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_by_name = models.CharField(max_length=200)
    sent_by_role = models.CharField(max_length=40)
    sent_at = models.DateTimeField()
    letter_date = models.DateField()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter {self.pk}"
