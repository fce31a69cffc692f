"""``rollbook import bundle DIR``: import a school bundle, all of it or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rollbook.bundles.importer import import_bundle
from rollbook.bundles.problems import BundleError


class Command(BaseCommand):
    help = "Import a school bundle folder (school.toml, calendar.csv, pupils.csv, marks.csv); nothing is written unless every row is valid."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the bundle folder")
        parser.add_argument("--dry-run", action="store_true", help="validate the bundle and write nothing")

    def handle(self, *args, folder: Path, dry_run: bool, **options):
        try:
            result = import_bundle(folder, dry_run=dry_run)
        except BundleError as error:
            self._write_warnings(error.warnings)
            raise CommandError(error.report()) from None
        self._write_warnings(result.warnings)
        self.stdout.write(result.summary())

    def _write_warnings(self, warnings):
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
