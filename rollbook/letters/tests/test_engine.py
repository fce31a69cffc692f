"""Tests for template checks and rendering in the letter engine."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from rollbook.letters import engine
from rollbook.letters.kinds import LetterKind

from .pdf_text import pdf_words


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_check_accepts_known_placeholders():
    engine.check_template(docx_with("Dear {{ parent_name }}", "{{ pupil_name }} {{ review_date }}"), LetterKind.TRIGGER_1)


def test_check_rejects_unknown_placeholder():
    with pytest.raises(engine.TemplateError, match=r"unknown placeholder\(s\) pupil_shoe_size"):
        engine.check_template(docx_with("{{ pupil_name }} {{ pupil_shoe_size }}"), LetterKind.TRIGGER_1)


def test_check_rejects_placeholder_of_other_kind():
    # A meeting date belongs to meeting letters, not to the improved-attendance letter.
    with pytest.raises(engine.TemplateError, match="meeting_date"):
        engine.check_template(docx_with("See you on {{ meeting_date }}"), LetterKind.IMPROVED)


def test_check_rejects_broken_tag():
    with pytest.raises(engine.TemplateError, match="invalid tag or placeholder"):
        engine.check_template(docx_with("Dear {{ parent_name "), LetterKind.TRIGGER_1)


def test_check_rejects_file_not_docx():
    with pytest.raises(engine.TemplateError, match=r"not a Word document \(.docx\)"):
        engine.check_template(b"%PDF-1.7 not a Word file", LetterKind.TRIGGER_1)


def test_check_rejects_zip_not_docx():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(engine.TemplateError, match="not a Word document that Rollbook can read"):
        engine.check_template(output.getvalue(), LetterKind.TRIGGER_1)


def test_check_rejects_broken_document_xml():
    source = zipfile.ZipFile(io.BytesIO(engine.default_template(LetterKind.IMPROVED)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)

    with pytest.raises(engine.TemplateError, match=r"not a Word document that Rollbook can read \(XMLSyntaxError\)"):
        engine.check_template(output.getvalue(), LetterKind.IMPROVED)


def test_check_rejects_empty_file():
    with pytest.raises(engine.TemplateError, match="the file is empty"):
        engine.check_template(b"", LetterKind.TRIGGER_1)


def test_check_rejects_large_file():
    with pytest.raises(engine.TemplateError, match="more than the 2,000,000 allowed"):
        engine.check_template(b"x" * (engine.MAX_TEMPLATE_BYTES + 1), LetterKind.TRIGGER_1)


def test_render_escapes_values():
    letter = engine.render_letter(docx_with("Dear {{ parent_name }},"), {"parent_name": "A & B <Smith>"})

    assert letter.text == "Dear A & B <Smith>,\n"
    assert pdf_words(letter.pdf) == ["Dear", "A", "&", "B", "<Smith>,"]


def test_render_prints_names_beyond_latin1():
    letter = engine.render_letter(docx_with("{{ pupil_name }}"), {"pupil_name": "Zoë Łukasiewicz"})

    assert letter.text == "Zoë Łukasiewicz\n"
    if engine.UNICODE_FONT.exists():
        assert pdf_words(letter.pdf) == ["Zoë", "Łukasiewicz"]


def test_batch_pdf_has_each_letter():
    first = engine.docx_paragraphs(engine.render_docx(docx_with("Letter {{ pupil_name }}"), {"pupil_name": "One"}))
    second = engine.docx_paragraphs(engine.render_docx(docx_with("Letter {{ pupil_name }}"), {"pupil_name": "Two"}))

    pdf = engine.render_pdf([first, second])

    assert pdf_words(pdf) == ["Letter", "One", "Letter", "Two"]
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2


def test_headings_kept_from_default_text():
    paragraphs = engine.docx_paragraphs(engine.default_template(LetterKind.TRIGGER_1))

    headings = [p.text for p in paragraphs if p.heading]
    assert headings == ["{{ pupil_name }}'s attendance"]
