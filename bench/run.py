"""Time Rollbook's bundle import and reports, and compare them with a plain DuckDB query.

Usage: ``python -m bench.run [--schools 150] [--database sqlite|postgres] [--import-schools 15]``

On a fresh database of its own (a SQLite file under ``bench/out/``, or a PostgreSQL database
``rb_bench_...`` on the local server that is dropped at the end), the run:

1. writes the synthetic bundles if they are not there yet (``bench.generate``);
2. imports the one-school bundle and times ``report pupils`` and ``report actions`` for it,
   as service calls and as the commands' JSON output, over repeated runs;
3. imports the first ``--import-schools`` schools of the local-authority set through the
   bundle importer, and loads the others by a benchmark-only fast path (``bench.fastload``)
   because the importer needs most of an hour for all of them;
4. computes the pupil figures and actions due of every local-authority school;
5. runs the same per-pupil computation as one DuckDB query over the same marks
   (``bench.baseline``) and checks that both give the same figures.

It prints a table and writes ``bench/out/results.json``. Timings are wall-clock seconds in
this one process; peak memory is described in ``bench.measure``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from .generate import DEFAULT_OUT, ensure_set
from .machine import load_average, machine_facts
from .measure import PhaseLog, Timings, time_runs

logger = logging.getLogger("bench.run")

OUT = Path(__file__).resolve().parent / "out"
YEAR_START = dt.date(2025, 9, 1)
YEAR_END = dt.date(2026, 8, 31)
# The last school day of the generated calendar, so that the rules judge the whole year.
AS_OF = dt.date(2026, 7, 20)
# The time recorded on imported revisions, fixed so that runs store the same rows.
IMPORTED_AT = dt.datetime(2026, 7, 21, 18, 0, tzinfo=dt.timezone.utc)
CODE_SET = "national-2006"

PUPILS_TARGET_S = 0.3
DUCKDB_RATIO_TARGET = 3.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=150, help="Local-authority schools to load and report on (default: 150, the whole set).")
    parser.add_argument(
        "--import-schools", type=int, default=15,
        help="How many of those go through the bundle importer; the rest use the fast path (default: 15).",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="Database to run on (default: sqlite).")
    parser.add_argument("--runs", type=int, default=20, help="Timed runs of each one-school report (default: 20).")
    parser.add_argument("--la-runs", type=int, default=2, help="Timed runs of the whole-LA computations (default: 2).")
    parser.add_argument("--cli-runs", type=int, default=5, help="Runs of the report command as a new process (default: 5).")
    parser.add_argument("--keep-database", action="store_true", help="Keep the database at the end and print where it is.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"Folder for the database, results and bundles (default: {OUT}).")
    args = parser.parse_args(argv)
    if not 1 <= args.schools <= 150:
        parser.error(f"--schools {args.schools} is out of range; use 1 to 150")
    if not 0 <= args.import_schools:
        parser.error(f"--import-schools {args.import_schools} is negative; use 0 or more")
    args.import_schools = min(args.import_schools, args.schools)
    for option in ("runs", "la_runs", "cli_runs"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be 1 or more")
    return args


def report_pupils_json(urn: str) -> list[dict]:
    """Run ``report pupils`` for the whole year as JSON, in this process, and return the parsed output."""
    from django.core.management import call_command

    output = io.StringIO()
    call_command("report_pupils", "--from", YEAR_START.isoformat(), "--to", YEAR_END.isoformat(),
                 "--format", "json", "--school", urn, stdout=output)
    return json.loads(output.getvalue())


def report_actions_json(urn: str) -> list[dict]:
    """Run ``report actions`` as of the year's last school day as JSON, in this process."""
    from django.core.management import call_command

    output = io.StringIO()
    call_command("report_actions", "--as-of", AS_OF.isoformat(), "--format", "json", "--school", urn, stdout=output)
    return json.loads(output.getvalue())


def run_cli(urn: str) -> None:
    """Run ``rollbook report pupils`` as a new Python process, as a user at a shell would."""
    command = [sys.executable, "-m", "rollbook", "report", "pupils", "--from", YEAR_START.isoformat(),
               "--to", YEAR_END.isoformat(), "--format", "json", "--school", urn]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=os.environ.copy())


def time_reports(log: PhaseLog, urn: str, runs: int, label: str, commands: bool) -> None:
    """Time the one-school reports: the services, and with ``commands`` also the JSON commands."""
    from rollbook.reports.services import actions_due, pupil_figures
    from rollbook.schools.models import School

    school = School.objects.get(urn=urn)
    with log.phase(f"report pupils, service{label}") as phase:
        timings, figures = time_runs(lambda: pupil_figures(school, YEAR_START, YEAR_END), runs)
    phase.details = {**timings.as_dict(), "pupils": len(figures)}
    with log.phase(f"report actions, service{label}") as phase:
        timings, actions = time_runs(lambda: actions_due(school, AS_OF), runs)
    phase.details = {**timings.as_dict(), "actions": len(actions)}
    if not commands:
        return

    with log.phase(f"report pupils --format json{label}") as phase:
        timings, rows = time_runs(lambda: report_pupils_json(urn), runs)
    phase.details = {**timings.as_dict(), "pupils": len(rows)}
    with log.phase(f"report actions --format json{label}") as phase:
        timings, rows = time_runs(lambda: report_actions_json(urn), runs)
    phase.details = {**timings.as_dict(), "actions": len(rows)}


def time_cli(log: PhaseLog, urn: str, runs: int) -> None:
    with log.phase("rollbook report pupils, new process") as phase:
        timings, _ = time_runs(lambda: run_cli(urn), runs)
    phase.details = timings.as_dict()


def import_schools(log: PhaseLog, folders: list[Path], name: str) -> None:
    """Import bundles through the bundle importer, one transaction each, and record per-school times."""
    from rollbook.bundles.importer import import_bundle

    per_school, marks = [], 0
    with log.phase(name) as phase:
        for folder in folders:
            started = time.perf_counter()
            result = import_bundle(folder, at=IMPORTED_AT)
            per_school.append(time.perf_counter() - started)
            marks += result.marks
            logger.info("imported %s: %s marks in %.1f s", folder.name, result.marks, per_school[-1])
    phase.details = _load_details(per_school, marks, phase.seconds)


def fast_load_schools(log: PhaseLog, folders: list[Path], skeletons: Path) -> None:
    from .fastload import fast_load

    per_school, marks = [], 0
    with log.phase(f"load {len(folders)} LA schools by the fast path") as phase:
        for folder in folders:
            started = time.perf_counter()
            marks += fast_load(folder, skeletons, IMPORTED_AT)
            per_school.append(time.perf_counter() - started)
            logger.info("fast-loaded %s in %.1f s", folder.name, per_school[-1])
    phase.details = _load_details(per_school, marks, phase.seconds)


def _load_details(per_school: list[float], marks: int, seconds: float) -> dict[str, object]:
    if not per_school:
        return {"schools": 0, "marks": 0}
    per_school_timings = Timings(per_school[0], per_school)
    return {
        "schools": len(per_school),
        "marks": marks,
        "marks_per_s": marks / seconds if seconds else None,
        "per_school_median_s": per_school_timings.median,
        "per_school_max_s": max(per_school),
        "per_school_s": per_school,
    }


def check_sequences(log: PhaseLog, folders: list[Path]) -> None:
    """Check that the importer stored the mark sequences that the fast path would build."""
    from .fastload import sequences_match

    with log.phase("check stored sequences against the files") as phase:
        compared = differing = 0
        for folder in folders:
            pupils, wrong = sequences_match(folder)
            compared += pupils
            differing += wrong
    phase.details = {"schools": len(folders), "pupils": compared, "differing": differing}
    if differing:
        logger.warning("%s of %s pupils' stored sequences differ from their marks.csv", differing, compared)


def la_wide_pass(urns: list[str]) -> dict[str, object]:
    """Compute the pupil figures and actions due of every given school, one school at a time."""
    from rollbook.reports.services import actions_due, pupil_figures
    from rollbook.schools.models import School

    figures, actions = {}, []
    figure_seconds = action_seconds = 0.0
    for school in School.objects.filter(urn__in=urns).order_by("urn"):
        started = time.perf_counter()
        for pupil in pupil_figures(school, YEAR_START, YEAR_END):
            figures[(school.urn, pupil.upn)] = pupil
        middle = time.perf_counter()
        actions.extend((school.urn, action.upn, action.rule.value) for action in actions_due(school, AS_OF))
        action_seconds += time.perf_counter() - middle
        figure_seconds += middle - started
    return {"figures": figures, "actions": actions, "figures_s": figure_seconds, "actions_s": action_seconds}


def time_la_wide(log: PhaseLog, urns: list[str], runs: int) -> tuple[Timings, dict[str, object]]:
    with log.phase(f"Rollbook: pupil figures and actions of {len(urns)} LA schools") as phase:
        timings, result = time_runs(lambda: la_wide_pass(urns), runs)
    phase.details = {
        **timings.as_dict(),
        "pupils": len(result["figures"]),
        "actions": len(result["actions"]),
        "last_run_figures_s": result["figures_s"],
        "last_run_actions_s": result["actions_s"],
    }
    return timings, result


def time_numpy_only(log: PhaseLog, urns: list[str], runs: int) -> None:
    """Time the numpy part of the LA-wide computation alone, on marks loaded beforehand.

    This is the work the DuckDB query compares with most closely: the data is already in
    memory, and only the counting and the rules are timed.
    """
    from rollbook.policy.measures import count_sessions
    from rollbook.policy.rules import evaluate_rules
    from rollbook.reports.services import load_year_marks, pupils_on_roll_between
    from rollbook.schools.models import AcademicYear

    with log.phase(f"Rollbook: load the marks of {len(urns)} LA schools into arrays") as phase:
        loaded = []
        for year in AcademicYear.objects.filter(school__urn__in=urns, start_year=YEAR_START.year).select_related("school"):
            pupils = pupils_on_roll_between(year.school, YEAR_START, YEAR_END)
            loaded.append(load_year_marks(year, pupils))
    phase.details = {"schools": len(loaded), "pupils": sum(len(marks.upns) for marks in loaded)}

    def compute() -> int:
        met = 0
        for marks in loaded:
            count_sessions(marks, YEAR_START, YEAR_END)
            met += len(evaluate_rules(marks, AS_OF))
        return met

    with log.phase(f"Rollbook: numpy counts and rules of {len(urns)} LA schools, marks in memory") as phase:
        timings, met = time_runs(compute, runs)
    phase.details = {**timings.as_dict(), "actions": met}


def time_duckdb(log: PhaseLog, folders: list[Path], runs: int, threads: int | None):
    from .baseline import run_baseline

    label = "all cores" if threads is None else f"{threads} thread{'s' if threads != 1 else ''}"
    with log.phase(f"DuckDB: load marks and run the per-pupil query ({label})") as phase:
        result = run_baseline(folders, CODE_SET, repeats=runs + 1, threads=threads)
    timings = Timings(result.query_seconds[0], result.query_seconds[1:])
    phase.details = {
        **timings.as_dict(),
        "threads": result.threads,
        "marks": result.marks,
        "load_s": result.load_seconds,
        "pupils": len(result.rows),
    }
    return timings, result


def compare_with_duckdb(rollbook: dict[str, object], duckdb_rows: dict) -> dict[str, object]:
    """Count pupils whose Rollbook figures differ from DuckDB's, and compare rule hits with DuckDB's measures.

    Rollbook's unauthorised-block alert must match a longest N/O run of 10 days or more.
    Its penalty threshold counts only sessions of compulsory school age, so its pupils must be
    a subset of those with 10 or more G/N/O/U sessions in some 12 school weeks.
    """
    figures = rollbook["figures"]
    fields = ("possible_sessions", "attended_sessions", "authorised_absences", "unauthorised_absences",
              "persistent_absence", "severe_absence")
    differing = []
    for key, pupil in figures.items():
        row = duckdb_rows.get(key)
        if row is None or any(getattr(pupil, field) != row[field] for field in fields):
            differing.append(key)
            continue
        rate = None if pupil.attendance_rate is None else float(pupil.attendance_rate)
        if rate != row["attendance_rate"]:
            differing.append(key)

    rules = {}
    for urn, upn, rule in rollbook["actions"]:
        rules.setdefault(rule, set()).add((urn, upn))
    block_duckdb = {key for key, row in duckdb_rows.items() if row["longest_unauthorised_block"] >= 10}
    block_rollbook = rules.get("la-alert-unauthorised-block", set())
    penalty_duckdb = {key for key, row in duckdb_rows.items() if row["max_unauthorised_in_12_weeks"] >= 10}
    penalty_rollbook = rules.get("penalty-threshold", set())
    return {
        "pupils_rollbook": len(figures),
        "pupils_duckdb": len(duckdb_rows),
        "pupils_with_different_figures": len(differing),
        "examples_of_different_figures": [list(key) for key in differing[:5]],
        "unauthorised_block_rollbook": len(block_rollbook),
        "unauthorised_block_duckdb": len(block_duckdb),
        "unauthorised_block_same_pupils": block_rollbook == block_duckdb,
        "penalty_threshold_rollbook": len(penalty_rollbook),
        "penalty_threshold_duckdb": len(penalty_duckdb),
        "penalty_threshold_rollbook_within_duckdb": penalty_rollbook <= penalty_duckdb,
        "rules_met": {rule: len(pupils) for rule, pupils in sorted(rules.items())},
    }


def format_table(phases: list[dict]) -> str:
    """Return the phases as an aligned plain-text table."""
    lines = [f"{'phase':<66} {'seconds':>9} {'CPU s':>8} {'load':>5} {'peak RSS MiB':>12}  detail", "-" * 140]
    for phase in phases:
        details = phase["details"]
        if "median_s" in details:
            detail = f"median {details['median_s']:.3f} s, p99 {details['p99_s']:.3f} s over {details['runs']} runs (first {details['first_s']:.3f} s)"
        elif details.get("marks_per_s"):
            detail = f"{details['schools']} schools, {details['marks']:,} marks, {details['marks_per_s']:,.0f} marks/s"
        else:
            detail = ", ".join(f"{key} {value}" for key, value in details.items() if not isinstance(value, (list, dict)))
        cpu = phase["cpu_seconds"] + phase["child_cpu_seconds"]
        load = "" if phase["load_average"] is None else f"{phase['load_average']:.1f}"
        lines.append(f"{phase['name']:<66} {phase['seconds']:>9.2f} {cpu:>8.2f} {load:>5} {phase['peak_rss_mib']:>12.0f}  {detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    data = DEFAULT_OUT if out == OUT else out / "data"
    log = PhaseLog()
    results: dict[str, object] = {
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "machine": machine_facts(),
        "load_average_at_start": load_average(),
    }

    with log.phase("write or reuse the synthetic bundles") as phase:
        one_school = ensure_set(data, "one-school")
        la = ensure_set(data, "la", args.schools)
    phase.details = {"la_schools": len(la["schools"]), "la_pupils": sum(s["pupils"] for s in la["schools"]),
                     "la_marks": sum(s["marks"] for s in la["schools"])}
    one_school_folder = data / "one-school" / one_school["schools"][0]["folder"]
    one_school_urn = one_school["schools"][0]["urn"]
    la_folders = [data / "la" / school["folder"] for school in la["schools"]]
    la_urns = [school["urn"] for school in la["schools"]]

    from .database import database_size_mib, drop_database, postgres_database, setup_django, sqlite_database

    if args.database == "sqlite":
        database = sqlite_database(out / "rollbook-bench.sqlite3")
    else:
        database = postgres_database(f"rb_bench_{os.getpid()}")
    results["database"] = {"kind": database.kind, "name": database.name}
    try:
        with log.phase("migrate a fresh database"):
            setup_django(database, out)
        from django.db import connection

        from .machine import postgresql_server_version

        results["machine"]["postgresql"] = postgresql_server_version(connection)

        import_schools(log, [one_school_folder], "import the one-school bundle")
        time_reports(log, one_school_urn, args.runs, "", commands=True)
        time_cli(log, one_school_urn, args.cli_runs)

        imported = la_folders[: args.import_schools]
        import_schools(log, imported, f"import {len(imported)} LA schools through the bundle importer")
        fast_load_schools(log, la_folders[args.import_schools :], out / "skeletons")
        check_sequences(log, imported + [one_school_folder])
        results["database"]["size_mib"] = database_size_mib(database)
        time_reports(log, one_school_urn, args.runs, f" (database with {len(la_urns) + 1} schools)", commands=False)

        rollbook_timings, rollbook = time_la_wide(log, la_urns, args.la_runs)
        time_numpy_only(log, la_urns, args.la_runs)
        duckdb_timings, duckdb_result = time_duckdb(log, la_folders, args.la_runs, threads=None)
        single_timings, _ = time_duckdb(log, la_folders, args.la_runs, threads=1)
        results["comparison"] = {
            "rollbook_la_median_s": rollbook_timings.median,
            "duckdb_query_median_s": duckdb_timings.median,
            "duckdb_threads": duckdb_result.threads,
            "duckdb_single_thread_query_median_s": single_timings.median,
            "ratio_to_duckdb": rollbook_timings.median / duckdb_timings.median,
            "ratio_to_duckdb_single_thread": rollbook_timings.median / single_timings.median,
            "target_ratio": DUCKDB_RATIO_TARGET,
            "checks": compare_with_duckdb(rollbook, duckdb_result.by_pupil()),
        }
    finally:
        if args.keep_database:
            logger.info("kept the database: %s", database.url)
        else:
            drop_database(database)
        log.close()

    phases = [asdict(phase) for phase in log.phases]
    pupils_phase = next(p for p in phases if p["name"] == "report pupils, service")
    results["targets"] = {
        "report_pupils_one_school_median_s": pupils_phase["details"]["median_s"],
        "report_pupils_target_s": PUPILS_TARGET_S,
        "report_pupils_met": pupils_phase["details"]["median_s"] < PUPILS_TARGET_S,
        "la_ratio_met": results["comparison"]["ratio_to_duckdb"] <= DUCKDB_RATIO_TARGET,
    }
    results["phases"] = phases
    results["load_average_at_end"] = load_average()
    results_path = out / f"results-{args.database}.json"
    results_path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")

    print(format_table(phases))
    comparison = results["comparison"]
    print(
        f"\nRollbook over {len(la_urns)} schools: {comparison['rollbook_la_median_s']:.2f} s; "
        f"DuckDB query: {comparison['duckdb_query_median_s']:.2f} s on {comparison['duckdb_threads']} threads "
        f"({comparison['duckdb_single_thread_query_median_s']:.2f} s on 1); "
        f"ratio {comparison['ratio_to_duckdb']:.2f} (target {DUCKDB_RATIO_TARGET:g} or less)."
    )
    print(f"Checks against DuckDB: {json.dumps(comparison['checks'])}")
    print(f"Results: {results_path}")


if __name__ == "__main__":
    main()
