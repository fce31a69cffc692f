import io

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_policy_show_prints_preset():
    text = run("policy_show", "england-2024")

    assert 'name = "england-2024"' in text
    assert "window_school_weeks = 10" in text


def test_policy_show_unknown_preset():
    with pytest.raises(CommandError, match="policy 'wales-2024' does not exist"):
        run("policy_show", "wales-2024")


def test_policy_check_edited_copy(tmp_path):
    edited = run("policy_show", "school-2023").replace('name = "school-2023"', 'name = "our-draft"')
    edited = edited.replace("autumn_threshold_percent = 90", "autumn_threshold_percent = 92")
    path = tmp_path / "draft.toml"
    path.write_text(edited, encoding="utf-8")

    assert "valid policy 'our-draft'" in run("policy_check", str(path))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("window_school_weeks = 12", "window_school_weeks = 0", "penalty.window_school_weeks = 0 is out of range; allowed: 1 to 52"),
        ("window_school_weeks = 12", 'window_school_weeks = "twelve"', "penalty.window_school_weeks = 'twelve' is invalid; write a whole number"),
        ('unauthorised_block_codes = ["N", "O"]', 'unauthorised_block_codes = ["N", "Y1"]', "contains 'Y1', which is not a code of the code set 'national-2006'"),
        ('action = "amend_to_o"', 'action = "ignore"', "n_follow_up.action = 'ignore' is invalid; use one of: 'amend_to_o', 'list_only'"),
        ('am_close = "09:15"', 'am_close = "9.15"', "day.am_close = '9.15' is invalid; write a 24-hour time as HH:MM"),
        ("years = 3", "yeras = 3", "key retention.yeras is not a policy setting"),
        ('code_set = "national-2006"', 'code_set = "national-1999"', "code_set = 'national-1999' is invalid"),
    ],
)
def test_policy_check_names_invalid_key(tmp_path, old, new, message):
    text = run("policy_show", "school-2023")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run("policy_check", str(path))

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("pm_close", "message"),
    [
        ('"13:30"', "the AM register stays open 20 minutes and the PM register 10 minutes"),
        ('"13:51"', "the PM register stays open 31 minutes; this policy allows at most 30 minutes"),
    ],
)
def test_policy_check_england_register_windows(tmp_path, pm_close, message):
    text = run("policy_show", "england-2024")
    path = tmp_path / "bad.toml"
    path.write_text(text.replace('pm_close = "13:40"', f"pm_close = {pm_close}"), encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        run("policy_check", str(path))
