"""The page tests' schools and personas (see ``rollbook/web/tests/conftest.py``), and request helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.policy.arrivals import SCHOOL_TIME_ZONE
from rollbook.web.tests.conftest import *  # noqa: F403 - the shared fixtures
from rollbook.web.tests.conftest import JONAH_UPN, pupil_by_upn


def london(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SCHOOL_TIME_ZONE)


@pytest.fixture
def jonah(larkspur):
    return pupil_by_upn(JONAH_UPN)
