"""Tests for the N follow-up job run through ``run-due-jobs``: same result whatever the run time."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from rollbook.jobs.models import JobRun
from rollbook.jobs.registry import registered_jobs
from rollbook.jobs.runner import run_due_jobs
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import YearContext
from rollbook.registers.taking import amend_mark
from rollbook.schools.models import AcademicYear, CalendarEntry

from rollbook.registers.services import Actor

from .conftest import current_code, london, mark_present

TEACHER_OFFICE = Actor(name="Mr Patel", role="Office staff")

AM, PM = Session.AM, Session.PM
MONDAY = dt.date(2025, 9, 8)


def follow_up_only():
    return [job for job in registered_jobs() if job.name == "n-follow-up"]


def o_revisions():
    return MarkRevision.objects.filter(code="O", source=RevisionSource.SYSTEM)


@pytest.fixture
def ada_absent_monday(school):
    mark_present(school, MONDAY, dt.date(2025, 9, 19), absent=[(school.ada, MONDAY, AM)])
    return school


def test_n_stays_until_fifth_day_ends(ada_absent_monday):
    school = ada_absent_monday

    run_due_jobs(london(dt.date(2025, 9, 15), 23, 59), jobs=follow_up_only())

    assert current_code(school.ada, MONDAY, AM) == "N"
    assert not o_revisions().exists()


def test_n_becomes_o_after_fifth_day(ada_absent_monday):
    school = ada_absent_monday

    run_due_jobs(london(dt.date(2025, 9, 16), 0, 1), jobs=follow_up_only())

    revision = o_revisions().get()
    assert current_code(school.ada, MONDAY, AM) == "O"
    assert (revision.pupil_id, revision.date, revision.session) == (school.ada.pk, MONDAY, "AM")
    assert revision.recorded_by == "system"
    assert revision.role == "N follow-up rule"
    assert "within 5 school days" in revision.reason
    assert "unauthorised (O)" in revision.reason
    assert revision.supersedes.code == "N"


def test_follow_up_twice_changes_once(ada_absent_monday):
    first = run_due_jobs(london(dt.date(2025, 9, 16), 0, 1), jobs=follow_up_only())
    second = run_due_jobs(london(dt.date(2025, 9, 16), 0, 6), jobs=follow_up_only())
    third = run_due_jobs(london(dt.date(2025, 9, 17), 0, 6), jobs=follow_up_only())

    assert [line.summary for line in first.lines][-1] == "1 overdue N marks amended to O"
    assert second.lines == []
    assert [line.summary for line in third.lines] == ["0 overdue N marks amended to O"]
    assert o_revisions().count() == 1


def test_follow_up_catches_up_missed_days(ada_absent_monday):
    # Nothing ran for two weeks; one run on Friday 19 September catches up every school day.
    result = run_due_jobs(london(dt.date(2025, 9, 19), 10, 0), jobs=follow_up_only())

    assert [line.period for line in result.lines] == [dt.date(2025, 9, d) for d in (5, 8, 9, 10, 11, 12, 15, 16, 17, 18)]
    assert o_revisions().count() == 1
    assert current_code(ada_absent_monday.ada, MONDAY, AM) == "O"


def test_follow_up_leaves_replaced_n(ada_absent_monday):
    school = ada_absent_monday
    context = YearContext.load(school.year)
    n_mark = MarkRevision.objects.get(pupil=school.ada, date=MONDAY, session="AM")
    amend_mark(
        context, school.ada, MONDAY, AM, "I", "Mother phoned: illness", TEACHER_OFFICE, london(dt.date(2025, 9, 12), 10, 0),
        ("I", "O", "N"), n_mark.pk,
    )

    run_due_jobs(london(dt.date(2025, 9, 19), 10, 0), jobs=follow_up_only())

    assert current_code(school.ada, MONDAY, AM) == "I"
    assert not o_revisions().exists()


def test_list_only_policy_changes_nothing(ada_absent_monday):
    school = ada_absent_monday
    school.year.policy_name = "england-2024"
    school.year.pm_close = dt.time(13, 40)  # this policy needs equal register windows
    school.year.save()

    result = run_due_jobs(london(dt.date(2025, 9, 19), 10, 0), jobs=follow_up_only())

    assert current_code(school.ada, MONDAY, AM) == "N"
    assert not o_revisions().exists()
    assert result.lines[-1].summary == "policy lists overdue N marks only: 1 overdue, none changed"


def test_follow_up_across_october_clock_change(school):
    # British Summer Time ends on Sunday 26 October 2025, in half-term. An N on Monday 20
    # October is overdue at the end of Monday 3 November, the fifth school day after it.
    monday = dt.date(2025, 10, 20)
    mark_present(school, monday, dt.date(2025, 11, 7), absent=[(school.ben, monday, PM)])
    utc = dt.timezone.utc

    run_due_jobs(dt.datetime(2025, 11, 3, 23, 59, tzinfo=utc), jobs=follow_up_only())  # 23:59 GMT
    before = current_code(school.ben, monday, PM)
    run_due_jobs(dt.datetime(2025, 11, 4, 0, 1, tzinfo=utc), jobs=follow_up_only())

    assert before == "N"
    assert current_code(school.ben, monday, PM) == "O"


def test_follow_up_across_march_clock_change(school):
    # British Summer Time starts on Sunday 29 March 2026, in the Easter holiday. An N on
    # Monday 23 March is overdue at the end of Monday 13 April; at 23:30 UTC on 13 April it
    # is already 00:30 on 14 April in London.
    monday = dt.date(2026, 3, 23)
    mark_present(school, monday, dt.date(2026, 4, 17), absent=[(school.ada, monday, AM)])
    utc = dt.timezone.utc

    run_due_jobs(dt.datetime(2026, 4, 13, 22, 59, tzinfo=utc), jobs=follow_up_only())  # 23:59 BST
    before = current_code(school.ada, monday, AM)
    run_due_jobs(dt.datetime(2026, 4, 13, 23, 30, tzinfo=utc), jobs=follow_up_only())

    assert before == "N"
    assert current_code(school.ada, monday, AM) == "O"


def final_marks():
    current = {}
    for revision in MarkRevision.objects.order_by("recorded_at", "id"):
        current[(revision.pupil_id, revision.date, revision.session)] = (revision.code, revision.source, revision.reason)
    return current


@pytest.mark.parametrize(
    "schedule",
    [
        # Closing looks back 14 calendar days, so two runs a fortnight apart miss nothing.
        pytest.param([london(dt.date(2025, 11, 1), 12, 0), london(dt.date(2025, 11, 14), 18, 0)], id="fortnightly"),
        pytest.param([london(dt.date(2025, 10, 20) + dt.timedelta(days=d), 7, 5) for d in range(26)], id="daily-at-7"),
        pytest.param(
            [london(dt.date(2025, 10, 20) + dt.timedelta(days=d), h, 17) for d in range(26) for h in (9, 13, 22)],
            id="three-a-day",
        ),
    ],
)
def test_closing_and_follow_up_ignore_run_time(school, schedule):
    # Nobody takes a register from 20 October to 14 November, across the clock change: every
    # session gets N when its register closes and O five school days later, however the runs fall.
    mark_present(school, dt.date(2025, 9, 22), dt.date(2025, 10, 17))
    jobs = [job for job in registered_jobs() if job.name in ("close-registers", "n-follow-up")]
    # Every schedule ends with a run on Saturday 15 November, after the last session closed.
    for moment in [*schedule, london(dt.date(2025, 11, 15), 7, 5)]:
        with freeze_time(moment):
            run_due_jobs(moment, jobs=jobs)

    marks = {key: value for key, value in final_marks().items() if key[1] >= dt.date(2025, 10, 20)}
    last_overdue = dt.date(2025, 11, 7)  # 10 to 14 November are the five school days after it
    assert {code for (_p, day, _s), (code, _src, _r) in marks.items() if day <= last_overdue} == {"O"}
    assert {code for (_p, day, _s), (code, _src, _r) in marks.items() if day > last_overdue} == {"N"}
    assert len(marks) == 15 * 2 * 3  # 15 school days, two sessions, three pupils on roll
    assert {source for _code, source, _reason in marks.values()} == {RevisionSource.SYSTEM}


def test_command_runs_with_frozen_clock(ada_absent_monday):
    out = StringIO()

    with freeze_time("2025-09-16T06:00:00+01:00"):
        call_command("run_due_jobs", "--job", "n-follow-up", stdout=out)
    with freeze_time("2025-09-16T06:05:00+01:00"):
        call_command("run_due_jobs", "--job", "n-follow-up", stdout=out)

    assert "1 overdue N marks amended to O" in out.getvalue()
    assert JobRun.objects.filter(job="n-follow-up").count() == 10  # school days 2 to 15 September
    assert o_revisions().count() == 1


def test_follow_up_skips_n_that_no_longer_fits(school):
    # Cara's N on 17 September stops fitting when her leaving date is moved back to 16
    # September; Ada's N of the same day still becomes O.
    day = dt.date(2025, 9, 17)
    mark_present(school, day, day, absent=[(school.ada, day, AM), (school.cara, day, AM)])
    school.cara.enrolments.update(leaving_date=dt.date(2025, 9, 16))

    result = run_due_jobs(london(dt.date(2025, 9, 25), 7, 0), jobs=follow_up_only())

    assert result.ok
    assert current_code(school.ada, day, AM) == "O"
    assert current_code(school.cara, day, AM) == "N"


def test_follow_up_carries_summer_n_into_september(school):
    # An N on Monday 20 July 2026, two days before the summer holiday, is overdue at the end of
    # Monday 7 September, the fifth school day after it in the next academic year.
    CalendarEntry.objects.create(
        school=school.school, academic_year=school.year, kind=CalendarEntry.Kind.HALF_TERM,
        start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 7, 21), label="summer-2",
    )
    next_year = AcademicYear.objects.create(
        school=school.school, start_year=2026, policy_name="school-2023",
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    CalendarEntry.objects.create(
        school=school.school, academic_year=next_year, kind=CalendarEntry.Kind.HALF_TERM,
        start_date=dt.date(2026, 9, 2), end_date=dt.date(2026, 10, 23), label="autumn-1",
    )
    july = dt.date(2026, 7, 20)
    mark_present(school, july, july, absent=[(school.ada, july, AM)])

    run_due_jobs(london(dt.date(2026, 9, 7), 23, 0), jobs=follow_up_only())
    before = current_code(school.ada, july, AM)
    run_due_jobs(london(dt.date(2026, 9, 8), 7, 0), jobs=follow_up_only())

    assert before == "N"
    assert current_code(school.ada, july, AM) == "O"
