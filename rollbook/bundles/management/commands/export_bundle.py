"""``rollbook export bundle DIR``: write one school's academic year as a school bundle."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rollbook.bundles.exporter import ExportError, export_bundle
from rollbook.bundles.schools import SchoolNotFound, find_school, latest_year


class Command(BaseCommand):
    help = "Export a school's academic year as a school bundle folder that 'rollbook import bundle' reads back."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the folder to write; it must be empty or new unless --force")
        parser.add_argument("--school", metavar="URN", help="the school's URN; needed only when the database contains several schools")
        parser.add_argument("--year", type=int, help="the year the academic year starts in, such as 2025 for 2025/26 (default: the school's latest)")
        parser.add_argument("--force", action="store_true", help="replace the bundle files in a folder that is not empty")

    def handle(self, *args, folder: Path, school: str | None, year: int | None, force: bool, **options):
        try:
            found = find_school(school)
            start_year = year if year is not None else latest_year(found).start_year
            result = export_bundle(found, start_year, folder, force=force)
        except (SchoolNotFound, ExportError) as error:
            raise CommandError(str(error)) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(result.summary())
