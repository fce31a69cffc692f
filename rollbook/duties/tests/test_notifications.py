"""Tests for notifications to the local authority: absence blocks, long health absence, sending and export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from rollbook.casework.log import pupil_log
from rollbook.duties import notifications
from rollbook.duties.errors import DutyError
from rollbook.duties.models import LaNotification, NotificationKind
from rollbook.schools.models import CalendarEntry

from .conftest import AT, LEAD, TODAY

D = dt.date


def test_unauthorised_block_prepared_from_rules(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    assert record.first_day == D(2025, 9, 1)
    assert record.last_day == D(2025, 9, 12)  # the 10th school day
    assert record.school_days == 10
    assert record.sessions[0] == ["2025-09-01", "O", "O"]
    assert len(record.sessions) == 10
    assert "10 school days" in record.detail
    assert record.sent_at is None


def test_block_prepared_once(hollins, lead):
    first = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )
    second = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    assert first.pk == second.pk
    assert LaNotification.objects.count() == 1


def test_medical_block_after_15_days(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ben, NotificationKind.MEDICAL_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    assert record.last_day == D(2025, 9, 19)  # the 15th school day
    assert {am for _, am, _ in record.sessions} == {"I"}


def test_medical_block_not_met_before_15th_day(hollins, lead):
    with pytest.raises(DutyError, match="no continuous absence for medical reasons block"):
        notifications.prepare_block_notification(
            hollins.ben, NotificationKind.MEDICAL_BLOCK, on=D(2025, 9, 18), at=AT, user=lead, actor=LEAD
        )


def test_present_pupil_has_no_block(hollins, lead):
    with pytest.raises(DutyError, match="has no continuous unauthorised absence block"):
        notifications.prepare_block_notification(
            hollins.cleo, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
        )


def test_block_kind_rejects_health(hollins, lead):
    with pytest.raises(DutyError, match="not an absence block"):
        notifications.prepare_block_notification(
            hollins.ada, NotificationKind.LONG_HEALTH_ABSENCE, on=TODAY, at=AT, user=lead, actor=LEAD
        )


@pytest.mark.parametrize(
    ("last_day", "school_days", "accepted"),
    [
        (D(2025, 10, 24), 15, False),  # 6 October to 24 October: 15 school days
        (D(2025, 11, 3), 16, True),  # the half-term is skipped, 3 November is the 16th
    ],
)
def test_long_health_absence_boundary(hollins, lead, last_day, school_days, accepted):
    # The test calendar has one half-term ending 24 October; add the next so 3 November is a school day.
    year = hollins.school.academic_years.get()
    CalendarEntry.objects.create(
        school=hollins.school, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM,
        start_date=D(2025, 11, 3), end_date=D(2025, 12, 19), label="autumn-2",
    )

    def prepare():
        return notifications.prepare_long_health_notification(
            hollins.cleo, first_day=D(2025, 10, 6), expected_last_day=last_day, reason="Surgery and recovery",
            on=TODAY, at=AT, user=lead, actor=LEAD,
        )

    if accepted:
        record = prepare()
        assert record.school_days == school_days
        assert record.kind == NotificationKind.LONG_HEALTH_ABSENCE
    else:
        with pytest.raises(DutyError, match=f"is {school_days} school days .* only when it is more than 15") as raised:
            prepare()
        assert raised.value.field == "expected_last_day"


def test_long_health_absence_rejects_reversed_dates(hollins, lead):
    with pytest.raises(DutyError, match="is before the first day") as raised:
        notifications.prepare_long_health_notification(
            hollins.cleo, first_day=D(2025, 10, 10), expected_last_day=D(2025, 10, 6), reason="Surgery",
            on=TODAY, at=AT, user=lead, actor=LEAD,
        )
    assert raised.value.field == "expected_last_day"


def test_long_health_absence_needs_reason(hollins, lead):
    with pytest.raises(DutyError, match="reason is missing"):
        notifications.prepare_long_health_notification(
            hollins.cleo, first_day=D(2025, 10, 6), expected_last_day=D(2025, 12, 19), reason="  ",
            on=TODAY, at=AT, user=lead, actor=LEAD,
        )


def test_mark_sent_records_and_logs(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    notifications.mark_sent(record, sent_to="Attendance team, secure e-mail", at=AT, user=lead, actor=LEAD)

    record.refresh_from_db()
    assert record.sent_at == AT
    assert record.sent_by == lead
    assert record.sent_by_name == "Nadia Quarry"
    entries = list(pupil_log(hollins.ada))
    assert len(entries) == 1
    assert entries[0].kind == "la_notice"
    assert entries[0].reference == f"la-notification:{record.pk}"


def test_mark_sent_twice_rejected(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )
    notifications.mark_sent(record, sent_to="Attendance team", at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="already recorded as sent"):
        notifications.mark_sent(record, sent_to="Attendance team", at=AT, user=lead, actor=LEAD)
    assert len(list(pupil_log(hollins.ada))) == 1


def test_mark_sent_needs_recipient(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    with pytest.raises(DutyError, match="say who at the local authority"):
        notifications.mark_sent(record, sent_to=" ", at=AT, user=lead, actor=LEAD)


def test_csv_has_form_fields(hollins, lead):
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    header, values = list(csv.reader(io.StringIO(notifications.notification_csv(record))))
    row = dict(zip(header, values))

    assert row["UPN"] == "A999241725101"
    assert row["Date of birth"] == "14/03/2017"
    assert row["First day"] == "01/09/2025"
    assert row["Last day"] == "12/09/2025"
    assert row["Parent 1"] == "Rosa Fenwick (Mother)"
    assert row["Parent 2"] == "Idris Fenwick (Father)"
    assert "Parent 3" not in row  # the aunt has no parental responsibility
    assert row["Sessions"].startswith("2025-09-01 AM O PM O; ")
    assert row["Address"].startswith("Not held in Rollbook")


def test_csv_neutralises_formula(hollins, lead):
    hollins.mother.name = "=HYPERLINK(1)"
    hollins.mother.save()
    record = notifications.prepare_block_notification(
        hollins.ada, NotificationKind.UNAUTHORISED_BLOCK, on=TODAY, at=AT, user=lead, actor=LEAD
    )

    header, values = list(csv.reader(io.StringIO(notifications.notification_csv(record))))

    assert dict(zip(header, values))["Parent 1"] == "'=HYPERLINK(1) (Mother)"

