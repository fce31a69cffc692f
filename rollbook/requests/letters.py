"""Decision letters: a Word template with placeholders, rendered to Word for editing and PDF for sending.

The school may upload its own template for a grant or a refusal; otherwise the default shipped in
``default_letters/`` is used. Both files carry the same text: the PDF is typeset from the paragraphs of
the rendered Word document.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docx import Document
from docxtpl import DocxTemplate
from fpdf import FPDF

from .errors import RequestInvalid
from .models import LetterPurpose, LetterTemplate

DEFAULT_FOLDER = Path(__file__).parent / "default_letters"
MAX_TEMPLATE_BYTES = 2_000_000

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

# Fonts tried for the PDF, so names outside Latin-1 print; Helvetica (Latin-1 only) otherwise.
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def default_template(purpose: LetterPurpose) -> bytes:
    return (DEFAULT_FOLDER / f"{purpose.value}.docx").read_bytes()


def template_for(school_id: int, purpose: LetterPurpose) -> bytes:
    """Return the school's newest uploaded template for ``purpose``, else the default."""
    uploaded = LetterTemplate.objects.filter(school_id=school_id, purpose=purpose.value).first()
    return bytes(uploaded.content) if uploaded else default_template(purpose)


def check_template(content: bytes) -> None:
    """Raise ``RequestInvalid`` (field ``template``) unless ``content`` is a Word template Rollbook can fill.

    The file must be a .docx document whose placeholders are all in ``PLACEHOLDERS`` and whose
    tags are valid.
    """
    if len(content) > MAX_TEMPLATE_BYTES:
        raise RequestInvalid("template", f"the file is {len(content)} bytes, more than {MAX_TEMPLATE_BYTES}; remove large images")
    try:
        template = DocxTemplate(io.BytesIO(content))
        used = template.get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as error:
        raise RequestInvalid("template", f"the template has an invalid tag on line {error.lineno}: {error.message}") from None
    except Exception as error:  # noqa: BLE001 - python-docx raises several types for a file that is not .docx
        raise RequestInvalid(
            "template", f"the file is not a Word document ({type(error).__name__}); save it as .docx and upload it again"
        ) from None
    unknown = sorted(set(used) - set(PLACEHOLDERS))
    if unknown:
        raise RequestInvalid(
            "template",
            f"the template uses unknown placeholder(s) {', '.join(unknown)}; use only: {', '.join(PLACEHOLDERS)}",
        )


@dataclass(frozen=True)
class RenderedLetter:
    text: str
    docx: bytes
    pdf: bytes


def render_docx(template: bytes, context: dict) -> bytes:
    """Fill a Word template with ``context``; values are escaped, so any text is safe to insert."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def docx_text(content: bytes) -> str:
    """Return a Word document's paragraphs as text, one a line."""
    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs).strip() + "\n"


def _latin1(text: str) -> str:
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    text = "".join(replacements.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char)).encode("latin-1", "replace").decode("latin-1")


def render_pdf(text: str, title: str, created: dt.datetime) -> bytes:
    """Typeset a letter's text on A4 pages, one paragraph a line of ``text``."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    font = next((path for path in UNICODE_FONTS if path.exists()), None)
    if font is not None:
        pdf.add_font("Letter", fname=str(font))
        pdf.set_font("Letter", size=11)
    else:
        # NOTE: without a Unicode font, letters outside Latin-1 print without accents or as "?".
        pdf.set_font("Helvetica", size=11)
        text = _latin1(text)
    for paragraph in text.splitlines():
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_letter(school_id: int, purpose: LetterPurpose, context: dict, created: dt.datetime) -> RenderedLetter:
    """Render a decision letter from the school's template for ``purpose``, as text, Word and PDF."""
    content = render_docx(template_for(school_id, purpose), context)
    text = docx_text(content)
    return RenderedLetter(text=text, docx=content, pdf=render_pdf(text, context.get("request_title", "Letter"), created))
