"""Tests for writing, e-mailing and printing letters, and for the school's own templates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document

from rollbook.casework.log import pupil_log
from rollbook.letters import engine, services
from rollbook.letters.kinds import LetterKind
from rollbook.letters.models import DeliveryMethod, Letter, LetterTemplate
from rollbook.mail.models import OutgoingEmail
from rollbook.schools.models import Contact

from .conftest import LETTER_DAY, SENDER
from .pdf_text import pdf_words

AT = dt.datetime(2025, 9, 29, 10, 0, tzinfo=dt.timezone.utc)
TRIGGER_VALUES = {"review_date": dt.date(2025, 10, 24)}


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_context_names_parents_with_responsibility(hazel):
    context = services.build_context(hazel, LetterKind.TRIGGER_1, on=LETTER_DAY, sender=SENDER, sender_values=TRIGGER_VALUES)

    assert context["parent_name"] == "Saoirse Brightwater and Kwame Brightwater"
    assert context["class_name"] == "3 Wren"
    assert context["attendance_percent"] == "80%"
    assert context["review_date"] == "24 October 2025"
    assert context["signed_role"] == "Attendance lead"


def test_context_without_parents(hazel):
    Contact.objects.filter(pupil=hazel).update(parental_responsibility=False)

    context = services.build_context(hazel, LetterKind.IMPROVED, on=LETTER_DAY, sender=SENDER, sender_values={})

    assert context["parent_name"] == "Parent or carer"


def test_context_rejects_missing_sender_value(hazel):
    with pytest.raises(services.LetterError, match="Review date is missing") as raised:
        services.build_context(hazel, LetterKind.TRIGGER_1, on=LETTER_DAY, sender=SENDER, sender_values={})
    assert raised.value.field == "review_date"


def test_context_rejects_wrong_type(hazel):
    with pytest.raises(services.LetterError, match="'tomorrow' is not a date"):
        services.build_context(
            hazel, LetterKind.TRIGGER_1, on=LETTER_DAY, sender=SENDER, sender_values={"review_date": "tomorrow"}
        )


def test_context_rejects_unknown_field(hazel):
    with pytest.raises(services.LetterError, match="meeting_date is not a field"):
        services.build_context(
            hazel, LetterKind.IMPROVED, on=LETTER_DAY, sender=SENDER, sender_values={"meeting_date": LETTER_DAY}
        )


def test_recognition_without_target_has_no_note(hazel):
    context = services.build_context(
        hazel, LetterKind.RECOGNITION, on=LETTER_DAY, sender=SENDER,
        sender_values={"achievement": "outstanding attendance", "individual_target": None},
    )

    assert context["target_note"] == ""


def test_penalty_amounts_follow_policy(hazel):
    values = {"improvement_by": dt.date(2025, 10, 24)}
    school_2023 = services.build_context(hazel, LetterKind.PENALTY_WARNING, on=LETTER_DAY, sender=SENDER, sender_values=values)
    # The 2024 framework keeps every register open for the same time.
    hazel.school.academic_years.update(policy_name="england-2024", pm_close=dt.time(13, 40))
    england_2024 = services.build_context(hazel, LetterKind.PENALTY_WARNING, on=LETTER_DAY, sender=SENDER, sender_values=values)

    assert (school_2023["penalty_amount_early"], school_2023["penalty_amount_late"]) == ("£60", "£120")
    assert (england_2024["penalty_amount_early"], england_2024["penalty_amount_late"]) == ("£80", "£160")
    assert school_2023["penalty_window_weeks"] == "12"
    assert england_2024["penalty_window_weeks"] == "10"


def test_email_records_and_sends_pdf(hazel, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.send_by_email(
            hazel, LetterKind.TRIGGER_1, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values=TRIGGER_VALUES
        )

    assert letter.method == DeliveryMethod.EMAIL
    assert letter.recipients == "saoirse@example.invalid"
    assert letter.template_version == engine.default_version(LetterKind.TRIGGER_1)
    assert letter.sent_by == lead
    assert letter.email.reference == f"letter:{letter.pk}"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["saoirse@example.invalid"]
    filename, content, content_type = message.attachments[0]
    assert content_type == "application/pdf"
    assert pdf_words(content) == letter.text.split()


def test_email_without_address_rejected(hazel, lead):
    Contact.objects.filter(pupil=hazel).update(email="")

    with pytest.raises(services.LetterError, match="no contact with parental responsibility has an e-mail address"):
        services.send_by_email(
            hazel, LetterKind.TRIGGER_1, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values=TRIGGER_VALUES
        )
    assert Letter.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_print_batch_records_each_letter(hazel, lead):
    batch = services.print_batch(
        [hazel, hazel], LetterKind.IMPROVED, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values={}
    )

    assert len(batch.letters) == 2
    assert Letter.objects.filter(method=DeliveryMethod.PRINT).count() == 2
    assert pdf_words(batch.pdf) == batch.letters[0].text.split() * 2


def test_print_batch_all_or_nothing(hazel, lead):
    with pytest.raises(services.LetterError, match="Review date is missing"):
        services.print_batch([hazel], LetterKind.TRIGGER_1, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values={})
    assert Letter.objects.count() == 0


def test_print_batch_needs_pupils(lead):
    with pytest.raises(services.LetterError, match="no pupil is selected"):
        services.print_batch([], LetterKind.IMPROVED, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values={})


def test_uploaded_template_used_and_versioned(hazel, lead, fernhill):
    first = services.upload_template(
        fernhill, LetterKind.IMPROVED, "ours.docx", docx_with("Well done {{ pupil_forename }}!"), user=lead, at=AT
    )
    second = services.upload_template(
        fernhill, LetterKind.IMPROVED, "ours-2.docx", docx_with("Great work {{ pupil_forename }}!"), user=lead, at=AT
    )

    letter = services.compose(hazel, LetterKind.IMPROVED, on=LETTER_DAY, sender=SENDER, sender_values={})

    assert (first.version, second.version) == (1, 2)
    assert letter.rendered.text == "Great work Hazel!\n"
    assert letter.template.version == "school version 2"


def test_withdrawn_template_falls_back(hazel, lead, fernhill):
    first = services.upload_template(fernhill, LetterKind.IMPROVED, "a.docx", docx_with("One {{ pupil_forename }}"), user=lead, at=AT)
    second = services.upload_template(fernhill, LetterKind.IMPROVED, "b.docx", docx_with("Two {{ pupil_forename }}"), user=lead, at=AT)

    assert services.withdraw_template(second, user=lead, at=AT)
    assert not services.withdraw_template(second, user=lead, at=AT)
    assert services.template_in_use(fernhill, LetterKind.IMPROVED).row == first
    services.withdraw_template(first, user=lead, at=AT)
    assert services.template_in_use(fernhill, LetterKind.IMPROVED).row is None


def test_upload_rejects_unknown_placeholder(fernhill, lead):
    with pytest.raises(engine.TemplateError, match="pupil_shoe_size"):
        services.upload_template(
            fernhill, LetterKind.IMPROVED, "bad.docx", docx_with("{{ pupil_shoe_size }}"), user=lead, at=AT
        )
    assert LetterTemplate.objects.count() == 0


def test_letter_kept_as_sent_after_template_change(hazel, lead, fernhill):
    services.upload_template(fernhill, LetterKind.IMPROVED, "a.docx", docx_with("One {{ pupil_forename }}"), user=lead, at=AT)
    batch = services.print_batch([hazel], LetterKind.IMPROVED, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values={})
    services.upload_template(fernhill, LetterKind.IMPROVED, "b.docx", docx_with("Two {{ pupil_forename }}"), user=lead, at=AT)

    letter = Letter.objects.get(pk=batch.letters[0].pk)
    assert letter.text == "One Hazel\n"
    assert letter.template_version == "school version 1"
    assert pdf_words(bytes(letter.pdf)) == ["One", "Hazel"]


def test_sent_letter_logged_once(hazel, lead):
    batch = services.print_batch([hazel], LetterKind.IMPROVED, on=LETTER_DAY, at=AT, user=lead, sender=SENDER, sender_values={})

    entries = list(pupil_log(hazel))
    assert len(entries) == 1
    assert entries[0].reference == f"letter:{batch.letters[0].pk}"
    assert entries[0].summary == "Improved attendance printed to Saoirse Brightwater and Kwame Brightwater"
    assert entries[0].by == lead
