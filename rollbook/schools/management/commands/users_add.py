import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rollbook.schools.models import AcademicYear, Membership, ParentLink, Placement, Pupil, School, StaffRole, TeachingAssignment


class Command(BaseCommand):
    help = (
        "Create a user, or find an existing one, and give them a role at a school. A new user's "
        "password is asked for at the prompt, or read from standard input with --password-stdin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--school", required=True, metavar="URN", help="The school's URN.")
        parser.add_argument("--role", required=True, choices=[r.value for r in StaffRole], help="The role at that school.")
        parser.add_argument("--name", default="", help='The person\'s full name, such as "Amira Shah".')
        parser.add_argument("--email", default="")
        parser.add_argument("--class", dest="class_name", metavar="CLASS", help="Teachers: a class they teach (repeat the command for more).")
        parser.add_argument("--year", type=int, help="Teachers: the academic year of --class, such as 2025 (default: the school's latest).")
        parser.add_argument("--pupil", metavar="UPN", help="Parents: the UPN of their child (repeat the command for more).")
        parser.add_argument("--password-stdin", action="store_true", help="Read a new user's password from the first line of standard input.")

    def handle(self, *args, **options):
        school = School.objects.filter(urn=options["school"]).first()
        if school is None:
            raise CommandError(f"no school has URN {options['school']!r}; import its bundle first or check the number")
        role = StaffRole(options["role"])
        if options["class_name"] and role != StaffRole.TEACHER:
            raise CommandError("--class is for the teacher role only")
        if options["pupil"] and role != StaffRole.PARENT:
            raise CommandError("--pupil is for the parent role only")
        if role == StaffRole.PARENT and not options["pupil"]:
            raise CommandError("a parent needs --pupil UPN: a parent account sees only its linked children")

        year = self._year(school, options) if options["class_name"] else None
        pupil = self._pupil(school, options["pupil"]) if options["pupil"] else None
        users = get_user_model()
        user = users.objects.filter(username=options["username"]).first()
        password = None if user else self._new_password(options)

        with transaction.atomic():
            if user is None:
                forename, _, surname = options["name"].partition(" ")
                user = users.objects.create_user(
                    username=options["username"], password=password, email=options["email"],
                    first_name=forename, last_name=surname,
                )
                self.stdout.write(f"Created user {user.username}.")
            Membership.objects.get_or_create(school=school, user=user, role=role)
            if year is not None:
                TeachingAssignment.objects.get_or_create(school=school, user=user, academic_year=year, class_name=options["class_name"])
            if pupil is not None:
                ParentLink.objects.get_or_create(school=school, user=user, pupil=pupil)
        self.stdout.write(f"{user.username} is {role.label.lower()} at {school.name}.")

    def _year(self, school: School, options) -> AcademicYear:
        years = AcademicYear.objects.filter(school=school).order_by("-start_year")
        year = years.filter(start_year=options["year"]).first() if options["year"] else years.first()
        if year is None:
            year_label = f"academic year {options['year']}" if options["year"] else "academic year"
            raise CommandError(f"{school.name} has no {year_label}; import its bundle first")
        if not Placement.objects.filter(academic_year=year, class_name=options["class_name"]).exists():
            classes = sorted(set(Placement.objects.filter(academic_year=year).values_list("class_name", flat=True)))
            raise CommandError(f"class {options['class_name']!r} has no pupils in {year}; classes are: {', '.join(classes) or 'none yet'}")
        return year

    def _pupil(self, school: School, upn: str) -> Pupil:
        pupil = Pupil.objects.filter(school=school, upn=upn).first()
        if pupil is None:
            raise CommandError(f"no pupil of {school.name} has UPN {upn!r}")
        return pupil

    def _new_password(self, options) -> str:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password for the new user: ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("the two passwords differ; nothing was created")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("the password is too weak: " + " ".join(error.messages)) from None
        return password
