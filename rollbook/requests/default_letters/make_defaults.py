"""Write the default decision letter templates shipped with Rollbook (grant.docx, refusal.docx).

Run ``python -m rollbook.requests.default_letters.make_defaults`` after changing the wording here; the
golden-file test in ``rollbook/requests/tests/test_letters.py`` then shows the change. Each
paragraph is one line of ``PARAGRAPHS``; docxtpl's ``{%p ... %}`` tags stand alone in a
paragraph, which docxtpl removes when it renders.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

HEAD = [
    "{{ school_name }}",
    "{{ letter_date }}",
    "",
    "Dear {{ parent_name }},",
    "",
    "{{ request_title }} for {{ pupil_name }}",
    "",
    "Thank you for your request of {{ asked_on }} for {{ request_kind }} for {{ pupil_name }}{{ dates_requested }}.",
]

GRANT = [
    *HEAD,
    "",
    "{%p if is_lunchtime %}",
    "I have granted the request. The leave is in force until {{ valid_until }} and is renewed each term. "
    "{{ pupil_name }} signs out at the school office no earlier than {{ sign_out_from }} and signs back in "
    "no later than {{ back_by }}. You or the school may withdraw the leave at any time.",
    "{%p else %}",
    "I have granted the request for these days: {{ granted_days }}. They will be recorded in the "
    "attendance register as authorised absence ({{ code }}: {{ code_meaning }}).",
    "{%p endif %}",
    "{%p if refused_days %}",
    "I could not grant these days: {{ refused_days }}.",
    "{%p endif %}",
    "{%p if exceptional_circumstances %}",
    "The leave is granted because of the exceptional circumstances recorded: {{ exceptional_circumstances }}",
    "{%p endif %}",
    "{%p for reason in reasons %}",
    "{{ reason }}",
    "{%p endfor %}",
    "{%p if not is_lunchtime %}",
    "Please make sure {{ pupil_name }} is back in school on the first school day after the leave. "
    "Days taken beyond those granted are recorded as unauthorised absence.",
    "{%p endif %}",
]

REFUSAL = [
    *HEAD,
    "",
    "I am sorry to tell you that the request has been refused, for these reasons:",
    "{%p for reason in reasons %}",
    "{{ reason }}",
    "{%p endfor %}",
    "{%p if refused_code %}",
    "If {{ pupil_name }} is absent on these days, the absence will be recorded as unauthorised "
    "({{ refused_code }}: {{ refused_code_meaning }}).",
    "{%p endif %}",
    "Please contact the school office if you would like to discuss this decision.",
]

SIGN_OFF = [
    "",
    "Yours sincerely,",
    "",
    "{{ decided_by }}",
    "{{ decided_role }}",
    "Reference: request {{ reference }}",
]


def write_template(lines: list[str], path: Path) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for line in lines:
        document.add_paragraph(line)
    document.core_properties.author = "Rollbook"
    document.save(str(path))


def main() -> None:
    folder = Path(__file__).parent
    write_template(GRANT + SIGN_OFF, folder / "grant.docx")
    write_template(REFUSAL + SIGN_OFF, folder / "refusal.docx")


if __name__ == "__main__":
    main()
