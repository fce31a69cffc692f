"""Lunchtime leave: signing out and in inside the policy's window, and ending leave at term end."""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.jobs.registry import registered_jobs
from rollbook.jobs.runner import run_due_jobs
from rollbook.policy.requests import RequestKind
from rollbook.registers.services import Actor
from rollbook.schools.models import AcademicYear, CalendarEntry

from ..decisions import decide
from ..errors import RequestInvalid
from ..lunchtime import end_expired_leave, leave_in_force, sign_in, sign_out
from ..models import Status
from ..services import RequestDetails, submit_request
from .conftest import london

HEAD = Actor(name="Gwen Harrow", role="senior_leader")
DAY = dt.date(2025, 9, 26)


@pytest.fixture
def lunch_leave(mila):
    request = submit_request(
        mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch at home"), at=london(dt.date(2025, 9, 22)),
        submitted_by_name="Ana Thornbury",
    )
    decide(request, grant=True, actor=HEAD, at=london(dt.date(2025, 9, 24)))
    request.refresh_from_db()
    return request


@pytest.mark.parametrize(("hour", "minute", "allowed"), [(12, 9, False), (12, 10, True), (13, 4, True), (13, 5, False)])
@pytest.mark.django_db
def test_sign_out_window_enforced(lunch_leave, hour, minute, allowed):
    if allowed:
        assert sign_out(lunch_leave, at=london(DAY, hour, minute), by_name="Office").day == DAY
    else:
        with pytest.raises(RequestInvalid) as raised:
            sign_out(lunch_leave, at=london(DAY, hour, minute), by_name="Office")
        assert raised.value.field == "time"
        assert f"{hour}:{minute:02d}" in str(raised.value)


@pytest.mark.django_db
def test_sign_out_twice_refused(lunch_leave):
    sign_out(lunch_leave, at=london(DAY, 12, 15), by_name="Office")
    with pytest.raises(RequestInvalid, match="already signed out"):
        sign_out(lunch_leave, at=london(DAY, 12, 20), by_name="Office")


@pytest.mark.parametrize(("hour", "minute", "late"), [(13, 5, False), (13, 6, True)])
@pytest.mark.django_db
def test_sign_in_late_flagged(lunch_leave, hour, minute, late):
    signing = sign_out(lunch_leave, at=london(DAY, 12, 15), by_name="Office")
    signing = sign_in(signing, at=london(DAY, hour, minute), by_name="Office")
    assert signing.late_return is late


@pytest.mark.django_db
def test_sign_in_before_out_refused(lunch_leave):
    signing = sign_out(lunch_leave, at=london(DAY, 12, 30), by_name="Office")
    with pytest.raises(RequestInvalid, match="before the pupil signed out"):
        sign_in(signing, at=london(DAY, 12, 20), by_name="Office")
    sign_in(signing, at=london(DAY, 12, 50), by_name="Office")
    with pytest.raises(RequestInvalid, match="already signed back in"):
        sign_in(signing, at=london(DAY, 12, 55), by_name="Office")


@pytest.mark.django_db
def test_sign_out_without_leave_refused(mila):
    request = submit_request(
        mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch at home"), at=london(DAY), submitted_by_name="Ana",
    )
    with pytest.raises(RequestInvalid, match="no lunchtime leave in force"):
        sign_out(request, at=london(DAY, 12, 15), by_name="Office")


@pytest.mark.django_db
def test_sign_out_on_weekend_refused(lunch_leave):
    with pytest.raises(RequestInvalid, match="not a school day"):
        sign_out(lunch_leave, at=london(dt.date(2025, 9, 27), 12, 15), by_name="Office")


@pytest.mark.django_db
def test_leave_ends_after_term(lunch_leave, larkspur):
    assert lunch_leave.valid_until == dt.date(2025, 10, 24)
    assert list(leave_in_force(larkspur, dt.date(2025, 10, 24))) == [lunch_leave]
    assert end_expired_leave(larkspur, dt.date(2025, 10, 24), london(dt.date(2025, 10, 24), 7)) == (
        "ended 0 lunchtime leave grant(s) due for renewal"
    )
    summary = end_expired_leave(larkspur, dt.date(2025, 11, 3), london(dt.date(2025, 11, 3), 7))
    assert summary == "ended 1 lunchtime leave grant(s) due for renewal"
    lunch_leave.refresh_from_db()
    assert lunch_leave.status == Status.ENDED
    assert end_expired_leave(larkspur, dt.date(2025, 11, 3), london(dt.date(2025, 11, 3), 8)).startswith("ended 0")


@pytest.mark.django_db
def test_renewal_links_previous_leave(lunch_leave, mila, larkspur):
    end_expired_leave(larkspur, dt.date(2025, 11, 3), london(dt.date(2025, 11, 3), 7))
    renewal = submit_request(
        mila, RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch at home"), at=london(dt.date(2025, 11, 3)),
        submitted_by_name="Ana Thornbury",
    )
    assert renewal.renewal_of == lunch_leave


@pytest.mark.django_db
def test_renewal_job_ends_leave_once(lunch_leave, larkspur):
    year = AcademicYear.objects.get(school=larkspur)
    CalendarEntry.objects.create(
        school=larkspur, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM,
        start_date=dt.date(2025, 11, 3), end_date=dt.date(2025, 12, 19), label="autumn-2",
    )
    job = next(job for job in registered_jobs() if job.name == "lunchtime-leave-renewals")

    before = run_due_jobs(london(dt.date(2025, 10, 24), 8), schools=[larkspur], jobs=[job])
    lunch_leave.refresh_from_db()
    assert lunch_leave.status == Status.GRANTED
    assert before.failures == []

    # Half-term is missed entirely; the first run of the next term ends the leave.
    after = run_due_jobs(london(dt.date(2025, 11, 4), 8), schools=[larkspur], jobs=[job])
    lunch_leave.refresh_from_db()
    assert lunch_leave.status == Status.ENDED
    assert any("ended 1" in line.summary for line in after.lines)

    again = run_due_jobs(london(dt.date(2025, 11, 4), 9), schools=[larkspur], jobs=[job])
    assert not any("ended 1" in line.summary for line in again.lines)
