"""Writing letters: the values they are filled with, the template in use, sending and printing.

Every letter sent by e-mail or printed is recorded (``Letter``) with who sent it, when, the
template version and its text and PDF as sent, and is added to the pupil's correspondence log.
E-mail goes through the outbox, so it leaves only after the record is committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from rollbook.mail.outbox import Attachment, queue_email
from rollbook.policy.measures import attendance_rate, count_sessions
from rollbook.registers.services import Actor
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Contact, Placement, Pupil, School, StaffRole
from rollbook.policy.calendar import academic_year_of

from . import engine
from .formatting import british_date, clock_time, name_list, percentage, pounds
from .kinds import FieldType, KindSpec, LetterKind, kind_spec
from .models import DeliveryMethod, Letter, LetterTemplate

log = logging.getLogger(__name__)

SenderValue = dt.date | dt.time | str | Decimal | None


class LetterError(ValueError):
    """A letter that cannot be written or sent; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TemplateInUse:
    content: bytes
    row: LetterTemplate | None  # None: the default
    version: str


@dataclass(frozen=True)
class ComposedLetter:
    pupil: Pupil
    kind: LetterKind
    template: TemplateInUse
    context: dict[str, str]
    rendered: engine.RenderedLetter
    addressed_to: str


# Templates


def template_in_use(school: School, kind: LetterKind) -> TemplateInUse:
    """Return the school's newest template of ``kind`` that is not withdrawn, else the default."""
    row = LetterTemplate.objects.filter(school=school, kind=kind, withdrawn_at__isnull=True).order_by("-version").first()
    if row is None:
        return TemplateInUse(content=engine.default_template(kind), row=None, version=engine.default_version(kind))
    return TemplateInUse(content=bytes(row.content), row=row, version=row.version_label)


def upload_template(school: School, kind: LetterKind, filename: str, content: bytes, *, user, at: dt.datetime) -> LetterTemplate:
    """Check and store a school's template as the next version of ``kind``; it is in use at once.

    Raises ``engine.TemplateError`` when the file is not a template of ``kind``.
    """
    engine.check_template(content, kind)
    with transaction.atomic():
        # Lock the school's row so that two uploads at once cannot take the same version.
        School.objects.select_for_update().filter(pk=school.pk).first()
        latest = LetterTemplate.objects.filter(school=school, kind=kind).aggregate(latest=Max("version"))["latest"]
        template = LetterTemplate.objects.create(
            school=school,
            kind=kind,
            version=(latest or 0) + 1,
            filename=filename[:200],
            content=content,
            uploaded_by=user,
            uploaded_at=at,
        )
    log.info("letter template %s (school %s, %s) uploaded", template.pk, school.pk, kind.value)
    return template


def withdraw_template(template: LetterTemplate, *, user, at: dt.datetime) -> bool:
    """Stop using a school's template; the previous one, or the default, is used again.

    Returns False when it was already withdrawn. Letters written from it keep naming it.
    """
    updated = LetterTemplate.objects.filter(pk=template.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawn_by=user
    )
    return updated == 1


# Values


def parental_responsibility_contacts(pupil: Pupil) -> list[Contact]:
    return list(Contact.objects.filter(pupil=pupil, parental_responsibility=True).order_by("priority", "pk"))


def _format_sender_value(spec: KindSpec, name: str, value: SenderValue) -> str:
    field = spec.sender_fields[name]
    if value is None or value == "":
        if field.required:
            raise LetterError(f"{field.label} is missing; enter it to write this letter", field=name)
        return ""
    if field.type == FieldType.DATE:
        if not isinstance(value, dt.date):
            raise LetterError(f"{field.label} {value!r} is not a date; enter a date such as 5 March 2026", field=name)
        return british_date(value)
    if field.type == FieldType.TIME:
        if not isinstance(value, dt.time):
            raise LetterError(f"{field.label} {value!r} is not a time; enter a time such as 15:30", field=name)
        return clock_time(value)
    if field.type == FieldType.PERCENT:
        if not isinstance(value, (Decimal, int)) or not 0 < Decimal(value) <= 100:
            raise LetterError(f"{field.label} {value!r} is not a percentage; enter a number from 1 to 100", field=name)
        return percentage(Decimal(value))
    return str(value).strip()


def _placement_on(pupil: Pupil, on: dt.date) -> Placement | None:
    placements = Placement.objects.filter(pupil=pupil, start_date__lte=on).order_by("-start_date")
    return next((p for p in placements if p.end_date is None or p.end_date >= on), None)


def attendance_context(pupil: Pupil, on: dt.date) -> dict[str, str]:
    """Return the pupil's attendance placeholders from the year's start (or admission) to the day before ``on``.

    The figures end on the last school day before the letter date, whose registers may still be
    open. Without an academic year for the
    date, the figures read "no figures yet".
    """
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(on)).first()
    empty = {
        "attendance_percent": percentage(None),
        "period_start": "",
        "period_end": "",
        "possible_sessions": "0",
        "absent_sessions": "0",
        "unauthorised_sessions": "0",
        "threshold_percent": "",
    }
    if year is None:
        return empty

    calendar = year.calendar()
    policy = year.policy()
    end = calendar.last_school_day_on_or_before(on - dt.timedelta(days=1))
    admitted = min((e.admission_date for e in pupil.enrolments.all()), default=calendar.start)
    start_day = next((d for d in calendar.school_days if d >= max(admitted, calendar.start)), None)
    term = calendar.term_of(end or on)
    thresholds = policy.triggers
    threshold = {
        "autumn": thresholds.autumn_threshold_percent,
        "spring": thresholds.spring_threshold_percent,
        "summer": thresholds.summer_threshold_percent,
    }.get(term.value if term else "autumn", thresholds.autumn_threshold_percent)
    if end is None or start_day is None or start_day > end:
        return {**empty, "threshold_percent": percentage(threshold)}

    marks = load_year_marks(year, [pupil])
    counts = count_sessions(marks, start_day, end)
    possible, attended = int(counts.possible[0]), int(counts.attended[0])
    return {
        "attendance_percent": percentage(attendance_rate(attended, possible)),
        "period_start": british_date(start_day),
        "period_end": british_date(end),
        "possible_sessions": str(possible),
        "absent_sessions": str(int(counts.absent[0])),
        "unauthorised_sessions": str(int(counts.unauthorised[0])),
        "threshold_percent": percentage(threshold),
    }


def _penalty_context(pupil: Pupil, on: dt.date) -> dict[str, str]:
    year = (
        AcademicYear.objects.filter(school_id=pupil.school_id, start_year__lte=academic_year_of(on))
        .order_by("-start_year")
        .first()
    )
    if year is None:
        raise LetterError("the school has no academic year for this date, so the penalty amounts are unknown")
    penalty = year.policy().penalty
    return {
        "penalty_threshold_sessions": str(penalty.threshold_sessions),
        "penalty_window_weeks": str(penalty.window_school_weeks),
        "penalty_amount_early": pounds(penalty.first_notice_early_pence),
        "penalty_early_days": str(penalty.early_payment_days),
        "penalty_amount_late": pounds(penalty.first_notice_late_pence),
        "penalty_late_days": str(penalty.late_payment_days),
    }


def build_context(
    pupil: Pupil, kind: LetterKind, *, on: dt.date, sender: Actor, sender_values: Mapping[str, SenderValue]
) -> dict[str, str]:
    """Return every placeholder of ``kind`` filled for ``pupil`` on the letter date ``on``.

    ``sender_values`` contains the kind's sender fields as typed values; a missing required one, or
    a value of the wrong type, raises ``LetterError`` naming the field.
    """
    spec = kind_spec(kind)
    unknown = sorted(set(sender_values) - set(spec.sender_fields))
    if unknown:
        raise LetterError(f"{unknown[0]} is not a field of a {spec.title.lower()} letter", field=unknown[0])

    contacts = parental_responsibility_contacts(pupil)
    placement = _placement_on(pupil, on)
    role = sender.role
    context = {
        "school_name": pupil.school.name,
        "school_urn": pupil.school.urn,
        "letter_date": british_date(on),
        "parent_name": name_list([c.name for c in contacts]) or "Parent or carer",
        "pupil_name": f"{pupil.forename} {pupil.surname}",
        "pupil_forename": pupil.forename,
        "class_name": placement.class_name if placement else "",
        "year_group": placement.year_group if placement else "",
        "signed_by": sender.name,
        "signed_role": StaffRole(role).label if role in StaffRole.values else role,
        **attendance_context(pupil, on),
    }
    for name in spec.sender_fields:
        context[name] = _format_sender_value(spec, name, sender_values.get(name))
    if kind == LetterKind.PENALTY_WARNING:
        context.update(_penalty_context(pupil, on))
    if kind == LetterKind.RECOGNITION:
        target = context["individual_target"]
        context["target_note"] = f" This met {pupil.forename}'s individual target of {target}." if target else ""
    return context


def compose(
    pupil: Pupil, kind: LetterKind, *, on: dt.date, sender: Actor, sender_values: Mapping[str, SenderValue]
) -> ComposedLetter:
    """Fill the school's template of ``kind`` for one pupil, as Word and PDF, without recording anything."""
    template = template_in_use(pupil.school, kind)
    context = build_context(pupil, kind, on=on, sender=sender, sender_values=sender_values)
    try:
        rendered = engine.render_letter(template.content, context)
    except Exception as error:  # noqa: BLE001 - a school's template can fail in ways the check cannot foresee
        log.warning("letter template %s (school %s) failed to render: %s", template.version, pupil.school_id, type(error).__name__)
        raise LetterError(
            f"the {template.version} template of this letter could not be filled ({type(error).__name__}); "
            "check it on the letter templates page or withdraw it to use the default",
            field="template",
        ) from None
    return ComposedLetter(
        pupil=pupil,
        kind=kind,
        template=template,
        context=context,
        rendered=rendered,
        addressed_to=context["parent_name"],
    )


# Sending and printing


def _record(
    composed: ComposedLetter, *, method: DeliveryMethod, recipients: list[str], user, sender: Actor,
    at: dt.datetime, on: dt.date,
) -> Letter:
    letter = Letter.objects.create(
        school=composed.pupil.school,
        pupil=composed.pupil,
        kind=composed.kind,
        template=composed.template.row,
        template_version=composed.template.version,
        method=method,
        recipients="\n".join(recipients),
        addressed_to=composed.addressed_to,
        text=composed.rendered.text,
        pdf=composed.rendered.pdf,
        context=composed.context,
        sent_by=user,
        sent_by_name=sender.name,
        sent_by_role=sender.role,
        sent_at=at,
        letter_date=on,
    )
    _log_correspondence(letter)
    return letter


def _log_correspondence(letter: Letter) -> None:
    # NOTE: the pupil's correspondence log lives in rollbook.casework; until that app is
    # installed, the Letter row is the only record of the letter.
    try:
        from rollbook.casework.services import log_entry
    except ImportError:
        return
    log_entry(letter=letter)


def pdf_filename(kind: LetterKind, pupil: Pupil | None, on: dt.date) -> str:
    subject = f"upn-{pupil.upn}" if pupil else "batch"
    return f"{kind.value.replace('_', '-')}-{subject}-{on.isoformat()}.pdf"


def send_by_email(
    pupil: Pupil, kind: LetterKind, *, on: dt.date, at: dt.datetime, user, sender: Actor,
    sender_values: Mapping[str, SenderValue],
) -> Letter:
    """Write a letter, record it and e-mail it, PDF attached, to every contact with parental responsibility.

    Raises ``LetterError`` when no such contact has an e-mail address: print the letter instead.
    The e-mail leaves after the record is committed.
    """
    addresses = [c.email for c in parental_responsibility_contacts(pupil) if c.email]
    if not addresses:
        raise LetterError(
            "no contact with parental responsibility has an e-mail address; add one on the contacts page or print the letter",
            field="method",
        )
    composed = compose(pupil, kind, on=on, sender=sender, sender_values=sender_values)
    with transaction.atomic():
        letter = _record(composed, method=DeliveryMethod.EMAIL, recipients=addresses, user=user, sender=sender, at=at, on=on)
        email = queue_email(
            pupil.school,
            addresses,
            f"{kind.label}: {composed.context['pupil_name']}",
            _email_body(composed),
            reference=f"letter:{letter.pk}",
            attachments=[Attachment(pdf_filename(kind, pupil, on), "application/pdf", composed.rendered.pdf)],
        )
        letter.email = email
        letter.save(update_fields=["email"])
    log.info("letter %s (school %s, %s) queued for e-mail", letter.pk, pupil.school_id, kind.value)
    return letter


def _email_body(composed: ComposedLetter) -> str:
    return (
        f"Dear {composed.addressed_to},\n\n"
        f"Please find attached a letter from {composed.context['school_name']} about "
        f"{composed.context['pupil_forename']}.\n\n"
        f"{composed.context['signed_by']}\n{composed.context['signed_role']}\n"
    )


@dataclass(frozen=True)
class PrintedBatch:
    pdf: bytes
    letters: list[Letter]


def print_batch(
    pupils: list[Pupil], kind: LetterKind, *, on: dt.date, at: dt.datetime, user, sender: Actor,
    sender_values: Mapping[str, SenderValue],
) -> PrintedBatch:
    """Write one letter of ``kind`` per pupil into one PDF and record each as printed.

    All or nothing: when any letter cannot be written, ``LetterError`` names the pupil by UPN
    and nothing is recorded.
    """
    if not pupils:
        raise LetterError("no pupil is selected; choose at least one pupil to print letters for", field="pupils")
    composed = []
    for pupil in pupils:
        try:
            composed.append(compose(pupil, kind, on=on, sender=sender, sender_values=sender_values))
        except LetterError as error:
            raise LetterError(f"pupil {pupil.upn}: {error}", field=error.field) from None
    pdf = engine.render_pdf([engine.docx_paragraphs(c.rendered.docx) for c in composed])
    with transaction.atomic():
        letters = [
            _record(c, method=DeliveryMethod.PRINT, recipients=[], user=user, sender=sender, at=at, on=on)
            for c in composed
        ]
    log.info("%s letters (school %s, %s) printed", len(letters), pupils[0].school_id, kind.value)
    return PrintedBatch(pdf=pdf, letters=letters)
