"""A synthetic school for the register benchmarks, and their own database.

The benchmarks' PostgreSQL databases are named ``rb_browser_`` followed by a purpose, created
on the local server and dropped at the end. All names in the school are invented.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_PREFIX = "rb_browser_"
LONDON = ZoneInfo("Europe/London")
PASSWORD = "a-long-benchmark-password"

# Three half-terms of 2025/26: 105 school days after the bank holidays.
HALF_TERMS = (
    (dt.date(2025, 9, 1), dt.date(2025, 10, 24), "autumn-1"),
    (dt.date(2025, 11, 3), dt.date(2025, 12, 19), "autumn-2"),
    (dt.date(2026, 1, 5), dt.date(2026, 2, 13), "spring-1"),
)


def _check_name(name: str) -> None:
    if not re.fullmatch(rf"{POSTGRES_PREFIX}[a-z0-9_]+", name):
        raise ValueError(f"database name {name!r} is invalid: it must start with {POSTGRES_PREFIX}")


def create_postgres(name: str) -> str:
    """Create a fresh PostgreSQL database ``name`` (dropping an earlier one) and return its URL."""
    import psycopg
    from psycopg import sql

    _check_name(name)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{POSTGRES_SERVER}/{name}"


def drop_postgres(name: str) -> None:
    import psycopg
    from psycopg import sql

    _check_name(name)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class BenchSchool:
    school_id: int
    class_names: list[str]
    teacher_usernames: dict[str, str]  # class name -> username of its teacher
    office_username: str


def build_school(classes: int, pupils_per_class: int, total_pupils: int | None = None) -> BenchSchool:
    """Create a school with ``classes`` classes, a teacher for each and one office user.

    Every class has ``pupils_per_class`` pupils, except that the last is cut short when
    ``total_pupils`` is given. Users get ``PASSWORD``, hashed once and copied, because hashing
    a password per user would dominate the set-up time.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from rollbook.schools.models import (
        AcademicYear, CalendarEntry, Enrolment, Membership, Placement, Pupil, School, StaffRole, TeachingAssignment,
    )

    school = School.objects.create(name="Benchmark Academy", urn="990001", la_code="999")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, am_register=dt.time(8, 55), am_close=dt.time(9, 15),
        pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    for start, end, label in HALF_TERMS:
        CalendarEntry.objects.create(
            school=school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=start, end_date=end, label=label
        )

    total = total_pupils if total_pupils is not None else classes * pupils_per_class
    class_names = [f"Class {index + 1:02d}" for index in range(classes)]
    pupils = Pupil.objects.bulk_create([
        Pupil(school=school, upn=f"Z{index:012d}", forename=f"Pupil{index}", surname=f"Bench{index:05d}",
              date_of_birth=dt.date(2016, 1, 1) + dt.timedelta(days=index % 365), sex="FM"[index % 2])
        for index in range(total)
    ])
    first_day = HALF_TERMS[0][0]
    Enrolment.objects.bulk_create([Enrolment(school=school, pupil=p, admission_date=first_day) for p in pupils])
    Placement.objects.bulk_create([
        Placement(school=school, pupil=p, academic_year=year, year_group="4",
                  class_name=class_names[index // pupils_per_class], start_date=first_day)
        for index, p in enumerate(pupils)
    ])

    hashed = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"teacher{index + 1:02d}", password=hashed, first_name="Teacher", last_name=f"{index + 1:02d}")
         for index in range(classes)]
        + [get_user_model()(username="office", password=hashed, first_name="Office", last_name="Staff")]
    )
    teachers, office = users[:-1], users[-1]
    Membership.objects.bulk_create(
        [Membership(school=school, user=user, role=StaffRole.TEACHER) for user in teachers]
        + [Membership(school=school, user=office, role=StaffRole.OFFICE)]
    )
    TeachingAssignment.objects.bulk_create([
        TeachingAssignment(school=school, user=user, academic_year=year, class_name=name)
        for user, name in zip(teachers, class_names)
    ])
    return BenchSchool(
        school_id=school.pk,
        class_names=class_names,
        teacher_usernames={name: user.username for user, name in zip(teachers, class_names)},
        office_username=office.username,
    )


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` (0 to 1) percentile of ``values`` by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """Return the count, median, p95, p99 and maximum of durations given in seconds, in milliseconds."""
    return {
        "count": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }
