"""Time the school dashboard for a 2,000-pupil primary school with three years of marks.

Usage: ``python -m bench.dashboard [--database sqlite|postgres] [--runs 20] [--keep-database]``

On a fresh database of its own (the SQLite file ``bench/out/dashboard.sqlite3``, or the
PostgreSQL database ``rb_dash_bench`` on ``127.0.0.1:5432``, dropped at the end), the run:

1. stores a synthetic school of 2,000 pupils in Reception to Year 6 (63 classes) with the
   academic years 2023/24, 2024/25 and 2025/26. Each year has six half-terms, five INSET
   days, a placement per pupil and a full year of marks in the pupils' mark sequences;
2. gathers the planner statistics (``ANALYZE``), as a live database has them;
3. signs in an attendance lead and requests the school dashboard through Django's test
   client in this process, for the year to date on the last school day of 2025/26, this
   half-term, and the same period last year: one warm-up request, then ``--runs`` timed ones.

The time is server time: from the request entering Django to the response being rendered,
with no network, as wall-clock time and as this process's CPU time. CPU time leaves out
waiting for a core on a busy machine, but on PostgreSQL also the database server's own work. Marks are written straight into ``MarkSequence`` rows, without revisions,
because the dashboard reads only mark sequences, pupils, enrolments and placements; the
register pages' benchmarks cover storing revisions. Names are drawn from short invented lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import secrets
import time
from pathlib import Path

import numpy as np

from .database import BenchDatabase, setup_django, sqlite_database
from .machine import load_average, machine_facts
from .registers_school import summary_ms

logger = logging.getLogger("bench.dashboard")

OUT = Path(__file__).resolve().parent / "out"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_NAME = "rb_dash_bench"
PUPILS = 2000
YEAR_GROUPS = ("R", "1", "2", "3", "4", "5", "6")
CLASSES_PER_YEAR_GROUP = 9
YEARS = (2023, 2024, 2025)
SEED = 20231101
TARGET_MS = 300.0
PASSWORD = "a-long-benchmark-password"


def _check_postgres_name(name: str) -> None:
    if not re.fullmatch(r"rb_dash_[a-z0-9_]+", name):
        raise ValueError(f"database name {name!r} is invalid: it must start with rb_dash_")


def postgres_database(name: str) -> BenchDatabase:
    """Create a fresh PostgreSQL database ``name`` (dropping an earlier one) and return it."""
    import psycopg
    from psycopg import sql

    _check_postgres_name(name)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return BenchDatabase(kind="postgres", name=name, url=f"{POSTGRES_SERVER}/{name}")


def drop_database(database: BenchDatabase) -> None:
    from django.db import connections

    connections.close_all()
    if database.kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database.name}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    _check_postgres_name(database.name)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name)))


def half_terms(start_year: int) -> list[tuple[dt.date, dt.date, str]]:
    """Return the 2025/26 half-terms of ``bench.generate`` moved back by whole weeks to ``start_year``."""
    from .generate import HALF_TERMS

    shift = dt.timedelta(weeks=52 * (2025 - start_year))
    return [(h.start - shift, h.end - shift, h.label) for h in HALF_TERMS]


def session_codes(rng: np.random.Generator, propensity: np.ndarray, sessions: int) -> np.ndarray:
    """Return code bytes per pupil and session: mostly present, with absence at each pupil's own rate."""
    from rollbook.policy.codes import CODE_BYTES

    shape = (len(propensity), sessions)
    draw = rng.random(shape)
    codes = np.where(np.arange(sessions) % 2 == 0, CODE_BYTES["/"], CODE_BYTES["\\"]).astype(np.uint8)
    codes = np.broadcast_to(codes, shape).copy()
    absent = draw < propensity[:, None]
    kinds = rng.choice(
        [CODE_BYTES[c] for c in ("I", "M", "O", "G", "N", "H", "E")], size=shape, p=[0.55, 0.1, 0.15, 0.1, 0.03, 0.04, 0.03]
    ).astype(np.uint8)
    codes[absent] = kinds[absent]
    late = ~absent & (rng.random(shape) < 0.03)
    codes[late] = np.where(rng.random(shape)[late] < 0.8, CODE_BYTES["L"], CODE_BYTES["U"])
    activity = ~absent & ~late & (rng.random(shape) < 0.005)
    codes[activity] = CODE_BYTES["P"]
    return codes


def build_school() -> tuple[int, str]:
    """Store the school and return its id and the attendance lead's username."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from rollbook.policy.calendar import academic_year_start
    from rollbook.policy.codes import CODE_BYTES
    from rollbook.registers.models import MarkSequence
    from rollbook.schools.models import (
        AcademicYear, CalendarEntry, Enrolment, Membership, Placement, Pupil, School, StaffRole,
    )
    from .generate import ETHNICITIES, ETHNICITY_WEIGHTS, FORENAMES, SURNAMES

    rng = np.random.default_rng(SEED)
    school = School.objects.create(name="Benchmark Primary School", urn="990101", la_code="999")
    years = []
    for start_year in YEARS:
        year = AcademicYear.objects.create(
            school=school, start_year=start_year, am_register=dt.time(8, 55), am_close=dt.time(9, 15),
            pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
        )
        terms = half_terms(start_year)
        entries = [
            CalendarEntry(school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=s, end_date=e, label=label)
            for s, e, label in terms
        ]
        insets = [terms[0][0], terms[1][0], terms[2][0], terms[4][0], terms[5][1]]
        entries += [
            CalendarEntry(school=school, academic_year=year, kind=CalendarEntry.Kind.CLOSURE, start_date=d, end_date=d, label="INSET day")
            for d in insets
        ]
        CalendarEntry.objects.bulk_create(entries)
        years.append(year)

    groups = rng.integers(0, len(YEAR_GROUPS), size=PUPILS)
    pupils = Pupil.objects.bulk_create([
        Pupil(
            school=school, upn=f"Y{index:012d}", forename=FORENAMES[index % len(FORENAMES)],
            surname=f"{SURNAMES[index % len(SURNAMES)]}-{index:04d}",
            date_of_birth=dt.date(2019 - int(groups[index]), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365))),
            sex="FM"[index % 2], sen=str(rng.choice(["N", "K", "E", ""], p=[0.8, 0.13, 0.03, 0.04])),
            fsm=bool(rng.random() < 0.24), pupil_premium=bool(rng.random() < 0.27), looked_after=bool(rng.random() < 0.01),
            child_in_need=bool(rng.random() < 0.03), young_carer=bool(rng.random() < 0.02), eal=bool(rng.random() < 0.2),
            ethnicity=str(rng.choice(ETHNICITIES, p=np.array(ETHNICITY_WEIGHTS) / sum(ETHNICITY_WEIGHTS))),
        )
        for index in range(PUPILS)
    ])
    first_day = academic_year_start(YEARS[0])
    Enrolment.objects.bulk_create([Enrolment(school=school, pupil=p, admission_date=first_day) for p in pupils])

    propensity = rng.beta(1.3, 22.0, size=PUPILS)
    closed = CODE_BYTES["#"]
    for offset, year in enumerate(years):
        calendar = year.calendar()
        placements = []
        for index, pupil in enumerate(pupils):
            group = min(int(groups[index]) + offset - (len(YEARS) - 1), len(YEAR_GROUPS) - 1)
            name = YEAR_GROUPS[max(group, 0)]
            placements.append(Placement(
                school=school, pupil=pupil, academic_year=year, year_group=name,
                class_name=f"{name} {'ABCDEFGHJ'[index % CLASSES_PER_YEAR_GROUP]}", start_date=calendar.start,
            ))
        Placement.objects.bulk_create(placements)

        days = np.array([(d - calendar.start).days for d in calendar.school_days])
        codes = np.zeros((PUPILS, 732), dtype=np.uint8)
        slots = np.stack([2 * days, 2 * days + 1], axis=1).reshape(-1)
        codes[:, slots] = session_codes(rng, propensity, len(slots))
        for closure in calendar.closures:
            day = (closure.start - calendar.start).days
            codes[:, 2 * day : 2 * day + 2] = closed
        MarkSequence.objects.bulk_create(
            [MarkSequence(school=school, pupil=p, academic_year=year.start_year, codes=codes[i].tobytes()) for i, p in enumerate(pupils)],
            batch_size=500,
        )

    user = get_user_model().objects.create(username="lead", password=make_password(PASSWORD))
    Membership.objects.create(school=school, user=user, role=StaffRole.ATTENDANCE_LEAD)
    return school.pk, user.username


def time_dashboard(school_id: int, username: str, runs: int, on: dt.date) -> dict[str, dict]:
    """Request the school dashboard for each preset; return the timings in milliseconds by preset."""
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("analysis:school", args=[school_id])
    results = {}
    with mock.patch("rollbook.analysis.views.today", lambda: on):
        for preset in ("year-to-date", "half-term", "last-year"):
            seconds, cpu_seconds = [], []
            for run in range(runs + 1):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url, {"preset": preset})
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                if response.status_code != 200:
                    raise RuntimeError(f"the dashboard returned status {response.status_code} for preset {preset}")
                if run:
                    seconds.append(elapsed)
                    cpu_seconds.append(cpu)
            results[preset] = {**summary_ms(seconds), "cpu_median_ms": summary_ms(cpu_seconds)["median_ms"]}
            logger.info("%s: median %.1f ms", preset, results[preset]["median_ms"])
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="Database to run on (default: sqlite).")
    parser.add_argument("--runs", type=int, default=20, help="Timed requests per preset, after one warm-up (default: 20).")
    parser.add_argument("--keep-database", action="store_true", help="Keep the database at the end.")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    OUT.mkdir(parents=True, exist_ok=True)
    if options.database == "sqlite":
        database = sqlite_database(OUT / "dashboard.sqlite3")
    else:
        database = postgres_database(POSTGRES_NAME)
    os.environ.setdefault("ROLLBOOK_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("ROLLBOOK_ALLOWED_HOSTS", "testserver")
    setup_django(database, OUT / "dashboard-data")
    try:
        from django.core.management import call_command

        # Production settings serve static files from a manifest that collectstatic writes.
        call_command("collectstatic", verbosity=0, interactive=False)
        started = time.perf_counter()
        school_id, username = build_school()
        # A live database has planner statistics (PostgreSQL's autovacuum gathers them); a
        # freshly bulk-loaded one does not until ANALYZE runs, and its query plans show it.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        logger.info("stored the school in %.1f s", time.perf_counter() - started)
        # The last school day of 2025/26, so the year to date is a whole year of marks.
        timings = time_dashboard(school_id, username, options.runs, dt.date(2026, 7, 20))
    finally:
        if not options.keep_database:
            drop_database(database)

    results = {
        "database": options.database,
        "pupils": PUPILS,
        "years": list(YEARS),
        "target_ms": TARGET_MS,
        "timings": timings,
        "load_average": load_average(),
        "machine": machine_facts(),
    }
    path = OUT / f"dashboard-{options.database}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(
        f"School dashboard, {PUPILS} pupils, {options.database}: wall-clock median / p95 / max, "
        f"and this process's CPU median, in ms (target {TARGET_MS:.0f} ms)"
    )
    for preset, row in timings.items():
        print(f"  {preset:<13} {row['median_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['max_ms']:>7.1f}   cpu {row['cpu_median_ms']:>6.1f}")
    print(f"Load average at the end: {results['load_average']}. Results: {path}")


if __name__ == "__main__":
    main()
