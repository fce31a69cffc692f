"""E-mail waiting to be sent, or sent: each message is a row before it is a delivery attempt."""

from __future__ import annotations

from django.db import models

from rollbook.schools.models import School


class OutgoingEmail(models.Model):
    """One message to one or more recipients, kept after sending as a record of what went out."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    recipients = models.TextField(help_text="Addresses, one a line.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # What the message is about, as "kind:id" (for example "leave-decision:12"), so a failure
    # can be logged and traced without copying names or addresses into the log.
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"e-mail {self.pk} ({self.reference or 'no reference'})"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class OutgoingAttachment(models.Model):
    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
