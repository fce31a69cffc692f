"""Tests for the job registry and runner: periods run once, missed days catch up, failures retry."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rollbook.cli import translate
from rollbook.jobs.models import JobRun, JobRunOutcome
from rollbook.jobs.registry import (
    EVERY_RUN,
    after_day_ends,
    at_local_time,
    first_school_day_of_term,
    register_job,
    registered_jobs,
    unregister_job,
)
from rollbook.jobs.runner import due_periods, run_due_jobs
from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.schools.models import CalendarEntry


def london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SCHOOL_TIME_ZONE)


class Recorder:
    """A job that writes a calendar note per call, so its work is visible in the database."""

    def __init__(self, fail_on: dt.date | None = None):
        self.calls: list[tuple[int | None, dt.date]] = []
        self.fail_on = fail_on

    def __call__(self, school, day, at):
        self.calls.append((school.pk if school else None, day))
        CalendarEntry.objects.create(
            school=school, academic_year=school.academic_years.get(), kind=CalendarEntry.Kind.CLOSURE,
            start_date=dt.date(2025, 12, 19), end_date=dt.date(2025, 12, 19), session="PM", label=f"note {day}",
        )
        if day == self.fail_on:
            raise RuntimeError("the test job failed on purpose")
        return f"noted {day}"


def note_job_only():
    return [job for job in registered_jobs() if job.name == "test-note"]


@pytest.fixture
def recorder():
    jobs = []

    def make(**options):
        job_function = Recorder(options.pop("fail_on", None))
        jobs.append(register_job("test-note", job_function, **options))
        return job_function

    yield make
    for job in jobs:
        unregister_job(job.name)


def test_it_runs_each_school_day_once(brackenfield, recorder):
    job = recorder(due=at_local_time(dt.time(9, 30)), catch_up_days=0)
    monday = dt.date(2025, 9, 8)

    before = run_due_jobs(london(monday, 9, 29), jobs=note_job_only())
    first = run_due_jobs(london(monday, 9, 31), jobs=note_job_only())
    second = run_due_jobs(london(monday, 16, 0), jobs=note_job_only())

    assert before.lines == []
    assert [line.period for line in first.lines] == [monday]
    assert second.lines == []
    assert job.calls == [(brackenfield.school.pk, monday)]
    assert JobRun.objects.get(job="test-note").summary == f"noted {monday}"


def test_it_catches_up_missed_school_days(brackenfield, recorder):
    job = recorder(due=after_day_ends, catch_up_days=7)

    # Nothing ran from Friday 5 September until Tuesday 16 September at 07:00.
    run_due_jobs(london(dt.date(2025, 9, 16), 7, 0), jobs=note_job_only())

    days = [day for _school, day in job.calls]
    assert days == [dt.date(2025, 9, d) for d in (9, 10, 11, 12, 15)]  # weekends are not school days


def test_it_skips_older_periods_when_latest_only(brackenfield, recorder):
    job = recorder(due=at_local_time(dt.time(9, 30)), catch_up_days=7, latest_only=True)

    result = run_due_jobs(london(dt.date(2025, 9, 11), 10, 0), jobs=note_job_only())

    assert job.calls == [(brackenfield.school.pk, dt.date(2025, 9, 11))]
    skipped = JobRun.objects.filter(outcome=JobRunOutcome.SKIPPED).values_list("period", flat=True)
    assert sorted(skipped) == [dt.date(2025, 9, d) for d in (4, 5, 8, 9, 10)]
    assert len(result.lines) == 6


def test_it_rolls_back_and_retries_a_failed_day(brackenfield, recorder):
    job = recorder(due=after_day_ends, catch_up_days=7, fail_on=dt.date(2025, 9, 9))
    only = note_job_only()

    failed = run_due_jobs(london(dt.date(2025, 9, 11), 7, 0), jobs=only)

    assert not failed.ok
    assert failed.failures[0].period == dt.date(2025, 9, 9)
    assert set(JobRun.objects.values_list("period", flat=True)) == {dt.date(2025, 9, d) for d in (4, 5, 8)}
    assert not CalendarEntry.objects.filter(label="note 2025-09-09").exists()  # rolled back with the run

    job.fail_on = None
    retried = run_due_jobs(london(dt.date(2025, 9, 11), 7, 5), jobs=only)

    assert retried.ok
    assert [line.period for line in retried.lines] == [dt.date(2025, 9, 9), dt.date(2025, 9, 10)]


def test_it_keeps_local_due_time_across_clock_change(brackenfield, recorder):
    recorder(due=at_local_time(dt.time(9, 30)), catch_up_days=0)
    only = note_job_only()
    # Monday 3 November 2025 is in GMT; 09:30 London is 09:30 UTC, not 08:30.
    monday = dt.date(2025, 11, 3)
    utc = dt.timezone.utc

    early = run_due_jobs(dt.datetime(2025, 11, 3, 9, 29, tzinfo=utc), jobs=only)
    due = run_due_jobs(dt.datetime(2025, 11, 3, 9, 31, tzinfo=utc), jobs=only)

    assert early.lines == []
    assert [line.period for line in due.lines] == [monday]


def test_it_runs_term_jobs_on_first_school_day(brackenfield, recorder):
    job = recorder(due=at_local_time(dt.time(7, 0)), runs_on=first_school_day_of_term, catch_up_days=14)

    run_due_jobs(london(dt.date(2025, 9, 10), 8, 0), jobs=note_job_only())

    # 1 September is an INSET day but still a school day of the calendar's half-term.
    assert [day for _school, day in job.calls] == [dt.date(2025, 9, 1)]


def test_it_rejects_a_taken_job_name(recorder):
    recorder(due=EVERY_RUN)

    with pytest.raises(ValueError, match="already registered"):
        register_job("test-note", lambda school, day, at: "", due=EVERY_RUN)


def test_it_rejects_negative_catch_up(db):
    with pytest.raises(ValueError, match="catch_up_days -1 is negative"):
        register_job("test-negative", lambda school, day, at: "", due=EVERY_RUN, catch_up_days=-1)


def test_due_periods_ignore_days_without_a_year(brackenfield, recorder):
    recorder(due=after_day_ends, catch_up_days=14)
    job = next(j for j in registered_jobs() if j.name == "test-note")

    assert due_periods(job, brackenfield.school, london(dt.date(2025, 9, 1), 7, 0)) == []


def test_standard_jobs_are_registered(db):
    names = [job.name for job in registered_jobs()]

    assert names.index("close-registers") < names.index("send-email")


def test_command_runs_and_reports(brackenfield):
    out = StringIO()

    call_command("run_due_jobs", "--at", "2025-09-08T09:20", "--job", "close-registers", stdout=out)

    assert f"close-registers (school {brackenfield.school.pk}): done: " in out.getvalue()
    # The first school week after the INSET day (4 days x 2 sessions x 4 pupils) and Monday AM.
    assert "36 N marks added" in out.getvalue()


def test_command_rejects_unknown_job(db):
    with pytest.raises(CommandError, match="--job 'tidy' is not a registered job"):
        call_command("run_due_jobs", "--job", "tidy")


def test_command_rejects_unknown_school(db):
    with pytest.raises(CommandError, match="no school has URN '123456'"):
        call_command("run_due_jobs", "--school", "123456")


def test_cli_accepts_one_word_form():
    assert translate(["run-due-jobs", "--at", "2025-09-08T09:20"]) == ["run_due_jobs", "--at", "2025-09-08T09:20"]
    assert translate(["run", "due-jobs"]) == ["run_due_jobs"]


def test_command_fails_when_a_job_fails(brackenfield, recorder):
    recorder(due=after_day_ends, catch_up_days=1, fail_on=dt.date(2025, 9, 8))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 job runs failed"):
        call_command("run_due_jobs", "--at", "2025-09-09T07:00", "--job", "test-note", stdout=out, stderr=err)

    assert "test-note (school" in err.getvalue()
    assert "RuntimeError: the test job failed on purpose" in err.getvalue()
    assert not JobRun.objects.exists()
