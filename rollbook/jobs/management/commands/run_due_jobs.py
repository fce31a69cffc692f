"""Run every job that is due: closing registers, the N follow-up, daily reports, e-mail retries.

Meant to run every few minutes from cron or a systemd timer (docs/operations.md). Each run
catches up what a missed run left, and running twice does nothing the second time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rollbook.jobs.registry import registered_jobs
from rollbook.jobs.runner import run_due_jobs
from rollbook.registers.management.commands.close_registers import parse_moment
from rollbook.schools.models import School


class Command(BaseCommand):
    help = "Run every job due now for every school, catching up days a missed run left; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at", metavar="ISO", help="Act as at this date and time (Europe/London unless an offset is given); default: now."
        )
        parser.add_argument("--school", metavar="URN", help="Run only this school's jobs; default: every school.")
        parser.add_argument("--job", action="append", metavar="NAME", help="Run only this job (repeatable); default: every job.")
        parser.add_argument("--list", action="store_true", help="List the registered jobs and stop.")

    def handle(self, *args, **options) -> None:
        jobs = registered_jobs()
        if options["list"]:
            for job in jobs:
                when = "every run" if job.every_run else f"{job.runs_on.__name__}, catching up {job.catch_up_days} days"
                self.stdout.write(f"{job.name}: {when}")
            return

        at = parse_moment(options["at"]) if options["at"] else timezone.now()
        schools = None
        if options["school"]:
            schools = list(School.objects.filter(urn=options["school"]))
            if not schools:
                raise CommandError(f"no school has URN {options['school']!r}; import its bundle first or check the number")
        if options["job"]:
            names = {job.name for job in jobs}
            unknown = [name for name in options["job"] if name not in names]
            if unknown:
                raise CommandError(f"--job {unknown[0]!r} is not a registered job; use one of: {', '.join(sorted(names))}")
            jobs = [job for job in jobs if job.name in options["job"]]

        result = run_due_jobs(at, schools=schools, jobs=jobs)
        for line in result.lines:
            where = f"school {line.school_id}" if line.school_id is not None else "all schools"
            period = f" {line.period:%Y-%m-%d}" if line.period else ""
            self.stdout.write(f"{line.job} ({where}{period}): {line.outcome}: {line.summary}")
        for line in result.failures:
            where = f"school {line.school_id}" if line.school_id is not None else "all schools"
            self.stderr.write(f"{line.job} ({where}): failed: {line.summary}; see the log, it runs again next time")
        if not result.ok:
            raise CommandError(f"{len(result.failures)} job runs failed")
