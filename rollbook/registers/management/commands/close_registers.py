"""Give N to every pupil still unmarked in a register that has closed.

Run it every few minutes on school days (a scheduler such as cron or a systemd timer). Each run
looks back over the last days too, so a missed run catches up, and running twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.registers.taking import close_registers
from rollbook.schools.models import School


def parse_moment(value: str) -> dt.datetime:
    """Parse an ISO date and time; a time with no offset is Europe/London wall-clock time."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at {value!r} is invalid; write a date and time as YYYY-MM-DDTHH:MM, such as 2025-09-08T09:20"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SCHOOL_TIME_ZONE)
    return moment


class Command(BaseCommand):
    help = "Give N (no reason yet provided) to pupils still unmarked when a register has closed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at", metavar="ISO", help="Act as at this date and time (Europe/London unless an offset is given); default: now."
        )
        parser.add_argument("--school", metavar="URN", help="Close only this school's registers; default: every school.")
        parser.add_argument(
            "--catch-up-days", type=int, default=7, metavar="DAYS",
            help="How many days before --at to look back for registers left open (default: 7).",
        )

    def handle(self, *args, **options) -> None:
        at = parse_moment(options["at"]) if options["at"] else timezone.now()
        if options["catch_up_days"] < 0:
            raise CommandError(f"--catch-up-days {options['catch_up_days']} is negative; use 0 or more")
        schools = School.objects.all()
        if options["school"]:
            schools = schools.filter(urn=options["school"])
            if not schools.exists():
                raise CommandError(f"no school has URN {options['school']!r}; import its bundle first or check the number")

        for school in schools.order_by("urn"):
            result = close_registers(school, at, catch_up_days=options["catch_up_days"])
            self.stdout.write(
                f"school {school.urn}: {result.sessions} closed sessions checked, {result.marked} N marks added"
            )
