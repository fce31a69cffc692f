"""``rollbook load_demo``: import the fictional demo school and create demo log-ins.

The command writes the demo bundle into a temporary folder, imports it with the bundle
importer and gives each demo user one role at the school. Running it again with the same
options adds nothing: the import skips marks that are already stored, and users and roles are
reused, with their passwords set back to the published demo ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from rollbook.bundles.importer import import_bundle
from rollbook.bundles.problems import BundleError
from rollbook.demo.generator import DEFAULT_SEED, generate_bundle
from rollbook.demo.terms import demo_year
from rollbook.registers.services import Actor
from rollbook.requests.demo import add_demo_requests
from rollbook.schools.models import Membership, School, StaffRole

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: StaffRole

    @property
    def password(self) -> str:
        # Published on purpose: the command runs only in debug mode, on a demo database.
        return f"kestrel-{self.username}-demo"

    @property
    def email(self) -> str:
        # The .invalid domain can never deliver, and the demo prints e-mail to the console.
        return f"{self.username}@kestrel-vale.invalid"


DEMO_USERS = (
    DemoUser("lead", "Nadia", "Ellison", StaffRole.ATTENDANCE_LEAD),
    DemoUser("head", "Gareth", "Pashley", StaffRole.SENIOR_LEADER),
    DemoUser("office", "Joy", "Staniforth", StaffRole.OFFICE),
    DemoUser("teacher", "Tom", "Hinchliffe", StaffRole.TEACHER),
    DemoUser("governor", "Fiona", "Revill", StaffRole.GOVERNOR),
    DemoUser("parent", "Sam", "Oxley", StaffRole.PARENT),
)


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD, such as 2026-03-13") from None


def default_last_day(start_year: int, today: dt.date) -> dt.date:
    """Return the last day to mark: today inside the year, or the year's last day once it is over."""
    return min(today, demo_year(start_year).calendar().end)


class Command(BaseCommand):
    help = (
        "Import the fictional demo school (Kestrel Vale Lower School) and create demo log-ins with "
        "published passwords. Runs only with ROLLBOOK_DEBUG=1. Running it again with the same options adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"the random seed of the demo data; the same seed gives the same school (default {DEFAULT_SEED})")
        parser.add_argument("--year", type=int, default=2025,
                            help="the academic year by the year it starts in: 2025 means 2025/26 (default 2025)")
        parser.add_argument("--until", type=iso_date, default=None,
                            help="the last day with marks, as YYYY-MM-DD (default: today, or the year's last day once it is over)")

    def handle(self, *args, seed: int, year: int, until: dt.date | None, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates log-ins with published passwords, so it runs only in debug mode; "
                "set ROLLBOOK_DEBUG=1 and use a database of its own for the demo"
            )
        try:
            demo_year(year)
        except ValueError as error:
            raise CommandError(str(error)) from None
        last_day = until or default_last_day(year, timezone.localdate())

        logger.info("loading the demo school: seed %s, year %s, marks up to %s", seed, year, last_day)
        with tempfile.TemporaryDirectory(prefix="rollbook-demo-") as folder:
            bundle = generate_bundle(Path(folder) / f"kestrel-vale-{year}", seed=seed, start_year=year, marks_until=last_day)
            try:
                result = import_bundle(bundle.folder)
            except BundleError as error:
                raise CommandError(f"the demo bundle did not import:\n{error.report()}") from None

        school = School.objects.get(urn=bundle.urn)
        with transaction.atomic():
            users = {demo_user.username: self._store_user(school, demo_user) for demo_user in DEMO_USERS}
            head = next(u for u in DEMO_USERS if u.username == "head")
            parent = next(u for u in DEMO_USERS if u.username == "parent")
            add_demo_requests(
                school, users["parent"], f"{parent.first_name} {parent.last_name}",
                Actor(name=f"{head.first_name} {head.last_name}", role=head.role.value), last_day,
            )
        logger.info("loaded the demo school %s: %s new mark revisions", school.urn, result.revisions_added)

        self._write_summary(bundle, result)

    def _store_user(self, school: School, demo_user: DemoUser):
        user, _ = get_user_model().objects.get_or_create(username=demo_user.username)
        user.first_name = demo_user.first_name
        user.last_name = demo_user.last_name
        user.email = demo_user.email
        user.set_password(demo_user.password)
        user.save()
        Membership.objects.get_or_create(school=school, user=user, role=demo_user.role)
        return user

    def _write_summary(self, bundle, result) -> None:
        marked = f"up to {bundle.marks_until:%A} {bundle.marks_until.day} {bundle.marks_until:%B %Y}" if bundle.marks_until else "none yet"
        self.stdout.write(
            f"Demo school {bundle.school_name} (URN {bundle.urn}), {result.academic_year}/{(result.academic_year + 1) % 100:02d}: "
            f"{result.pupils} pupils, {result.marks:,} marks ({marked}), {result.revisions_added:,} new mark revisions."
        )
        self.stdout.write("Demo log-ins (username, password, role):")
        for demo_user in DEMO_USERS:
            self.stdout.write(f"  {demo_user.username:<10} {demo_user.password:<26} {demo_user.role.label}")
