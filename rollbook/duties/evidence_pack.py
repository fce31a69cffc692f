"""The evidence pack for the local authority: one PDF with a pupil's threshold sessions, notices and letters.

It contains the pupil's details, the sessions and codes that met the penalty threshold, the
penalty notices recorded, the letters sent and the pupil's correspondence log.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rollbook.casework.log import pupil_log
from rollbook.letters.engine import Paragraph, add_letter_pages, new_pdf
from rollbook.letters.formatting import british_date, pounds
from rollbook.letters.models import Letter
from rollbook.schools.models import Contact, Pupil

from .penalties import threshold_evidence


def _correspondence(pupil: Pupil) -> list[str]:
    entries = pupil_log(pupil).order_by("at", "pk")
    return [f"{timezone.localtime(e.at):%d/%m/%Y %H:%M} {e.get_kind_display()}: {e.summary} ({e.by_name})" for e in entries]


def evidence_pack_pdf(pupil: Pupil, *, on: dt.date, prepared_by: str) -> bytes:
    """Build the evidence pack PDF for the pupil as of ``on``."""
    finding, sessions = threshold_evidence(pupil, on)
    contacts = Contact.objects.filter(pupil=pupil, parental_responsibility=True).order_by("priority", "pk")
    paragraphs = [
        Paragraph(f"Attendance evidence pack: {pupil.forename} {pupil.surname}", heading=True),
        Paragraph(f"{pupil.school.name} (URN {pupil.school.urn}, LA {pupil.school.la_code})"),
        Paragraph(f"Prepared by {prepared_by} on {british_date(on)}."),
        Paragraph("Pupil", heading=True),
        Paragraph(f"UPN {pupil.upn}. Date of birth {pupil.date_of_birth:%d/%m/%Y}."),
    ]
    paragraphs += [
        Paragraph(f"Parent: {c.name} ({c.relationship or 'relationship not recorded'}), {c.phone or 'no phone'}")
        for c in contacts
    ] or [Paragraph("No contact with parental responsibility is recorded.")]

    paragraphs.append(Paragraph("Penalty threshold", heading=True))
    if finding is None:
        paragraphs.append(Paragraph(f"The penalty threshold is not met as of {british_date(on)}."))
    else:
        paragraphs.append(Paragraph(f"Met on {british_date(finding.since)}: {finding.detail}."))
        paragraphs += [Paragraph(f"{day:%a %d/%m/%Y} {session}: {code}") for day, session, code in sessions]

    paragraphs.append(Paragraph("Penalty notices", heading=True))
    notices = list(pupil.penalty_notices.order_by("issued_on", "pk"))
    for notice in notices:
        paragraphs.append(
            Paragraph(
                f"Issued {notice.issued_on:%d/%m/%Y} to {notice.parent_name}: {pounds(notice.early_pence)} by "
                f"{notice.early_deadline:%d/%m/%Y}, {pounds(notice.late_pence)} by {notice.final_deadline:%d/%m/%Y}. "
                f"Now: {notice.state(on).value.replace('_', ' ')}."
            )
        )
    if not notices:
        paragraphs.append(Paragraph("None recorded."))

    paragraphs.append(Paragraph("Letters sent", heading=True))
    letters = list(Letter.objects.filter(pupil=pupil).order_by("sent_at", "pk"))
    paragraphs += [
        Paragraph(
            f"{letter.letter_date:%d/%m/%Y} {letter.get_kind_display()} ({letter.get_method_display().lower()}, "
            f"to {letter.addressed_to}), sent by {letter.sent_by_name}, template {letter.template_version}"
        )
        for letter in letters
    ] or [Paragraph("None recorded.")]

    paragraphs.append(Paragraph("Correspondence log", heading=True))
    paragraphs += [Paragraph(line) for line in _correspondence(pupil)] or [Paragraph("No entry.")]

    pdf = new_pdf()
    add_letter_pages(pdf, paragraphs)
    for letter in letters:
        add_letter_pages(pdf, [Paragraph(line) for line in letter.text.splitlines() if line.strip()])
    return bytes(pdf.output())
