"""Tests for importing a school bundle into the database."""

import datetime as dt
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollbook.bundles.importer import import_bundle
from rollbook.bundles.problems import BundleError
from rollbook.policy.calendar import Session, slot_of
from rollbook.policy.codes import CODES_BY_BYTE
from rollbook.registers.models import MarkRevision, MarkSequence, RevisionSource
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment, Placement, Pupil, School

from .helpers import BundleFolder

pytestmark = pytest.mark.django_db

AT = dt.datetime(2025, 9, 15, 16, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 9, 22, 16, 0, tzinfo=dt.UTC)
MODELS = (School, AcademicYear, CalendarEntry, Pupil, Enrolment, Placement, MarkRevision, MarkSequence)


def snapshot() -> dict[str, list[dict]]:
    """Return every row of every table an import writes, in primary-key order."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def current_code(upn: str, day: dt.date, session: Session) -> str | None:
    """Return the code a pupil's stored mark sequence holds for a session, or None for no mark."""
    sequence = MarkSequence.objects.get(pupil__upn=upn, academic_year=2025)
    return CODES_BY_BYTE.get(bytes(sequence.codes)[slot_of(day, session)])


def test_importer_stores_school_and_year(small_bundle):
    result = import_bundle(small_bundle.path, at=AT)

    school = School.objects.get()
    year = AcademicYear.objects.get()
    assert (school.name, school.urn, school.la_code) == ("Elmtree Lower School", "012345", "080")
    assert (year.school, year.start_year, year.policy_name) == (school, 2025, "school-2023")
    assert (year.am_register, year.pm_close) == (dt.time(8, 55), dt.time(13, 30))
    assert (result.urn, result.academic_year, result.dry_run) == ("012345", 2025, False)


def test_importer_counts(small_bundle):
    result = import_bundle(small_bundle.path, at=AT)

    assert (result.pupils, result.pupils_created, result.marks, result.revisions_added) == (7, 7, 120, 120)
    assert result.calendar_entries == 9
    assert result.warnings == ()
    assert row_counts() == {
        "School": 1, "AcademicYear": 1, "CalendarEntry": 9, "Pupil": 7, "Enrolment": 7,
        "Placement": 7, "MarkRevision": 120, "MarkSequence": 7,
    }


def test_importer_revision_details(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    revision = MarkRevision.objects.get(pupil__upn="J080250000001", date=dt.date(2025, 9, 3), session="AM")

    assert (revision.code, revision.minutes_late, revision.comment) == ("L", 5, "")
    assert revision.code_set == "national-2006"
    assert (revision.recorded_by, revision.role, revision.source) == ("bundle import", "import", RevisionSource.IMPORT)
    assert revision.reason == "Imported from school bundle small"
    assert revision.recorded_at == AT
    assert revision.supersedes is None


def test_importer_names_unchanged(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    names = set(Pupil.objects.values_list("surname", "forename"))

    assert ("O'Brien", "Aoife") in names
    assert ("O\u2019Neill", "Se\u00e1n") in names
    assert ("Smith-Jones", "Zo\u00eb") in names
    assert ("Garc\u00eda L\u00f3pez", "Jos\u00e9-Mar\u00eda") in names
    assert ("van der Berg", "Anna Maria") in names


def test_importer_pupil_fields(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    sean = Pupil.objects.get(upn="Y080250000002")
    anna = Pupil.objects.get(upn="Q080250000005")

    assert sean.date_of_birth == dt.date(2019, 7, 12)
    assert (sean.sex, sean.sen, sean.fsm, sean.pupil_premium, sean.looked_after) == ("M", "K", True, False, None)
    assert sean.ethnicity == "WIRI"
    assert (anna.sen, anna.fsm, anna.ethnicity) == ("", None, "")


def test_importer_enrolments_and_placements(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    sean = Pupil.objects.get(upn="Y080250000002")
    anna = Pupil.objects.get(upn="Q080250000005")
    minh = Pupil.objects.get(upn="E080250000006")

    assert [(e.admission_date, e.leaving_date) for e in sean.enrolments.all()] == [(dt.date(2024, 9, 1), None)]
    assert [(e.admission_date, e.leaving_date) for e in anna.enrolments.all()] == [(dt.date(2020, 9, 7), dt.date(2025, 9, 10))]
    # A placement starts on the later of the admission date and the first day of the year.
    assert [(p.year_group, p.class_name, p.start_date, p.end_date) for p in sean.placements.all()] == [("1", "Wrens", dt.date(2025, 9, 1), None)]
    assert [(p.start_date, p.end_date) for p in anna.placements.all()] == [(dt.date(2025, 9, 1), dt.date(2025, 9, 10))]
    assert [p.start_date for p in minh.placements.all()] == [dt.date(2025, 9, 8)]


def test_importer_closure_reads_hash_without_mark(small_bundle):
    import_bundle(small_bundle.path, at=AT)

    # The bundle has no row for Chidi on 5 September PM, which a Reception closure covers.
    assert not MarkRevision.objects.filter(pupil__upn="M08025000009A", date=dt.date(2025, 9, 5), session="PM").exists()
    assert current_code("M08025000009A", dt.date(2025, 9, 5), Session.PM) == "#"
    assert current_code("M08025000009A", dt.date(2025, 9, 5), Session.AM) == "/"
    # Minh joined on 8 September, so the INSET day on 1 September is not his.
    assert current_code("E080250000006", dt.date(2025, 9, 1), Session.AM) is None
    # Minh has no row for 12 September PM and no closure covers it: no mark yet.
    assert current_code("E080250000006", dt.date(2025, 9, 12), Session.PM) is None


def test_importer_same_bundle_twice_changes_nothing(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    before = snapshot()

    result = import_bundle(small_bundle.path, at=LATER)

    assert result.revisions_added == 0
    assert result.pupils_created == 0
    assert result.warnings == ()
    assert snapshot() == before


def test_importer_changed_mark_new_revision(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("marks.csv", "B080250000004,2025-09-11,AM,N,,", "B080250000004,2025-09-11,AM,I,,Parent phoned")

    result = import_bundle(small_bundle.path, at=LATER)

    revisions = list(MarkRevision.objects.filter(pupil__upn="B080250000004", date=dt.date(2025, 9, 11), session="AM").order_by("recorded_at"))
    assert result.revisions_added == 1
    assert MarkRevision.objects.count() == 121
    assert [(r.code, r.comment) for r in revisions] == [("N", ""), ("I", "Parent phoned")]
    assert revisions[1].supersedes == revisions[0]
    assert revisions[1].recorded_at == LATER
    assert current_code("B080250000004", dt.date(2025, 9, 11), Session.AM) == "I"


def test_importer_missing_marks_left_with_warning(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    text = small_bundle.text("marks.csv")
    small_bundle.write("marks.csv", "".join(line for line in text.splitlines(keepends=True) if ",2025-09-12," not in line))

    result = import_bundle(small_bundle.path, at=LATER)

    assert result.revisions_added == 0
    assert result.warnings == ("marks.csv: the file lacks 9 stored marks of 2025/26, left unchanged",)
    assert MarkRevision.objects.count() == 120
    assert current_code("J080250000001", dt.date(2025, 9, 12), Session.AM) == "/"


def test_importer_missing_pupil_left_with_warning(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("pupils.csv", "E080250000006,Nguyen,Minh,2019-02-03,M,1,Wrens,2025-09-08,,N,N,N,Y,Y,N,Y,AOTH\n", "")
    text = small_bundle.text("marks.csv")
    small_bundle.write("marks.csv", "".join(line for line in text.splitlines(keepends=True) if not line.startswith("E080250000006")))

    result = import_bundle(small_bundle.path, at=LATER)

    assert "pupils.csv: the file lacks 1 pupil placed in 2025/26, left unchanged" in result.warnings
    assert "marks.csv: the file lacks 9 stored marks of 2025/26, left unchanged" in result.warnings
    assert Pupil.objects.filter(upn="E080250000006").exists()


def test_importer_one_bad_mark_writes_nothing(small_bundle):
    line = small_bundle.replace("marks.csv", "M080250000003,2025-09-10,PM,\\,,", "M080250000003,2025-09-10,PM,F,,")

    with pytest.raises(BundleError) as error:
        import_bundle(small_bundle.path, at=AT)

    assert [(p.file, p.line, p.column, p.value) for p in error.value.problems] == [("marks.csv", line, "code", "F")]
    assert set(row_counts().values()) == {0}


def test_importer_invalid_date_writes_nothing(small_bundle):
    line = small_bundle.replace("pupils.csv", "2017-05-02", "2017-5-2")

    with pytest.raises(BundleError) as error:
        import_bundle(small_bundle.path, at=AT)

    assert [(p.file, p.line, p.column, p.value) for p in error.value.problems] == [("pupils.csv", line, "date_of_birth", "2017-5-2")]
    assert "pupils.csv, line 5, column date_of_birth: '2017-5-2' is not a date" in error.value.report()
    assert set(row_counts().values()) == {0}


def test_importer_invalid_bundle_leaves_earlier_import(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    before = snapshot()
    small_bundle.replace("pupils.csv", "Kestrels", "Falcons")
    small_bundle.replace("marks.csv", "M080250000003,2025-09-10,PM,\\,,", "M080250000003,2025-09-10,PM,F,,")

    with pytest.raises(BundleError):
        import_bundle(small_bundle.path, at=LATER)

    assert snapshot() == before


def test_importer_errors_from_every_file(small_bundle):
    small_bundle.replace("school.toml", 'la_code = "080"', 'la_code = "80"')
    small_bundle.replace("calendar.csv", "INSET day,,", "INSET day,Morning,")
    small_bundle.replace("pupils.csv", ",F,R,Robins,", ",G,R,Robins,")
    small_bundle.append("marks.csv", "M080250000003,2025-09-09,AM,/,,")

    with pytest.raises(BundleError) as error:
        import_bundle(small_bundle.path, at=AT)

    assert [p.file for p in error.value.problems] == ["school.toml", "calendar.csv", "pupils.csv", "marks.csv"]
    assert "4 errors" in str(error.value)


def test_importer_byte_order_mark(small_bundle):
    for name in ("school.toml", "calendar.csv", "pupils.csv", "marks.csv"):
        small_bundle.write(name, "\ufeff" + small_bundle.text(name))

    result = import_bundle(small_bundle.path, at=AT)

    assert result.marks == 120
    assert Pupil.objects.filter(upn="J080250000001").exists()


def test_importer_crlf(small_bundle):
    for name in ("calendar.csv", "pupils.csv", "marks.csv"):
        small_bundle.write(name, small_bundle.text(name).replace("\n", "\r\n"))

    result = import_bundle(small_bundle.path, at=AT)

    assert result.marks == 120


def test_importer_dry_run_writes_nothing(small_bundle):
    result = import_bundle(small_bundle.path, dry_run=True)

    assert result.dry_run is True
    assert (result.pupils, result.pupils_created, result.marks, result.revisions_added) == (7, 7, 120, 0)
    assert "dry run" in result.summary()
    assert set(row_counts().values()) == {0}


def test_importer_unknown_columns_warned_not_stored(small_bundle):
    header, *rows = small_bundle.text("marks.csv").splitlines()
    small_bundle.write("marks.csv", "\n".join([f"{header},entered_by", *(f"{row},Office" for row in rows)]) + "\n")

    result = import_bundle(small_bundle.path, at=AT)

    assert len(result.warnings) == 1
    assert "marks.csv: unknown column 'entered_by'" in result.warnings[0]
    assert MarkRevision.objects.count() == 120
    assert not MarkRevision.objects.filter(comment__contains="Office").exists()
    assert not MarkRevision.objects.filter(recorded_by__contains="Office").exists()


def test_importer_updates_pupil_and_school(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("school.toml", 'name = "Elmtree Lower School"', 'name = "Elmtree Primary School"')
    small_bundle.replace("pupils.csv", "García López,José-María,2017-05-02,M,3,Kestrels", "García-López,José-María,2017-05-02,M,3,Falcons")

    import_bundle(small_bundle.path, at=LATER)

    pupil = Pupil.objects.get(upn="B080250000004")
    assert School.objects.get().name == "Elmtree Primary School"
    assert pupil.surname == "García-López"
    assert [p.class_name for p in pupil.placements.all()] == ["Falcons"]
    assert Placement.objects.count() == 7


def test_importer_absent_optional_column_keeps_value(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    lines = small_bundle.text("pupils.csv").splitlines()
    # Drop the last column, ethnicity, from every row.
    small_bundle.write("pupils.csv", "\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n")

    import_bundle(small_bundle.path, at=LATER)

    assert Pupil.objects.get(upn="Y080250000002").ethnicity == "WIRI"


def test_importer_empty_flag_clears_value(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("pupils.csv", "K,true,false,,,,N,WIRI", "K,,false,,,,N,WIRI")

    import_bundle(small_bundle.path, at=LATER)

    assert Pupil.objects.get(upn="Y080250000002").fsm is None


def test_importer_corrected_admission_refused_over_stored_marks(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    text = small_bundle.text("marks.csv")
    small_bundle.write("marks.csv", "".join(line for line in text.splitlines(keepends=True) if not line.startswith("E080250000006")))
    small_bundle.replace("pupils.csv", "Wrens,2025-09-08", "Wrens,2025-09-09")

    with pytest.raises(BundleError) as error:
        import_bundle(small_bundle.path, at=LATER)

    assert "pupil E080250000006 on 2025-09-08 AM: the pupil is not on roll that day" in error.value.report()
    pupil = Pupil.objects.get(upn="E080250000006")
    assert [e.admission_date for e in pupil.enrolments.all()] == [dt.date(2025, 9, 8)]


def test_importer_keeps_earlier_stay(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    pupil = Pupil.objects.get(upn="E080250000006")
    Enrolment.objects.create(school=pupil.school, pupil=pupil, admission_date=dt.date(2023, 9, 4), leaving_date=dt.date(2024, 7, 19))

    import_bundle(small_bundle.path, at=LATER)

    assert [(e.admission_date, e.leaving_date) for e in pupil.enrolments.order_by("admission_date")] == [
        (dt.date(2023, 9, 4), dt.date(2024, 7, 19)),
        (dt.date(2025, 9, 8), None),
    ]


def move_closure_to_12_september(small_bundle, chidi_row: str) -> None:
    """Move the Reception and Year 1 closure to 12 September PM, where Chidi has a mark and Minh has none.

    ``chidi_row`` replaces Chidi's stored 12 September PM row.
    """
    small_bundle.replace("calendar.csv", "2025-09-05,2025-09-05,Classroom move", "2025-09-12,2025-09-12,Classroom move")
    text = small_bundle.text("marks.csv")
    text = text.replace("J080250000001,2025-09-05,PM,#", "J080250000001,2025-09-05,PM,\\")
    text = text.replace("Y080250000002,2025-09-05,PM,#", "Y080250000002,2025-09-05,PM,\\")
    text = text.replace("J080250000001,2025-09-12,PM,\\", "J080250000001,2025-09-12,PM,#")
    text = text.replace("Y080250000002,2025-09-12,PM,\\", "Y080250000002,2025-09-12,PM,#")
    text = text.replace("M08025000009A,12/09/2025,PM,\\,,\n", chidi_row)
    small_bundle.write("marks.csv", text)


def test_importer_moved_closure_relaid(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    move_closure_to_12_september(small_bundle, "M08025000009A,12/09/2025,PM,#,,\n")

    result = import_bundle(small_bundle.path, at=LATER)

    assert CalendarEntry.objects.filter(label="Classroom move", start_date=dt.date(2025, 9, 12)).exists()
    assert result.revisions_added == 5
    assert current_code("E080250000006", dt.date(2025, 9, 12), Session.PM) == "#"
    # Chidi's old 5 September row stays missing, so the session no longer reads '#'.
    assert current_code("M08025000009A", dt.date(2025, 9, 5), Session.PM) is None
    assert current_code("M08025000009A", dt.date(2025, 9, 12), Session.PM) == "#"


def test_importer_moved_closure_over_stored_mark_refused(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    move_closure_to_12_september(small_bundle, "")

    with pytest.raises(BundleError) as error:
        import_bundle(small_bundle.path, at=LATER)

    assert "stored mark '\\\\': pupil M08025000009A on 2025-09-12 PM: the session is covered by a planned closure" in error.value.report()
    assert CalendarEntry.objects.filter(label="Classroom move", start_date=dt.date(2025, 9, 5)).exists()


def test_importer_policy_change_warned(small_bundle):
    import_bundle(small_bundle.path, at=AT)
    small_bundle.replace("school.toml", 'policy = "school-2023"', 'policy = "england-2024"')
    small_bundle.replace("school.toml", 'pm_close = "13:30"', 'pm_close = "13:40"')

    result = import_bundle(small_bundle.path, at=LATER)

    year = AcademicYear.objects.get()
    assert (year.policy_name, year.pm_close) == ("england-2024", dt.time(13, 40))
    assert any("from policy school-2023 to england-2024" in w for w in result.warnings)


def add_marks(bundle, until: dt.date) -> None:
    """Add present marks for every pupil on roll from 15 September to ``until``."""
    rows = []
    day = dt.date(2025, 9, 15)
    while day <= until:
        if day.weekday() < 5:
            for upn in ("J080250000001", "Y080250000002", "M080250000003", "B080250000004", "E080250000006", "M08025000009A"):
                rows.append(f"{upn},{day},AM,/,,\n{upn},{day},PM,\\,,")
        day += dt.timedelta(days=1)
    bundle.write("marks.csv", bundle.text("marks.csv") + "\n".join(rows) + "\n")


def test_importer_queries_independent_of_mark_count(small_bundle, tmp_path):
    other = BundleFolder(tmp_path / "other")
    shutil.copytree(small_bundle.path, other.path)
    other.replace("school.toml", 'urn = "012345"', 'urn = "012346"')
    add_marks(other, until=dt.date(2025, 10, 24))

    with CaptureQueriesContext(connection) as few:
        import_bundle(small_bundle.path, at=AT)
    with CaptureQueriesContext(connection) as many:
        result = import_bundle(other.path, at=AT)

    assert result.marks == 4 * 120
    assert len(many.captured_queries) <= len(few.captured_queries) + 5
