from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...dfe import DfeImportError, import_file
from ...models import GeographicLevel


class Command(BaseCommand):
    help = (
        "Import the DfE's published pupil attendance statistics (CSV): national, regional and "
        "local authority rows. Every row is stored or none is; rates are recomputed from the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file as downloaded from the DfE.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            result = import_file(path, at=timezone.now())
        except DfeImportError as error:
            raise CommandError(str(error)) from None

        levels = ", ".join(f"{result.count_at(level)} {label.lower()}" for level, label in (
            (GeographicLevel.NATIONAL, "national"),
            (GeographicLevel.REGIONAL, "regional"),
            (GeographicLevel.LOCAL_AUTHORITY, "local authority"),
        ))
        self.stdout.write(f"Imported {len(result.rows)} rows from {path.name} ({levels}); {result.replaced} earlier rows replaced.")
        if result.discrepancies:
            self.stdout.write(
                f"{len(result.discrepancies)} published percentage{'s differ' if len(result.discrepancies) != 1 else ' differs'} "
                "from the counts on the same row:"
            )
            for discrepancy in result.discrepancies:
                self.stdout.write(f"  {discrepancy.describe()}")
