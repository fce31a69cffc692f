"""Tests for deriving half-terms from an iCalendar file of school holidays."""

import datetime as dt
from pathlib import Path

import pytest

from rollbook.tests.data import SHEFFIELD_TERM_DATES
from rollbook.bundles.termdates import TermDatesError, derive_half_terms, read_holidays

from .helpers import ics

SHEFFIELD = SHEFFIELD_TERM_DATES
D = dt.date


# The holidays of a made-up authority for 2029/30, whose 1 September is a Saturday.
HOLIDAYS_2029 = [
    (D(2029, 7, 20), D(2029, 8, 31), "Summer holiday"),
    (D(2029, 10, 27), D(2029, 11, 4), "Half-term"),
    (D(2029, 12, 22), D(2030, 1, 6), "Christmas holiday"),
    (D(2030, 2, 16), D(2030, 2, 24), "Half-term"),
    (D(2030, 4, 13), D(2030, 4, 28), "Easter holiday"),
    (D(2030, 5, 25), D(2030, 6, 2), "Half-term"),
    (D(2030, 7, 23), D(2030, 8, 31), "Summer holiday"),
]


def sheffield(year):
    holidays = read_holidays(SHEFFIELD.read_bytes(), SHEFFIELD.name)
    return derive_half_terms(holidays, year, SHEFFIELD.name)


def spans(term_dates):
    return [(h.label, h.start, h.end) for h in term_dates.half_terms]


def test_termdates_sheffield_2025():
    term_dates = sheffield(2025)

    assert spans(term_dates) == [
        ("autumn-1", D(2025, 9, 1), D(2025, 10, 24)),
        ("autumn-2", D(2025, 11, 3), D(2025, 12, 19)),
        ("spring-1", D(2026, 1, 5), D(2026, 2, 13)),
        ("spring-2", D(2026, 2, 23), D(2026, 3, 27)),
        ("summer-1", D(2026, 4, 13), D(2026, 5, 22)),
        ("summer-2", D(2026, 6, 1), D(2026, 7, 20)),
    ]
    assert term_dates.days_off_in_term == ()


def test_termdates_sheffield_2025_summer_ends_monday():
    summer_2 = sheffield(2025).half_terms[-1]

    assert summer_2.end.strftime("%A") == "Monday"


def test_termdates_sheffield_2025_bank_holiday_no_split():
    # The May Day bank holiday, 4 May 2026, is a one-day event inside summer-1.
    summer_1 = sheffield(2025).half_terms[4]

    assert summer_1.start < D(2026, 5, 4) < summer_1.end


def test_termdates_sheffield_2026():
    assert spans(sheffield(2026)) == [
        ("autumn-1", D(2026, 9, 1), D(2026, 10, 23)),
        ("autumn-2", D(2026, 11, 2), D(2026, 12, 18)),
        ("spring-1", D(2027, 1, 4), D(2027, 2, 12)),
        ("spring-2", D(2027, 2, 22), D(2027, 3, 25)),
        ("summer-1", D(2027, 4, 12), D(2027, 5, 28)),
        ("summer-2", D(2027, 6, 7), D(2027, 7, 21)),
    ]


def test_termdates_sheffield_2026_autumn_starts_tuesday():
    autumn_1 = sheffield(2026).half_terms[0]

    assert autumn_1.start.strftime("%A") == "Tuesday"


def test_termdates_sheffield_2027():
    # The file ends the 2027/28 summer holiday on 31 July 2028; August is not term time.
    assert spans(sheffield(2027)) == [
        ("autumn-1", D(2027, 9, 1), D(2027, 10, 22)),
        ("autumn-2", D(2027, 11, 1), D(2027, 12, 17)),
        ("spring-1", D(2028, 1, 4), D(2028, 2, 11)),
        ("spring-2", D(2028, 2, 21), D(2028, 3, 31)),
        ("summer-1", D(2028, 4, 18), D(2028, 5, 26)),
        ("summer-2", D(2028, 6, 5), D(2028, 7, 21)),
    ]


@pytest.mark.parametrize("year", [2024, 2028])
def test_termdates_sheffield_year_not_covered(year):
    with pytest.raises(TermDatesError, match=f"no holiday in July {year + 1}"):
        sheffield(year)


def test_termdates_crlf_copy(tmp_path):
    original = SHEFFIELD.read_bytes()
    assert b"\r\n" not in original
    copy = tmp_path / "sheffield-crlf.ics"
    copy.write_bytes(original.replace(b"\n", b"\r\n"))

    holidays = read_holidays(copy.read_bytes(), copy.name)

    assert spans(derive_half_terms(holidays, 2025, copy.name)) == spans(sheffield(2025))
    assert holidays[0].line == 6


def test_termdates_read_holidays_exclusive_end():
    holidays = read_holidays(SHEFFIELD.read_bytes(), SHEFFIELD.name)

    first = holidays[0]
    assert (first.summary, first.start, first.end) == ("Sheffield: Summer holiday", D(2025, 8, 1), D(2025, 8, 31))
    assert len(holidays) == 45


def test_termdates_weekend_edges_trimmed():
    holidays = read_holidays(ics(HOLIDAYS_2029), "la.ics")

    term_dates = derive_half_terms(holidays, 2029, "la.ics")

    # 1 September 2029 is a Saturday, so autumn-1 starts on Monday 3 September.
    assert term_dates.half_terms[0].start == D(2029, 9, 3)
    for half_term in term_dates.half_terms:
        assert half_term.start.weekday() < 5, half_term
        assert half_term.end.weekday() < 5, half_term


def test_termdates_missing_break_lists_stretches():
    without_february = [h for h in HOLIDAYS_2029 if h[0] != D(2030, 2, 16)]

    with pytest.raises(TermDatesError) as error:
        derive_half_terms(read_holidays(ics(without_february), "la.ics"), 2029, "la.ics")

    message = str(error.value)
    assert "5 teaching stretches in 2029/30, not 6" in message
    assert "Mon 2030-01-07 to Fri 2030-04-12" in message


def test_termdates_extra_break_lists_stretches():
    extra = [*HOLIDAYS_2029, (D(2029, 9, 24), D(2029, 9, 26), "Local festival")]

    with pytest.raises(TermDatesError, match="7 teaching stretches"):
        derive_half_terms(read_holidays(ics(extra), "la.ics"), 2029, "la.ics")


def test_termdates_one_day_event_in_term_reported():
    extra = [*HOLIDAYS_2029, (D(2029, 10, 12), D(2029, 10, 12), "Local holiday")]

    term_dates = derive_half_terms(read_holidays(ics(extra), "la.ics"), 2029, "la.ics")

    assert len(term_dates.half_terms) == 6
    assert [h.summary for h in term_dates.days_off_in_term] == ["Local holiday"]


def test_termdates_bank_holiday_pair_no_split():
    # 2 and 3 June 2022 were both bank holidays in England, written here as one event.
    holidays_2021 = [
        (D(2021, 7, 23), D(2021, 8, 31), "Summer holiday"),
        (D(2021, 10, 23), D(2021, 10, 31), "Half-term"),
        (D(2021, 12, 18), D(2022, 1, 3), "Christmas holiday"),
        (D(2022, 2, 19), D(2022, 2, 27), "Half-term"),
        (D(2022, 4, 9), D(2022, 4, 24), "Easter holiday"),
        (D(2022, 5, 21), D(2022, 5, 29), "Half-term"),
        (D(2022, 6, 2), D(2022, 6, 3), "Platinum Jubilee bank holidays"),
        (D(2022, 7, 22), D(2022, 8, 31), "Summer holiday"),
    ]

    term_dates = derive_half_terms(read_holidays(ics(holidays_2021), "la.ics"), 2021, "la.ics")

    assert spans(term_dates)[-1] == ("summer-2", D(2022, 5, 30), D(2022, 7, 21))
    assert term_dates.days_off_in_term == ()


def test_termdates_event_without_end_lasts_one_day():
    data = ics([(D(2025, 12, 25), D(2025, 12, 25), "Christmas Day")]).replace(b"DTEND;VALUE=DATE:20251226\n", b"")

    holidays = read_holidays(data, "la.ics")

    assert (holidays[0].start, holidays[0].end) == (D(2025, 12, 25), D(2025, 12, 25))


def test_termdates_timed_event_rejected():
    data = ics(HOLIDAYS_2029).replace(b"DTSTART;VALUE=DATE:20291027", b"DTSTART:20291027T090000Z", 1)

    with pytest.raises(TermDatesError) as error:
        read_holidays(data, "la.ics")

    assert "la.ics, line 14" in str(error.value)
    assert "all-day" in str(error.value)


def test_termdates_end_before_start_rejected():
    data = ics([(D(2029, 10, 27), D(2029, 11, 4), "Half-term")]).replace(b"DTEND;VALUE=DATE:20291105", b"DTEND;VALUE=DATE:20291027")

    with pytest.raises(TermDatesError, match="line 8: event 'Half-term' ends"):
        read_holidays(data, "la.ics")


def test_termdates_invalid_date_rejected():
    data = ics([(D(2029, 10, 27), D(2029, 11, 4), "Half-term")]).replace(b"20291027", b"2029-10-27")

    with pytest.raises(TermDatesError, match="la.ics, line 7: event 'Half-term' has an invalid DTSTART"):
        read_holidays(data, "la.ics")


def test_termdates_recurring_event_rejected():
    data = ics([(D(2029, 10, 27), D(2029, 11, 4), "Half-term")]).replace(b"SUMMARY", b"RRULE:FREQ=YEARLY\nSUMMARY")

    with pytest.raises(TermDatesError, match="line 9: event 'Half-term' repeats"):
        read_holidays(data, "la.ics")


def test_termdates_cancelled_event_skipped():
    data = ics(HOLIDAYS_2029 + [(D(2029, 9, 24), D(2029, 9, 26), "Local festival")])
    data = data.replace(b"SUMMARY:Local festival", b"SUMMARY:Local festival\nSTATUS:CANCELLED")

    term_dates = derive_half_terms(read_holidays(data, "la.ics"), 2029, "la.ics")

    assert len(term_dates.half_terms) == 6


def test_termdates_not_icalendar():
    with pytest.raises(TermDatesError, match="not a valid iCalendar file"):
        read_holidays(b"type,start_date\nhalf_term,2025-09-01\n", "terms.csv")
