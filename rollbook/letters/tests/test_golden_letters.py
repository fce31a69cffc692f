"""Golden files pin the text of every default letter, in Word and in PDF.

Each default letter is written for Hazel on 29 September 2025 and its text compared with
``golden/<kind>.txt``. After a deliberate change to a default letter, rewrite the golden
files with ``ROLLBOOK_UPDATE_GOLDEN=1 pytest rollbook/letters/tests/test_golden_letters.py``
and review the difference before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from rollbook.letters import engine
from rollbook.letters.kinds import LetterKind
from rollbook.letters.services import compose

from .conftest import LETTER_DAY, SENDER
from .pdf_text import pdf_words

GOLDEN = Path(__file__).parent / "golden"

SENDER_VALUES = {
    LetterKind.TRIGGER_1: {"review_date": dt.date(2025, 10, 24)},
    LetterKind.TRIGGER_2: {
        "review_date": dt.date(2025, 11, 21),
        "meeting_date": dt.date(2025, 10, 7),
        "meeting_time": dt.time(15, 30),
        "meeting_place": "the school office",
    },
    LetterKind.TRIGGER_3: {
        "meeting_date": dt.date(2025, 10, 7),
        "meeting_time": dt.time(9, 0),
        "meeting_place": "the library",
        "review_date": dt.date(2025, 11, 4),
    },
    LetterKind.IMPROVED: {},
    LetterKind.MEDICAL_EVIDENCE: {
        "absence_dates": "4 and 5 September 2025",
        "evidence_due_date": dt.date(2025, 10, 10),
    },
    LetterKind.MEETING_INVITATION: {
        "meeting_date": dt.date(2025, 10, 8),
        "meeting_time": dt.time(12, 0),
        "meeting_place": "the family room",
        "meeting_purpose": "the support Hazel needs to attend every day",
        "attendees": "Priya Castell, attendance lead, and Tom Reyes, LA attendance officer",
    },
    LetterKind.PENALTY_WARNING: {"improvement_by": dt.date(2025, 10, 24)},
    LetterKind.RECOGNITION: {
        "achievement": "improved attendance this half-term",
        "individual_target": Decimal("80"),
    },
}


def test_golden_table_covers_every_kind():
    assert set(SENDER_VALUES) == set(LetterKind)


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda kind: kind.value)
def test_default_letter_matches_golden(hazel, kind):
    letter = compose(hazel, kind, on=LETTER_DAY, sender=SENDER, sender_values=SENDER_VALUES[kind])
    golden = GOLDEN / f"{kind.value}.txt"
    if os.environ.get("ROLLBOOK_UPDATE_GOLDEN") == "1":
        golden.write_text(letter.rendered.text, encoding="utf-8")

    expected = golden.read_text(encoding="utf-8")
    assert engine.docx_text(letter.rendered.docx) == expected
    assert letter.rendered.text == expected
    assert pdf_words(letter.rendered.pdf) == expected.split()


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda kind: kind.value)
def test_default_letter_leaves_no_placeholder(hazel, kind):
    letter = compose(hazel, kind, on=LETTER_DAY, sender=SENDER, sender_values=SENDER_VALUES[kind])
    assert "{{" not in letter.rendered.text
    assert "{%" not in letter.rendered.text


def test_default_template_passes_its_own_check():
    for kind in LetterKind:
        engine.check_template(engine.default_template(kind), kind)


def test_default_template_is_rebuilt_with_same_text():
    for kind in LetterKind:
        first = engine.docx_text(engine.default_template(kind))
        engine.default_template.cache_clear()
        assert engine.docx_text(engine.default_template(kind)) == first
