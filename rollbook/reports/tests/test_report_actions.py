import io
import json

import pytest
from django.core.management import CommandError, call_command

from . import scenario

pytestmark = pytest.mark.django_db

ADA, BEA, CAL, DOT, EDD, FAY, GUS = (scenario.PUPILS[name][0] for name in ("ADA", "BEA", "CAL", "DOT", "EDD", "FAY", "GUS"))


@pytest.fixture
def school(tmp_path):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())


def actions(as_of: str, *extra: str) -> list[tuple[str, str, str]]:
    out = io.StringIO()
    call_command("report_actions", "--as-of", as_of, "--format", "json", *extra, stdout=out)
    rows = json.loads(out.getvalue())
    result = [(row["upn"], row["rule"], row["since"]) for row in rows]
    assert result == sorted(result, key=lambda r: (r[0], r[1]))
    return result


EXPECTED_3_OCTOBER = sorted(
    [
        (BEA, "persistent-absence", "2025-09-02"),
        # 20 possible sessions are reached on the 10th school day, 15 September.
        (BEA, "trigger-stage-1", "2025-09-15"),
        (CAL, "la-alert-unauthorised-block", "2025-09-15"),
        # The 5th school day after the first N (2 September).
        (CAL, "n-code-overdue", "2025-09-09"),
        # The 10th N session is 8 September PM.
        (CAL, "penalty-threshold", "2025-09-08"),
        (CAL, "persistent-absence", "2025-09-02"),
        (CAL, "trigger-stage-1", "2025-09-15"),
        # Under compulsory school age: no penalty threshold; G is not part of the LA block.
        (DOT, "persistent-absence", "2025-09-02"),
        (DOT, "trigger-stage-1", "2025-09-15"),
        # Left on 19 September: event rules stay listed, status rules do not.
        (EDD, "la-alert-unauthorised-block", "2025-09-15"),
        (EDD, "penalty-threshold", "2025-09-08"),
    ]
)


def test_report_actions_hand_checked(school):
    assert actions("2025-10-03") == EXPECTED_3_OCTOBER


def test_report_actions_weekend_judges_friday(school):
    assert actions("2025-10-05") == EXPECTED_3_OCTOBER


def test_report_actions_early_in_year(school):
    assert actions("2025-09-08") == sorted(
        [
            (BEA, "persistent-absence", "2025-09-02"),
            (BEA, "severe-absence", "2025-09-02"),
            (CAL, "penalty-threshold", "2025-09-08"),
            (CAL, "persistent-absence", "2025-09-02"),
            (CAL, "severe-absence", "2025-09-02"),
            (DOT, "persistent-absence", "2025-09-02"),
            (DOT, "severe-absence", "2025-09-02"),
            (EDD, "penalty-threshold", "2025-09-08"),
            (EDD, "persistent-absence", "2025-09-02"),
            (EDD, "severe-absence", "2025-09-02"),
        ]
    )


def test_report_actions_first_school_day_closed(school):
    assert actions("2025-09-01") == []


def test_report_actions_before_year(school):
    assert actions("2025-08-31") == []


def test_report_actions_under_england_2024(school):
    # The 10-week window and the G N O block give the same results for these pupils.
    assert actions("2025-10-03", "--policy", "england-2024") == EXPECTED_3_OCTOBER


def test_report_actions_rejects_unknown_policy(school):
    with pytest.raises(CommandError, match="policy 'scotland' does not exist"):
        actions("2025-10-03", "--policy", "scotland")


def test_report_actions_table(school):
    out = io.StringIO()
    call_command("report_actions", "--as-of", "2025-10-03", stdout=out)

    assert "la-alert-unauthorised-block" in out.getvalue()
    assert "11 actions due" in out.getvalue()
    # FAY has no mark on 3 October PM.
    assert "Figures are incomplete: 1 possible session of this academic year up to 2025-10-03" in out.getvalue()
