"""Attendance codes and code sets.

A code set is data (a TOML file under ``codesets/``): each code has a meaning and one
statistical category. Every code that any set has ever used also has a fixed one-byte number,
so a pupil's marks for a year can be stored as a compact byte sequence whatever set they
were recorded under.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


class Category(enum.StrEnum):
    """Statistical category of an attendance code."""

    PRESENT = "present"
    APPROVED_EDUCATIONAL_ACTIVITY = "approved_educational_activity"
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not_possible"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# The byte that stands for each code in a compact mark sequence; 0 means "no mark".
# Append new codes at the end: stored sequences depend on these numbers never changing.
CODE_BYTES: dict[str, int] = {
    code: number
    for number, code in enumerate(
        (
            "/", "\\", "L",
            "B", "J", "P", "V", "W", "K",
            "C", "C1", "C2", "E", "H", "I", "J1", "M", "R", "S", "T",
            "G", "N", "O", "U",
            "D", "X", "Y", "Z", "#", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7",
            "F",
        ),
        start=1,
    )
}
NO_MARK = 0
CODES_BY_BYTE: dict[int, str] = {number: code for code, number in CODE_BYTES.items()}


class UnknownCodeError(ValueError):
    """A code that is not in the code set in force."""

    def __init__(self, code: str, code_set: "CodeSet"):
        self.code = code
        self.code_set = code_set
        allowed = " ".join(code_set.codes)
        super().__init__(
            f"attendance code {code!r} is not in the code set {code_set.name!r}; "
            f"use one of: {allowed}"
        )


@dataclass(frozen=True)
class Code:
    code: str
    category: Category
    meaning: str


@dataclass(frozen=True)
class CodeSet:
    """An ordered set of attendance codes, each with its category."""

    name: str
    title: str
    codes: dict[str, Code]

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> Code:
        """Return the code, or raise ``UnknownCodeError`` naming the code and this set."""
        try:
            return self.codes[code]
        except KeyError:
            raise UnknownCodeError(code, self) from None

    def category(self, code: str) -> Category:
        return self.get(code).category

    def codes_in(self, category: Category) -> tuple[str, ...]:
        """Return this set's codes of one category, in the set's order."""
        return tuple(c.code for c in self.codes.values() if c.category == category)

    def category_by_byte(self) -> dict[int, Category]:
        """Map each code byte of this set to its category (see ``CODE_BYTES``)."""
        return {CODE_BYTES[c.code]: c.category for c in self.codes.values()}


class CodeSetError(ValueError):
    """A code set file that does not describe a valid code set."""


def parse_code_set(data: dict, source: str) -> CodeSet:
    """Build a code set from parsed TOML, raising ``CodeSetError`` naming the bad key."""
    for key in ("name", "title"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise CodeSetError(f"{source}: key {key!r} is missing or not text")
    table = data.get("codes")
    if not isinstance(table, dict) or not table:
        raise CodeSetError(f"{source}: table 'codes' is missing or empty")

    codes: dict[str, Code] = {}
    allowed_categories = ", ".join(c.value for c in Category)
    for code, entry in table.items():
        if code not in CODE_BYTES:
            raise CodeSetError(
                f"{source}: codes.{code!r} is not a known attendance code; "
                f"known codes are {' '.join(CODE_BYTES)}"
            )
        if not isinstance(entry, dict):
            raise CodeSetError(f"{source}: codes.{code!r} must be a table with category and meaning")
        try:
            category = Category(entry.get("category"))
        except ValueError:
            raise CodeSetError(
                f"{source}: codes.{code!r}.category = {entry.get('category')!r} is invalid; "
                f"use one of: {allowed_categories}"
            ) from None
        meaning = entry.get("meaning")
        if not isinstance(meaning, str) or not meaning:
            raise CodeSetError(f"{source}: codes.{code!r}.meaning is missing or not text")
        codes[code] = Code(code=code, category=category, meaning=meaning)
    return CodeSet(name=data["name"], title=data["title"], codes=codes)


def available_code_sets() -> tuple[str, ...]:
    """Return the names of the code sets shipped with Rollbook."""
    folder = resources.files(__package__) / "codesets"
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


@cache
def load_code_set(name: str) -> CodeSet:
    """Load a shipped code set by name, such as ``national-2006``."""
    if name not in available_code_sets():
        raise CodeSetError(
            f"code set {name!r} does not exist; use one of: {', '.join(available_code_sets())}"
        )
    path = resources.files(__package__) / "codesets" / f"{name}.toml"
    return parse_code_set(tomllib.loads(path.read_text(encoding="utf-8")), f"code set {name}")
