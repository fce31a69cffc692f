from django.core.management.base import BaseCommand, CommandError

from ...output import write_csv, write_json, write_table
from ...services import pupil_figures
from ._common import add_school_and_format, find_school, parse_date_option

COLUMNS = (
    "upn",
    "possible_sessions",
    "attended_sessions",
    "authorised_absences",
    "unauthorised_absences",
    "attendance_rate",
    "persistent_absence",
    "severe_absence",
    "missing_sessions",
)


class Command(BaseCommand):
    help = "Print each pupil's attendance figures over a date range (both dates inclusive)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, metavar="DATE", help="First date of the range, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, metavar="DATE", help="Last date of the range, YYYY-MM-DD.")
        add_school_and_format(parser)

    def handle(self, *args, **options):
        start = parse_date_option(options["start"], "--from")
        end = parse_date_option(options["end"], "--to")
        if end < start:
            raise CommandError(f"--to {end} is before --from {start}; give the earlier date first")
        school = find_school(options["school"])

        figures = pupil_figures(school, start, end)
        rows = [
            {
                "upn": f.upn,
                "possible_sessions": f.possible_sessions,
                "attended_sessions": f.attended_sessions,
                "authorised_absences": f.authorised_absences,
                "unauthorised_absences": f.unauthorised_absences,
                "attendance_rate": None if f.attendance_rate is None else float(f.attendance_rate),
                "persistent_absence": f.persistent_absence,
                "severe_absence": f.severe_absence,
                "missing_sessions": f.missing_sessions,
            }
            for f in figures
        ]

        if options["format"] == "json":
            write_json(rows, self.stdout)
            return
        if options["format"] == "csv":
            write_csv(rows, COLUMNS, self.stdout)
            return
        write_table(rows, COLUMNS, self.stdout)
        missing = sum(f.missing_sessions for f in figures)
        if missing:
            self.stdout.write(
                f"\nFigures are incomplete: {missing} possible session{'' if missing == 1 else 's'} between {start} and {end} have no mark yet "
                "and are not counted."
            )
        self.stdout.write(f"{len(rows)} pupils on roll between {start} and {end} at {school.name}.")
