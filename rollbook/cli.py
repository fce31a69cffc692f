"""The ``rollbook`` command: Rollbook's own commands and Django's management commands.

Rollbook's commands are two words (``rollbook import bundle DIR``); each maps to one Django
management command. Anything else goes to Django unchanged (``rollbook migrate``).
"""

import os
import secrets
import sys

# Two-word commands and the management command each one runs.
COMMANDS = {
    ("import", "bundle"): "import_bundle",
    ("import", "term-dates"): "import_term_dates",
    ("export", "bundle"): "export_bundle",
    ("report", "pupils"): "report_pupils",
    ("report", "actions"): "report_actions",
    ("policy", "show"): "policy_show",
    ("policy", "check"): "policy_check",
    ("registers", "close"): "close_registers",
}
SERVING_COMMANDS = {"runserver"}


def translate(argv: list[str]) -> list[str]:
    """Map ``rollbook WORD WORD ARGS`` to the management command's argument list."""
    command = COMMANDS.get(tuple(argv[:2]))
    if command:
        return [command, *argv[2:]]
    if argv and argv[0] in {word for word, _ in COMMANDS} and len(argv) >= 1:
        known = ", ".join(sorted(f"{a} {b}" for a, b in COMMANDS if a == argv[0]))
        sys.stderr.write(f"rollbook: unknown command {' '.join(argv[:2])!r}; did you mean one of: {known}\n")
        raise SystemExit(2)
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rollbook.settings")
    argv = translate(sys.argv[1:])
    if not argv or argv[0] not in SERVING_COMMANDS:
        # Commands that serve no web request sign nothing that outlives them.
        os.environ.setdefault("ROLLBOOK_SECRET_KEY", secrets.token_urlsafe(40))

    from django.core.management import execute_from_command_line

    execute_from_command_line(["rollbook", *argv])


if __name__ == "__main__":
    main()
