"""A benchmark-only fast path that stores a school bundle without the importer's mark checks.

The bundle importer checks every mark in Python, which makes a full local authority (about 19
million marks) take most of an hour. An earlier importer that built a Django model per
revision needed nearly two hours. Both are estimates from 15-school runs, in docs/benchmarks.md. To time the reports
over all schools, the runner imports the first schools through the importer and loads the
rest here:

1. the school, calendar, pupils, enrolments and placements go through ``import_bundle`` with
   an empty ``marks.csv``, so they are stored exactly as an import stores them;
2. the marks are appended to the revisions table with ``executemany`` in batches (``COPY`` on
   PostgreSQL), as revisions from an import with nothing superseded;
3. each pupil's mark sequence is built from the same rows with numpy.

This trusts the generator's files to be valid, which the importer proves for the schools it
loads, and ``sequences_match`` checks that both paths store the same sequences.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import connection, transaction

from rollbook.bundles.importer import import_bundle
from rollbook.policy.calendar import SLOTS_PER_YEAR, academic_year_start
from rollbook.policy.codes import CODE_BYTES
from rollbook.registers.models import MarkRevision, MarkSequence, RevisionSource
from rollbook.schools.models import AcademicYear, Pupil, School

BATCH_ROWS = 20_000
RECORDED_BY = "bundle import"
ROLE = "import"


@dataclass(frozen=True)
class MarkColumns:
    """The rows of a ``marks.csv`` as parallel lists, in file order."""

    upns: list[str]
    dates: list[str]
    sessions: list[str]
    codes: list[str]
    minutes_late: list[int | None]

    def __len__(self) -> int:
        return len(self.upns)


def read_marks(path: Path) -> MarkColumns:
    """Read a ``marks.csv`` with ISO dates, as the generator writes it."""
    with open(path, encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        position = {name: header.index(name) for name in ("upn", "date", "session", "code")}
        minutes_position = header.index("minutes_late") if "minutes_late" in header else None
        rows = list(reader)
    return MarkColumns(
        upns=[row[position["upn"]] for row in rows],
        dates=[row[position["date"]] for row in rows],
        sessions=[row[position["session"]] for row in rows],
        codes=[row[position["code"]] for row in rows],
        minutes_late=[
            int(row[minutes_position]) if minutes_position is not None and row[minutes_position] else None
            for row in rows
        ],
    )


def sequences_from_marks(marks: MarkColumns, start_year: int, upns: list[str]) -> np.ndarray:
    """Return the mark sequences of the given pupils (rows in ``upns`` order) from a file's marks."""
    row_of = {upn: row for row, upn in enumerate(upns)}
    rows = np.fromiter((row_of[upn] for upn in marks.upns), dtype=np.int64, count=len(marks))
    days = (np.array(marks.dates, dtype="datetime64[D]") - np.datetime64(academic_year_start(start_year))).astype(np.int64)
    slots = 2 * days + (np.array(marks.sessions) == "PM")
    code_bytes = np.fromiter((CODE_BYTES[code] for code in marks.codes), dtype=np.uint8, count=len(marks))
    sequences = np.zeros((len(upns), SLOTS_PER_YEAR), dtype=np.uint8)
    sequences[rows, slots] = code_bytes
    return sequences


def _skeleton(folder: Path, skeletons: Path) -> Path:
    """Copy a bundle without its marks: the same files and a ``marks.csv`` with only its header."""
    target = skeletons / folder.name
    target.mkdir(parents=True, exist_ok=True)
    for name in ("school.toml", "calendar.csv", "pupils.csv"):
        shutil.copyfile(folder / name, target / name)
    with open(folder / "marks.csv", encoding="utf-8-sig") as source:
        header = source.readline()
    (target / "marks.csv").write_text(header, encoding="utf-8")
    return target


def _write_revisions(columns: list[str], rows: list[tuple]) -> None:
    """Append revision rows (tuples in ``columns`` order) with the fastest statement of the backend."""
    table = connection.ops.quote_name(MarkRevision._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return

    placeholders = ", ".join(["%s"] * len(columns))
    statement = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for first in range(0, len(rows), BATCH_ROWS):
            cursor.executemany(statement, rows[first : first + BATCH_ROWS])


def _store_sequences(school: School, year: AcademicYear, pupil_ids: list[int], sequences: np.ndarray) -> None:
    stored = {s.pupil_id: s for s in MarkSequence.objects.filter(pupil_id__in=pupil_ids, academic_year=year.start_year)}
    changed, new = [], []
    for pupil_id, codes in zip(pupil_ids, sequences):
        sequence = stored.get(pupil_id)
        if sequence is None:
            new.append(MarkSequence(school=school, pupil_id=pupil_id, academic_year=year.start_year, codes=codes.tobytes()))
        else:
            sequence.codes = codes.tobytes()
            changed.append(sequence)
    MarkSequence.objects.bulk_create(new, batch_size=500)
    MarkSequence.objects.bulk_update(changed, ["codes"], batch_size=200)


def fast_load(folder: Path, skeletons: Path, at: dt.datetime) -> int:
    """Store one generated bundle by the fast path and return the number of marks stored."""
    result = import_bundle(_skeleton(folder, skeletons), at=at)
    school = School.objects.get(urn=result.urn)
    year = AcademicYear.objects.get(school=school, start_year=result.academic_year)
    code_set = year.policy().code_set.name
    marks = read_marks(folder / "marks.csv")
    upns = sorted(set(marks.upns))
    pupil_of = dict(Pupil.objects.filter(school=school, upn__in=upns).values_list("upn", "pk"))

    # Values that are the same for every mark of the school, by field name.
    fixed = {
        "school": school.pk,
        "code_set": code_set,
        "comment": "",
        "recorded_at": connection.ops.adapt_datetimefield_value(at),
        "recorded_by": RECORDED_BY,
        "role": ROLE,
        "source": RevisionSource.IMPORT.value,
        "reason": f"Imported from school bundle {folder.resolve().name}",
        "supersedes": None,
    }
    varying = ("pupil", "date", "session", "code", "minutes_late")
    fields = [field for field in MarkRevision._meta.concrete_fields if not field.primary_key]
    unknown = {field.name for field in fields} - set(fixed) - set(varying)
    if unknown:
        raise RuntimeError(f"the fast path does not fill the revision fields {sorted(unknown)}; update bench.fastload")
    columns = [field.column for field in fields]
    template = [fixed.get(field.name) for field in fields]
    places = [next(i for i, field in enumerate(fields) if field.name == name) for name in varying]

    rows = []
    for values in zip((pupil_of[upn] for upn in marks.upns), marks.dates, marks.sessions, marks.codes, marks.minutes_late):
        row = template.copy()
        for place, value in zip(places, values):
            row[place] = value
        rows.append(tuple(row))
    sequences = sequences_from_marks(marks, year.start_year, upns)
    with transaction.atomic():
        _write_revisions(columns, rows)
        _store_sequences(school, year, [pupil_of[upn] for upn in upns], sequences)
    return len(marks)


def sequences_match(folder: Path) -> tuple[int, int]:
    """Compare the stored sequences of a bundle's school with those built from its ``marks.csv``.

    Returns (pupils compared, pupils whose stored sequence differs).
    """
    marks = read_marks(folder / "marks.csv")
    upns = sorted(set(marks.upns))
    with open(folder / "school.toml", "rb") as school_toml:
        urn = tomllib.load(school_toml)["urn"]
    year = AcademicYear.objects.get(school__urn=urn)
    expected = sequences_from_marks(marks, year.start_year, upns)
    stored = dict(
        MarkSequence.objects.filter(school=year.school, academic_year=year.start_year).values_list("pupil__upn", "codes")
    )
    differing = sum(1 for row, upn in enumerate(upns) if bytes(stored.get(upn, b"")) != expected[row].tobytes())
    return len(upns), differing
