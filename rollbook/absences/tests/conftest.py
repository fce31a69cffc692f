"""The register tests' small school, reused: absence reports belong to its pupils."""

from rollbook.registers.tests.conftest import brackenfield  # noqa: F401 - a fixture
