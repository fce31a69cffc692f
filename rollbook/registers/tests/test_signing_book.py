"""Tests for the signing-in and signing-out book and the marks it records."""

import datetime as dt

import pytest

from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource, SigningDirection, SigningEvent
from rollbook.registers.services import MarksRejected
from rollbook.registers.taking import (
    ReasonMissing,
    close_registers,
    load_register,
    sign_in,
    sign_out,
)

from .conftest import MONDAY, OFFICE, london


def test_sign_in_before_close_records_late(brackenfield):
    result = sign_in(brackenfield.context, brackenfield.ada, london(MONDAY, 9, 5), OFFICE, london(MONDAY, 9, 6))

    revision = MarkRevision.objects.get()
    assert (result.session, result.code) == (Session.AM, "L")
    assert (revision.code, revision.minutes_late, revision.source) == ("L", 10, RevisionSource.REGISTER)
    assert result.event.revision == revision
    assert result.event.direction == SigningDirection.IN


def test_sign_in_after_close_records_u_over_n(brackenfield):
    close_registers(brackenfield.school, london(MONDAY, 9, 20), catch_up_days=0)

    result = sign_in(brackenfield.context, brackenfield.ada, london(MONDAY, 9, 40), OFFICE, london(MONDAY, 9, 41), "Car broke down")

    revision = MarkRevision.objects.filter(pupil=brackenfield.ada).latest("recorded_at", "id")
    assert result.code == "U"
    assert (revision.code, revision.minutes_late) == ("U", 45)
    assert revision.source == RevisionSource.AMENDMENT
    assert revision.reason == "Signed in at 09:40: Car broke down"
    assert revision.supersedes.code == "N"


def test_sign_in_afternoon_is_pm_session(brackenfield):
    result = sign_in(brackenfield.context, brackenfield.ada, london(MONDAY, 13, 25), OFFICE, london(MONDAY, 13, 25))

    revision = MarkRevision.objects.get()
    assert result.session == Session.PM
    assert (revision.session, revision.code, revision.minutes_late) == ("PM", "L", 5)


def test_sign_in_just_before_afternoon_register_is_am(brackenfield):
    result = sign_in(brackenfield.context, brackenfield.ada, london(MONDAY, 13, 19), OFFICE, london(MONDAY, 13, 19))

    assert result.session == Session.AM
    assert result.code == "U"


def test_sign_in_non_school_day_saves_nothing(brackenfield):
    saturday = dt.date(2025, 9, 13)

    with pytest.raises(MarksRejected, match="not a school day"):
        sign_in(brackenfield.context, brackenfield.ada, london(saturday, 9, 5), OFFICE, london(saturday, 9, 5))

    assert MarkRevision.objects.count() == 0
    assert SigningEvent.objects.count() == 0


def test_sign_out_needs_reason(brackenfield):
    with pytest.raises(ReasonMissing):
        sign_out(brackenfield.context, brackenfield.ada, london(MONDAY, 11, 0), OFFICE, london(MONDAY, 11, 0), "  ")

    assert SigningEvent.objects.count() == 0


def test_sign_out_labels_afternoon_register(brackenfield):
    sign_out(brackenfield.context, brackenfield.ada, london(MONDAY, 11, 30), OFFICE, london(MONDAY, 11, 30),
             "Dental appointment", collected_by="Parent")

    afternoon = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.PM)
    morning = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    assert afternoon.rows[0].known == "Signed out at 11:30: Dental appointment"
    assert afternoon.rows[0].code == ""
    assert morning.rows[0].known == ""
    assert MarkRevision.objects.count() == 0


def test_sign_out_then_back_in_clears_label(brackenfield):
    sign_out(brackenfield.context, brackenfield.ada, london(MONDAY, 11, 0), OFFICE, london(MONDAY, 11, 0), "Dentist")
    sign_in(brackenfield.context, brackenfield.ada, london(MONDAY, 13, 10), OFFICE, london(MONDAY, 13, 10))

    afternoon = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.PM)

    assert afternoon.rows[0].known == ""
