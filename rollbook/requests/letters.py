"""Decision letters: a Word template with placeholders, rendered to Word for editing and PDF for sending.

The school may upload its own template for a grant or a refusal; otherwise the default shipped in
``default_letters/`` is used. Both files carry the same text: the PDF is typeset from the paragraphs of
the rendered Word document. Checking, filling and typesetting are the letter engine's
(``rollbook.letters.engine``), shared by every letter Rollbook writes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document

from rollbook.letters import engine

from .errors import RequestInvalid
from .models import LetterPurpose, LetterTemplate

DEFAULT_FOLDER = Path(__file__).parent / "default_letters"

# The placeholders a template may use, with what each holds; shown on the upload screen.
PLACEHOLDERS: dict[str, str] = {
    "school_name": "the school's name",
    "letter_date": "the date of the decision, such as 5 March 2026",
    "parent_name": "who made the request",
    "pupil_name": "the pupil's forename and surname",
    "request_title": "the kind of request with a capital, such as Leave of absence",
    "request_kind": "the kind of request in a sentence, such as leave of absence",
    "asked_on": "the date the request was made",
    "dates_requested": "', from Mon 13 Apr 2026 (AM) to Fri 17 Apr 2026 (PM)', or empty for lunchtime leave",
    "granted_days": "the days granted",
    "refused_days": "the days refused when only some were granted, else empty",
    "code": "the attendance code granted days are marked with",
    "code_meaning": "that code's meaning",
    "refused_code": "the code for refused leave taken, or empty when it does not apply",
    "refused_code_meaning": "that code's meaning",
    "reasons": "a list: the reasons for the decision, one per paragraph",
    "exceptional_circumstances": "the exceptional circumstances recorded, or empty",
    "is_lunchtime": "true for lunchtime leave",
    "valid_until": "the last day lunchtime leave is in force",
    "sign_out_from": "the earliest time a pupil with lunchtime leave signs out",
    "back_by": "the latest time they sign back in",
    "decided_by": "who decided",
    "decided_role": "their role",
    "reference": "the request's number",
}


def default_template(purpose: LetterPurpose) -> bytes:
    return (DEFAULT_FOLDER / f"{purpose.value}.docx").read_bytes()


def template_for(school_id: int, purpose: LetterPurpose) -> bytes:
    """Return the school's newest uploaded template for ``purpose``, else the default."""
    uploaded = LetterTemplate.objects.filter(school_id=school_id, purpose=purpose.value).first()
    return bytes(uploaded.content) if uploaded else default_template(purpose)


def check_template(content: bytes) -> None:
    """Raise ``RequestInvalid`` (field ``template``) unless ``content`` is a Word template Rollbook can fill.

    The letter engine checks that the file is a .docx document whose placeholders are all in
    ``PLACEHOLDERS`` and whose tags are valid.
    """
    try:
        engine.check_placeholders(content, PLACEHOLDERS, "a decision letter")
    except engine.TemplateError as error:
        raise RequestInvalid("template", str(error)) from None


@dataclass(frozen=True)
class RenderedLetter:
    text: str
    docx: bytes
    pdf: bytes


def render_docx(template: bytes, context: dict) -> bytes:
    """Fill a Word template with ``context``; values are escaped, so any text is safe to insert."""
    return engine.render_docx(template, context)


def docx_text(content: bytes) -> str:
    """Return a Word document's paragraphs as text, one a line."""
    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs).strip() + "\n"


def render_pdf(text: str, title: str, created: dt.datetime) -> bytes:
    """Typeset a letter's text on A4 pages with the letter engine, one paragraph a line of ``text``."""
    paragraphs = [engine.Paragraph(line) for line in text.splitlines() if line.strip()]
    return engine.render_pdf([paragraphs], title=title, created=created)


def render_letter(school_id: int, purpose: LetterPurpose, context: dict, created: dt.datetime) -> RenderedLetter:
    """Render a decision letter from the school's template for ``purpose``, as text, Word and PDF."""
    content = render_docx(template_for(school_id, purpose), context)
    text = docx_text(content)
    return RenderedLetter(text=text, docx=content, pdf=render_pdf(text, context.get("request_title", "Letter"), created))
