"""Problems found in a school bundle, each tied to the file, line and column where it sits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BundleProblem:
    """One invalid value in a bundle file.

    ``line`` counts from 1 with the header row as line 1, as a text editor shows it. ``column``
    is a CSV column name or a TOML key. Either is None when the problem concerns a whole file.
    ``message`` states what is wrong with ``value`` and how to fix it.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f", line {self.line}"
        if self.column is not None:
            place += f", column {self.column}"
        return f"{place}: {self.message}"


class BundleError(ValueError):
    """A bundle with invalid content. Nothing was written to the database."""

    def __init__(self, folder: str, problems: Sequence[BundleProblem], warnings: Sequence[str] = ()):
        self.folder = folder
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        count = len(self.problems)
        super().__init__(f"school bundle {folder} has {count} error{'s' if count != 1 else ''}; nothing was imported")

    def report(self) -> str:
        """Return the summary line followed by every problem, one per line."""
        return "\n".join([str(self), *(str(problem) for problem in self.problems)])


class ProblemList:
    """Collects the problems of one file so each parser can report every invalid value."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[BundleProblem] = []

    def add(self, line: int | None, column: str | None, value: str | None, message: str) -> None:
        self.items.append(BundleProblem(self.file, line, column, value, message))

    def __len__(self) -> int:
        return len(self.items)
