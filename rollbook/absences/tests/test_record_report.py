"""Recording an absence report: what is accepted, and each refusal naming its field."""

import datetime as dt
import re

import pytest

from rollbook.absences.models import AbsenceReport
from rollbook.absences.services import MAX_REPORT_SCHOOL_DAYS, ReportInvalid, record_report
from rollbook.policy.calendar import Session
from rollbook.registers.tests.conftest import MONDAY, london



def report(pupil, **changes):
    fields = dict(
        start_date=MONDAY, end_date=MONDAY, reason="illness", channel="online", reported_by="Mother",
        received_at=london(MONDAY, 8, 30),
    )
    fields.update(changes)
    return record_report(pupil, **fields)


def test_record_report_for_today(brackenfield):
    saved = report(brackenfield.ada, end_date=MONDAY + dt.timedelta(days=2), message="  Temperature  ")

    assert saved.school_id == brackenfield.school.pk
    assert (saved.start_date, saved.end_date) == (MONDAY, MONDAY + dt.timedelta(days=2))
    assert saved.message == "Temperature"


def test_record_report_afternoon_only(brackenfield):
    saved = report(brackenfield.ada, start_session=Session.PM)

    assert saved.covers(MONDAY, Session.PM)
    assert not saved.covers(MONDAY, Session.AM)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "holiday"}, "reason", "reason 'holiday' is invalid"),
        ({"channel": "pigeon"}, "channel", "channel 'pigeon' is invalid"),
        ({"reported_by": "  "}, "reported_by", "who reported the absence is missing"),
        ({"end_date": MONDAY - dt.timedelta(days=1), "start_date": MONDAY}, "end_date", "ends (07/09/2025 PM) before it starts"),
        ({"start_session": Session.PM, "end_session": Session.AM}, "end_date", "before it starts (08/09/2025 PM)"),
        ({"start_date": MONDAY - dt.timedelta(days=1)}, "start_date", "is before today (08/09/2025)"),
        ({"start_date": dt.date(2025, 9, 13), "end_date": dt.date(2025, 9, 14)}, "start_date", "has no school day"),
        ({"start_date": dt.date(2026, 9, 7), "end_date": dt.date(2026, 9, 7)}, "start_date", "not in an academic year"),
    ],
)
def test_record_report_invalid_names_field(brackenfield, changes, field, message):
    with pytest.raises(ReportInvalid, match=re.escape(message)) as raised:
        report(brackenfield.ada, **changes)

    assert raised.value.field == field
    assert not AbsenceReport.objects.exists()


def test_record_report_over_day_limit(brackenfield):
    # From Monday 8 September, the 30th school day is Friday 17 October; the 31st is Monday 20th.
    report(brackenfield.ada, end_date=dt.date(2025, 10, 17))
    with pytest.raises(ReportInvalid, match=f"31 school days, more than {MAX_REPORT_SCHOOL_DAYS}"):
        report(brackenfield.ben, end_date=dt.date(2025, 10, 20))
