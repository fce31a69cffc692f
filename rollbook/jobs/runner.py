"""Running every due job for every school, catching up the periods a missed run left.

``run_due_jobs(at)`` is what ``rollbook run-due-jobs`` calls; it reads no clock itself. Jobs run
in ``order``, each over every school, so closing registers has finished before the N follow-up
looks at the marks. A job that raises is logged with its name, school id and period. The runner
then goes on with the next job or school, and the failed period is tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.policy.calendar import academic_year_of
from rollbook.schools.models import AcademicYear, School

from .models import JobRun, JobRunOutcome
from .registry import Job, registered_jobs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunLine:
    """One job run (or skip) for one school and period; ``period`` is None for every-run jobs."""

    job: str
    school_id: int | None
    period: dt.date | None
    outcome: str
    summary: str


@dataclass
class RunResult:
    lines: list[RunLine] = field(default_factory=list)
    failures: list[RunLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def due_periods(job: Job, school: School, at: dt.datetime) -> list[dt.date]:
    """Return the periods of a job due for a school at ``at`` that have no ``JobRun`` yet, oldest first."""
    today = at.astimezone(SCHOOL_TIME_ZONE).date()
    days = [today - dt.timedelta(days=offset) for offset in range(job.catch_up_days, -1, -1)]
    years = {
        year.start_year: year
        for year in AcademicYear.objects.filter(school=school, start_year__in={academic_year_of(day) for day in days})
    }
    done = set(JobRun.objects.filter(job=job.name, school=school, period__in=days).values_list("period", flat=True))
    loaded: dict[int, tuple] = {}
    due = []
    for day in days:
        year = years.get(academic_year_of(day))
        if year is None or day in done:
            continue
        if year.start_year not in loaded:
            loaded[year.start_year] = (year.policy(), year.calendar())
        policy, calendar = loaded[year.start_year]
        if job.runs_on(calendar, day) and job.due(policy, day) <= at:
            due.append(day)
    return due


def run_due_jobs(at: dt.datetime, schools=None, jobs: list[Job] | None = None) -> RunResult:
    """Run every job due at ``at`` (an aware datetime) for every school, or for ``schools``.

    Running again at the same or a later moment runs only what has become due since.
    """
    result = RunResult()
    schools = list(schools if schools is not None else School.objects.order_by("urn"))
    logger.info("running due jobs at %s for %s schools", at.isoformat(), len(schools))
    for job in jobs if jobs is not None else registered_jobs():
        if not job.per_school:
            _run_every_run(job, None, at, result)
            continue
        for school in schools:
            if job.every_run:
                _run_every_run(job, school, at, result)
            else:
                _run_periods(job, school, at, result)
    logger.info("due jobs finished: %s runs, %s failures", len(result.lines), len(result.failures))
    return result


def _run_every_run(job: Job, school: School | None, at: dt.datetime, result: RunResult) -> None:
    today = at.astimezone(SCHOOL_TIME_ZONE).date()
    school_id = school.pk if school is not None else None
    try:
        summary = job.function(school, today, at)
    except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
        logger.exception("job %s failed for school %s", job.name, school_id)
        result.failures.append(RunLine(job.name, school_id, None, "failed", f"{type(error).__name__}: {error}"))
        return
    result.lines.append(RunLine(job.name, school_id, None, JobRunOutcome.DONE, summary))


def _run_periods(job: Job, school: School, at: dt.datetime, result: RunResult) -> None:
    periods = due_periods(job, school, at)
    if job.latest_only and len(periods) > 1:
        for period in periods[:-1]:
            _record_skip(job, school, period, at, result)
        periods = periods[-1:]
    for period in periods:
        line = _run_period(job, school, period, at)
        if line is None:
            continue  # another runner recorded this period first
        if line.outcome == "failed":
            result.failures.append(line)
            return  # later periods wait for the failed one, so they run in order
        result.lines.append(line)


def _run_period(job: Job, school: School, period: dt.date, at: dt.datetime) -> RunLine | None:
    try:
        with transaction.atomic():
            # The row goes in first: a second runner blocks on the unique constraint until this
            # transaction ends, then fails to insert and leaves the period alone.
            run = JobRun.objects.create(job=job.name, school=school, period=period, started_at=at)
            summary = job.function(school, period, at)
            run.summary = summary[:300]
            run.finished_at = at
            run.save(update_fields=["summary", "finished_at"])
    except IntegrityError:
        logger.info("job %s for school %s on %s was run by another runner", job.name, school.pk, period)
        return None
    except Exception as error:  # noqa: BLE001 - logged with ids and tried again on the next run
        logger.exception("job %s failed for school %s on %s", job.name, school.pk, period)
        return RunLine(job.name, school.pk, period, "failed", f"{type(error).__name__}: {error}")
    logger.info("job %s done for school %s on %s: %s", job.name, school.pk, period, summary)
    return RunLine(job.name, school.pk, period, JobRunOutcome.DONE, summary)


def _record_skip(job: Job, school: School, period: dt.date, at: dt.datetime, result: RunResult) -> None:
    summary = "passed over: a newer period was due in the same run"
    try:
        with transaction.atomic():
            JobRun.objects.create(
                job=job.name, school=school, period=period, started_at=at, finished_at=at,
                outcome=JobRunOutcome.SKIPPED, summary=summary,
            )
    except IntegrityError:
        return
    result.lines.append(RunLine(job.name, school.pk, period, JobRunOutcome.SKIPPED, summary))
