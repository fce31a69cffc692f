"""Tests for policy presets, code sets and the checks on a school's own policy file."""

import tomllib
from fractions import Fraction
from importlib import resources

import pytest
import tomli_w

from rollbook.policy.codes import Category, UnknownCodeError, available_code_sets, load_code_set
from rollbook.policy.settings import NFollowUp, PolicyError, available_presets, load_policy_file, load_preset


def test_presets_shipped():
    assert available_presets() == ("england-2024", "school-2023")
    assert available_code_sets() == ("national-2006", "national-2024")


def test_school_2023_preset():
    policy = load_preset("school-2023")

    assert policy.code_set.name == "national-2006"
    assert policy.measures.persistent_absence_percent == 10
    assert policy.triggers.min_possible_sessions == 20
    assert (policy.triggers.autumn_threshold_percent, policy.triggers.spring_threshold_percent) == (90, 95)
    assert policy.la_alerts.unauthorised_block_codes == ("N", "O")
    assert policy.removal.leave_codes == ("C", "H")
    assert (policy.penalty.threshold_sessions, policy.penalty.window_school_weeks) == (10, 12)
    assert policy.penalty.windows_cross_years is False
    assert policy.n_follow_up.action is NFollowUp.AMEND_TO_O


def test_england_2024_preset():
    policy = load_preset("england-2024")

    assert policy.code_set.name == "national-2024"
    assert policy.la_alerts.unauthorised_block_codes == ("G", "N", "O")
    assert policy.removal.leave_codes == ("C",)
    assert (policy.penalty.threshold_sessions, policy.penalty.window_school_weeks) == (10, 10)
    assert policy.penalty.windows_cross_years is True
    assert policy.n_follow_up.action is NFollowUp.LIST_ONLY
    assert policy.retention.years == 6


def test_presets_keep_the_school_choices_alike():
    school, england = load_preset("school-2023"), load_preset("england-2024")

    assert school.triggers == england.triggers
    assert school.measures == england.measures
    assert school.la_alerts.medical_block_codes == england.la_alerts.medical_block_codes == ("I", "M")


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("national-2006", ["H", "J", "Y", "#"], ["K", "C1", "Q", "Y1", "F"]),
        ("national-2024", ["K", "C1", "C2", "J1", "Q", "Y1", "Y7", "#"], ["H", "J", "Y", "F"]),
    ],
)
def test_code_sets(name, present, absent):
    code_set = load_code_set(name)

    assert all(code in code_set for code in present)
    assert not any(code in code_set for code in absent)
    assert code_set.codes_in(Category.UNAUTHORISED) == ("G", "N", "O", "U")
    assert code_set.codes_in(Category.PRESENT) == ("/", "\\", "L")


def test_code_set_unknown_code():
    with pytest.raises(UnknownCodeError, match="'H' is not in the code set 'national-2024'"):
        load_code_set("national-2024").get("H")


def test_policy_threshold_is_exact():
    assert load_preset("school-2023").threshold(90) == Fraction(9, 10)


def preset_data(name: str) -> dict:
    text = (resources.files("rollbook.policy") / "presets" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def write_policy(tmp_path, data: dict):
    path = tmp_path / "policy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_load_policy_file_edited_copy(tmp_path):
    data = preset_data("school-2023")
    data["name"] = "our-school"
    data["triggers"]["autumn_threshold_percent"] = 92

    policy = load_policy_file(write_policy(tmp_path, data))

    assert policy.name == "our-school"
    assert policy.triggers.autumn_threshold_percent == 92


@pytest.mark.parametrize(
    ("preset", "section", "key", "value", "message"),
    [
        ("school-2023", "measures", "persistent_absence_percent", 0, "key measures.persistent_absence_percent = 0 is out of range; allowed: 1 to 100"),
        ("school-2023", "triggers", "min_possible_sessions", "20", "key triggers.min_possible_sessions = '20' is invalid; write a whole number"),
        ("school-2023", "triggers", "min_possible_sessions", True, "key triggers.min_possible_sessions = True is invalid; write a whole number"),
        ("school-2023", "penalty", "windows_cross_years", "yes", "key penalty.windows_cross_years = 'yes' is invalid; write true or false"),
        ("school-2023", "penalty", "codes", [], "key penalty.codes = [] is invalid; write a non-empty list of codes"),
        ("england-2024", "la_alerts", "unauthorised_block_codes", ["N", "H"], "contains 'H', which is not a code of the code set 'national-2024'"),
        ("england-2024", "leave", "granted_holiday_code", "H", "key leave.granted_holiday_code = 'H' is not a code of the code set 'national-2024'"),
        ("school-2023", "n_follow_up", "action", "delete", "key n_follow_up.action = 'delete' is invalid; use one of: 'amend_to_o', 'list_only'"),
        ("school-2023", "day", "am_register", "8:55", "key day.am_register = '8:55' is invalid; write a 24-hour time as HH:MM"),
        ("school-2023", "removal", "absence_weeks", 4, "key removal.absence_weeks is not a policy setting; the keys of [removal] are: absence_codes, absence_days"),
        ("england-2024", "day", "pm_close", "13:55", "the PM register stays open 35 minutes; this policy allows at most 30 minutes"),
    ],
)
def test_load_policy_file_invalid_value(tmp_path, preset, section, key, value, message):
    data = preset_data(preset)
    data[section][key] = value

    with pytest.raises(PolicyError) as error:
        load_policy_file(write_policy(tmp_path, data))

    assert message in str(error.value)
    assert str(tmp_path / "policy.toml") in str(error.value)


def test_load_policy_file_missing_key(tmp_path):
    data = preset_data("school-2023")
    del data["penalty"]["threshold_sessions"]

    with pytest.raises(PolicyError, match="key penalty.threshold_sessions is missing"):
        load_policy_file(write_policy(tmp_path, data))


def test_load_policy_file_unknown_code_set(tmp_path):
    data = preset_data("school-2023")
    data["code_set"] = "national-1999"

    with pytest.raises(PolicyError, match="code_set = 'national-1999' is invalid; use one of: national-2006, national-2024"):
        load_policy_file(write_policy(tmp_path, data))


def test_load_policy_file_not_toml(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("name = ", encoding="utf-8")

    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy_file(path)


def test_load_preset_refuses_an_unknown_name():
    with pytest.raises(PolicyError, match="policy 'wales-2024' does not exist; use one of: england-2024, school-2023"):
        load_preset("wales-2024")
