from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rollbook.policy.settings import PolicyError, load_policy_file


class Command(BaseCommand):
    help = "Check an edited policy file: print its name if valid, or the first invalid key."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The policy TOML file.")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"policy file {path} does not exist")
        try:
            policy = load_policy_file(path)
        except PolicyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path}: valid policy {policy.name!r} ({policy.title}), code set {policy.code_set.name}")
