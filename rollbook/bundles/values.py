"""Reading bundle CSV files and the values in their cells: dates, flags and whole numbers.

Every reader raises ``ValueError`` with a message that quotes the value and shows how to write
it. The file parsers add the file, line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .problems import ProblemList

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
UK_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
WHOLE_NUMBER = re.compile(r"[0-9]+")

DATE_HELP = "write YYYY-MM-DD, or DD/MM/YYYY with a two-digit day and month (2025-09-01 or 01/09/2025)"
FLAG_HELP = "write Y or N (or true or false), or leave it empty when not recorded"

FLAG_VALUES = {"y": True, "true": True, "n": False, "false": False}
SEN_VALUES = {"y": "Y", "true": "Y", "n": "N", "false": "N", "k": "K", "e": "E"}


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` or day-first ``DD/MM/YYYY``; raise ``ValueError`` for anything else.

    A month-first date is never guessed: ``09/31/2025`` is read as day 09 of month 31 and
    rejected. Results are cached because a marks file repeats the same few hundred dates.
    """
    if match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"{text!r} is not a date; {DATE_HELP}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date (read as day {day}, month {month}, year {year}; "
            f"dates are never read month first); {DATE_HELP}"
        ) from None


def parse_flag(text: str) -> bool | None:
    """Parse a yes/no flag; an empty cell means not recorded and returns None."""
    if not text:
        return None
    try:
        return FLAG_VALUES[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not a flag; {FLAG_HELP}") from None


def parse_sen(text: str) -> str:
    """Parse the SEN provision: ``Y``, ``N``, ``K`` or ``E``, with true and false as Y and N.

    Returns the empty string when the cell is empty (not recorded).
    """
    if not text:
        return ""
    try:
        return SEN_VALUES[text.lower()]
    except KeyError:
        raise ValueError(
            f"{text!r} is not an SEN provision; write K (SEN support), E (EHC plan), "
            f"Y or N (or true or false), or leave it empty when not recorded"
        ) from None


def parse_minutes(text: str) -> int | None:
    """Parse a whole number of minutes, 0 or more; an empty cell returns None."""
    if not text:
        return None
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not a whole number of minutes; write 0 or more, such as 5, or leave it empty")
    return int(text)


def decode_text(raw: bytes, problems: ProblemList) -> str | None:
    """Decode UTF-8 text with or without a byte order mark; report invalid bytes with their line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1]
        problems.add(
            line,
            None,
            None,
            f"byte 0x{byte.hex()} is not UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)",
        )
        return None


class CsvRow(NamedTuple):
    """One data row: its line number in the file and its cells, stripped of outer spaces."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header (column name to position) and its data rows."""

    columns: dict[str, int]
    rows: tuple[CsvRow, ...]

    def has(self, column: str) -> bool:
        return column in self.columns


def read_csv(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: ProblemList,
    warnings: list[str],
) -> CsvTable | None:
    """Read a CSV file with a header row; return None when it cannot be read at all.

    Rows whose number of cells differs from the header are reported and left out. Rows with
    every cell empty are skipped, as spreadsheets often write them. Unknown columns give one
    warning for the whole file.
    """
    if not path.is_file():
        problems.add(None, None, None, f"the file is missing; add {path.name} to the bundle folder {path.parent}")
        return None
    text = decode_text(path.read_bytes(), problems)
    if text is None:
        return None

    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    previous_line = 0
    try:
        for cells in reader:
            records.append((previous_line + 1, cells))
            previous_line = reader.line_num
    except csv.Error as error:
        problems.add(previous_line + 1, None, None, f"the CSV text is invalid ({error}); check the quotes on this line")
        return None
    if not records:
        problems.add(1, None, None, f"the file is empty; it needs a header row: {','.join(required)}")
        return None

    header_line, header = records[0]
    columns = _read_header(header, header_line, required, optional, problems, warnings, path.name)
    if columns is None:
        return None

    rows = []
    for line, cells in records[1:]:
        stripped = tuple(map(str.strip, cells))
        if not any(stripped):
            continue
        if len(stripped) != len(header):
            problems.add(
                line,
                None,
                None,
                f"the row has {len(stripped)} cells but the header has {len(header)}; "
                f"check for a missing or extra comma, and quote values that contain commas",
            )
            continue
        rows.append(CsvRow(line, stripped))
    return CsvTable(columns, tuple(rows))


def _read_header(
    header: list[str],
    line: int,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: ProblemList,
    warnings: list[str],
    file_name: str,
) -> dict[str, int] | None:
    names = [name.strip() for name in header]
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in columns:
            problems.add(line, name, name, f"the column {name!r} appears twice in the header; keep one")
            continue
        columns[name] = position

    missing = [name for name in required if name not in columns]
    if missing:
        problems.add(
            line,
            None,
            ",".join(names),
            f"the header lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; the header must contain {','.join(required)}",
        )
    unknown = [name for name in names if name not in required and name not in optional]
    if unknown:
        warnings.append(
            f"{file_name}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(name) for name in unknown)} ignored and not imported; "
            f"known columns are {','.join((*required, *optional))}"
        )
    if missing or len(columns) != len(names):
        return None
    return columns
