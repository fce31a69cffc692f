"""Fixtures for bundle tests: a writable copy of a small synthetic bundle and helpers to edit it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "bundles"


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


@pytest.fixture
def small_bundle(tmp_path) -> BundleFolder:
    """A writable copy of the small bundle: 7 pupils, 120 marks, school-2023, 2025/26."""
    path = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", path)
    return BundleFolder(path)
