from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rollbook.policy.settings import Policy, PolicyError, available_presets, load_policy_file, load_preset

from ...output import write_csv, write_json, write_table
from ...services import actions_due, missing_sessions_to_date
from ._common import add_school_and_format, find_school, parse_date_option

COLUMNS = ("upn", "rule", "since", "detail")


def load_policy(name_or_path: str) -> Policy:
    """Load a preset by name, or a policy file when the value ends in .toml."""
    if name_or_path.endswith(".toml"):
        path = Path(name_or_path)
        if not path.is_file():
            raise PolicyError(f"policy file {path} does not exist")
        return load_policy_file(path)
    return load_preset(name_or_path)


class Command(BaseCommand):
    help = (
        "Print the policy rules each pupil meets as of the end of a date: status rules on the "
        "last school day on or before it, and event rules met earlier in the academic year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", required=True, metavar="DATE", help="The date to judge, YYYY-MM-DD.")
        parser.add_argument(
            "--policy",
            metavar="PRESET",
            help=(
                "Judge the marks under another policy without changing anything: a preset name "
                f"({', '.join(available_presets())}) or an edited policy file (.toml)."
            ),
        )
        add_school_and_format(parser)

    def handle(self, *args, **options):
        as_of = parse_date_option(options["as_of"], "--as-of")
        policy = None
        if options["policy"]:
            try:
                policy = load_policy(options["policy"])
            except PolicyError as error:
                raise CommandError(str(error)) from None
        school = find_school(options["school"])

        rows = [
            {"upn": a.upn, "rule": a.rule.value, "since": a.since.isoformat(), "detail": a.detail}
            for a in actions_due(school, as_of, policy)
        ]

        if options["format"] == "json":
            write_json(rows, self.stdout)
        elif options["format"] == "csv":
            write_csv(rows, COLUMNS, self.stdout)
        else:
            write_table(rows, COLUMNS, self.stdout)
            self.stdout.write(f"\n{len(rows)} action{'' if len(rows) == 1 else 's'} due at {school.name} as of {as_of}.")
            missing = missing_sessions_to_date(school, as_of)
            if missing:
                self.stdout.write(
                    f"Figures are incomplete: {missing} possible session{'' if missing == 1 else 's'} of this "
                    f"academic year up to {as_of} have no mark yet and are not counted."
                )
