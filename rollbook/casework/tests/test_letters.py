"""Casework letters written by the letter engine and linked to their stage or case."""

import datetime as dt

import pytest

from rollbook.casework import letters, stages
from rollbook.casework.models import CorrespondenceEntry, EntryKind
from rollbook.letters.kinds import LetterKind
from rollbook.letters.models import DeliveryMethod, Letter
from rollbook.mail.models import OutgoingEmail
from rollbook.schools.models import Contact

from .conftest import REVIEW_DAY, STAGE_1_DAY, london


@pytest.fixture
def mother(fernhill):
    return Contact.objects.create(school=fernhill.school, pupil=fernhill.ivy, name="Rhea Marsh", relationship="Mother",
                                  phone="01632 960 111", email="rhea@home.example", parental_responsibility=True)


def send(fernhill, kind, method=DeliveryMethod.EMAIL, on=STAGE_1_DAY, **values):
    return letters.send(fernhill.ivy, kind, method, on=on, at=london(on), user=fernhill.lead, sender_values=values)


def test_stage_1_letter_emailed_and_linked(fernhill, mother):
    case = stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))
    values = letters.initial_values(fernhill.ivy, LetterKind.TRIGGER_1)

    sent = send(fernhill, LetterKind.TRIGGER_1, **values)

    step = case.current_step()
    step.refresh_from_db()
    assert step.letter_reference == f"letter:{sent.letter.pk}"
    assert "10 November 2025" in sent.letter.text  # the review date from the monitoring period
    assert OutgoingEmail.objects.get(reference=f"letter:{sent.letter.pk}").recipient_list == ["rhea@home.example"]
    assert CorrespondenceEntry.objects.filter(reference=f"letter:{sent.letter.pk}", kind=EntryKind.LETTER).count() == 1


def test_stage_letter_not_sent_twice(fernhill, mother):
    stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))
    send(fernhill, LetterKind.TRIGGER_1, review_date=REVIEW_DAY)

    with pytest.raises(stages.StageError, match="already sent"):
        send(fernhill, LetterKind.TRIGGER_1, review_date=REVIEW_DAY)

    assert Letter.objects.count() == 1


def test_wrong_stage_letter_rejected(fernhill, mother):
    stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    with pytest.raises(stages.StageError, match="not due"):
        send(fernhill, LetterKind.TRIGGER_2)

    assert not Letter.objects.exists()


def test_printed_improved_letter(fernhill):
    case = stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))
    fernhill.mark(fernhill.ivy, dt.date(2025, 10, 2), dt.date(2025, 11, 7))
    stages.review_stage(case, REVIEW_DAY, fernhill.lead, london(REVIEW_DAY))

    sent = send(fernhill, LetterKind.IMPROVED, DeliveryMethod.PRINT, on=REVIEW_DAY)

    case.refresh_from_db()
    assert sent.pdf.startswith(b"%PDF")
    assert case.improved_letter_reference == f"letter:{sent.letter.pk}"
    with pytest.raises(stages.StageError, match="no improved-attendance letter is due"):
        send(fernhill, LetterKind.IMPROVED, DeliveryMethod.PRINT, on=REVIEW_DAY)


def test_email_without_address_records_nothing(fernhill):
    stages.start_stage_1(fernhill.ivy, STAGE_1_DAY, fernhill.lead, london(STAGE_1_DAY))

    with pytest.raises(letters.LetterError, match="e-mail address"):
        send(fernhill, LetterKind.TRIGGER_1, review_date=REVIEW_DAY)

    assert not Letter.objects.exists()
    assert stages.open_case(fernhill.ivy).current_step().letter_due


def test_medical_evidence_request_missing_field(fernhill, mother):
    with pytest.raises(letters.LetterError) as raised:
        send(fernhill, LetterKind.MEDICAL_EVIDENCE, absence_dates="3 to 7 November 2025")

    assert raised.value.field == "evidence_due_date"
