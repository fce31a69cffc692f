"""The register tests' small school (Brackenfield Lower School, autumn 2025) for the job tests."""

from rollbook.registers.tests.conftest import brackenfield  # noqa: F401 - a fixture used by name
