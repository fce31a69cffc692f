"""Tests for the school.toml parser."""

import datetime as dt

import pytest

from rollbook.bundles.school_toml import parse_school

DAY_2024 = """
[day]
am_register = "08:45"
am_close = "{am_close}"
pm_register = "13:15"
pm_close = "{pm_close}"
"""


def parse(bundle):
    warnings = []
    settings, problems = parse_school(bundle.path / "school.toml", warnings)
    return settings, problems.items, warnings


def with_day_2024(bundle, am_close: str, pm_close: str) -> None:
    text = bundle.text("school.toml")
    text = text.replace('policy = "school-2023"', 'policy = "england-2024"')
    text = text[: text.index("[day]")] + DAY_2024.format(am_close=am_close, pm_close=pm_close)
    bundle.write("school.toml", text)


def test_school_toml_valid(small_bundle):
    settings, problems, warnings = parse(small_bundle)

    assert problems == []
    assert warnings == []
    assert settings.name == "Elmtree Lower School"
    assert settings.academic_year == 2025
    assert settings.policy.name == "school-2023"
    assert settings.policy.day.pm_close == dt.time(13, 30)


def test_school_toml_keeps_leading_zeros(small_bundle):
    settings, _, _ = parse(small_bundle)

    assert settings.urn == "012345"
    assert settings.la_code == "080"


def test_school_toml_urn_as_number(small_bundle):
    line = small_bundle.replace("school.toml", 'urn = "012345"', "urn = 12345")

    settings, problems, _ = parse(small_bundle)

    assert settings is None
    assert [(p.line, p.column, p.value) for p in problems] == [(line, "urn", "12345")]
    assert "in quotes" in problems[0].message


@pytest.mark.parametrize("value", ['"12345"', '"1234567"', '"12a456"', '""'])
def test_school_toml_urn_not_six_digits(small_bundle, value):
    small_bundle.replace("school.toml", 'urn = "012345"', f"urn = {value}")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["urn"]
    assert "6 digits" in problems[0].message


@pytest.mark.parametrize("value", ['"80"', '"0800"', "80"])
def test_school_toml_la_code_not_three_digits(small_bundle, value):
    small_bundle.replace("school.toml", 'la_code = "080"', f"la_code = {value}")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["la_code"]
    assert "3 digits" in problems[0].message


def test_school_toml_missing_keys_all_reported(small_bundle):
    text = small_bundle.text("school.toml")
    text = text.replace('name = "Elmtree Lower School"\n', "").replace("academic_year = 2025\n", "")
    small_bundle.write("school.toml", text)

    settings, problems, _ = parse(small_bundle)

    assert settings is None
    assert sorted(p.column for p in problems) == ["academic_year", "name"]


@pytest.mark.parametrize("value", ['"2025"', '"2025/26"', "1999", "2100", "true"])
def test_school_toml_academic_year_invalid(small_bundle, value):
    small_bundle.replace("school.toml", "academic_year = 2025", f"academic_year = {value}")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["academic_year"]


def test_school_toml_unknown_policy(small_bundle):
    line = small_bundle.replace("school.toml", 'policy = "school-2023"', 'policy = "school-2020"')

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column) for p in problems] == [(line, "policy")]
    assert "england-2024" in problems[0].message
    assert "school-2023" in problems[0].message


def test_school_toml_invalid_time(small_bundle):
    line = small_bundle.replace("school.toml", 'am_close = "09:15"', 'am_close = "9.15"')

    _, problems, _ = parse(small_bundle)

    assert [(p.line, p.column, p.value) for p in problems] == [(line, "day.am_close", "9.15")]
    assert "HH:MM" in problems[0].message


def test_school_toml_close_before_register(small_bundle):
    small_bundle.replace("school.toml", 'pm_close = "13:30"', 'pm_close = "13:10"')

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["day"]
    assert "pm_close" in problems[0].message


def test_school_toml_missing_day_table_uses_preset(small_bundle):
    text = small_bundle.text("school.toml")
    small_bundle.write("school.toml", text[: text.index("[day]")])

    settings, problems, _ = parse(small_bundle)

    assert problems == []
    assert settings.policy.day.am_register == dt.time(8, 55)


def test_school_toml_missing_day_key(small_bundle):
    small_bundle.replace("school.toml", 'pm_register = "13:20"\n', "")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["day.pm_register"]


def test_school_toml_england_2024_equal_windows_accepted(small_bundle):
    with_day_2024(small_bundle, am_close="09:15", pm_close="13:45")

    settings, problems, _ = parse(small_bundle)

    assert problems == []
    assert settings.policy.name == "england-2024"


def test_school_toml_england_2024_unequal_windows(small_bundle):
    with_day_2024(small_bundle, am_close="09:15", pm_close="13:40")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["day"]
    assert "same time" in problems[0].message


def test_school_toml_england_2024_window_limit(small_bundle):
    with_day_2024(small_bundle, am_close="09:16", pm_close="13:46")

    _, problems, _ = parse(small_bundle)

    assert [p.column for p in problems] == ["day"]
    assert "at most 30 minutes" in problems[0].message


def test_school_toml_syntax_error_line(small_bundle):
    line = small_bundle.replace("school.toml", 'la_code = "080"', "la_code = ")

    settings, problems, _ = parse(small_bundle)

    assert settings is None
    assert problems[0].line == line
    assert "not valid TOML" in problems[0].message


def test_school_toml_unknown_keys_warning(small_bundle):
    small_bundle.replace("school.toml", "academic_year = 2025", 'academic_year = 2025\nheadteacher = "A. Person"')

    settings, problems, warnings = parse(small_bundle)

    assert problems == []
    assert settings is not None
    assert len(warnings) == 1
    assert "headteacher" in warnings[0]


def test_school_toml_missing_file(small_bundle):
    (small_bundle.path / "school.toml").unlink()

    settings, problems, _ = parse(small_bundle)

    assert settings is None
    assert "missing" in problems[0].message
