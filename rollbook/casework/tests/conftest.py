"""The register tests' small school, reused: casework belongs to its pupils and staff."""

from rollbook.registers.tests.conftest import brackenfield  # noqa: F401 - a fixture
