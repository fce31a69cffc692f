import pytest

from rollbook.analysis.periods import Preset, PeriodError, all_presets, custom_period, preset_period
from rollbook.policy.tests.builders import CALENDAR_2025, D


def period(preset, on):
    found = preset_period(preset, CALENDAR_2025, on)
    return found.start, found.end


def test_half_term_in_term_time():
    assert period(Preset.HALF_TERM, D(2025, 12, 4)) == (D(2025, 11, 3), D(2025, 12, 4))


def test_half_term_in_holiday_is_last_started():
    assert period(Preset.HALF_TERM, D(2025, 10, 29)) == (D(2025, 9, 1), D(2025, 10, 24))


def test_term_spans_both_half_terms():
    assert period(Preset.TERM, D(2025, 12, 4)) == (D(2025, 9, 1), D(2025, 12, 4))
    assert period(Preset.TERM, D(2026, 3, 2)) == (D(2026, 1, 5), D(2026, 3, 2))


def test_term_in_holiday_ends_at_term_end():
    assert period(Preset.TERM, D(2025, 12, 30)) == (D(2025, 9, 1), D(2025, 12, 19))


def test_year_to_date_and_last_year():
    assert period(Preset.YEAR_TO_DATE, D(2026, 2, 3)) == (D(2025, 9, 1), D(2026, 2, 3))
    assert period(Preset.LAST_YEAR, D(2026, 2, 3)) == (D(2024, 9, 1), D(2025, 2, 3))


def test_last_year_from_leap_day():
    from rollbook.policy.tests.builders import half_terms
    from rollbook.policy.calendar import SchoolCalendar

    calendar = SchoolCalendar(2027, half_terms((D(2027, 9, 1), D(2027, 10, 22))))
    found = preset_period(Preset.LAST_YEAR, calendar, D(2028, 2, 29))

    assert (found.start, found.end) == (D(2026, 9, 1), D(2027, 2, 28))


def test_date_outside_year_rejected():
    with pytest.raises(PeriodError, match="2026-09-01 is not in the academic year 2025/26"):
        preset_period(Preset.YEAR_TO_DATE, CALENDAR_2025, D(2026, 9, 1))


def test_custom_period_rejects_reversed_dates():
    with pytest.raises(PeriodError, match="the to date 2025-09-01 is before the from date 2025-09-02"):
        custom_period(D(2025, 9, 2), D(2025, 9, 1))


def test_all_presets_order_and_labels():
    periods = all_presets(CALENDAR_2025, D(2025, 12, 4))

    assert [p.preset for p in periods] == [Preset.HALF_TERM, Preset.TERM, Preset.YEAR_TO_DATE, Preset.LAST_YEAR]
    assert periods[2].label == "Year to date: 1 Sep 2025 to 4 Dec 2025"
