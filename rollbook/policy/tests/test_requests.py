"""The request rules on both sides of every boundary, for both shipped policies."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rollbook.policy.calendar import AssessmentPeriod
from rollbook.policy.requests import (
    Check,
    Licence,
    RequestFacts,
    RequestKind,
    YearToDate,
    authorised_above_limit,
    check_request,
    decision_due,
    decision_overdue,
    granted_code,
    is_late_return,
    project_licence_days,
    refusals,
    sign_in_problem,
    sign_out_problem,
    sign_out_window,
)
from rollbook.policy.settings import PolicyError, load_preset, parse_policy

ASKED = dt.date(2026, 3, 2)  # a Monday
CLEAN = YearToDate(possible=200, attended=200, authorised=0, unauthorised=0)
LEAVE = load_preset("school-2023").leave
LUNCH = load_preset("school-2023").lunchtime


def leave_facts(first_day: dt.date, **changes) -> RequestFacts:
    facts = RequestFacts(
        kind=RequestKind.LEAVE, asked_on=ASKED, first_day=first_day, school_days=(first_day,), figures=CLEAN
    )
    return dataclasses.replace(facts, **changes)


def refused_by(findings) -> set[Check]:
    return {finding.check for finding in findings if finding.refuses}


@pytest.mark.parametrize(
    ("days_ahead", "refused"),
    [(13, True), (14, False), (15, False), (0, True)],
)
def test_leave_notice_boundary(days_ahead, refused):
    first = ASKED + dt.timedelta(days=days_ahead)
    findings = check_request(leave_facts(first), LEAVE)
    assert (Check.NOTICE in refused_by(findings)) is refused


def test_leave_notice_explains_figures():
    findings = check_request(leave_facts(ASKED + dt.timedelta(days=13)), LEAVE)
    notice = next(f for f in findings if f.check is Check.NOTICE)
    assert "13 calendar days" in notice.explanation
    assert "at least 14 days" in notice.explanation


@pytest.mark.parametrize(
    ("first_day", "refused"),
    [(ASKED - dt.timedelta(days=1), True), (ASKED, False), (ASKED + dt.timedelta(days=1), False)],
)
def test_leave_retrospective_boundary(first_day, refused):
    findings = check_request(leave_facts(first_day), LEAVE)
    assert (Check.RETROSPECTIVE in refused_by(findings)) is refused


@pytest.mark.parametrize(
    ("period", "refused"),
    [
        (AssessmentPeriod(dt.date(2026, 5, 11), dt.date(2026, 5, 14), "KS2 tests"), True),
        (AssessmentPeriod(dt.date(2026, 5, 8), dt.date(2026, 5, 11), "ends on the first day"), True),
        (AssessmentPeriod(dt.date(2026, 5, 15), dt.date(2026, 5, 20), "starts the day after"), False),
        (AssessmentPeriod(dt.date(2026, 5, 1), dt.date(2026, 5, 8), "ends the day before"), False),
    ],
)
def test_leave_assessment_overlap(period, refused):
    days = (dt.date(2026, 5, 11), dt.date(2026, 5, 12), dt.date(2026, 5, 13), dt.date(2026, 5, 14))
    facts = leave_facts(days[0], school_days=days, assessments=(period,))
    findings = check_request(facts, LEAVE)
    assert (Check.ASSESSMENT in refused_by(findings)) is refused


def test_leave_assessment_names_period():
    days = (dt.date(2026, 5, 11),)
    period = AssessmentPeriod(dt.date(2026, 5, 11), dt.date(2026, 5, 14), "KS2 tests")
    findings = check_request(leave_facts(days[0], school_days=days, assessments=(period,)), LEAVE)
    finding = next(f for f in findings if f.check is Check.ASSESSMENT)
    assert "KS2 tests" in finding.explanation
    assert "Mon 11 May 2026" in finding.explanation


@pytest.mark.parametrize(("unauthorised", "refused"), [(0, False), (1, True), (7, True)])
def test_leave_unauthorised_absence(unauthorised, refused):
    figures = YearToDate(possible=200, attended=200 - unauthorised, authorised=0, unauthorised=unauthorised)
    findings = check_request(leave_facts(dt.date(2026, 4, 1), figures=figures), LEAVE)
    assert (Check.UNAUTHORISED in refused_by(findings)) is refused


@pytest.mark.parametrize(
    ("authorised", "possible", "refused"),
    [
        (20, 200, False),  # exactly 10% is not above 10%
        (21, 200, True),
        (19, 200, False),
        (20, 199, True),  # 10.05%, shown as 10.1%
        (0, 0, False),  # no possible session yet
    ],
)
def test_leave_authorised_limit_boundary(authorised, possible, refused):
    figures = YearToDate(possible=possible, attended=possible - authorised, authorised=authorised, unauthorised=0)
    findings = check_request(leave_facts(dt.date(2026, 4, 1), figures=figures), LEAVE)
    assert (Check.AUTHORISED_LIMIT in refused_by(findings)) is refused
    assert authorised_above_limit(authorised, possible, 10) is refused


def test_leave_authorised_limit_explains_figures():
    figures = YearToDate(possible=200, attended=179, authorised=21, unauthorised=0)
    findings = check_request(leave_facts(dt.date(2026, 4, 1), figures=figures), LEAVE)
    finding = next(f for f in findings if f.check is Check.AUTHORISED_LIMIT)
    assert "21 of 200" in finding.explanation
    assert "10.5%" in finding.explanation


def test_family_holiday_refused_unless_exceptional():
    findings = check_request(leave_facts(dt.date(2026, 4, 1), family_holiday=True), LEAVE)
    assert refused_by(findings) == {Check.FAMILY_HOLIDAY}
    assert [f.check for f in refusals(findings)] == [Check.FAMILY_HOLIDAY]
    assert refusals(findings, "A grandparent's last weeks abroad") == []
    assert [f.check for f in refusals(findings, "   ")] == [Check.FAMILY_HOLIDAY]


def test_exceptional_circumstances_lift_only_holiday():
    figures = YearToDate(possible=200, attended=199, authorised=0, unauthorised=1)
    findings = check_request(leave_facts(dt.date(2026, 4, 1), family_holiday=True, figures=figures), LEAVE)
    still = [f.check for f in refusals(findings, "Serious illness in the family")]
    assert still == [Check.UNAUTHORISED]


def test_clean_leave_request_passes_every_check():
    findings = check_request(leave_facts(dt.date(2026, 4, 1)), LEAVE)
    assert refused_by(findings) == set()
    assert {f.check for f in findings} == {
        Check.NOTICE, Check.RETROSPECTIVE, Check.ASSESSMENT, Check.UNAUTHORISED, Check.AUTHORISED_LIMIT,
        Check.FAMILY_HOLIDAY,
    }


def test_findings_list_refusals_first():
    findings = check_request(leave_facts(ASKED + dt.timedelta(days=3), family_holiday=True), LEAVE)
    flags = [f.refuses for f in findings]
    assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize(("days_ahead", "refused"), [(13, True), (14, False)])
def test_religious_notice_boundary(days_ahead, refused):
    first = ASKED + dt.timedelta(days=days_ahead)
    facts = RequestFacts(
        kind=RequestKind.RELIGIOUS, asked_on=ASKED, first_day=first, school_days=(first,),
        religious_body="Synagogue of the Vale", days_set_apart=(first,),
    )
    assert (Check.NOTICE in refused_by(check_request(facts, LEAVE))) is refused


@pytest.mark.parametrize(
    ("set_apart", "refused"),
    [
        ((dt.date(2026, 4, 1), dt.date(2026, 4, 2)), False),
        ((dt.date(2026, 4, 1),), True),
        ((), True),
    ],
)
def test_religious_days_set_apart(set_apart, refused):
    days = (dt.date(2026, 4, 1), dt.date(2026, 4, 2))
    facts = RequestFacts(
        kind=RequestKind.RELIGIOUS, asked_on=ASKED, first_day=days[0], school_days=days,
        religious_body="Gurdwara of the Vale", days_set_apart=set_apart,
    )
    assert (Check.DAYS_SET_APART in refused_by(check_request(facts, LEAVE))) is refused


@pytest.mark.parametrize(
    ("days_ahead", "occupational", "expected"),
    [
        (13, True, {Check.NOTICE}),
        (14, True, set()),
        (14, False, {Check.OCCUPATIONAL_TRAVEL}),
        (13, False, {Check.NOTICE, Check.OCCUPATIONAL_TRAVEL}),
    ],
)
def test_traveller_notice_and_travel(days_ahead, occupational, expected):
    first = ASKED + dt.timedelta(days=days_ahead)
    facts = RequestFacts(
        kind=RequestKind.TRAVELLER, asked_on=ASKED, first_day=first, school_days=(first,),
        occupational_travel=occupational,
    )
    assert refused_by(check_request(facts, LEAVE)) == expected


def test_licence_missing_is_refused():
    first = dt.date(2026, 3, 4)
    facts = RequestFacts(kind=RequestKind.LICENCE, asked_on=ASKED, first_day=first, school_days=(first,))
    assert refused_by(check_request(facts, LEAVE)) == {Check.LICENCE}


@pytest.mark.parametrize(
    ("named", "refused"),
    [((dt.date(2026, 3, 4), dt.date(2026, 3, 5)), False), ((dt.date(2026, 3, 4),), True)],
)
def test_licence_named_dates_cover_days(named, refused):
    days = (dt.date(2026, 3, 4), dt.date(2026, 3, 5))
    facts = RequestFacts(
        kind=RequestKind.LICENCE, asked_on=ASKED, first_day=days[0], school_days=days,
        licence=Licence.NAMED_DATES, licence_dates=named,
    )
    assert (Check.LICENCE in refused_by(check_request(facts, LEAVE))) is refused


def test_licence_named_dates_need_no_notice():
    facts = RequestFacts(
        kind=RequestKind.LICENCE, asked_on=ASKED, first_day=ASKED, school_days=(ASKED,),
        licence=Licence.NAMED_DATES, licence_dates=(ASKED,),
    )
    assert refused_by(check_request(facts, LEAVE)) == set()


WEEK = tuple(dt.date(2026, 3, 2) + dt.timedelta(days=n) for n in range(5))  # Mon 2 to Fri 6 March


def test_licence_projection_counts_each_day():
    # Attending Monday makes 192 of 202, missing Tuesday 192 of 204, then Wednesday attended
    # and Thursday missed: 194 of 208.
    figures = YearToDate(possible=200, attended=190, authorised=10, unauthorised=0)
    days = project_licence_days(figures, dt.date(2026, 2, 27), [WEEK[1], WEEK[3]], WEEK, 90)
    assert [(d.day, d.attended, d.possible) for d in days] == [(WEEK[1], 192, 204), (WEEK[3], 194, 208)]
    assert [str(d.attendance) for d in days] == ["94.1", "93.3"]
    assert [d.below_minimum for d in days] == [False, False]


@pytest.mark.parametrize(
    ("attended", "below"),
    [
        (182, False),  # 182 of 202 after the day: 90.1%
        (181, True),  # 181 of 202: 89.6%
    ],
)
def test_licence_day_below_ninety_boundary(attended, below):
    figures = YearToDate(possible=200, attended=attended, authorised=200 - attended, unauthorised=0)
    days = project_licence_days(figures, dt.date(2026, 3, 1), [WEEK[0]], WEEK, 90)
    assert len(days) == 1
    assert days[0].below_minimum is below


def test_licence_day_exactly_ninety_is_kept():
    # 180 attended of 198, then a missed day: 180 of 200 is exactly 90%, not below it.
    figures = YearToDate(possible=198, attended=180, authorised=18, unauthorised=0)
    days = project_licence_days(figures, dt.date(2026, 3, 1), [WEEK[0]], WEEK, 90)
    assert (days[0].attended, days[0].possible, days[0].below_minimum) == (180, 200, False)


def test_licence_without_dates_refuses_low_days():
    figures = YearToDate(possible=200, attended=181, authorised=19, unauthorised=0)
    days = tuple(project_licence_days(figures, dt.date(2026, 3, 1), WEEK[:2], WEEK, 90))
    facts = RequestFacts(
        kind=RequestKind.LICENCE, asked_on=ASKED, first_day=WEEK[0], school_days=WEEK[:2],
        licence=Licence.WITHOUT_DATES, licence_days=days,
    )
    findings = check_request(facts, LEAVE)
    assert refused_by(findings) == {Check.LICENCE_ATTENDANCE}
    finding = next(f for f in findings if f.check is Check.LICENCE_ATTENDANCE)
    assert "89.6%" in finding.explanation


def test_dated_request_without_first_day_raises():
    with pytest.raises(ValueError, match="first day"):
        check_request(RequestFacts(kind=RequestKind.LEAVE, asked_on=ASKED), LEAVE)


@pytest.mark.parametrize(
    ("preset", "kind", "holiday", "code"),
    [
        ("school-2023", RequestKind.LEAVE, False, "C"),
        ("school-2023", RequestKind.LEAVE, True, "H"),
        ("england-2024", RequestKind.LEAVE, True, "C"),
        ("school-2023", RequestKind.RELIGIOUS, False, "R"),
        ("england-2024", RequestKind.TRAVELLER, False, "T"),
        ("school-2023", RequestKind.LICENCE, False, "C"),
        ("england-2024", RequestKind.LICENCE, False, "C1"),
    ],
)
def test_granted_code_per_policy(preset, kind, holiday, code):
    leave = load_preset(preset).leave
    assert granted_code(kind, holiday, leave) == code
    assert code in load_preset(preset).code_set


def test_granted_code_lunchtime_raises():
    with pytest.raises(ValueError):
        granted_code(RequestKind.LUNCHTIME, False, LEAVE)


def test_lunch_window_from_policy():
    window = sign_out_window(LUNCH)
    assert (window.earliest_out, window.latest_back) == (dt.time(12, 10), dt.time(13, 5))


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        (dt.time(12, 9), False),
        (dt.time(12, 10), True),
        (dt.time(13, 4), True),
        (dt.time(13, 5), False),
        (dt.time(9, 0), False),
    ],
)
def test_sign_out_window_boundary(at, allowed):
    assert (sign_out_problem(at, LUNCH) is None) is allowed


def test_sign_out_too_early_message():
    message = sign_out_problem(dt.time(12, 9), LUNCH)
    assert "12:09" in message
    assert "12:10" in message


@pytest.mark.parametrize(("at", "late"), [(dt.time(13, 5), False), (dt.time(13, 6), True)])
def test_late_return_boundary(at, late):
    assert is_late_return(at, LUNCH) is late


def test_sign_in_before_sign_out_refused():
    assert sign_in_problem(dt.time(12, 20), dt.time(12, 30), LUNCH) is not None
    assert sign_in_problem(dt.time(12, 50), dt.time(12, 30), LUNCH) is None


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(dt.date(2026, 3, 9), False), (dt.date(2026, 3, 10), True)],
)
def test_lunchtime_decision_deadline(today, overdue):
    assert decision_due(ASKED, LUNCH) == dt.date(2026, 3, 9)
    assert decision_overdue(ASKED, today, LUNCH) is overdue


def test_lunchtime_settings_invalid_rejected():
    import tomllib
    from importlib import resources

    text = (resources.files("rollbook.policy") / "presets" / "school-2023.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["lunchtime"]["lunch_end"] = "11:30"
    with pytest.raises(PolicyError, match="lunch_end 11:30 must be after lunch_start 12:00"):
        parse_policy(data, "test policy")
    data["lunchtime"]["lunch_end"] = "12:15"
    with pytest.raises(PolicyError, match="leaving no time out"):
        parse_policy(data, "test policy")
