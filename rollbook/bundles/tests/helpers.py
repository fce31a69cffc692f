"""Helpers shared by the bundle tests: editing a bundle copy and writing iCalendar files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


class BundleFolder:
    """A copy of a fixture bundle in a temporary folder, with helpers to change its files."""

    def __init__(self, path: Path):
        self.path = path

    def text(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8", newline="")

    def replace(self, name: str, old: str, new: str) -> int:
        """Replace the one occurrence of ``old`` in a file and return its line number."""
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        line = text[: text.index(old)].count("\n") + 1
        self.write(name, text.replace(old, new))
        return line

    def append(self, name: str, row: str) -> int:
        """Append a row to a file and return its line number."""
        text = self.text(name)
        if not text.endswith("\n"):
            text += "\n"
        self.write(name, text + row + "\n")
        return text.count("\n") + 1

    def line_of(self, name: str, fragment: str) -> int:
        """Return the number of the one line that contains ``fragment``."""
        lines = [number for number, line in enumerate(self.text(name).splitlines(), start=1) if fragment in line]
        assert len(lines) == 1, f"{fragment!r} is on lines {lines} of {name}"
        return lines[0]


def ics(events: list[tuple[dt.date, dt.date, str]], newline: str = "\n") -> bytes:
    """Build an iCalendar file of all-day events given as (first day, last day, summary)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rollbook tests//EN"]
    for number, (first, last, summary) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:test-{number}@rollbook.invalid",
            "DTSTAMP:20250101T000000Z",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return (newline.join(lines) + newline).encode()
