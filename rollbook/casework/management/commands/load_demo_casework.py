"""``rollbook load_demo_casework``: trigger cases, letters, a plan and an incident for the demo school."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from rollbook.casework.demo import DemoCaseworkError, add_demo_casework
from rollbook.demo.generator import URN
from rollbook.schools.models import School


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date; write it as YYYY-MM-DD, such as 2026-03-13") from None


class Command(BaseCommand):
    help = (
        "Add demo casework to the demo school loaded by load_demo: trigger cases started 25 school days "
        "before the date, their letters and reviews, a support plan and a closed missing-child incident. "
        "Runs only with ROLLBOOK_DEBUG=1, once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                            help="the demo's today, YYYY-MM-DD (default: today); marks must reach it")

    def handle(self, *args, as_of: str | None, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo_casework writes demo records, so it runs only with ROLLBOOK_DEBUG=1")
        on = iso_date(as_of) if as_of else timezone.localdate()
        school = School.objects.filter(urn=URN).first()
        if school is None:
            raise CommandError(f"the demo school (URN {URN}) is not loaded; run rollbook load_demo first")
        try:
            with transaction.atomic():
                added = add_demo_casework(school, on)
        except DemoCaseworkError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo casework as of {on}: {len(added.cases)} trigger case(s), {added.reviews} review(s), "
            f"{added.letters} letter(s), {added.plans} support plan(s), {added.incidents} incident(s)."
        )
