"""Tests for amending one mark and for its history."""

import pytest

from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import MarksConflict, MarksRejected
from rollbook.registers.taking import ReasonMissing, RegisterChoice, amend_mark, load_register, mark_history, save_register

from .conftest import MONDAY, OFFICE, TEACHER, london

OFFICE_CODES = ("/", "\\", "L", "N", "I", "M", "O", "U")


def take_register(brackenfield, code="N"):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    save_register(register, [RegisterChoice(brackenfield.ada, code)], {}, TEACHER, london(MONDAY, 9, 0), ("/", code))
    return MarkRevision.objects.get(pupil=brackenfield.ada)


def test_amend_mark_keeps_history(brackenfield):
    original = take_register(brackenfield)

    added = amend_mark(brackenfield.context, brackenfield.ada, MONDAY, Session.AM, "I", "Parent phoned: ill",
                       OFFICE, london(MONDAY, 10, 0), OFFICE_CODES, original.pk)

    history = mark_history(brackenfield.ada, MONDAY, Session.AM)
    assert added == 1
    assert [r.code for r in history] == ["N", "I"]
    assert history[1].source == RevisionSource.AMENDMENT
    assert (history[1].recorded_by, history[1].role, history[1].reason) == ("Mr Patel", "Office staff", "Parent phoned: ill")
    assert history[1].supersedes == original


def test_amend_mark_needs_reason(brackenfield):
    original = take_register(brackenfield)

    with pytest.raises(ReasonMissing):
        amend_mark(brackenfield.context, brackenfield.ada, MONDAY, Session.AM, "I", " ", OFFICE,
                   london(MONDAY, 10, 0), OFFICE_CODES, original.pk)

    assert MarkRevision.objects.count() == 1


def test_amend_mark_rejects_code_outside_role(brackenfield):
    original = take_register(brackenfield)

    with pytest.raises(MarksRejected, match="you may not enter code 'I'"):
        amend_mark(brackenfield.context, brackenfield.ada, MONDAY, Session.AM, "I", "Ill", TEACHER,
                   london(MONDAY, 10, 0), ("/", "\\", "L", "N"), original.pk)

    assert MarkRevision.objects.count() == 1


def test_amend_mark_stale_revision_conflicts(brackenfield):
    original = take_register(brackenfield)
    amend_mark(brackenfield.context, brackenfield.ada, MONDAY, Session.AM, "M", "Dentist", OFFICE,
               london(MONDAY, 10, 0), OFFICE_CODES, original.pk)

    with pytest.raises(MarksConflict, match="Mr Patel changed this mark to 'M'"):
        amend_mark(brackenfield.context, brackenfield.ada, MONDAY, Session.AM, "I", "Ill", OFFICE,
                   london(MONDAY, 10, 5), OFFICE_CODES, original.pk)

    assert MarkRevision.objects.count() == 2
