from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rollbook.policy.calendar import academic_year_end, academic_year_of
from rollbook.reports.management.commands._common import find_school, parse_date_option

from ...spreadsheet import SpreadsheetError, file_name, workbook_bytes


class Command(BaseCommand):
    help = (
        "Write the SLT spreadsheet (XLSX): attendance per half-term, term and year to date, by pupil, "
        "class, year group and pupil group, with a sheet of definitions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="The school's URN; needed only when the database holds more than one school.")
        parser.add_argument(
            "--year", type=int, metavar="YEAR",
            help="The academic year by its first calendar year, such as 2025 for 2025/26 (default: the year containing --as-of).",
        )
        parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="Count marks up to this date, YYYY-MM-DD (default: today).")
        parser.add_argument("--output", type=Path, metavar="FILE", help="Where to write the workbook (default: a name with the URN and dates, in the current folder).")

    def handle(self, *args, **options):
        today = parse_date_option(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        start_year = options["year"] if options["year"] is not None else academic_year_of(today)
        school = find_school(options["school"])
        output: Path = options["output"] or Path(file_name(school, start_year, min(today, academic_year_end(start_year))))
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"--output {output} must end in .xlsx, because the file is an Excel workbook")
        try:
            content = workbook_bytes(school, start_year, today, at=timezone.now())
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None

        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"--output {output} cannot be written ({error.strerror}); choose a folder you can write to") from None
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes): {school.name}, {start_year}/{(start_year + 1) % 100:02d}.")

