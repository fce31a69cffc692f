import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from rollbook.mail.models import OutgoingEmail
from rollbook.mail.outbox import MAX_ATTEMPTS, Attachment, deliver, given_up, queue_email, send_due
from rollbook.schools.models import School

pytestmark = pytest.mark.django_db(transaction=True)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


@pytest.fixture
def school():
    return School.objects.create(name="Test School", urn="100001", la_code="999")


def test_queue_email_sends_after_commit(school):
    with transaction.atomic():
        queue_email(school, ["parent@example.org"], "Leave decision", "Granted.", reference="leave-decision:1")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Leave decision"]
    email = OutgoingEmail.objects.get()
    assert email.sent_at is not None
    assert email.attempts == 1


def test_queue_email_rollback_sends_nothing(school):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(school, ["parent@example.org"], "Leave decision", "Granted.")
        raise RuntimeError("the decision failed to save")
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_queue_email_keeps_attachments(school):
    queue_email(
        school, ["parent@example.org"], "Letter", "See the letter.",
        attachments=[Attachment("letter.pdf", "application/pdf", b"%PDF-1.4 test")],
    )
    (message,) = mail.outbox
    assert message.attachments[0][0] == "letter.pdf"
    assert message.attachments[0][1] == b"%PDF-1.4 test"


def test_queue_email_without_address_rejected(school):
    with pytest.raises(ValueError, match="no recipient address"):
        queue_email(school, ["", "  "], "Letter", "Body", reference="leave-decision:9")
    assert not OutgoingEmail.objects.exists()


def test_send_due_retries_failed_send(school, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with transaction.atomic():
        email = queue_email(school, ["parent@example.org"], "Letter", "Body", reference="leave-decision:3")
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()
    assert f"e-mail {email.pk} (school {school.pk}, leave-decision:3) failed" in caplog.text
    assert "parent@example.org" not in caplog.text

    # Not due yet: nothing is tried.
    assert send_due() == (0, 0)
    # The server is back and the wait is over.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due(timezone.now() + dt.timedelta(minutes=6)) == (1, 0)
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2
    # Sending twice is impossible.
    assert deliver(email.pk) is False
    assert len(mail.outbox) == 1


def test_send_due_gives_up_after_last_attempt(school, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    email = queue_email(school, ["parent@example.org"], "Letter", "Body")
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        later += dt.timedelta(days=1)
        send_due(later)
    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS
    assert email.next_attempt_at is None
    assert list(given_up(school)) == [email]
    assert send_due(later + dt.timedelta(days=30)) == (0, 0)
