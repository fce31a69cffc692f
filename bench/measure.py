"""Wall-clock timing and memory of benchmark phases.

Peak memory per phase is the highest resident set size (RSS) of this process seen by a
background thread that reads ``/proc/self/statm`` every 10 ms, so a peak shorter than that can
be missed. ``maxrss`` is ``getrusage``'s peak RSS of the process since it started, which only
grows from phase to phase. The RSS of a database server (PostgreSQL) is not included.
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PAGE_SIZE = resource.getpagesize()
MIB = 1024 * 1024


def current_rss() -> int:
    """Return this process's resident set size in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except OSError:
        return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def max_rss() -> int:
    """Return the process's peak resident set size so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssSampler:
    """A daemon thread that records the highest RSS seen since the last ``reset``."""

    def __init__(self, interval: float = 0.01):
        self.interval = interval
        self.peak = current_rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = current_rss()
            if rss > self.peak:
                self.peak = rss

    def reset(self) -> None:
        self.peak = current_rss()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Phase:
    """One measured phase: wall-clock and CPU seconds, memory in MiB and phase-specific details.

    ``cpu_seconds`` is the CPU time of all threads of this process, ``child_cpu_seconds`` that
    of the processes it started and waited for. Wall-clock time well above CPU time means the
    phase waited: for a database server, for the disk, or for cores that other work was using,
    which ``load_average`` (the 1-minute load average at the end of the phase) shows.
    """

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    child_cpu_seconds: float = 0.0
    load_average: float | None = None
    rss_before_mib: float = 0.0
    rss_after_mib: float = 0.0
    peak_rss_mib: float = 0.0
    maxrss_mib: float = 0.0
    details: dict[str, object] = field(default_factory=dict)


class PhaseLog:
    """The phases of one benchmark run, in the order they ran."""

    def __init__(self) -> None:
        self.phases: list[Phase] = []
        self.sampler = RssSampler()

    @contextmanager
    def phase(self, name: str) -> Iterator[Phase]:
        """Time the body of a ``with`` block as one phase and record its memory."""
        record = Phase(name=name, rss_before_mib=current_rss() / MIB)
        self.sampler.reset()
        children = _children_cpu()
        cpu = time.process_time()
        started = time.perf_counter()
        try:
            yield record
        finally:
            record.seconds = time.perf_counter() - started
            record.cpu_seconds = time.process_time() - cpu
            record.child_cpu_seconds = _children_cpu() - children
            record.load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            record.rss_after_mib = current_rss() / MIB
            record.peak_rss_mib = max(self.sampler.peak, current_rss()) / MIB
            record.maxrss_mib = max_rss() / MIB
            self.phases.append(record)

    def close(self) -> None:
        self.sampler.stop()


@dataclass(frozen=True)
class Timings:
    """Wall-clock seconds of repeated runs of one operation, after a first run kept apart."""

    first: float
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99(self) -> float:
        """Return the 99th percentile by the nearest-rank method.

        With fewer than 100 runs this is the slowest run.
        """
        ordered = sorted(self.seconds)
        rank = max(1, -(-99 * len(ordered) // 100))
        return ordered[rank - 1]

    def as_dict(self) -> dict[str, object]:
        return {
            "first_s": self.first,
            "runs": len(self.seconds),
            "median_s": self.median,
            "p99_s": self.p99,
            "min_s": min(self.seconds),
            "max_s": max(self.seconds),
            "seconds": self.seconds,
        }


def time_runs(operation: Callable[[], object], runs: int) -> tuple[Timings, object]:
    """Run ``operation`` once, then ``runs`` more times, and return the timings and the last result.

    The first run warms caches (the database's pages, Python's lazily built tables), so it is
    reported apart and left out of the median and percentile.
    """
    started = time.perf_counter()
    result = operation()
    first = time.perf_counter() - started
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = operation()
        seconds.append(time.perf_counter() - started)
    return Timings(first, seconds), result
