"""Queue e-mail inside a transaction and send it only once that transaction has committed.

A decision or a report is saved first; its e-mail is a row in the same transaction. Delivery
runs after the commit, so a rolled-back change sends nothing, and a failed delivery leaves the
row unsent for ``send_due`` to retry with a growing wait. The log names message and school ids,
never an address or a pupil.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from rollbook.schools.models import School

from .models import OutgoingAttachment, OutgoingEmail

log = logging.getLogger(__name__)

# Waits before each retry; after the last, the message stays unsent and is listed for the office.
RETRY_WAITS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_WAITS) + 1


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def queue_email(
    school: School,
    recipients: Iterable[str],
    subject: str,
    body: str,
    *,
    reference: str = "",
    attachments: Iterable[Attachment] = (),
) -> OutgoingEmail:
    """Save a message and send it when the surrounding transaction commits.

    Called outside a transaction, the message is sent at once. Raises ``ValueError`` when there
    is no recipient: a message with nowhere to go is a caller's mistake, not a delivery failure.
    """
    addresses = [address.strip() for address in recipients if address and address.strip()]
    if not addresses:
        raise ValueError(f"e-mail {reference or subject!r} has no recipient address")
    email = OutgoingEmail.objects.create(
        school=school,
        recipients="\n".join(addresses),
        subject=subject,
        body=body,
        reference=reference,
        next_attempt_at=timezone.now(),
    )
    OutgoingAttachment.objects.bulk_create(
        OutgoingAttachment(email=email, filename=a.filename, content_type=a.content_type, content=a.content)
        for a in attachments
    )
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def deliver(email_id: int) -> bool:
    """Try to send one message now. Returns whether it was sent; failures are kept for a retry."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False  # sent already, by another worker or an earlier run
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.recipient_list,
        )
        for attachment in email.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
        now = timezone.now()
        email.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any backend failure is kept and retried
            email.last_error = f"{type(error).__name__}: {error}"[:300]
            wait = RETRY_WAITS[email.attempts - 1] if email.attempts <= len(RETRY_WAITS) else None
            email.next_attempt_at = now + wait if wait else None
            log.warning(
                "e-mail %s (school %s, %s) failed on attempt %s: %s",
                email.pk, email.school_id, email.reference, email.attempts, type(error).__name__,
            )
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return False
        email.sent_at = now
        email.next_attempt_at = None
        email.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
        return True


def send_due(now: dt.datetime | None = None) -> tuple[int, int]:
    """Retry every unsent message whose wait is over. Returns (sent, still failing)."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("pk")
    sent = failed = 0
    for email_id in due.values_list("pk", flat=True):
        if deliver(email_id):
            sent += 1
        else:
            failed += 1
    return sent, failed


def given_up(school: School):
    """Messages that failed every attempt, for the office to send another way."""
    return OutgoingEmail.objects.filter(school=school, sent_at__isnull=True, next_attempt_at__isnull=True)
