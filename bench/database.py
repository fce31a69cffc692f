"""The benchmark's own database: a fresh SQLite file or PostgreSQL database, and Django set up on it.

A PostgreSQL database is created on the local server under a name that starts with
``rb_bench_`` and is dropped again at the end unless the run keeps it.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("bench.database")

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_PREFIX = "rb_bench_"


@dataclass(frozen=True)
class BenchDatabase:
    """A benchmark database: its kind (sqlite or postgres), its file path or name, and its URL."""

    kind: str
    name: str
    url: str


def sqlite_database(path: Path) -> BenchDatabase:
    """Return a fresh SQLite database file at ``path``, deleting an earlier one and its WAL files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return BenchDatabase(kind="sqlite", name=str(path), url=f"sqlite:///{path.resolve()}")


def _check_postgres_name(name: str) -> None:
    if not re.fullmatch(rf"{POSTGRES_PREFIX}[a-z0-9_]+", name):
        raise ValueError(
            f"database name {name!r} is invalid: benchmark databases are named {POSTGRES_PREFIX} "
            "followed by lowercase letters, digits and underscores"
        )


def _admin_connection(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def postgres_database(name: str, server: str = POSTGRES_SERVER) -> BenchDatabase:
    """Create a fresh PostgreSQL database ``name`` (dropping an earlier one of that name) and return it."""
    from psycopg import sql

    _check_postgres_name(name)
    with _admin_connection(server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    logger.info("created PostgreSQL database %s", name)
    return BenchDatabase(kind="postgres", name=name, url=f"{server}/{name}")


def drop_database(database: BenchDatabase, server: str = POSTGRES_SERVER) -> None:
    """Delete the benchmark database: drop the PostgreSQL database or remove the SQLite files."""
    from django.db import connections

    connections.close_all()
    if database.kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database.name}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    _check_postgres_name(database.name)
    with _admin_connection(server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name)))
    logger.info("dropped PostgreSQL database %s", database.name)


def database_size_mib(database: BenchDatabase) -> float:
    """Return the size of the benchmark database on disk in MiB (SQLite: the file and its WAL)."""
    if database.kind == "sqlite":
        return sum(Path(f"{database.name}{suffix}").stat().st_size for suffix in ("", "-wal")
                   if Path(f"{database.name}{suffix}").exists()) / 1024**2
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 1024**2


def setup_django(database: BenchDatabase, data_dir: Path) -> None:
    """Point Django's settings at the benchmark database, set Django up and apply the migrations.

    Rollbook reads its settings from the environment once, so this must run before anything
    imports the settings. Rollbook's own log messages are kept to warnings, so that one line
    per imported school does not end up in the timings' output.
    """
    os.environ["DATABASE_URL"] = database.url
    os.environ["ROLLBOOK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ROLLBOOK_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("ROLLBOOK_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "rollbook.settings"

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
