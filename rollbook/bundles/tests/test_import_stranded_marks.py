"""A re-import must not leave a stored mark that no longer fits the bundle's calendar, roll or policy."""

import io

import pytest
from django.core.management import call_command

from rollbook.bundles.importer import import_bundle
from rollbook.bundles.problems import BundleError
from rollbook.registers.models import MarkRevision
from rollbook.reports.tests import scenario
from rollbook.schools.models import AcademicYear, CalendarEntry, Enrolment

pytestmark = pytest.mark.django_db

BEA = scenario.PUPILS["BEA"][0]


def edit(path, name: str, old: str, new: str) -> None:
    text = (path / name).read_text(encoding="utf-8")
    assert old in text
    (path / name).write_text(text.replace(old, new), encoding="utf-8")


def drop_rows(path, name: str, fragment: str) -> None:
    lines = (path / name).read_text(encoding="utf-8").splitlines(keepends=True)
    (path / name).write_text("".join(line for line in lines if fragment not in line), encoding="utf-8")


@pytest.fixture
def imported(tmp_path):
    bundle = scenario.write_bundle(tmp_path / "first")
    import_bundle(bundle)
    return scenario.write_bundle(tmp_path / "second")


def snapshot() -> tuple:
    return (
        MarkRevision.objects.count(),
        sorted(Enrolment.objects.values_list("pupil__upn", "admission_date", "leaving_date")),
        sorted(CalendarEntry.objects.values_list("kind", "start_date", "end_date", "session")),
        list(AcademicYear.objects.values_list("policy_name", flat=True)),
    )


def rejected(bundle) -> str:
    before = snapshot()
    with pytest.raises(BundleError) as error:
        import_bundle(bundle)
    assert snapshot() == before
    return error.value.report()


def test_stranded_admission_moved_past_marks(imported):
    edit(imported, "pupils.csv", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2025-09-01", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2025-09-03")
    drop_rows(imported, "marks.csv", f"{BEA},2025-09-02")

    report = rejected(imported)

    assert f"pupil {BEA} on 2025-09-02 AM: the pupil is not on roll that day" in report
    assert "Marks are never deleted" in report


def test_stranded_half_term_moved(imported):
    edit(imported, "calendar.csv", "half_term,2025-09-01,2025-10-24,autumn-1", "half_term,2025-09-03,2025-10-24,autumn-1")
    edit(imported, "calendar.csv", "closure,2025-09-01,2025-09-01,INSET day,,\n", "")
    drop_rows(imported, "marks.csv", ",2025-09-02,")

    assert "2025-09-02 is not a school day" in rejected(imported)


def test_stranded_closure_added_over_marks(imported):
    (imported / "calendar.csv").write_text(
        (imported / "calendar.csv").read_text(encoding="utf-8") + "closure,2025-09-04,2025-09-04,Boiler failure,,\n",
        encoding="utf-8",
    )
    drop_rows(imported, "marks.csv", ",2025-09-04,")

    assert "covered by a planned closure, so its mark is '#', not 'I'" in rejected(imported)


def test_stranded_policy_switch_with_withdrawn_code(tmp_path):
    first = scenario.write_bundle(tmp_path / "first")
    edit(first, "marks.csv", f"{BEA},2025-09-02,AM,I", f"{BEA},2025-09-02,AM,H")
    import_bundle(first)
    second = scenario.write_bundle(tmp_path / "second", policy="england-2024")
    drop_rows(second, "marks.csv", f"{BEA},2025-09-02,AM")

    assert "code 'H' is not in the code set 'national-2024'" in rejected(second)


def test_stranded_other_year_bundle_moves_admission(imported, tmp_path):
    later = scenario.write_bundle(tmp_path / "later")
    edit(later, "school.toml", "academic_year = 2025", "academic_year = 2026")
    (later / "calendar.csv").write_text(
        "type,start_date,end_date,label,session,year_groups\nhalf_term,2026-09-01,2026-10-23,autumn-1,,\n", encoding="utf-8"
    )
    (later / "marks.csv").write_text("upn,date,session,code\n", encoding="utf-8")
    drop_rows(later, "pupils.csv", scenario.PUPILS["EDD"][0])
    edit(later, "pupils.csv", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2025-09-01", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2025-09-05")

    assert f"pupil {BEA} on 2025-09-02 AM: the pupil is not on roll that day" in rejected(later)


def test_stranded_none_when_admission_moves_earlier(imported):
    edit(imported, "pupils.csv", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2025-09-01", f"{BEA},Zoë-Łucja,Bea,2019-01-15,F,2,2 Elm,2024-09-02")

    import_bundle(imported)

    assert Enrolment.objects.get(pupil__upn=BEA).admission_date.isoformat() == "2024-09-02"


def test_stranded_command_exit_status(imported):
    edit(imported, "calendar.csv", "half_term,2025-09-01,2025-10-24,autumn-1", "half_term,2025-09-03,2025-10-24,autumn-1")
    edit(imported, "calendar.csv", "closure,2025-09-01,2025-09-01,INSET day,,\n", "")
    drop_rows(imported, "marks.csv", ",2025-09-02,")

    with pytest.raises(Exception, match="is not a school day"):
        call_command("import_bundle", str(imported), stdout=io.StringIO(), stderr=io.StringIO())


def test_unreadable_pupils_file_does_not_flood_marks(tmp_path):
    bundle = scenario.write_bundle(tmp_path / "bundle")
    (bundle / "pupils.csv").write_bytes(b"\xff\xfe not utf-8")

    with pytest.raises(BundleError) as error:
        import_bundle(bundle)

    report = error.value.report()
    assert "marks.csv: not checked, because pupils.csv could not be read; fix it first" in report
    assert report.count("marks.csv") == 1
