"""Decision letters: the default templates' rendered text is pinned by golden files, and uploaded
templates are checked before use."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE

from ..errors import RequestInvalid
from ..letters import check_template, default_template, docx_text, render_docx, render_letter, render_pdf
from ..models import LetterPurpose, LetterTemplate

GOLDEN = Path(__file__).parent / "golden"
AT = dt.datetime(2026, 3, 5, 15, 0, tzinfo=SCHOOL_TIME_ZONE)

BASE = {
    "school_name": "Larkspur Lower School",
    "letter_date": "5 March 2026",
    "parent_name": "Ana Thornbury",
    "pupil_name": "Mila Thornbury",
    "request_title": "Leave of absence",
    "request_kind": "leave of absence",
    "asked_on": "2 March 2026",
    "dates_requested": ", from Mon 13 Apr 2026 (AM) to Wed 15 Apr 2026 (PM)",
    "granted_days": "Mon 13 Apr 2026, Tue 14 Apr 2026, Wed 15 Apr 2026",
    "refused_days": "",
    "code": "C",
    "code_meaning": "Leave of absence authorised for other exceptional circumstances",
    "refused_code": "G",
    "refused_code_meaning": "Holiday not authorised by the school, or days taken beyond the leave granted",
    "reasons": [],
    "exceptional_circumstances": "",
    "is_lunchtime": False,
    "valid_until": "",
    "sign_out_from": "12:10",
    "back_by": "13:05",
    "decided_by": "Gwen Harrow",
    "decided_role": "Senior leader",
    "reference": "17",
}

CASES = {
    "grant_leave": (LetterPurpose.GRANT, {"reasons": ["Enjoy the wedding."]}),
    "grant_holiday_exceptional": (
        LetterPurpose.GRANT,
        {"code": "H", "code_meaning": "Holiday authorised by the school",
         "exceptional_circumstances": "A last visit to a seriously ill grandparent abroad."},
    ),
    "grant_licence_some_days": (
        LetterPurpose.GRANT,
        {"request_title": "Performance or activity licence", "request_kind": "performance or activity licence",
         "granted_days": "Mon 13 Apr 2026", "refused_days": "Tue 14 Apr 2026, Wed 15 Apr 2026",
         "reasons": ["Tue 14 Apr 2026 would bring attendance below 90%."]},
    ),
    "grant_lunchtime": (
        LetterPurpose.GRANT,
        {"request_title": "Lunchtime leave", "request_kind": "lunchtime leave", "dates_requested": "",
         "granted_days": "", "code": "", "code_meaning": "", "refused_code": "", "refused_code_meaning": "",
         "is_lunchtime": True, "valid_until": "27 March 2026"},
    ),
    "refusal_leave": (
        LetterPurpose.REFUSAL,
        {"granted_days": "", "reasons": [
            "The request for leave of absence was made on Mon 2 March 2026, 11 calendar days before its first day "
            "(Mon 13 April 2026); the policy requires at least 14 days' notice.",
            "The leave is for a family holiday, which is refused unless the headteacher records exceptional circumstances.",
        ]},
    ),
    "refusal_lunchtime": (
        LetterPurpose.REFUSAL,
        {"request_title": "Lunchtime leave", "request_kind": "lunchtime leave", "dates_requested": "",
         "refused_code": "", "refused_code_meaning": "", "is_lunchtime": True,
         "reasons": ["Lunchtime supervision cannot be arranged this term."]},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_default_letter_matches_golden(case):
    purpose, changes = CASES[case]
    text = docx_text(render_docx(default_template(purpose), {**BASE, **changes}))
    expected = (GOLDEN / f"{case}.txt").read_text(encoding="utf-8")
    assert text == expected


def test_default_letters_use_known_placeholders():
    for purpose in LetterPurpose:
        check_template(default_template(purpose))


def test_letter_text_is_escaped():
    text = docx_text(render_docx(default_template(LetterPurpose.GRANT), {**BASE, "parent_name": "Ana & Rhys <Thornbury>"}))
    assert "Dear Ana & Rhys <Thornbury>," in text


def test_pdf_carries_letter_text():
    pdf = render_pdf("Dear Ana Thornbury,\nZoë and Łukasz are granted leave.", "Leave of absence", AT)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_template_unknown_placeholder_rejected():
    with pytest.raises(RequestInvalid, match="unknown placeholder.*pupil_address"):
        check_template(_docx("Dear {{ parent_name }}", "{{ pupil_address }}"))


def test_template_bad_tag_rejected():
    with pytest.raises(RequestInvalid, match="invalid tag"):
        check_template(_docx("Dear {{ parent_name }", "{% if %}"))


def test_template_not_docx_rejected():
    with pytest.raises(RequestInvalid, match="not a Word document"):
        check_template(b"%PDF-1.4 not a Word file")


@pytest.mark.django_db
def test_school_template_replaces_default(larkspur):
    LetterTemplate.objects.create(
        school=larkspur, purpose=LetterPurpose.GRANT.value, filename="ours.docx", uploaded_at=AT,
        uploaded_by_name="Gwen Harrow", content=_docx("Larkspur grants {{ pupil_name }} leave on {{ granted_days }}."),
    )
    letter = render_letter(larkspur.pk, LetterPurpose.GRANT, BASE, AT)
    assert letter.text == "Larkspur grants Mila Thornbury leave on Mon 13 Apr 2026, Tue 14 Apr 2026, Wed 15 Apr 2026.\n"
    refusal = render_letter(larkspur.pk, LetterPurpose.REFUSAL, {**BASE, "reasons": ["No."]}, AT)
    assert "I am sorry to tell you that the request has been refused" in refusal.text
