"""The jobs ``rollbook run-due-jobs`` runs, registered by the apps that own them.

A job acts for one school on one day (a "period", stored as a date) and is due from a moment
on that day. The runner calls it for every due day it has not run yet, oldest first. Each call
shares one transaction with the ``JobRun`` row that records it, so a day never runs twice. A
failed call leaves nothing behind and is tried again on the next run.

Catching up is part of a job's contract: after a missed run, the job is called for each day it
missed (or only the latest, with ``latest_only``), with ``day`` in the past and ``at`` the
moment of the run. A job must give the same result for a day whatever the run time, so it
judges marks by ``day`` and uses ``at`` only as the time it records its changes at.

Register a job from your app's ``AppConfig.ready``::

    register_job("lunchtime-leave-renewals", renew_lunchtime_leave,
                 due=at_local_time(dt.time(7, 0)), runs_on=first_school_day_of_term)

where ``renew_lunchtime_leave(school, day, at) -> str`` returns a one-line summary for the
output and the ``JobRun`` row (ids and counts only, never a pupil's name).

A job with ``due=EVERY_RUN`` runs on each invocation and records no ``JobRun``: it must be
idempotent by itself (closing registers is, because it marks only unmarked sessions). A job
with ``per_school=False`` is called once per run with ``school=None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE, register_closes_at
from rollbook.policy.calendar import SchoolCalendar, Session
from rollbook.policy.settings import Policy

# The moment a job becomes due on a day, from the year's policy (with the school's day times).
Due = Callable[[Policy, dt.date], dt.datetime]
# Whether a job has a period starting on this day at all.
RunsOn = Callable[[SchoolCalendar, dt.date], bool]
# A job's work: (school or None, day, moment of the run) -> one-line summary.
JobFunction = Callable[..., str]


def EVERY_RUN(policy: Policy, day: dt.date) -> dt.datetime:  # noqa: N802 - a constant-like marker
    """Mark a job as due on every run (the runner never calls this)."""
    raise NotImplementedError("EVERY_RUN marks a job that runs each time; it has no due moment")


def at_local_time(time: dt.time) -> Due:
    """Return a due rule: this Europe/London wall-clock time on the day, whatever the UTC offset."""

    def due(policy: Policy, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=SCHOOL_TIME_ZONE)

    return due


def after_register_closes(session: Session) -> Due:
    """Return a due rule: the moment the session's register closes under the school's policy."""

    def due(policy: Policy, day: dt.date) -> dt.datetime:
        return register_closes_at(day, session, policy.day)

    return due


def after_day_ends(policy: Policy, day: dt.date) -> dt.datetime:
    """Return midnight at the end of the day (Europe/London), so the whole day has happened."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=SCHOOL_TIME_ZONE)


def school_days(calendar: SchoolCalendar, day: dt.date) -> bool:
    """Return whether ``day`` is a school day, so a job has a period on every school day."""
    return calendar.is_school_day(day)


def first_school_day_of_term(calendar: SchoolCalendar, day: dt.date) -> bool:
    """Return whether ``day`` is the first school day of its term, for a job run once a term."""
    term = calendar.term_of(day)
    if term is None or not calendar.is_school_day(day):
        return False
    return next(d for d in calendar.school_days if calendar.term_of(d) == term) == day


@dataclass(frozen=True)
class Job:
    """A registered job; ``order`` sets the run order (closing registers before following up N)."""

    name: str
    function: JobFunction
    due: Due
    runs_on: RunsOn = school_days
    catch_up_days: int = 14
    latest_only: bool = False
    per_school: bool = True
    order: int = 100

    @property
    def every_run(self) -> bool:
        return self.due is EVERY_RUN


_jobs: dict[str, Job] = {}


def register_job(
    name: str,
    function: JobFunction,
    *,
    due: Due,
    runs_on: RunsOn = school_days,
    catch_up_days: int = 14,
    latest_only: bool = False,
    per_school: bool = True,
    order: int = 100,
) -> Job:
    """Add a job to the registry and return it.

    ``catch_up_days`` is how many calendar days before today a missed period is still run.
    ``latest_only`` runs only the newest due period and records the older missed ones as
    skipped, for a daily report whose old copies are of no use. Registering the same
    function under the same name again has no effect; another function under a taken name
    raises ``ValueError``.
    """
    if catch_up_days < 0:
        raise ValueError(f"job {name!r}: catch_up_days {catch_up_days} is negative; use 0 or more")
    job = Job(name, function, due, runs_on, catch_up_days, latest_only, per_school, order)
    existing = _jobs.get(name)
    if existing is not None and existing.function is not function:
        raise ValueError(f"job name {name!r} is already registered for another function; choose another name")
    _jobs[name] = job
    return job


def registered_jobs() -> list[Job]:
    """Return every registered job in run order (``order``, then name)."""
    return sorted(_jobs.values(), key=lambda job: (job.order, job.name))


def unregister_job(name: str) -> None:
    """Remove a job (for tests that register their own); an unknown name is ignored."""
    _jobs.pop(name, None)
