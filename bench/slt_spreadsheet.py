"""Time building the SLT spreadsheet of a 2,000-pupil school with three years of marks.

Usage: ``python -m bench.slt_spreadsheet [--database sqlite|postgres] [--runs 5]``

The school is synthetic and stored directly: pupils, enrolments, placements and one mark
sequence per pupil and year for 2023/24, 2024/25 and 2025/26. Each year has six half-terms:
2025/26's come from a local authority's published term dates, and the earlier years have the
same weeks moved back by 52 weeks. Every possible session of a pupil on roll has a mark from a random
model of about 94% attendance. 60 pupils leave and 60 join during 2025/26. No mark revisions
are written, because the spreadsheet reads only the mark sequences.

Each run builds the workbook of 2025/26 as of its last day, 20 July 2026 (every half-term
sheet full), and saves it to memory as the download does: ``workbook_bytes``. The first run
warms caches and is reported apart. The database is a fresh SQLite file under ``bench/out/``
or a PostgreSQL database ``rb_stats_bench_<process id>`` on 127.0.0.1:5432, dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from .database import BenchDatabase, drop_database, setup_django, sqlite_database
from .generate import HALF_TERMS
from .machine import load_average, machine_facts

OUT = Path(__file__).resolve().parent / "out"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_PREFIX = "rb_stats_bench_"
PUPILS = 2_000
MOVERS = 60
YEARS = (2023, 2024, 2025)
AS_OF = dt.date(2026, 7, 20)
TARGET_SECONDS = 5.0
SEED = 20260720

# Codes of a day and how often each is drawn; AM and PM share the day's code except for "/".
DAY_CODES = (("/", 0.935), ("I", 0.035), ("M", 0.006), ("L", 0.008), ("O", 0.007), ("G", 0.003), ("N", 0.002), ("V", 0.002), ("U", 0.002))
ETHNICITIES = ("WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "CHNE", "")


def create_postgres(name: str) -> BenchDatabase:
    import psycopg
    from psycopg import sql

    if not name.startswith(POSTGRES_PREFIX) or not name.replace("_", "").isalnum():
        raise ValueError(f"database name {name!r} is invalid: it must start with {POSTGRES_PREFIX}")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return BenchDatabase(kind="postgres", name=name, url=f"{POSTGRES_SERVER}/{name}")


def drop_postgres(name: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def half_terms_of(start_year: int) -> list[tuple[dt.date, dt.date, str]]:
    shift = dt.timedelta(weeks=52 * (2025 - start_year))
    return [(h.start - shift, h.end - shift, h.label) for h in HALF_TERMS]


def year_codes(calendar, on_roll: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a pupils x slots array of code bytes: a mark for every session of a school day on roll."""
    from rollbook.policy.calendar import SLOTS_PER_YEAR
    from rollbook.policy.codes import CODE_BYTES

    pupils = on_roll.shape[0]
    codes = np.zeros((pupils, SLOTS_PER_YEAR), dtype=np.uint8)
    days = np.array([(day - calendar.start).days for day in calendar.school_days])
    # Each pupil has their own absence level around the model's, so some are persistently absent.
    weights = np.array([share for _code, share in DAY_CODES])
    draws = rng.random((pupils, len(days)))
    proneness = rng.gamma(2.0, 0.5, size=(pupils, 1))
    present_share = 1 - (1 - weights[0]) * proneness
    rest = np.cumsum(weights[1:]) / weights[1:].sum()
    absent_pick = np.searchsorted(rest, rng.random((pupils, len(days))))
    day_codes = np.where(draws < present_share, 0, absent_pick + 1)

    lookup_am = np.array([CODE_BYTES[code] for code, _share in DAY_CODES], dtype=np.uint8)
    lookup_pm = lookup_am.copy()
    lookup_pm[0] = CODE_BYTES["\\"]
    lookup_pm[DAY_CODES.index(("L", 0.008))] = CODE_BYTES["\\"]
    lookup_pm[DAY_CODES.index(("U", 0.002))] = CODE_BYTES["\\"]
    roll = on_roll[:, days]
    codes[:, 2 * days] = np.where(roll, lookup_am[day_codes], 0)
    codes[:, 2 * days + 1] = np.where(roll, lookup_pm[day_codes], 0)
    return codes


def build_school() -> int:
    """Store the synthetic school and return its id."""
    from django.db import transaction

    from rollbook.policy.calendar import DAYS_IN_SEQUENCE
    from rollbook.registers.models import MarkSequence
    from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School, SenProvision

    rng = np.random.default_rng(SEED)
    with transaction.atomic():
        school = School.objects.create(name="Benchmark High School", urn="990002", la_code="999")
        years = []
        for start_year in YEARS:
            year = AcademicYear.objects.create(
                school=school, start_year=start_year, am_register=dt.time(8, 55), am_close=dt.time(9, 15),
                pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
            )
            CalendarEntry.objects.bulk_create([
                CalendarEntry(school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=start, end_date=end, label=label)
                for start, end, label in half_terms_of(start_year)
            ])
            years.append(year)

        total = PUPILS + MOVERS
        sen = rng.choice(["N"] * 17 + ["K"] * 2 + ["E"], size=total)
        pupils = Pupil.objects.bulk_create([
            Pupil(
                school=school, upn=f"Y{index:012d}", forename=f"Forename{index}", surname=f"Surname{index:05d}",
                date_of_birth=dt.date(2010 + index % 3, 1 + index % 12, 1 + index % 28), sex="FM"[int(rng.integers(2))],
                sen=SenProvision(sen[index]).value, fsm=bool(rng.random() < 0.25), pupil_premium=bool(rng.random() < 0.3),
                looked_after=bool(rng.random() < 0.01), child_in_need=bool(rng.random() < 0.03),
                young_carer=bool(rng.random() < 0.02), eal=bool(rng.random() < 0.15),
                ethnicity=ETHNICITIES[int(rng.integers(len(ETHNICITIES)))],
            )
            for index in range(total)
        ])

        first_day = years[0].calendar().start
        joined_on, left_on = dt.date(2026, 1, 5), dt.date(2026, 2, 13)
        enrolments = []
        for index, pupil in enumerate(pupils):
            if index >= PUPILS:
                enrolments.append(Enrolment(school=school, pupil=pupil, admission_date=joined_on))
            elif index < MOVERS:
                enrolments.append(Enrolment(school=school, pupil=pupil, admission_date=first_day, leaving_date=left_on))
            else:
                enrolments.append(Enrolment(school=school, pupil=pupil, admission_date=first_day))
        Enrolment.objects.bulk_create(enrolments)

        placements, sequences = [], []
        for offset, year in enumerate(years):
            calendar = year.calendar()
            on_roll = np.zeros((total, DAYS_IN_SEQUENCE), dtype=bool)
            for index, enrolment in enumerate(enrolments):
                first = max((enrolment.admission_date - calendar.start).days, 0)
                last = DAYS_IN_SEQUENCE - 1 if enrolment.leaving_date is None else (enrolment.leaving_date - calendar.start).days
                if first <= min(last, DAYS_IN_SEQUENCE - 1):
                    on_roll[index, first : min(last, DAYS_IN_SEQUENCE - 1) + 1] = True
            codes = year_codes(calendar, on_roll, rng)
            for index, pupil in enumerate(pupils):
                if not on_roll[index].any():
                    continue
                year_group = str(7 + index % 3 + offset)
                placements.append(Placement(
                    school=school, pupil=pupil, academic_year=year, year_group=year_group,
                    class_name=f"{year_group}{'ABCDEFGHJK'[index // 3 % 10]}",
                    start_date=max(calendar.start, enrolments[index].admission_date),
                ))
                sequences.append(MarkSequence(school=school, pupil=pupil, academic_year=year.start_year, codes=codes[index].tobytes()))
        Placement.objects.bulk_create(placements, batch_size=2000)
        MarkSequence.objects.bulk_create(sequences, batch_size=500)
    return school.pk


def time_spreadsheet(school_id: int, runs: int) -> dict:
    from django.utils import timezone

    from rollbook.schools.models import School
    from rollbook.statistics.spreadsheet import workbook_bytes

    school = School.objects.get(pk=school_id)
    timings, cpu, size = [], [], 0
    for _ in range(runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(workbook_bytes(school, 2025, AS_OF, at=timezone.now()))
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    warm = timings[1:]
    return {
        "first_run_s": round(timings[0], 2),
        "runs": len(warm),
        "median_s": round(statistics.median(warm), 2),
        "max_s": round(max(warm), 2),
        # CPU time of this process alone: what the run costs when the machine is shared.
        "median_cpu_s": round(statistics.median(cpu[1:]), 2),
        "workbook_bytes": size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.slt_spreadsheet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="Database to run on (default: sqlite).")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs after the first, warming one (default: 5).")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        database = sqlite_database(OUT / "slt-spreadsheet.sqlite3")
    else:
        database = create_postgres(f"{POSTGRES_PREFIX}{os.getpid()}")
    try:
        setup_django(database, OUT / "slt-data")
        started = time.perf_counter()
        school_id = build_school()
        setup_seconds = time.perf_counter() - started
        result = {
            "database": args.database,
            "pupils": PUPILS + MOVERS,
            "years": list(YEARS),
            "setup_s": round(setup_seconds, 1),
            **time_spreadsheet(school_id, args.runs),
            "target_s": TARGET_SECONDS,
            "load_average": load_average(),
            "machine": machine_facts(),
        }
    finally:
        if database.kind == "postgres":
            drop_postgres(database.name)
        else:
            drop_database(database)

    result["within_target"] = result["max_s"] < TARGET_SECONDS
    (OUT / f"slt-spreadsheet-{args.database}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({key: value for key, value in result.items() if key != "machine"}, indent=2))


if __name__ == "__main__":
    main()
