"""Paths of the public data files the tests read (see testdata/README.md)."""

from pathlib import Path

TESTDATA = Path(__file__).resolve().parents[2] / "testdata"
SHEFFIELD_TERM_DATES = TESTDATA / "term-dates" / "sheffield-lea_school_holidays_2025-2028.ics"
GOV_UK_BANK_HOLIDAYS = TESTDATA / "bank-holidays" / "gov-uk-bank-holidays-2019-2027.json"
DFE_ATTENDANCE_STATISTICS = TESTDATA / "dfe-statistics" / "pupil-attendance-ytd-2022-23_excerpt.csv"
