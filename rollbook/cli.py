"""The ``rollbook`` command: Rollbook's own commands and Django's management commands.

Rollbook's commands are two words (``rollbook import bundle DIR``); each maps to one Django
management command. Anything else goes to Django unchanged (``rollbook migrate``).
"""

import os
import secrets
import sys

# Two-word commands, the management command each one runs, and what it does.
COMMANDS = {
    ("import", "bundle"): ("import_bundle", "import a school bundle folder (all or nothing)"),
    ("import", "term-dates"): ("import_term_dates", "turn an LA's iCalendar term dates into half-terms"),
    ("import", "dfe-statistics"): ("import_dfe_statistics", "store the DfE's published attendance statistics (CSV)"),
    ("export", "bundle"): ("export_bundle", "write a school's year as a school bundle folder"),
    ("report", "pupils"): ("report_pupils", "each pupil's attendance figures over a date range"),
    ("report", "actions"): ("report_actions", "the policy rules each pupil meets as of a date"),
    ("report", "spreadsheet"): ("report_spreadsheet", "the SLT's XLSX workbook of attendance by period"),
    ("policy", "show"): ("policy_show", "print a policy preset as TOML, to copy and edit"),
    ("policy", "check"): ("policy_check", "check an edited policy file"),
    ("registers", "close"): ("close_registers", "give N to every unmarked pupil of each closed register"),
    ("users", "add"): ("users_add", "create a user or give a user a role at a school"),
    ("run", "due-jobs"): ("run_due_jobs", "run every job due now (closing, N follow-up, reports, e-mail)"),
}
# One-word spellings of two-word commands, as written in cron and systemd examples.
ALIASES = {"run-due-jobs": ("run", "due-jobs")}
GROUPS = tuple(dict.fromkeys(group for group, _ in COMMANDS))
SERVING_COMMANDS = {"runserver"}
HELP_WORDS = {"-h", "--help", "help"}


def usage() -> str:
    """Return the list of Rollbook's own commands, for ``rollbook --help``."""
    lines = ["Rollbook's commands (each takes --help):", ""]
    width = max(len(f"{group} {name}") for group, name in COMMANDS)
    for (group, name), (_command, summary) in COMMANDS.items():
        lines.append(f"  rollbook {f'{group} {name}':<{width}}  {summary}")
    lines += ["", "Django's management commands also work, such as: rollbook migrate, rollbook createsuperuser.", ""]
    return "\n".join(lines)


def translate(argv: list[str]) -> list[str]:
    """Map ``rollbook WORD WORD ARGS`` to the management command's argument list.

    Raises ``SystemExit`` after printing the choices when a group word comes without one of
    its commands (status 0 when help was asked for, 2 otherwise).
    """
    if argv and argv[0] in ALIASES:
        argv = [*ALIASES[argv[0]], *argv[1:]]
    entry = COMMANDS.get(tuple(argv[:2]))
    if entry:
        return [entry[0], *argv[2:]]
    if argv and argv[0] in GROUPS:
        choices = ", ".join(f"{argv[0]} {name}" for group, name in COMMANDS if group == argv[0])
        help_requested = len(argv) == 1 or argv[1] in HELP_WORDS
        if not help_requested:
            sys.stderr.write(f"rollbook: unknown command {' '.join(argv[:2])!r}; use one of: {choices}\n")
            raise SystemExit(2)
        sys.stdout.write(f"rollbook {argv[0]}: use one of: {choices}\n")
        raise SystemExit(0)
    return argv


def _database_problem(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return f"rollbook: the database has no Rollbook tables yet ({text}); run: rollbook migrate"
    return f"rollbook: the database named by DATABASE_URL cannot be used ({text}); check DATABASE_URL and that the server is running"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rollbook.settings")
    argv = translate(sys.argv[1:])
    if not argv or argv[0] in HELP_WORDS:
        sys.stdout.write(usage())
    if not argv or argv[0] not in SERVING_COMMANDS:
        # Commands that serve no web request sign nothing that outlives them.
        os.environ.setdefault("ROLLBOOK_SECRET_KEY", secrets.token_urlsafe(40))

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["rollbook", *argv])
    except BrokenPipeError:
        # The reader went away (``rollbook report ... | head``): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except ImproperlyConfigured as error:
        sys.stderr.write(f"rollbook: {error}\n")
        raise SystemExit(2) from None
    except DatabaseError as error:
        sys.stderr.write(_database_problem(error) + "\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
