from importlib import resources

from django.core.management.base import BaseCommand, CommandError

from rollbook.policy.settings import available_presets


class Command(BaseCommand):
    help = "Print a policy preset as TOML, to copy into a file and edit."

    def add_arguments(self, parser):
        parser.add_argument("preset", help=f"One of: {', '.join(available_presets())}.")

    def handle(self, *args, **options):
        name = options["preset"]
        if name not in available_presets():
            raise CommandError(f"policy {name!r} does not exist; use one of: {', '.join(available_presets())}")
        text = (resources.files("rollbook.policy") / "presets" / f"{name}.toml").read_text(encoding="utf-8")
        self.stdout.write(text, ending="")
