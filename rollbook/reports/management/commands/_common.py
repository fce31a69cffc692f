"""Options and look-ups shared by the report commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError, CommandParser

from rollbook.schools.models import School

from ...output import FORMATS


def parse_date_option(value: str, option: str) -> dt.date:
    """Parse an ISO date given on the command line, raising ``CommandError`` naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, such as 2026-03-31") from None


def add_school_and_format(parser: CommandParser) -> None:
    parser.add_argument("--school", metavar="URN", help="The school's URN; needed only when the database holds more than one school.")
    parser.add_argument("--format", choices=FORMATS, default="table", help="Output format (default: table).")


def find_school(urn: str | None) -> School:
    """Return the school with this URN, or the only school when no URN is given."""
    if urn:
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise CommandError(f"no school has URN {urn!r}; import its bundle first or check the number")
        return school
    schools = list(School.objects.all()[:2])
    if not schools:
        raise CommandError("the database holds no school yet; import one with: rollbook import bundle DIR")
    if len(schools) > 1:
        raise CommandError("the database holds more than one school; choose one with --school URN")
    return schools[0]
