import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from rollbook.policy.calendar import Session, slot_of
from rollbook.policy.codes import CODE_BYTES
from rollbook.registers.models import MarkRevision, MarkSequence, RevisionSource
from rollbook.registers.services import (
    Actor,
    MarkEntry,
    MarksConflict,
    MarksRejected,
    YearContext,
    current_revisions,
    rebuild_sequences,
    record_marks,
)
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 9, 8)
TEACHER = Actor(name="Ms Rivera", role="teacher")
OFFICE = Actor(name="Mr Patel", role="office")


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@pytest.fixture
def year():
    school = School.objects.create(name="Hazel Lane Lower School", urn="012345", la_code="823")
    year = AcademicYear.objects.create(
        school=school, start_year=2025, policy_name="school-2023",
        am_register=dt.time(8, 55), am_close=dt.time(9, 15), pm_register=dt.time(13, 20), pm_close=dt.time(13, 30),
    )
    CalendarEntry.objects.create(school=school, academic_year=year, kind="half_term", start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 10, 24), label="autumn-1")
    CalendarEntry.objects.create(school=school, academic_year=year, kind="closure", start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 1), label="INSET day")
    CalendarEntry.objects.create(school=school, academic_year=year, kind="closure", start_date=dt.date(2025, 9, 12), end_date=dt.date(2025, 9, 12), session="PM", year_groups="R", label="Reception closure")
    return year


def add_pupil(year: AcademicYear, upn: str, year_group: str = "2", admitted: dt.date = dt.date(2025, 9, 1), left=None) -> Pupil:
    pupil = Pupil.objects.create(school=year.school, upn=upn, surname="Okafor", forename="Ada", date_of_birth=dt.date(2018, 10, 1), sex="F")
    Enrolment.objects.create(school=year.school, pupil=pupil, admission_date=admitted, leaving_date=left)
    Placement.objects.create(school=year.school, pupil=pupil, academic_year=year, year_group=year_group, class_name=f"{year_group} Elm", start_date=admitted)
    return pupil


def context(year) -> YearContext:
    return YearContext.load(year)


def stored_code(pupil, day, session) -> int:
    return MarkSequence.objects.get(pupil=pupil, academic_year=2025).codes[slot_of(day, session)]


def test_record_marks_writes_revision_and_sequence(year):
    pupil = add_pupil(year, "A123456789012")

    added = record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER)

    revision = MarkRevision.objects.get()
    assert added == 1
    assert (revision.code, revision.recorded_by, revision.role, revision.code_set) == ("/", "Ms Rivera", "teacher", "national-2006")
    assert stored_code(pupil, MONDAY, Session.AM) == CODE_BYTES["/"]


def test_record_marks_same_mark_twice_adds_nothing(year):
    pupil = add_pupil(year, "A123456789012")
    entry = MarkEntry(pupil, MONDAY, Session.AM, "L", minutes_late=7)

    record_marks(context(year), [entry], TEACHER, at(9), RevisionSource.REGISTER)
    added = record_marks(context(year), [entry], TEACHER, at(10), RevisionSource.REGISTER)

    assert added == 0
    assert MarkRevision.objects.count() == 1


def test_record_marks_amendment_keeps_history(year):
    pupil = add_pupil(year, "A123456789012")
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "N")], TEACHER, at(9, 15), RevisionSource.REGISTER)

    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "I")], OFFICE, at(11), RevisionSource.AMENDMENT, reason="Parent phoned: ill")

    original, amended = MarkRevision.objects.order_by("recorded_at")
    assert (original.code, amended.code) == ("N", "I")
    assert amended.supersedes == original
    assert (amended.recorded_by, amended.role, amended.reason) == ("Mr Patel", "office", "Parent phoned: ill")
    assert stored_code(pupil, MONDAY, Session.AM) == CODE_BYTES["I"]


def test_record_marks_register_as_it_stood(year):
    pupil = add_pupil(year, "A123456789012")
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "N")], TEACHER, at(9, 15), RevisionSource.REGISTER)
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "I")], OFFICE, at(11), RevisionSource.AMENDMENT, reason="ill")
    key = (pupil.pk, MONDAY, "AM")

    assert current_revisions([pupil], MONDAY, MONDAY, as_of=at(10))[key].code == "N"
    assert current_revisions([pupil], MONDAY, MONDAY, as_of=at(11))[key].code == "I"
    assert current_revisions([pupil], MONDAY, MONDAY, as_of=at(9))  == {}
    assert current_revisions([pupil], MONDAY, MONDAY)[key].code == "I"


@pytest.mark.parametrize(
    ("day", "session", "code", "message"),
    [
        (MONDAY, Session.AM, "F", "code 'F' is not in the code set 'national-2006'"),
        (MONDAY, Session.AM, "C1", "code 'C1' is not in the code set"),
        (dt.date(2025, 9, 6), Session.AM, "/", "is not a school day"),
        (dt.date(2025, 10, 27), Session.AM, "/", "is not a school day"),
        (dt.date(2025, 9, 1), Session.AM, "/", "covered by a planned closure"),
        (MONDAY, Session.PM, "#", "'#' is only for sessions covered by a planned closure"),
    ],
)
def test_record_marks_rejects_invalid_entry(year, day, session, code, message):
    pupil = add_pupil(year, "A123456789012")

    with pytest.raises(MarksRejected, match=message):
        record_marks(context(year), [MarkEntry(pupil, day, session, code)], TEACHER, at(9), RevisionSource.REGISTER)


def test_record_marks_rejects_pupil_off_roll(year):
    pupil = add_pupil(year, "A123456789012", admitted=dt.date(2025, 9, 9))

    with pytest.raises(MarksRejected, match="not on roll"):
        record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER)


def test_record_marks_partial_closure_by_year_group(year):
    reception = add_pupil(year, "A123456789012", year_group="R")
    year_two = add_pupil(year, "B123456789012", year_group="2")
    friday = dt.date(2025, 9, 12)

    record_marks(context(year), [MarkEntry(reception, friday, Session.PM, "#"), MarkEntry(year_two, friday, Session.PM, "\\")], TEACHER, at(14), RevisionSource.REGISTER)

    assert MarkRevision.objects.count() == 2


def test_record_marks_one_bad_entry_writes_nothing(year):
    pupil = add_pupil(year, "A123456789012")
    entries = [MarkEntry(pupil, MONDAY, Session.AM, "/"), MarkEntry(pupil, MONDAY, Session.PM, "Q")]

    with pytest.raises(MarksRejected) as rejected:
        record_marks(context(year), entries, TEACHER, at(9), RevisionSource.REGISTER)

    assert len(rejected.value.problems) == 1
    assert MarkRevision.objects.count() == 0
    assert not MarkSequence.objects.exists()


def test_record_marks_rejects_duplicate_entries(year):
    pupil = add_pupil(year, "A123456789012")
    entries = [MarkEntry(pupil, MONDAY, Session.AM, "/"), MarkEntry(pupil, MONDAY, Session.AM, "L")]

    with pytest.raises(MarksRejected, match="entered twice"):
        record_marks(context(year), entries, TEACHER, at(9), RevisionSource.REGISTER)


def test_rebuild_sequences_lays_closures_over_marks(year):
    reception = add_pupil(year, "A123456789012", year_group="R")
    record_marks(context(year), [MarkEntry(reception, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER)

    rebuild_sequences(context(year), [reception])

    assert stored_code(reception, dt.date(2025, 9, 1), Session.AM) == CODE_BYTES["#"]
    assert stored_code(reception, dt.date(2025, 9, 12), Session.PM) == CODE_BYTES["#"]
    assert stored_code(reception, dt.date(2025, 9, 12), Session.AM) == 0
    assert stored_code(reception, MONDAY, Session.AM) == CODE_BYTES["/"]


def test_revision_refuses_update_and_delete_in_python(year):
    pupil = add_pupil(year, "A123456789012")
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER)
    revision = MarkRevision.objects.get()

    revision.code = "N"
    with pytest.raises(TypeError, match="never updated"):
        revision.save()
    with pytest.raises(TypeError, match="never deleted"):
        revision.delete()
    with pytest.raises(TypeError, match="never updated"):
        MarkRevision.objects.filter(pk=revision.pk).update(code="N")
    with pytest.raises(TypeError, match="never deleted"):
        MarkRevision.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("statement", ["UPDATE registers_markrevision SET code = 'N'", "DELETE FROM registers_markrevision"])
def test_postgresql_refuses_revision_changes(year, statement):
    pupil = add_pupil(year, "A123456789012")
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER)

    with pytest.raises(DatabaseError, match="mark revisions cannot be changed"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    assert MarkRevision.objects.get().code == "/"


def test_record_marks_conflict_when_changed_since_loaded(year):
    pupil = add_pupil(year, "A123456789012")
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "N")], TEACHER, at(9, 15), RevisionSource.REGISTER)
    loaded = {(pupil.pk, MONDAY, "AM"): MarkRevision.objects.get().pk}
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "I")], OFFICE, at(9, 30), RevisionSource.AMENDMENT, reason="phoned")

    with pytest.raises(MarksConflict, match="Mr Patel changed this mark to 'I'"):
        record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "L", minutes_late=5)], TEACHER, at(9, 40), RevisionSource.AMENDMENT, reason="late", loaded=loaded)

    assert MarkRevision.objects.count() == 2


def test_record_marks_no_conflict_for_same_change(year):
    pupil = add_pupil(year, "A123456789012")
    loaded = {(pupil.pk, MONDAY, "AM"): None}
    record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], OFFICE, at(9), RevisionSource.REGISTER)

    added = record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9, 1), RevisionSource.REGISTER, loaded=loaded)

    assert added == 0


def test_record_marks_unloaded_session_no_conflict(year):
    pupil = add_pupil(year, "A123456789012")
    loaded = {(pupil.pk, MONDAY, "AM"): None}

    added = record_marks(context(year), [MarkEntry(pupil, MONDAY, Session.AM, "/")], TEACHER, at(9), RevisionSource.REGISTER, loaded=loaded)

    assert added == 1
