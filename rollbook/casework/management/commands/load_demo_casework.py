"""``rollbook load_demo_casework``: trigger cases, letters, a plan and an incident for the demo school."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from rollbook.casework.demo import DemoCaseworkError, add_demo_casework
from rollbook.casework.models import TriggerCase
from rollbook.demo.generator import URN
from rollbook.schools.models import AcademicYear, School


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date; write it as YYYY-MM-DD, such as 2026-03-13") from None


def default_day(school: School, today: dt.date) -> dt.date:
    """Return ``today``, or the last school day of the school's latest year when that year is over."""
    latest = AcademicYear.objects.filter(school=school).order_by("-start_year").first()
    if latest is None:
        return today
    school_days = latest.calendar().school_days
    if school_days and today > school_days[-1]:
        return school_days[-1]
    return today


class Command(BaseCommand):
    help = (
        "Add demo casework to the demo school loaded by load_demo: trigger cases started 25 school days "
        "before the date, their letters and reviews, a support plan and a closed missing-child incident. "
        "Runs only with ROLLBOOK_DEBUG=1, once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                            help="the demo's today, YYYY-MM-DD (default: today, or the last school day of the "
                                 "demo's latest year once that year is over); marks must reach it")

    def handle(self, *args, as_of: str | None, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo_casework writes demo records, so it runs only with ROLLBOOK_DEBUG=1")
        school = School.objects.filter(urn=URN).first()
        if school is None:
            raise CommandError(f"the demo school (URN {URN}) is not loaded; run rollbook load_demo first")
        on = iso_date(as_of) if as_of else default_day(school, timezone.localdate())
        if TriggerCase.objects.filter(school=school).exists():
            # make demo runs this after every load_demo, so a second run is not an error.
            self.stdout.write("The demo casework is loaded already; nothing added.")
            return
        try:
            with transaction.atomic():
                added = add_demo_casework(school, on)
        except DemoCaseworkError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo casework as of {on}: {len(added.cases)} trigger case(s), {added.reviews} review(s), "
            f"{added.letters} letter(s), {added.plans} support plan(s), {added.incidents} incident(s)."
        )
