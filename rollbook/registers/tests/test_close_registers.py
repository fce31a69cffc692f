"""Tests for closing registers: N for every pupil still unmarked once a register closes."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.taking import CLOSING_REASON, RegisterChoice, close_registers, load_register, save_register

from .conftest import MONDAY, TEACHER, london


def n_marks():
    return MarkRevision.objects.filter(code="N", source=RevisionSource.SYSTEM)


def test_close_registers_marks_unmarked_pupils(brackenfield):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    save_register(register, [RegisterChoice(brackenfield.ada, "/")], {}, TEACHER, london(MONDAY, 9, 0), ("/",))

    result = close_registers(brackenfield.school, london(MONDAY, 9, 16), catch_up_days=0)

    marked = {(r.pupil_id, r.session) for r in n_marks()}
    assert result.marked == 3
    assert marked == {(brackenfield.ben.pk, "AM"), (brackenfield.cara.pk, "AM"), (brackenfield.ruby.pk, "AM")}
    revision = n_marks().first()
    assert (revision.recorded_by, revision.role, revision.reason) == ("system", "register closing", CLOSING_REASON)


def test_close_registers_twice_adds_once(brackenfield):
    first = close_registers(brackenfield.school, london(MONDAY, 14, 0), catch_up_days=0)
    second = close_registers(brackenfield.school, london(MONDAY, 14, 5), catch_up_days=0)

    assert first.marked == 8
    assert second.marked == 0
    assert n_marks().count() == 8


def test_close_registers_waits_for_close_time(brackenfield):
    at_close = close_registers(brackenfield.school, london(MONDAY, 9, 15), catch_up_days=0)
    after_close = close_registers(brackenfield.school, london(MONDAY, 9, 15) + dt.timedelta(seconds=1), catch_up_days=0)

    assert at_close.marked == 0
    assert after_close.marked == 4
    assert set(n_marks().values_list("session", flat=True)) == {"AM"}


def test_close_registers_skips_closures(brackenfield):
    day = dt.date(2025, 9, 12)

    close_registers(brackenfield.school, london(day, 16, 0), catch_up_days=0)

    ruby_sessions = set(n_marks().filter(pupil=brackenfield.ruby).values_list("session", flat=True))
    assert ruby_sessions == {"AM"}
    assert n_marks().filter(pupil=brackenfield.ada).count() == 2


def test_close_registers_catches_up_missed_days(brackenfield):
    # Monday 15 September, with nothing run since the INSET day on Monday 1 September.
    result = close_registers(brackenfield.school, london(dt.date(2025, 9, 15), 8, 0), catch_up_days=7)

    dates = set(n_marks().values_list("date", flat=True))
    assert dates == {dt.date(2025, 9, d) for d in (8, 9, 10, 11, 12)}
    assert result.marked == 5 * 2 * 4 - 1  # Reception's closed afternoon on the 12th gets no N


def test_close_registers_skips_non_school_days(brackenfield):
    result = close_registers(brackenfield.school, london(dt.date(2025, 9, 13), 12, 0), catch_up_days=0)

    assert result.sessions == 0
    assert result.marked == 0


def test_close_registers_across_clock_change(brackenfield):
    # British Summer Time ends at 02:00 on Sunday 26 October 2025; Friday 24 October is the
    # last day of the half-term, so run on Monday 3 November at 09:16 GMT.
    friday = dt.date(2025, 10, 24)
    at = dt.datetime(2025, 11, 3, 9, 16, tzinfo=dt.UTC)

    close_registers(brackenfield.school, at, catch_up_days=10)

    dates = sorted(set(n_marks().values_list("date", flat=True)))
    assert dates == [dt.date(2025, 10, d) for d in (24,)] + [dt.date(2025, 11, 3)]
    assert n_marks().filter(date=friday).count() == 3 * 2
    assert set(n_marks().filter(date=dt.date(2025, 11, 3)).values_list("session", flat=True)) == {"AM"}


def test_close_registers_on_clock_change_day_boundary(brackenfield):
    # Friday 24 October 2025 is in British Summer Time: the AM register closes at 08:15 UTC.
    friday = dt.date(2025, 10, 24)

    before = close_registers(brackenfield.school, dt.datetime(2025, 10, 24, 8, 15, tzinfo=dt.UTC), catch_up_days=0)
    after = close_registers(brackenfield.school, dt.datetime(2025, 10, 24, 8, 16, tzinfo=dt.UTC), catch_up_days=0)

    assert before.marked == 0
    assert after.marked == 3
    assert set(n_marks().values_list("date", flat=True)) == {friday}


def test_close_registers_command_prints_counts(brackenfield):
    out = StringIO()

    call_command("close_registers", "--at", "2025-09-08T09:20", "--school", "900101", "--catch-up-days", "0", stdout=out)
    call_command("close_registers", "--at", "2025-09-08T09:21", "--school", "900101", "--catch-up-days", "0", stdout=out)

    lines = out.getvalue().splitlines()
    assert "900101" in lines[0]
    assert "4 N marks added" in lines[0]
    assert "0 N marks added" in lines[1]
    assert n_marks().count() == 4


def test_close_registers_command_rejects_unknown_school(brackenfield):
    with pytest.raises(CommandError, match="no school has URN '123456'"):
        call_command("close_registers", "--school", "123456", stdout=StringIO())


def test_close_registers_command_rejects_invalid_time(brackenfield):
    with pytest.raises(CommandError, match="--at 'yesterday' is invalid"):
        call_command("close_registers", "--at", "yesterday", stdout=StringIO())
