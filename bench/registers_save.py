"""Time saving a 30-pupil class register through the register view, on SQLite or PostgreSQL.

Usage: ``python -m bench.registers_save [--database sqlite|postgres] [--saves 200]``

Each save is a POST to the register page (``registers:take``) through Django's test client, in
this process, as the class teacher: a register (morning or afternoon) not taken before, 27 pupils present, two late
arrivals typed as times and one N. The time measured is the whole request through Django's
middleware and view, with no network. The page's GET before each save is timed as well. The
clock the view reads is set to shortly after the register time (09:00 for the morning, 13:22
for the afternoon), so every save is a register entry before the close. Five saves on other days come first and are not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from rollbook.policy.arrivals import PRESENT_CODES
from rollbook.policy.calendar import Session

from .database import BenchDatabase, setup_django, sqlite_database
from .registers_school import LONDON, build_school, create_postgres, drop_postgres, summary_ms

PUPILS = 30
# The clock the view reads for each session's save (before the close), and two arrival times.
SESSION_TIMES = {
    Session.AM: (dt.time(9, 0), ("09:02", "09:11")),
    Session.PM: (dt.time(13, 22), ("13:24", "13:28")),
}
WARM_UP = 5
TARGET_MEDIAN_MS = 30


def register_post(pupil_ids: list[int], present: str) -> dict[str, str]:
    data = {}
    for index, pupil_id in enumerate(pupil_ids):
        data[f"loaded-{pupil_id}"] = ""
        if index in (3, 17):
            data[f"arrived-{pupil_id}"] = "23:59"  # replaced per session below
        elif index == 25:
            data[f"code-{pupil_id}"] = "N"
        else:
            data[f"code-{pupil_id}"] = present
    return data


def run(saves: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from rollbook.registers.models import MarkRevision
    from django.contrib.auth import get_user_model

    from rollbook.schools.models import AcademicYear, Placement

    school = build_school(classes=1, pupils_per_class=PUPILS)
    class_name = school.class_names[0]
    year = AcademicYear.objects.get(school_id=school.school_id)
    registers = [(day, session) for day in year.calendar().school_days for session in Session]
    if len(registers) < saves + WARM_UP:
        raise SystemExit(f"--saves {saves} is too many: the benchmark year has {len(registers)} registers")
    pupil_ids = list(Placement.objects.filter(class_name=class_name).order_by("pupil__surname").values_list("pupil_id", flat=True))

    client = Client()
    client.force_login(get_user_model().objects.get(username=school.teacher_usernames[class_name]))
    loads, posts = [], []
    real_now = timezone.now
    try:
        for index, (day, session) in enumerate(registers[: saves + WARM_UP]):
            clock, arrivals = SESSION_TIMES[session]
            moment = dt.datetime.combine(day, clock, tzinfo=LONDON)
            timezone.now = lambda moment=moment: moment
            url = reverse("registers:take", args=[school.school_id, day.isoformat(), session.value, class_name])
            data = register_post(pupil_ids, PRESENT_CODES[session])
            data[f"arrived-{pupil_ids[3]}"], data[f"arrived-{pupil_ids[17]}"] = arrivals

            started = time.perf_counter()
            page = client.get(url)
            loaded = time.perf_counter()
            response = client.post(url, data)
            saved = time.perf_counter()

            if page.status_code != 200 or response.status_code != 302:
                raise SystemExit(f"save {index} on {day} failed: GET {page.status_code}, POST {response.status_code}")
            if index >= WARM_UP:
                loads.append(loaded - started)
                posts.append(saved - loaded)
    finally:
        timezone.now = real_now

    revisions = MarkRevision.objects.count()
    if revisions != PUPILS * (saves + WARM_UP):
        raise SystemExit(f"expected {PUPILS * (saves + WARM_UP)} mark revisions, found {revisions}")
    return {
        "database": connection.vendor,
        "pupils": PUPILS,
        "save": summary_ms(posts),
        "load": summary_ms(loads),
        "target_median_ms": TARGET_MEDIAN_MS,
        "meets_target": summary_ms(posts)["median_ms"] < TARGET_MEDIAN_MS,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--saves", type=int, default=200, help="saves to time, after the warm-up (default 200)")
    args = parser.parse_args(argv)

    os.environ.setdefault("ROLLBOOK_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("ROLLBOOK_LOG_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory(prefix="rb_registers_save_") as folder:
        name = "rb_browser_save"
        if args.database == "postgres":
            url = create_postgres(name)
            database = BenchDatabase(kind="postgres", name=name, url=url)
        else:
            database = sqlite_database(Path(folder) / "registers.sqlite3")
        try:
            setup_django(database, Path(folder))
            from django.core.management import call_command

            # Production settings serve static files from a manifest that collectstatic writes.
            call_command("collectstatic", verbosity=0, interactive=False)
            result = run(args.saves)
        finally:
            if args.database == "postgres":
                from django.db import connections

                connections.close_all()
                drop_postgres(name)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
