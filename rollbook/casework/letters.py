"""Casework's letters, written by the letter engine: trigger letters 1 to 3, improved attendance,
the medical evidence request and the meeting invitation.

A trigger letter is linked to its stage step and the improved-attendance letter to its case,
so the actions due know the letter has gone. Every letter is in the pupil's correspondence log
once, whichever of the engine or this module logs it first.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from rollbook.letters import services as letter_services
from rollbook.letters.kinds import LetterKind
from rollbook.letters.models import DeliveryMethod, Letter
from rollbook.policy.trigger_stages import Stage
from rollbook.schools.models import Pupil
from rollbook.web.access import actor_for

from .log import log_entry
from .models import CaseStatus, CorrespondenceEntry, EntryKind, StageStep, TriggerCase
from .stages import StageError, open_case

logger = logging.getLogger(__name__)

STAGE_LETTERS = {Stage.STAGE_1: LetterKind.TRIGGER_1, Stage.STAGE_2: LetterKind.TRIGGER_2, Stage.STAGE_3: LetterKind.TRIGGER_3}
CASEWORK_LETTERS = (
    LetterKind.TRIGGER_1,
    LetterKind.TRIGGER_2,
    LetterKind.TRIGGER_3,
    LetterKind.IMPROVED,
    LetterKind.MEDICAL_EVIDENCE,
    LetterKind.MEETING_INVITATION,
)

LetterError = letter_services.LetterError


@dataclass(frozen=True)
class SentLetters:
    """The letter recorded, and for a printed letter the PDF to print."""

    letter: Letter
    pdf: bytes | None


@dataclass(frozen=True)
class LetterTarget:
    """The step or case that a casework letter completes; both are None for a letter that completes neither."""

    step: StageStep | None = None
    improved_case: TriggerCase | None = None


def letter_target(pupil: Pupil, kind: LetterKind) -> LetterTarget:
    """Return the step or case a letter of ``kind`` completes for the pupil.

    Raises ``StageError`` when a trigger letter is not due (no open case at that stage, or its
    letter sent already) or no improved case awaits its letter.
    """
    if kind in STAGE_LETTERS.values():
        case = open_case(pupil)
        step = case.current_step() if case else None
        if step is None or STAGE_LETTERS[Stage(step.stage)] != kind:
            raise StageError(f"the {kind.label.lower()} is not due: the pupil has no open trigger case at that stage")
        if not step.letter_due:
            raise StageError(f"the {kind.label.lower()} was already sent ({step.letter_reference})")
        return LetterTarget(step=step)
    if kind == LetterKind.IMPROVED:
        case = (
            TriggerCase.objects.filter(pupil=pupil, status=CaseStatus.IMPROVED, improved_letter_reference="")
            .order_by("-closed_on", "-pk")
            .first()
        )
        if case is None:
            raise StageError("no improved-attendance letter is due: no trigger case closed as improved awaits one")
        return LetterTarget(improved_case=case)
    if kind in CASEWORK_LETTERS:
        return LetterTarget()
    raise StageError(f"letter kind {kind.value!r} is not written from casework")


def initial_values(pupil: Pupil, kind: LetterKind) -> dict[str, object]:
    """Return the sender fields that casework can fill in, such as the stage's review date."""
    if kind not in STAGE_LETTERS.values():
        return {}
    case = open_case(pupil)
    step = case.current_step() if case else None
    return {"review_date": step.review_on} if step else {}


def send(
    pupil: Pupil, kind: LetterKind, method: DeliveryMethod, *, on: dt.date, at: dt.datetime, user,
    sender_values: Mapping[str, object],
) -> SentLetters:
    """Write one casework letter by e-mail or for printing, record it, and link it to its step or case.

    All or nothing: a letter the engine rejects (``LetterError``) or one that is not due
    (``StageError``) records nothing.
    """
    target = letter_target(pupil, kind)
    sender = actor_for(user, pupil.school)
    with transaction.atomic():
        if method == DeliveryMethod.EMAIL:
            letter = letter_services.send_by_email(pupil, kind, on=on, at=at, user=user, sender=sender, sender_values=sender_values)
            pdf = None
        else:
            batch = letter_services.print_batch([pupil], kind, on=on, at=at, user=user, sender=sender, sender_values=sender_values)
            letter, pdf = batch.letters[0], batch.pdf
        reference = f"letter:{letter.pk}"
        if target.step is not None:
            target.step.letter_reference = reference
            target.step.save(update_fields=["letter_reference"])
        if target.improved_case is not None:
            target.improved_case.improved_letter_reference = reference
            target.improved_case.save(update_fields=["improved_letter_reference"])
        if not CorrespondenceEntry.objects.filter(pupil=pupil, reference=reference).exists():
            how = "e-mailed" if method == DeliveryMethod.EMAIL else "printed"
            log_entry(pupil, EntryKind.LETTER, f"{kind.label} {how} to {letter.addressed_to}"[:300], user, at,
                      details=letter.text, reference=reference)
    logger.info("Casework letter %s (%s) for pupil %s by user %s", letter.pk, kind.value, pupil.pk, user.pk)
    return SentLetters(letter=letter, pdf=pdf)
