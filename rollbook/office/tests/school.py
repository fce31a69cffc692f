"""Brackenfield Lower School with terms up to May 2026, for the office and job tests.

It is the register tests' small school: autumn term 2025 from 1 September to 19 December with
half-term from 27 to 31 October, an INSET day on 1 September, and a Reception closure on the
afternoon of 12 September. Class 3 Cedar has Ada, Ben and Cara (who left on 19 September);
class R Oak has Ruby. ``build_school`` adds the spring half-terms (5 January to 13 February and
23 February to 27 March 2026) and the first summer half-term (13 April to 22 May), so both clock
changes fall inside the year. All names are invented.
"""

from __future__ import annotations

import datetime as dt

from rollbook.registers.tests.school import AUTUMN_HALF_TERMS, FIRST_DAY, PASSWORD, make_user  # noqa: F401 - used by tests
from rollbook.registers.tests.school import Brackenfield as SmallSchool
from rollbook.registers.tests.school import build_school as build_register_school

HALF_TERMS = (
    *AUTUMN_HALF_TERMS,
    ("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
    ("spring-2", dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
    ("summer-1", dt.date(2026, 4, 13), dt.date(2026, 5, 22)),
)


def build_school() -> SmallSchool:
    return build_register_school(HALF_TERMS)
