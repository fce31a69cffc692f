"""``rollbook import term-dates FILE``: set a year's half-terms from a local authority's holidays."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rollbook.bundles.calendars import DEFAULT_POLICY, store_half_terms
from rollbook.bundles.schools import SchoolNotFound, find_school
from rollbook.bundles.termdates import TermDatesError, derive_half_terms, read_holidays
from rollbook.policy.settings import PolicyError, available_presets


class Command(BaseCommand):
    help = (
        "Derive an academic year's six half-terms from an iCalendar file of school holidays and "
        "replace the year's half-terms with them; closures and assessment periods are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .ics file of school holidays (all-day events)")
        parser.add_argument("--year", type=int, required=True, help="the year the academic year starts in, such as 2025 for 2025/26")
        parser.add_argument("--school", metavar="URN", help="the school's URN; needed only when the database contains several schools")
        parser.add_argument(
            "--policy",
            choices=available_presets(),
            help=f"the policy preset for an academic year that does not exist yet (default: {DEFAULT_POLICY})",
        )
        parser.add_argument("--dry-run", action="store_true", help="show the half-terms and write nothing")

    def handle(self, *args, file: Path, year: int, school: str | None, policy: str | None, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist or is not a file; give the path of the .ics file")
        try:
            found = find_school(school)
            holidays = read_holidays(file.read_bytes(), str(file))
            term_dates = derive_half_terms(holidays, year, str(file))
            result = store_half_terms(found, term_dates, policy_name=policy, dry_run=dry_run)
        except (SchoolNotFound, TermDatesError, PolicyError) as error:
            raise CommandError(str(error)) from None

        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for line in result.lines():
            self.stdout.write(line)
