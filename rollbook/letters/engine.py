"""The letter engine: Word templates with placeholders, filled in and typeset as Word and PDF.

A template is a .docx file whose text holds placeholders such as ``{{ pupil_name }}`` (docxtpl,
which uses Jinja2). The default template of each kind is built from the plain text in
``defaults/<kind>.txt``: a line starting with "# " is a heading, every other non-empty line a
paragraph. The default is built the same way every time, so its text is fixed by the .txt file.

The PDF is typeset from the paragraphs of the filled Word document, so both files carry the
same text. The PDF uses DejaVu Sans when Debian's fonts-dejavu is installed, so any name
prints; otherwise Helvetica, which covers Latin-1 only.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate
from fpdf import FPDF

from .kinds import KindSpec, LetterKind, kind_spec

DEFAULTS_FOLDER = Path(__file__).parent / "defaults"
MAX_TEMPLATE_BYTES = 2_000_000
HEADING_PREFIX = "# "
HEADING_STYLE = "Heading 1"

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


class TemplateError(ValueError):
    """An uploaded template that Rollbook cannot fill; the message says what to fix."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: bool = False


@dataclass(frozen=True)
class RenderedLetter:
    """A filled letter: its text (one paragraph a line), the Word file and the PDF."""

    text: str
    docx: bytes
    pdf: bytes


def default_text(kind: LetterKind) -> str:
    return (DEFAULTS_FOLDER / f"{kind.value}.txt").read_text(encoding="utf-8")


def default_version(kind: LetterKind) -> str:
    """Return a label naming the exact default text, such as "default 3f2a9c1b", for the letters' record."""
    digest = hashlib.sha256(default_text(kind).encode("utf-8")).hexdigest()[:8]
    return f"default {digest}"


def _paragraphs_of_text(text: str) -> list[Paragraph]:
    paragraphs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(HEADING_PREFIX):
            paragraphs.append(Paragraph(line.removeprefix(HEADING_PREFIX), heading=True))
        else:
            paragraphs.append(Paragraph(line))
    return paragraphs


@cache
def default_template(kind: LetterKind) -> bytes:
    """Build the default Word template of a kind from its text file."""
    document = Document()
    document.core_properties.title = kind.label
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    for paragraph in _paragraphs_of_text(default_text(kind)):
        if paragraph.heading:
            document.add_paragraph(paragraph.text, style=HEADING_STYLE)
        else:
            document.add_paragraph(paragraph.text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def check_template(content: bytes, kind: LetterKind) -> None:
    """Raise ``TemplateError`` unless ``content`` is a .docx template that a letter of ``kind`` can fill.

    Every placeholder must be one the kind provides, and every tag must be valid Jinja2.
    """
    spec = kind_spec(kind)
    if not content:
        raise TemplateError("the file is empty; choose a Word document (.docx)")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"the file is {len(content):,} bytes, more than the {MAX_TEMPLATE_BYTES:,} allowed; "
            "remove large images and upload it again"
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateError(
            "the file is not a Word document (.docx); in Word choose Save As, Word Document (.docx), and upload that"
        )
    try:
        used = DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"the template has an invalid placeholder or tag near line {error.lineno}: {error.message}; "
            "write placeholders as {{ name }}"
        ) from None
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TemplateError(
            f"the file is not a Word document that Rollbook can read ({type(error).__name__}); "
            "save it as .docx and upload it again"
        ) from None

    unknown = sorted(set(used) - set(spec.all_placeholders()))
    if unknown:
        raise TemplateError(
            f"the template uses unknown placeholder(s) {', '.join(unknown)}; "
            f"a {spec.title.lower()} letter can use: {', '.join(spec.all_placeholders())}"
        )


def render_docx(template: bytes, context: dict[str, str]) -> bytes:
    """Fill a Word template. Values are escaped, so any text is safe to insert."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def docx_paragraphs(content: bytes) -> list[Paragraph]:
    """Return the non-empty paragraphs of a Word document's body and tables, in order.

    A paragraph whose style name starts with "Heading" or "Title" is a heading.
    """
    document = Document(io.BytesIO(content))
    found = []
    blocks = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                blocks.extend(cell.paragraphs)
    for paragraph in blocks:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        found.append(Paragraph(text, heading=style.startswith(("Heading", "Title"))))
    return found


def docx_text(content: bytes) -> str:
    """Return a Word document's non-empty paragraphs as text, one a line."""
    return "".join(f"{p.text}\n" for p in docx_paragraphs(content))


class _LetterPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        if UNICODE_FONT.exists() and UNICODE_BOLD_FONT.exists():
            self.add_font("Letter", "", str(UNICODE_FONT))
            self.add_font("Letter", "B", str(UNICODE_BOLD_FONT))
            self.font_family_name = "Letter"
        else:
            self.font_family_name = "Helvetica"

    def printable(self, text: str) -> str:
        if self.font_family_name != "Helvetica":
            return text
        # Helvetica covers Latin-1: swap typographic quotes and dashes, mark anything else.
        replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
        text = "".join(replacements.get(char, char) for char in text)
        return text.encode("latin-1", errors="replace").decode("latin-1")


def add_letter_pages(pdf: _LetterPdf, paragraphs: list[Paragraph]) -> None:
    pdf.add_page()
    for paragraph in paragraphs:
        if paragraph.heading:
            pdf.set_font(pdf.font_family_name, "B", 13)
            pdf.multi_cell(0, 7, pdf.printable(paragraph.text), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(pdf.font_family_name, "", 11)
            pdf.multi_cell(0, 5.5, pdf.printable(paragraph.text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)


def render_pdf(letters: list[list[Paragraph]]) -> bytes:
    """Typeset letters into one PDF, each starting on a new page."""
    pdf = _LetterPdf()
    for paragraphs in letters:
        add_letter_pages(pdf, paragraphs)
    return bytes(pdf.output())


def render_letter(template: bytes, context: dict[str, str]) -> RenderedLetter:
    """Fill a template and typeset it; the Word file, the PDF and ``text`` carry the same text."""
    docx = render_docx(template, context)
    paragraphs = docx_paragraphs(docx)
    return RenderedLetter(
        text="".join(f"{p.text}\n" for p in paragraphs),
        docx=docx,
        pdf=render_pdf([paragraphs]),
    )


def spec_for(kind: LetterKind) -> KindSpec:
    return kind_spec(kind)
