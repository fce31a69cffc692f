"""Profile the one-school import and reports with cProfile, to show where their time goes.

Usage: ``python -m bench.profile [--database sqlite|postgres] [--runs 10] [--top 30]``

On a fresh database of its own, it imports the one-school bundle and runs each report
``--runs`` times under cProfile, then writes the functions with the most cumulative and own
time to ``bench/out/profile-import-DATABASE.txt`` and ``bench/out/profile-reports-DATABASE.txt``.
cProfile adds a cost to every Python function call but not to time spent inside C code (the
database driver, numpy), so it inflates the Python parts: read the shares, not the totals.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
from pathlib import Path

from .generate import DEFAULT_OUT, ensure_set
from .run import AS_OF, IMPORTED_AT, OUT, YEAR_END, YEAR_START


def write_stats(profile: cProfile.Profile, path: Path, title: str, top: int) -> None:
    """Write the ``top`` functions by cumulative time and by own time to ``path``."""
    buffer = io.StringIO()
    buffer.write(f"{title}\n\n")
    stats = pstats.Stats(profile, stream=buffer)
    stats.strip_dirs()
    for order in ("cumulative", "tottime"):
        buffer.write(f"--- top {top} by {order} ---\n")
        stats.sort_stats(order).print_stats(top)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="Database to run on (default: sqlite).")
    parser.add_argument("--runs", type=int, default=10, help="Runs of each report under the profiler (default: 10).")
    parser.add_argument("--top", type=int, default=30, help="Functions listed per ordering (default: 30).")
    args = parser.parse_args(argv)

    one_school = ensure_set(DEFAULT_OUT, "one-school")
    folder = DEFAULT_OUT / "one-school" / one_school["schools"][0]["folder"]
    urn = one_school["schools"][0]["urn"]

    from .database import drop_database, postgres_database, setup_django, sqlite_database

    if args.database == "sqlite":
        database = sqlite_database(OUT / "profile.sqlite3")
    else:
        database = postgres_database(f"rb_bench_profile_{os.getpid()}")
    try:
        setup_django(database, OUT)
        from rollbook.bundles.importer import import_bundle
        from rollbook.reports.services import actions_due, pupil_figures
        from rollbook.schools.models import School

        profile = cProfile.Profile()
        profile.runcall(import_bundle, folder, at=IMPORTED_AT)
        import_path = OUT / f"profile-import-{args.database}.txt"
        write_stats(profile, import_path, f"import_bundle({folder.name}) on {args.database}", args.top)

        school = School.objects.get(urn=urn)
        pupil_figures(school, YEAR_START, YEAR_END)
        actions_due(school, AS_OF)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            pupil_figures(school, YEAR_START, YEAR_END)
            actions_due(school, AS_OF)
        profile.disable()
        reports_path = OUT / f"profile-reports-{args.database}.txt"
        write_stats(profile, reports_path, f"{args.runs} runs of pupil_figures and actions_due on {args.database}", args.top)
    finally:
        drop_database(database)
    print(f"Profiles: {import_path} and {reports_path}")


if __name__ == "__main__":
    main()
