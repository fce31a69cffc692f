"""Print a benchmark results file as the Markdown table used in ``docs/benchmarks.md``.

Usage: ``python -m bench.summary bench/out/results-sqlite.json``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.1f}"


def describe(phase: dict) -> str:
    """Return the figures of one phase in words: timings of repeated runs, or load rates."""
    details = phase["details"]
    if "median_s" in details:
        return f"median {_seconds(details['median_s'])} s, p99 {_seconds(details['p99_s'])} s ({details['runs']} runs)"
    if details.get("marks_per_s"):
        return (
            f"{details['schools']} schools, {details['marks']:,} marks: {details['marks_per_s']:,.0f} marks/s, "
            f"median {_seconds(details['per_school_median_s'])} s per school"
        )
    return ", ".join(f"{key} {value}" for key, value in details.items() if not isinstance(value, (list, dict)))


def markdown_table(results: dict) -> str:
    """Return the phases of a results file as a Markdown table."""
    lines = [
        "| phase | wall s | CPU s | load | peak RSS MiB | figures |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for phase in results["phases"]:
        # Files from before CPU time and load were recorded leave those cells empty.
        cpu = "" if "cpu_seconds" not in phase else f"{phase['cpu_seconds'] + phase['child_cpu_seconds']:.1f}"
        load = "" if phase.get("load_average") is None else f"{phase['load_average']:.1f}"
        lines.append(
            f"| {phase['name']} | {phase['seconds']:.1f} | {cpu} | {load} | {phase['peak_rss_mib']:.0f} | {describe(phase)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.summary", description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="A results file written by bench.run.")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    print(markdown_table(results))
    comparison = results.get("comparison")
    if comparison:
        print()
        print(json.dumps({key: value for key, value in comparison.items() if key != "checks"}, indent=1))
        print(json.dumps(comparison["checks"], indent=1))
    print(json.dumps({key: results.get(key) for key in ("machine", "database", "load_average_at_start", "load_average_at_end")}, indent=1))


if __name__ == "__main__":
    main()
