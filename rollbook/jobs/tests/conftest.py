"""Brackenfield Lower School (built by the office tests' ``school.py``) for the job tests."""

import pytest

from rollbook.office.tests.school import build_school


@pytest.fixture
def brackenfield(db):
    return build_school()
