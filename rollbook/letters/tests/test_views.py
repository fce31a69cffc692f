"""Tests for the letter pages: uploading templates, writing, e-mailing and printing letters."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from rollbook.letters.models import DeliveryMethod, Letter, LetterTemplate
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE

from .conftest import LETTER_DAY
from .pdf_text import pdf_words

NOW = dt.datetime.combine(LETTER_DAY, dt.time(10, 0), tzinfo=SCHOOL_TIME_ZONE)


@pytest.fixture
def client(lead, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = Client()
    client.force_login(lead)
    return client


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_upload_shows_unknown_placeholder(client, fernhill):
    upload = SimpleUploadedFile("ours.docx", docx_with("{{ pupil_nmae }}"))

    response = client.post(reverse("letters:templates", args=[fernhill.pk]), {"kind": "improved", "file": upload})

    assert response.status_code == 400
    assert "ours.docx: the template uses unknown placeholder(s) pupil_nmae" in response.content.decode()
    assert LetterTemplate.objects.count() == 0


def test_upload_then_download_own_template(client, fernhill):
    upload = SimpleUploadedFile("ours.docx", docx_with("Well done {{ pupil_forename }}"))

    response = client.post(reverse("letters:templates", args=[fernhill.pk]), {"kind": "improved", "file": upload})
    assert response.status_code == 302

    download = client.get(reverse("letters:template_download", args=[fernhill.pk, "improved"]))
    assert Document(io.BytesIO(download.content)).paragraphs[0].text == "Well done {{ pupil_forename }}"


def test_unknown_kind_not_found(client, fernhill):
    response = client.get(reverse("letters:template_download", args=[fernhill.pk, "detention"]))

    assert response.status_code == 404


def test_withdraw_template(client, fernhill, lead):
    template = LetterTemplate.objects.create(
        school=fernhill, kind="improved", version=1, filename="a.docx", content=docx_with("x"), uploaded_at=NOW
    )

    response = client.post(reverse("letters:template_withdraw", args=[fernhill.pk, template.pk]), {"confirm": "withdraw"})

    template.refresh_from_db()
    assert response.status_code == 302
    assert template.withdrawn_at == NOW


def test_write_page_names_recipients(client, fernhill, hazel):
    response = client.get(reverse("letters:write", args=[fernhill.pk, hazel.pk, "trigger_1"]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Saoirse Brightwater (saoirse@example.invalid)" in text
    assert "Kwame Brightwater (no e-mail address)" in text


def test_write_missing_field_shows_error(client, fernhill, hazel):
    response = client.post(reverse("letters:write", args=[fernhill.pk, hazel.pk, "trigger_1"]), {"action": "email"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Letter.objects.count() == 0


def test_preview_records_nothing(client, fernhill, hazel):
    response = client.post(
        reverse("letters:write", args=[fernhill.pk, hazel.pk, "trigger_1"]), {"action": "pdf", "review_date": "2025-10-24"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "until 24 October 2025." in " ".join(pdf_words(response.content))
    assert Letter.objects.count() == 0


def test_email_from_page(client, fernhill, hazel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("letters:write", args=[fernhill.pk, hazel.pk, "trigger_1"]),
            {"action": "email", "review_date": "2025-10-24"},
        )

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.method == DeliveryMethod.EMAIL
    assert letter.sent_by_name == "Priya Castell"
    assert mail.outbox[0].to == ["saoirse@example.invalid"]
    listing = client.get(reverse("letters:pupil", args=[fernhill.pk, hazel.pk])).content.decode()
    assert "Attendance letter 1 (stage 1)" in listing


def test_batch_prints_one_pdf(client, fernhill, hazel):
    response = client.post(reverse("letters:batch", args=[fernhill.pk]), {"kind": "improved", "pupils": [hazel.pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert Letter.objects.filter(method=DeliveryMethod.PRINT).count() == 1


def test_batch_without_pupils_rejected(client, fernhill):
    response = client.post(reverse("letters:batch", args=[fernhill.pk]), {"kind": "improved"})

    assert response.status_code == 400
    assert "Choose at least one pupil." in response.content.decode()
