"""Absences known before the register: labelled and pre-filled, kept by the teacher, used at close."""

import datetime as dt

import pytest
from django.utils import timezone

from rollbook.absences.models import AbsenceReport
from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import MarksRejected
from rollbook.registers.taking import (
    CLOSING_REASON,
    KNOWN_CLOSING_REASON,
    RegisterChoice,
    close_registers,
    load_register,
    save_register,
)

from .conftest import MONDAY, TEACHER, london

TEACHER_CODES = ("/", "\\", "L", "N")


def report(brackenfield, pupil, start, end, start_session="AM", end_session="PM", withdrawn=False):
    return AbsenceReport.objects.create(
        school=brackenfield.school, pupil=pupil, start_date=start, start_session=start_session, end_date=end,
        end_session=end_session, reason="illness", channel="phone", reported_by="Mother, by telephone",
        received_at=timezone.now(), withdrawn_at=timezone.now() if withdrawn else None,
    )


def row(register, pupil):
    return register.row_for(pupil.pk)


def test_reported_absence_prefills_n(brackenfield):
    report(brackenfield, brackenfield.ada, MONDAY, MONDAY + dt.timedelta(days=1), end_session="AM")

    monday = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    tuesday_pm = load_register(brackenfield.context, "3 Cedar", MONDAY + dt.timedelta(days=1), Session.PM)

    assert row(monday, brackenfield.ada).known_code == "N"
    assert row(monday, brackenfield.ada).known.startswith("Reported absence (telephone call): illness")
    assert "not yet coded" in row(monday, brackenfield.ada).known
    assert row(monday, brackenfield.ben).known == ""
    assert row(tuesday_pm, brackenfield.ada).known == ""  # the report ended on Tuesday morning


def test_withdrawn_report_not_shown(brackenfield):
    report(brackenfield, brackenfield.ada, MONDAY, MONDAY, withdrawn=True)

    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    assert row(register, brackenfield.ada).known == ""


def test_other_school_report_not_shown(brackenfield, db):
    from rollbook.schools.models import School

    other = School.objects.create(name="Another School", urn="900199", la_code="999")
    AbsenceReport.objects.create(
        school=other, pupil=brackenfield.ada, start_date=MONDAY, end_date=MONDAY, reason="illness",
        channel="phone", reported_by="Caller", received_at=timezone.now(),
    )

    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    assert row(register, brackenfield.ada).known == ""


def test_teacher_keeps_prefilled_leave_code(brackenfield, leave_for_ben):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    assert row(register, brackenfield.ben).known_code == "C"

    save_register(register, [RegisterChoice(brackenfield.ben, "C")], {}, TEACHER, london(MONDAY, 9, 0), TEACHER_CODES)

    assert MarkRevision.objects.get(pupil=brackenfield.ben).code == "C"


def test_teacher_leave_code_elsewhere_rejected(brackenfield, leave_for_ben):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    with pytest.raises(MarksRejected, match="may not enter code 'C'"):
        save_register(register, [RegisterChoice(brackenfield.ada, "C")], {}, TEACHER, london(MONDAY, 9, 0), TEACHER_CODES)
    assert not MarkRevision.objects.exists()


def test_closing_uses_leave_code_else_n(brackenfield, leave_for_ben):
    report(brackenfield, brackenfield.ada, MONDAY, MONDAY)

    close_registers(brackenfield.school, london(MONDAY, 9, 16), catch_up_days=0)

    marks = {r.pupil_id: r for r in MarkRevision.objects.filter(source=RevisionSource.SYSTEM, session="AM")}
    assert marks[brackenfield.ben.pk].code == "C"
    assert marks[brackenfield.ben.pk].reason == KNOWN_CLOSING_REASON
    assert marks[brackenfield.ada.pk].code == "N"  # reported, but the reason is not coded yet
    assert marks[brackenfield.ada.pk].reason == CLOSING_REASON
