"""Tests for loading and saving class registers."""

import datetime as dt

import pytest

from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RegisterSubmission, RevisionSource
from rollbook.registers.services import MarksConflict, MarksRejected
from rollbook.registers.taking import (
    ReasonMissing,
    RegisterChoice,
    RegisterUnavailable,
    load_register,
    pupil_marks,
    save_register,
)

from .conftest import MONDAY, OFFICE, TEACHER, london

TEACHER_CODES = ("/", "\\", "L", "N")
ALL_CODES = ("/", "\\", "L", "N", "I", "M", "O", "U", "#")


def save(brackenfield, choices, at, day=MONDAY, session=Session.AM, codes=TEACHER_CODES, reason="", loaded=None,
         actor=TEACHER, class_name="3 Cedar"):
    register = load_register(brackenfield.context, class_name, day, session)
    if loaded is None:
        loaded = {row.pupil.pk: row.revision_id for row in register.rows}
    return save_register(register, choices, loaded, actor, at, codes, reason)


def test_load_register_lists_pupils_on_roll_in_class(brackenfield):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    assert [row.pupil for row in register.rows] == [brackenfield.ada, brackenfield.ben, brackenfield.cara]
    assert all(row.code == "" for row in register.rows)


def test_load_register_leaves_out_leaver_after_leaving(brackenfield):
    register = load_register(brackenfield.context, "3 Cedar", dt.date(2025, 9, 22), Session.AM)

    assert [row.pupil for row in register.rows] == [brackenfield.ada, brackenfield.ben]


def test_load_register_labels_closure(brackenfield):
    register = load_register(brackenfield.context, "R Oak", dt.date(2025, 9, 12), Session.PM)
    morning = load_register(brackenfield.context, "R Oak", dt.date(2025, 9, 12), Session.AM)

    assert register.rows[0].code == "#"
    assert register.rows[0].known == "Planned closure: Reception closure"
    assert morning.rows[0].code == ""
    assert morning.rows[0].known == ""


def test_load_register_rejects_non_school_day(brackenfield):
    with pytest.raises(RegisterUnavailable, match="2025-09-13 is not a school day"):
        load_register(brackenfield.context, "3 Cedar", dt.date(2025, 9, 13), Session.AM)


def test_save_register_before_close_is_register_entry(brackenfield):
    choices = [RegisterChoice(brackenfield.ada, "/"), RegisterChoice(brackenfield.ben, "N"), RegisterChoice(brackenfield.cara)]

    result = save(brackenfield, choices, london(MONDAY, 9, 0))

    assert result.added == 2
    assert result.amendment is False
    assert set(MarkRevision.objects.values_list("source", flat=True)) == {RevisionSource.REGISTER}
    assert RegisterSubmission.objects.filter(class_name="3 Cedar", date=MONDAY, session="AM").count() == 1


def test_save_register_exactly_at_close_is_register_entry(brackenfield):
    result = save(brackenfield, [RegisterChoice(brackenfield.ada, "/")], london(MONDAY, 9, 15))

    assert result.amendment is False


def test_save_register_after_close_needs_reason(brackenfield):
    with pytest.raises(ReasonMissing, match="closed at 09:15"):
        save(brackenfield, [RegisterChoice(brackenfield.ada, "/")], london(MONDAY, 9, 16))

    assert MarkRevision.objects.count() == 0
    assert RegisterSubmission.objects.count() == 0


def test_save_register_after_close_is_amendment(brackenfield):
    result = save(brackenfield, [RegisterChoice(brackenfield.ada, "/")], london(MONDAY, 9, 16), reason="Register taken late: supply cover")

    revision = MarkRevision.objects.get()
    assert result.amendment is True
    assert revision.source == RevisionSource.AMENDMENT
    assert revision.reason == "Register taken late: supply cover"


def test_save_register_rejects_code_outside_role(brackenfield):
    choices = [RegisterChoice(brackenfield.ada, "/"), RegisterChoice(brackenfield.ben, "I")]

    with pytest.raises(MarksRejected, match="you may not enter code 'I'"):
        save(brackenfield, choices, london(MONDAY, 9, 0))

    assert MarkRevision.objects.count() == 0


def test_save_register_office_may_use_whole_set(brackenfield):
    result = save(brackenfield, [RegisterChoice(brackenfield.ben, "I")], london(MONDAY, 9, 0), codes=ALL_CODES, actor=OFFICE)

    assert result.added == 1


def test_save_register_rejects_pupil_of_other_class(brackenfield):
    choices = [RegisterChoice(brackenfield.ada, "/"), RegisterChoice(brackenfield.ruby, "/")]

    with pytest.raises(MarksRejected, match="not on roll in 3 Cedar"):
        save(brackenfield, choices, london(MONDAY, 9, 0))

    assert MarkRevision.objects.count() == 0


def test_save_register_rejects_leaver_nothing_saved(brackenfield):
    day = dt.date(2025, 9, 22)
    choices = [RegisterChoice(brackenfield.ada, "/"), RegisterChoice(brackenfield.cara, "/")]

    with pytest.raises(MarksRejected, match="C999251100003 is not on roll"):
        save(brackenfield, choices, london(day, 9, 0), day=day)

    assert MarkRevision.objects.count() == 0
    assert RegisterSubmission.objects.count() == 0


def test_save_register_rejects_closure_session(brackenfield):
    day = dt.date(2025, 9, 12)

    with pytest.raises(MarksRejected, match="planned closure"):
        save(brackenfield, [RegisterChoice(brackenfield.ruby, "/")], london(day, 13, 25), day=day,
             session=Session.PM, class_name="R Oak")

    assert MarkRevision.objects.count() == 0


def test_save_register_arrival_before_close_is_late(brackenfield):
    save(brackenfield, [RegisterChoice(brackenfield.ada, arrived=dt.time(9, 7))], london(MONDAY, 9, 10))

    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("L", 12)


def test_save_register_arrival_after_close_is_u(brackenfield):
    save(
        brackenfield, [RegisterChoice(brackenfield.ada, arrived=dt.time(9, 40))], london(MONDAY, 9, 45),
        reason="Arrived after the register closed",
    )

    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("U", 45)
    assert revision.source == RevisionSource.AMENDMENT


def test_save_register_stale_load_reports_change(brackenfield):
    first = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    second = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    loaded = {row.pupil.pk: row.revision_id for row in first.rows}

    save_register(first, [RegisterChoice(brackenfield.ada, "/")], loaded, OFFICE, london(MONDAY, 9, 0), ALL_CODES)
    with pytest.raises(MarksConflict) as raised:
        save_register(second, [RegisterChoice(brackenfield.ada, "N"), RegisterChoice(brackenfield.ben, "/")],
                      loaded, TEACHER, london(MONDAY, 9, 1), TEACHER_CODES)

    conflict = raised.value.conflicts[0]
    assert len(raised.value.conflicts) == 1
    assert conflict.entry.pupil == brackenfield.ada
    assert conflict.current_code == "/"
    assert conflict.recorded_by == "Mr Patel"
    assert MarkRevision.objects.count() == 1
    assert RegisterSubmission.objects.count() == 1


def test_save_register_stale_load_same_code_is_kept(brackenfield):
    first = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    loaded = {row.pupil.pk: row.revision_id for row in first.rows}

    save_register(first, [RegisterChoice(brackenfield.ada, "/")], loaded, OFFICE, london(MONDAY, 9, 0), ALL_CODES)
    result = save_register(first, [RegisterChoice(brackenfield.ada, "/"), RegisterChoice(brackenfield.ben, "/")],
                           loaded, TEACHER, london(MONDAY, 9, 1), TEACHER_CODES)

    assert result.added == 1
    assert MarkRevision.objects.count() == 2


def test_load_register_as_it_stood(brackenfield):
    save(brackenfield, [RegisterChoice(brackenfield.ada, "N")], london(MONDAY, 9, 0))
    save(brackenfield, [RegisterChoice(brackenfield.ada, "I")], london(MONDAY, 11, 0), codes=ALL_CODES,
         reason="Parent phoned: ill", actor=OFFICE)

    then = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM, as_of=london(MONDAY, 10, 0))
    before = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM, as_of=london(MONDAY, 8, 0))
    now = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)

    assert then.rows[0].code == "N"
    assert len(then.submissions) == 1
    assert before.rows[0].code == ""
    assert now.rows[0].code == "I"


def test_pupil_marks_as_it_stood(brackenfield):
    save(brackenfield, [RegisterChoice(brackenfield.ada, "N")], london(MONDAY, 9, 0))
    save(brackenfield, [RegisterChoice(brackenfield.ada, "M")], london(MONDAY, 12, 0), codes=ALL_CODES,
         reason="Dentist letter", actor=OFFICE)

    then = pupil_marks(brackenfield.context, brackenfield.ada, MONDAY, MONDAY, as_of=london(MONDAY, 10, 0))
    now = pupil_marks(brackenfield.context, brackenfield.ada, MONDAY, MONDAY)

    assert [(m.session, m.revision.code if m.revision else None) for m in then] == [(Session.PM, None), (Session.AM, "N")]
    assert now[1].revision.code == "M"
