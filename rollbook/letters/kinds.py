"""The letters Rollbook writes: each kind's title, its default text and the placeholders it may use.

A kind is a row of ``LETTER_KINDS``. Every kind may use the ``COMMON_PLACEHOLDERS``; a kind
adds its own, and those marked as fields are asked of the person who sends the letter (a
meeting date, a deadline). The default text of a kind is ``defaults/<kind>.txt``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.db import models


class LetterKind(models.TextChoices):
    TRIGGER_1 = "trigger_1", "Attendance letter 1 (stage 1)"
    TRIGGER_2 = "trigger_2", "Attendance letter 2 (stage 2)"
    TRIGGER_3 = "trigger_3", "Attendance letter 3 (stage 3)"
    IMPROVED = "improved", "Improved attendance"
    MEDICAL_EVIDENCE = "medical_evidence", "Request for medical evidence"
    MEETING_INVITATION = "meeting_invitation", "Invitation to a meeting"
    PENALTY_WARNING = "penalty_warning", "Penalty notice warning"
    RECOGNITION = "recognition", "Recognition certificate"


class FieldType(enum.StrEnum):
    """How a value asked of the sender is entered and shown in the letter."""

    DATE = "date"  # shown as "5 March 2026"
    TIME = "time"  # shown as "3.30pm"
    TEXT = "text"
    PERCENT = "percent"  # a whole or decimal percentage, shown as "92%"


@dataclass(frozen=True)
class SenderField:
    """A value the sender enters when the letter is written."""

    label: str
    type: FieldType
    help_text: str = ""
    required: bool = True


@dataclass(frozen=True)
class KindSpec:
    """One kind of letter: the placeholders it adds to the common ones, and the sender's fields."""

    kind: LetterKind
    placeholders: dict[str, str] = field(default_factory=dict)
    sender_fields: dict[str, SenderField] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.kind.label

    def all_placeholders(self) -> dict[str, str]:
        """Return every placeholder a template of this kind may use, with what it contains."""
        return {
            **COMMON_PLACEHOLDERS,
            **self.placeholders,
            **{name: spec.label for name, spec in self.sender_fields.items()},
        }


# Placeholders every letter may use. Dates read "5 March 2026"; percentages "87.5%".
COMMON_PLACEHOLDERS: dict[str, str] = {
    "school_name": "the school's name",
    "school_urn": "the school's Unique Reference Number",
    "letter_date": "the date the letter is written, such as 5 March 2026",
    "parent_name": "the names of the contacts with parental responsibility, or 'Parent or carer'",
    "pupil_name": "the pupil's forename and surname",
    "pupil_forename": "the pupil's forename",
    "class_name": "the pupil's class, or empty when not placed",
    "year_group": "the pupil's year group, or empty when not placed",
    "attendance_percent": "attendance from the first day of the academic year, such as 87.5%",
    "period_start": "the first day the attendance figures count",
    "period_end": "the last day the attendance figures count",
    "possible_sessions": "the sessions the pupil could have attended in that period",
    "absent_sessions": "the sessions missed in that period, authorised and unauthorised",
    "unauthorised_sessions": "the sessions of unauthorised absence in that period",
    "threshold_percent": "the attendance the school's policy expects this term, such as 95%",
    "signed_by": "the name of the member of staff who sends the letter",
    "signed_role": "their role, such as Attendance lead",
}

_REVIEW_DATE = SenderField("Review date", FieldType.DATE, "When attendance will be looked at again.")
_MEETING_DATE = SenderField("Meeting date", FieldType.DATE)
_MEETING_TIME = SenderField("Meeting time", FieldType.TIME)
_MEETING_PLACE = SenderField("Meeting place", FieldType.TEXT, "Such as: the school office.")

KIND_SPECS: tuple[KindSpec, ...] = (
    KindSpec(LetterKind.TRIGGER_1, sender_fields={"review_date": _REVIEW_DATE}),
    KindSpec(
        LetterKind.TRIGGER_2,
        sender_fields={
            "review_date": _REVIEW_DATE,
            "meeting_date": _MEETING_DATE,
            "meeting_time": _MEETING_TIME,
            "meeting_place": _MEETING_PLACE,
        },
    ),
    KindSpec(
        LetterKind.TRIGGER_3,
        sender_fields={
            "meeting_date": _MEETING_DATE,
            "meeting_time": _MEETING_TIME,
            "meeting_place": _MEETING_PLACE,
            "review_date": SenderField(
                "First review meeting", FieldType.DATE, "Review meetings are held at least every 4 weeks."
            ),
        },
    ),
    KindSpec(LetterKind.IMPROVED),
    KindSpec(
        LetterKind.MEDICAL_EVIDENCE,
        sender_fields={
            "absence_dates": SenderField("Absence the evidence is for", FieldType.TEXT, "Such as: 3 to 7 March 2026."),
            "evidence_due_date": SenderField("Evidence needed by", FieldType.DATE),
        },
    ),
    KindSpec(
        LetterKind.MEETING_INVITATION,
        sender_fields={
            "meeting_date": _MEETING_DATE,
            "meeting_time": _MEETING_TIME,
            "meeting_place": _MEETING_PLACE,
            "meeting_purpose": SenderField("What the meeting is for", FieldType.TEXT),
            "attendees": SenderField("Who will attend from the school or the local authority", FieldType.TEXT),
        },
    ),
    KindSpec(
        LetterKind.PENALTY_WARNING,
        placeholders={
            "penalty_threshold_sessions": "the unauthorised sessions at which a penalty notice is considered",
            "penalty_window_weeks": "the school weeks those sessions are counted over",
            "penalty_amount_early": "the amount of a first notice paid early, such as £80",
            "penalty_early_days": "the days to pay the early amount",
            "penalty_amount_late": "the amount of a first notice paid late, such as £160",
            "penalty_late_days": "the last day to pay, in days from issue",
        },
        sender_fields={"improvement_by": SenderField("Attendance must improve by", FieldType.DATE)},
    ),
    KindSpec(
        LetterKind.RECOGNITION,
        placeholders={
            "target_note": "for a pupil with an individual target, a sentence naming it; otherwise empty",
        },
        sender_fields={
            "achievement": SenderField("Achievement", FieldType.TEXT, "Such as: outstanding attendance this term."),
            "individual_target": SenderField(
                "Individual target",
                FieldType.PERCENT,
                "For a pupil with health needs: the attendance agreed for them, such as 80. Leave empty otherwise.",
                required=False,
            ),
        },
    ),
)

LETTER_KINDS: dict[LetterKind, KindSpec] = {spec.kind: spec for spec in KIND_SPECS}


def kind_spec(kind: str) -> KindSpec:
    """Return the spec of a letter kind, raising ``ValueError`` naming the valid kinds."""
    try:
        return LETTER_KINDS[LetterKind(kind)]
    except ValueError:
        raise ValueError(f"letter kind {kind!r} does not exist; use one of: {', '.join(LetterKind.values)}") from None
