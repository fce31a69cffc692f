"""Writing report rows as JSON, CSV or a readable table."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

FORMATS = ("json", "csv", "table")


def write_json(rows: Sequence[dict], out: TextIO) -> None:
    # One write: Django's command output wrapper ends every write with a newline.
    out.write(json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n")


def write_csv(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row.get(key)) for key in columns})


def write_table(rows: Sequence[dict], columns: Sequence[str], out: TextIO) -> None:
    """Write rows as aligned plain-text columns, with a header and a rule under it."""
    cells = [[_cell(row.get(key)) for key in columns] for row in rows]
    widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)]
    out.write("  ".join(column.ljust(width) for column, width in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * width for width in widths) + "\n")
    for line in cells:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() + "\n")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
