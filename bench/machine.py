"""Facts about the machine and software a benchmark ran on, for the results file."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or the platform's processor name."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_gib() -> float | None:
    """Return the machine's total memory in GiB from /proc/meminfo, or None where it is missing."""
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def load_average() -> tuple[float, float, float] | None:
    """Return the 1, 5 and 15 minute load averages, or None where the system has none."""
    try:
        return os.getloadavg()
    except OSError:
        return None


def postgresql_server_version(connection) -> str | None:
    """Return the server version of an open Django connection to PostgreSQL, else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def machine_facts() -> dict[str, object]:
    """Return the CPU, core count, memory and software versions of this process's machine."""
    import django
    import duckdb
    import numpy

    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_total_gib(),
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "django": django.__version__,
        "numpy": numpy.__version__,
        "duckdb": duckdb.__version__,
        "git_commit": _git_commit(),
        "git_uncommitted_paths": _git_uncommitted_paths(),
    }


def _git_uncommitted_paths() -> list[str] | None:
    """Return the changed and untracked paths under ``rollbook/``, whose code the run measured."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--", "rollbook"], capture_output=True, text=True,
                                timeout=10, check=False)
    except OSError:
        return None
    return [line[3:] for line in result.stdout.splitlines()]


def _git_commit() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return None
    return result.stdout.strip() or None
